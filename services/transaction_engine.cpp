#include "services/transaction_engine.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <ctime>
#include <nlohmann/json.hpp>
#include <thread>

#include "drivers/common/privacy.h"

namespace smzc::services {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

// What the citizen is told when a step fails and the step itself said nothing plainer.
std::string plain_message(Step step, Completion code) {
  switch (step) {
    case Step::kReadCard:
      return "未能读取身份证，请重新放置";
    case Step::kIdentify:
      return code == Completion::kUserError ? "身份核验未通过，请联系工作人员"
                                            : "暂时无法核验身份，请稍后重试";
    case Step::kRender:
    case Step::kPrint:
      return "证照未能打印，请联系工作人员";
    default:
      break;
  }
  if (code == Completion::kDeviceNotReady || code == Completion::kTimeout)
    return "政务服务平台暂时无法连接，本次未办理成功，请稍后重试";
  return "政务服务平台返回异常，本次未办理成功，请稍后重试或联系工作人员";
}

std::string today_yyyymmdd() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y%m%d", &tm);
  return buf;
}

}  // namespace

const char* to_string(Step step) {
  switch (step) {
    case Step::kReadCard:
      return "read_card";
    case Step::kIdentify:
      return "identify";
    case Step::kForm:
      return "form";
    case Step::kMaterials:
      return "materials";
    case Step::kApply:
      return "apply";
    case Step::kApprove:
      return "approve";
    case Step::kFetchCertificate:
      return "fetch_certificate";
    case Step::kVerify:
      return "verify";
    case Step::kRender:
      return "render";
    case Step::kPrint:
      return "print";
  }
  return "unknown";
}

TransactionEngine::TransactionEngine(Journal& journal, PrintLedger& ledger, BackendClient& backend,
                                     idcard::Reader& reader, printer::IppPrinter& printer,
                                     Options options)
    : journal_(journal),
      ledger_(ledger),
      backend_(backend),
      reader_(reader),
      printer_(printer),
      options_(std::move(options)) {
  if (options_.today.empty()) options_.today = today_yyyymmdd();
}

template <typename Fn>
auto TransactionEngine::run_step(Step step, const std::string& detail_json, Fn&& fn)
    -> decltype(fn()) {
  const std::string name = to_string(step);
  if (auto s = journal_.append(outcome_.transaction_id, name + ".begin", detail_json); !s)
    return s.error();
  const auto start = Clock::now();
  auto result = fn();
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  outcome_.timings_ms.emplace_back(step, ms);
  json end = {{"ms", ms}};
  if (!result)
    end["error"] = {{"code", smzc::to_string(result.code())}, {"message", result.error().message}};
  // The step happened: a journal that cannot record its end is logged, and the result stands.
  if (auto s = journal_.append(outcome_.transaction_id, name + (result ? ".done" : ".failed"),
                               end.dump());
      !s)
    spdlog::error("journal: {}", s.error().message);
  return result;
}

Outcome TransactionEngine::fail(Step step, const Error& error) {
  const bool canceled = error.code == Completion::kCanceled;
  // Only the wait for a card times out as such; a step that timed out later has failed.
  const bool timed_out = error.code == Completion::kTimeout && step == Step::kReadCard;
  const TxState to = canceled    ? TxState::kCanceled
                     : timed_out ? TxState::kTimedOut
                                 : TxState::kFailed;
  if (!state_.advance(to)) (void)state_.advance(TxState::kFailed);
  outcome_.status = canceled ? "canceled" : timed_out ? "timed-out" : "failed";
  outcome_.failed_step = step;
  outcome_.reason = error.message;  // for the technician's log
  // Once the backend has the application, "try again" would make a second one.
  if (outcome_.citizen_message.empty() && !outcome_.application_id.empty())
    outcome_.citizen_message = "申请已受理（编号 " + outcome_.application_id +
                               "），证照暂未取得，请勿重复申请，请联系工作人员";
  if (outcome_.citizen_message.empty() && !canceled && !timed_out)
    outcome_.citizen_message = plain_message(step, error.code);
  spdlog::warn("transaction {} failed at {}: {}", outcome_.transaction_id, to_string(step),
               error.message);
  return outcome_;
}

Result<Citizen> TransactionEngine::identify(const std::string& face_image) {
  forget_citizen();
  outcome_ = Outcome{};
  outcome_.transaction_id = journal_.new_transaction_id();
  if (auto s = state_.advance(TxState::kIdentifying); !s) return s.error();
  auto card = run_step(Step::kReadCard, "{}",
                       [this] { return reader_.wait_and_read(options_.card_timeout); });
  if (!card) {
    fail(Step::kReadCard, card.error());
    return card.error();
  }
  card_ = std::move(card.value());
  const json who = {{"id_number", mask_id_number(card_->id_number)}};
  json detail = who;
  detail["face_image"] = !face_image.empty();
  auto verified = run_step(Step::kIdentify, detail.dump(), [&]() -> Result<IdentityCheck> {
    if (!idcard::valid_id_number(*card_))
      return Error{Completion::kUserError, "the ID number fails its check digit"};
    if (idcard::expired(*card_, options_.today))
      return Error{Completion::kUserError, "the ID card has expired"};
    Applicant who{
        card_->id_number, card_->name, card_->valid_to, card_->birth_date, {}, {}, {}, {}};
    auto check = backend_.verify_identity(who, face_image);
    who.wipe();
    if (check && !check->verified) {
      std::string why = "the backend did not verify";
      for (const auto& r : check->reasons) why += "; " + r;
      return Error{Completion::kUserError, why};
    }
    return check;
  });
  // The citizen may have asked to leave while the backend was checking: nobody is served.
  if (verified && reader_.cancel_requested())
    verified = Error{Completion::kCanceled, "the citizen left during the identity check"};
  if (!verified) {
    card_->wipe();
    card_.reset();
    fail(Step::kIdentify, verified.error());
    return verified.error();
  }
  (void)state_.advance(TxState::kIdentified);
  spdlog::info("transaction {}: citizen {} identified", outcome_.transaction_id,
               mask_id_number(card_->id_number));
  return Citizen{mask_name(card_->name), mask_id_number(card_->id_number)};
}

TransactionEngine::Route TransactionEngine::route(const std::string& region_code) const {
  if (auto it = options_.partners.find(region_code); it != options_.partners.end())
    return {*it->second.client, it->second.issuer_key};
  return {backend_, options_.certificate_key};
}

// The terminal's catalogue: its home backend's items and each partner region's, every one
// checked against its issuer's key, then narrowed to what this site offers.
Result<Catalogue> TransactionEngine::catalogue() {
  if (!options_.certificate_key) return Error{Completion::kUnsupported, "no issuer key configured"};
  auto home = backend_.catalogue(*options_.certificate_key, options_.catalogue_cache);
  if (!home) return home.error();
  Catalogue merged = home.value();
  for (const auto& [region, partner] : options_.partners) {
    if (!partner.issuer_key) continue;
    auto theirs = partner.client->catalogue(*partner.issuer_key, partner.catalogue_cache);
    if (!theirs) {
      spdlog::warn("catalogue of region {} unavailable: {}", region, theirs.error().message);
      continue;
    }
    merged.offline = merged.offline || theirs->offline;
    merged.regions.insert(theirs->regions.begin(), theirs->regions.end());
    for (auto& item : theirs->items)
      if (item.region_code == region && !merged.find(item.code)) merged.items.push_back(item);
  }
  return offered_at(merged, options_.site);
}

bool TransactionEngine::open_now(const ServiceItem& item) const {
  if (!options_.time_of_day.empty()) return item.open_at(options_.time_of_day);
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  char hhmm[8];
  std::strftime(hhmm, sizeof hhmm, "%H:%M", &tm);
  return item.open_at(hhmm);
}

std::vector<FilledField> TransactionEngine::form_for(const ServiceItem& item) const {
  std::vector<FilledField> out;
  for (const auto& f : item.form) {
    std::string value;
    if (card_) {
      if (f.prefill == "card.name") value = card_->name;
      if (f.prefill == "card.address") value = card_->address;
      if (f.prefill == "card.id_number") value = card_->id_number;
      if (f.prefill == "card.birth_date") value = card_->birth_date;
    }
    out.push_back({f, value});
  }
  return out;
}

Outcome TransactionEngine::process(const ServiceItem& item, const ApplicationInput& input,
                                   const std::function<void(Step)>& on_step) {
  outcome_.item_code = item.code;
  outcome_.reasons.clear();
  outcome_.citizen_message.clear();
  if (!card_) return fail(Step::kForm, {Completion::kUserError, "no citizen identified yet"});
  // Outside its hours nothing starts; the citizen stays identified and may choose another item.
  if (!open_now(item)) {
    outcome_.status = "closed";
    outcome_.reason = item.code + " is closed (" + item.hours + ")";
    outcome_.citizen_message = "该事项办理时间为 " + item.hours + "，请在办理时间内再来";
    return outcome_;
  }
  if (auto s = state_.advance(TxState::kFilling); !s) return fail(Step::kForm, s.error());
  auto begin = [&](Step step) {
    if (on_step) on_step(step);
  };
  // The citizen may correct what was found wrong and send again: back to identified.
  auto incomplete = [&](std::vector<std::string> reasons) {
    (void)state_.advance(TxState::kIdentified);
    outcome_.status = "incomplete";
    outcome_.reasons = std::move(reasons);
    return outcome_;
  };
  Applicant applicant{
      card_->id_number, card_->name, card_->valid_to, card_->birth_date, {}, {}, {}, {}};
  struct WipeOnExit {
    Applicant& a;
    ~WipeOnExit() { a.wipe(); }
  } wipe_on_exit{applicant};

  // The form: prefills from the card, then what the citizen typed. Only field names are
  // journaled, never their values.
  begin(Step::kForm);
  for (const auto& f : form_for(item)) applicant.form[f.field.name] = f.value;
  for (const auto& [name, value] : input.fields) applicant.form[name] = value;
  json field_names = json::array();
  for (const auto& f : item.form) field_names.push_back(f.name);
  std::vector<std::string> problems;
  auto form_ok =
      run_step(Step::kForm, json{{"fields", field_names}}.dump(), [&]() -> Result<size_t> {
        problems = check_form(item, applicant.form);
        if (!problems.empty())
          return Error{Completion::kUserError,
                       std::to_string(problems.size()) + " field(s) to correct"};
        return item.form.size();
      });
  if (!form_ok) return incomplete(std::move(problems));

  // Materials: e-licences are looked up in the library (免证办); scans come from the caller. A
  // scan stands in for an e-licence the library does not have.
  (void)state_.advance(TxState::kGathering);
  begin(Step::kMaterials);
  const Route owner = route(item.region_code);
  std::vector<std::string> missing;
  json material_names = json::array();
  for (const auto& m : item.materials) material_names.push_back(m.name);
  auto gathered = run_step(
      Step::kMaterials, json{{"materials", material_names}}.dump(), [&]() -> Result<size_t> {
        for (const auto& m : item.materials) {
          const std::string label = m.label.empty() ? m.name : m.label;
          if (auto scan = input.scans.find(m.name);
              scan != input.scans.end() && !scan->second.empty()) {
            applicant.scans[m.name] = scan->second;
            continue;
          }
          if (m.source == "elicense") {
            auto found = owner.backend.lookup_elicense(applicant.id_number, m.name);
            // Unreachable: an application that may wait goes on without the reference (the
            // platform finds the licence itself when it gets it); any other fails below.
            const bool down = !found && (found.code() == Completion::kDeviceNotReady ||
                                         found.code() == Completion::kTimeout);
            if (down && item.store_and_forward) continue;
            if (!found) return found.error();
            if (found.value()) {
              applicant.elicenses[m.name] = *found.value();
              continue;
            }
            if (m.required) missing.push_back("电子证照库未找到" + label + "，请扫描纸质材料");
            continue;
          }
          if (m.required) missing.push_back("请扫描：" + label);
        }
        if (!missing.empty())
          return Error{Completion::kUserError,
                       std::to_string(missing.size()) + " material(s) missing"};
        return item.materials.size();
      });
  if (!gathered && gathered.code() == Completion::kUserError) return incomplete(missing);
  if (!gathered) return fail(Step::kMaterials, gathered.error());

  if (auto s = state_.advance(TxState::kApplying); !s) return fail(Step::kApply, s.error());
  // An item owned by another region goes to that region's backend.
  outcome_.region_code = item.region_code;
  // The idempotency key is journaled before the request, so a restart resends the same key.
  const std::string key = outcome_.transaction_id + "/apply";

  begin(Step::kApply);
  auto decision = run_step(
      Step::kApply,
      json{{"item_code", item.code}, {"idempotency_key", key}, {"region_code", item.region_code}}
          .dump(),
      [&] { return owner.backend.submit(item.code, applicant, key); });
  if (!decision) return not_sent(item, key, applicant, owner.backend, decision.error());
  outcome_.application_id = decision->application_id;
  (void)state_.advance(TxState::kAwaitingDecision);

  begin(Step::kApprove);
  auto approved = run_step(Step::kApprove, json{{"application_id", outcome_.application_id}}.dump(),
                           [&] { return await_decision(owner.backend); });
  if (!approved) return fail(Step::kApprove, approved.error());
  if (approved->status == "pending") {
    (void)state_.advance(TxState::kPending);
    outcome_.status = "pending";
    outcome_.citizen_message =
        "申请已提交，编号 " + outcome_.application_id + "，审批结果将以短信通知";
    return outcome_;
  }
  if (approved->status == "rejected") {
    (void)state_.advance(TxState::kRejected);
    outcome_.status = "rejected";
    outcome_.reasons = approved->reasons;
    return outcome_;
  }
  if (approved->status != "approved" && approved->status != "submitted")
    return fail(Step::kApprove,
                {Completion::kInvalidData, "unexpected application status " + approved->status});
  (void)state_.advance(approved->status == "submitted" ? TxState::kSubmitted : TxState::kApproved);
  // Instant items print their certificate; manual ones print the receipt of their submission,
  // and their result comes later by SMS or by mail.
  Outcome printed = print_certificate(outcome_.application_id, on_step, item.region_code);
  if (approved->status == "submitted") {
    // The application is in either way; a receipt that did not print must not send the citizen
    // off to apply a second time.
    outcome_.status = "submitted";
    outcome_.delivery = approved->delivery;
    if (printed.status != "printed")
      outcome_.citizen_message = "申请已提交，编号 " + outcome_.application_id + "，回执未能打印";
    return outcome_;
  }
  return printed;
}

// The backend could not be reached (or kept failing): an item that allows it waits in the
// queue, sealed, under the idempotency key already journaled; anything else failed.
Outcome TransactionEngine::not_sent(const ServiceItem& item, const std::string& key,
                                    const Applicant& applicant, const BackendClient& backend,
                                    const Error& error) {
  const bool unreachable =
      error.code == Completion::kDeviceNotReady || error.code == Completion::kTimeout;
  if (!unreachable || !item.store_and_forward || !options_.queue) {
    if (unreachable) outcome_.citizen_message = "网络暂时不可用，申请未提交，请稍后重试";
    return fail(Step::kApply, error);
  }
  std::string body = backend.application_body(item.code, applicant);
  auto queued = options_.queue->enqueue(
      {key, outcome_.transaction_id, item.code, item.region_code, "queued", "", "", "", 0, 0},
      body);
  wipe(body);
  if (!queued) return fail(Step::kApply, queued.error());
  if (auto s = journal_.append(outcome_.transaction_id, "apply.queued",
                               json{{"idempotency_key", key}, {"error", error.message}}.dump());
      !s)
    spdlog::error("journal: {}", s.error().message);
  (void)state_.advance(TxState::kQueued);
  outcome_.status = "queued";
  outcome_.reason = error.message;
  outcome_.citizen_message = "网络暂时不可用，申请已在本机加密暂存（编号 " +
                             outcome_.transaction_id + "），恢复后自动提交，结果将以短信通知";
  return outcome_;
}

Result<Decision> TransactionEngine::await_decision(const BackendClient& backend) {
  const auto deadline = Clock::now() + options_.decision_timeout;
  auto pause = std::chrono::milliseconds(50);
  for (;;) {
    auto d = backend.application(outcome_.application_id);
    if (!d || d->status != "pending" || Clock::now() + pause > deadline) return d;
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(1000));
  }
}

Result<DrainReport> TransactionEngine::drain_queue() const {
  if (!options_.queue) return DrainReport{};
  return options_.queue->drain(
      [this](const std::string& region) -> const BackendClient& { return route(region).backend; });
}

Outcome TransactionEngine::print_certificate(const std::string& application_id,
                                             const std::function<void(Step)>& on_step,
                                             const std::string& region_code) {
  const Route owner = route(region_code);
  auto begin = [&](Step step) {
    if (on_step) on_step(step);
  };
  if (outcome_.transaction_id.empty()) outcome_.transaction_id = journal_.new_transaction_id();
  outcome_.application_id = application_id;
  outcome_.citizen_message.clear();
  outcome_.failed_step.reset();

  if (auto s = state_.advance(TxState::kFetching); !s)
    return fail(Step::kFetchCertificate, s.error());
  begin(Step::kFetchCertificate);
  auto fetched = run_step(Step::kFetchCertificate, json{{"application_id", application_id}}.dump(),
                          [&] { return owner.backend.certificate_json(application_id); });
  if (!fetched) return fail(Step::kFetchCertificate, fetched.error());

  // Nothing is printed that the issuing backend did not sign.
  (void)state_.advance(TxState::kVerifying);
  begin(Step::kVerify);
  auto certificate = run_step(
      Step::kVerify, json{{"application_id", application_id}}.dump(),
      [&]() -> Result<certs::Certificate> {
        if (!owner.issuer_key || owner.issuer_key->empty())
          return Error{Completion::kUnsupported, "no certificate issuer key is configured"};
        return certs::parse_signed_certificate(fetched.value(), *owner.issuer_key);
      });
  wipe(fetched.value());
  if (!certificate) {
    outcome_.citizen_message = "证照核验未通过，未打印，请联系工作人员";
    return fail(Step::kVerify, certificate.error());
  }
  outcome_.certificate_serial = certificate->serial;
  outcome_.item_code = certificate->item_code;

  (void)state_.advance(TxState::kRendering);
  begin(Step::kRender);
  std::error_code ec;
  std::filesystem::create_directories(options_.work_dir, ec);
  outcome_.document = options_.work_dir / (outcome_.transaction_id + ".pdf");
  auto rendered = run_step(Step::kRender, json{{"serial", certificate->serial}}.dump(), [&] {
    return certs::render_pdf(certificate.value(), outcome_.document);
  });
  certificate->wipe();
  if (!rendered) return fail(Step::kRender, rendered.error());

  (void)state_.advance(TxState::kPrinting);
  begin(Step::kPrint);
  auto job =
      run_step(Step::kPrint,
               json{{"serial", outcome_.certificate_serial}, {"printer", printer_.uri()}}.dump(),
               [&] { return print_once(outcome_.certificate_serial); });
  if (!job) return fail(Step::kPrint, job.error());
  outcome_.job_state = job->state;
  // The backend learns the certificate is out; a lost confirmation is retried by recovery.
  if (auto s = owner.backend.confirm_print(application_id, job->job_id, job->state); !s)
    spdlog::warn("print confirmation for {} not delivered: {}", application_id, s.error().message);
  (void)state_.advance(TxState::kDone);
  outcome_.status = "printed";
  if (auto s = journal_.append(outcome_.transaction_id, "done",
                               json{{"status", "printed"}, {"job_id", job->job_id}}.dump());
      !s)
    spdlog::error("journal: {}", s.error().message);
  return outcome_;
}

// One attempt at printing `serial`, exactly once: the ledger is claimed before anything reaches
// the printer and says afterwards whether paper came out, did not, or nobody can tell.
Result<printer::JobStatus> TransactionEngine::print_once(const std::string& serial) {
  auto not_printed = [&](const std::string& citizen, Error error) -> Result<printer::JobStatus> {
    outcome_.citizen_message = citizen;
    if (auto s = ledger_.finish(serial, "not-printed", error.message); !s)
      spdlog::error("print ledger: {}", s.error().message);
    return error;
  };
  settle_in_flight(serial);
  if (auto s = ledger_.claim(serial, outcome_.transaction_id, printer_.uri()); !s) {
    outcome_.citizen_message = "该证照已打印或正在处理，如需补打请联系工作人员";
    return s.error();
  }
  auto st = printer_.status();
  if (!st) return not_printed("打印机暂时无法连接，证照未打印，请稍后重试", st.error());
  if (!st->can_print())
    return not_printed(
        st->citizen_message() + "，证照未打印，请联系工作人员",
        {Completion::kDeviceNotReady, "printer not ready: " + st->technician_message()});
  auto lost = [&](const Error& error) -> Result<printer::JobStatus> {
    // Contact was lost once the job was on its way: the page may or may not have come out.
    outcome_.citizen_message = "打印机无响应，请联系工作人员确认证照是否已打印";
    if (auto s = ledger_.finish(serial, "unknown", error.message); !s)
      spdlog::error("print ledger: {}", s.error().message);
    return error;
  };
  auto id = printer_.submit(outcome_.document, serial, options_.print_options, &st.value());
  if (!id && id.code() == Completion::kTimeout) return lost(id.error());
  if (!id) return not_printed("打印失败，证照未打印，请稍后重试", id.error());
  outcome_.job_id = id.value();
  // The job is at the printer whatever the ledger says now: a ledger that cannot be written is
  // logged, and the job is still followed to its end.
  if (auto s = ledger_.record_job(serial, id.value()); !s)
    spdlog::error("print ledger: {}", s.error().message);
  auto job = printer_.wait_for_job(id.value(), options_.print_timeout, options_.print_fault_policy);
  if (!job) return lost(job.error());
  outcome_.job_state = job->state;
  if (job->state == "completed") {
    if (auto s = ledger_.finish(serial, "completed", ""); !s)
      spdlog::error("print ledger: {}", s.error().message);
    return job;
  }
  std::string why = "print job " + std::to_string(job->job_id) + " " + job->state;
  std::string citizen = "打印未完成，证照未打印，请联系工作人员";
  for (const auto& r : job->printer_reasons) {
    why += "; " + r.keyword + ": " + r.technician_en;
    if (*r.citizen_zh) citizen = std::string(r.citizen_zh) + "，本次证照未打印，处理后可重新打印";
  }
  if (job->final()) return not_printed(citizen, {Completion::kHardwareError, why});
  // Cancel requested but not yet confirmed, or held: the job stays "submitted" in the ledger
  // and is settled with the printer before this certificate is claimed again.
  if (options_.print_fault_policy == printer::FaultPolicy::kHold)
    citizen = "打印暂停，证照将在工作人员处理后继续打印，请联系工作人员";
  outcome_.citizen_message = citizen;
  return Error{Completion::kHardwareError, why};
}

// A job of an earlier attempt that was cancelled or held is asked for its final state (waiting
// briefly: a technician may have just cleared the fault), so the ledger knows whether it printed.
void TransactionEngine::settle_in_flight(const std::string& serial) {
  auto entry = ledger_.find(serial);
  if (!entry || !entry.value() || entry.value()->state != "submitted" || entry.value()->job_id == 0)
    return;
  auto job = printer_.wait_for_job(entry.value()->job_id, std::chrono::seconds(5),
                                   printer::FaultPolicy::kWait);
  if (!job || !job->final()) return;
  (void)ledger_.finish(serial, job->state == "completed" ? "completed" : "not-printed",
                       "settled before a new attempt");
}

// After a crash or power cut: every print the ledger left unfinished is settled with the
// printer (found by job name, which is the certificate serial), and every application whose
// request may have gone out is looked up at its backend by idempotency key. Nothing is sent
// again; what cannot be settled is left for a technician and reported.
Result<RecoveryReport> TransactionEngine::recover() {
  RecoveryReport report;
  // Documents rendered for citizens before the crash hold their names and ID numbers.
  std::error_code ec;
  for (const auto& f : std::filesystem::directory_iterator(options_.work_dir, ec))
    std::filesystem::remove(f.path(), ec);
  auto unfinished = ledger_.unfinished();
  if (!unfinished) return unfinished.error();
  for (const auto& entry : unfinished.value()) {
    auto jobs = printer_.jobs_named(entry.serial);
    if (!jobs) {
      ++report.prints_unknown;
      report.notes.push_back(entry.serial + ": printer unreachable, left as " + entry.state);
      continue;
    }
    const printer::JobStatus* job = nullptr;
    for (const auto& j : jobs.value())
      if (entry.job_id == 0 || j.job_id == entry.job_id) job = &j;  // the latest match
    std::string settled;
    if (!job) {
      // Claimed but never sent: nothing printed. Sent, but the printer has no record: unknown.
      settled = entry.state == "claimed" ? "not-printed" : "unknown";
    } else {
      if (entry.state == "claimed") (void)ledger_.record_job(entry.serial, job->job_id);
      settled = job->state == "completed" ? "completed"
                : job->final()            ? "not-printed"
                                          : "";  // still printing: settled by a later start
    }
    if (!settled.empty()) {
      if (auto s = ledger_.finish(entry.serial, settled, "settled by start-up recovery"); !s)
        return s.error();
    }
    report.notes.push_back(entry.serial + ": " + (settled.empty() ? "still printing" : settled));
    if (settled == "completed") ++report.prints_completed;
    if (settled == "not-printed") ++report.prints_not_printed;
    if (settled == "unknown" || settled.empty()) ++report.prints_unknown;
  }
  auto interrupted = journal_.interrupted_steps();
  if (!interrupted) return interrupted.error();
  for (const auto& e : interrupted.value()) {
    json detail = json::parse(e.detail, nullptr, false);
    json result = {{"interrupted", e.step}};
    if (e.step == "apply.begin" && detail.is_object()) {
      auto found = route(detail.value("region_code", ""))
                       .backend.application_by_key(detail.value("idempotency_key", ""));
      if (!found) {
        report.notes.push_back(e.transaction_id + ": backend unreachable, apply unsettled");
        continue;  // asked again at the next start
      }
      if (found.value()) {
        ++report.applications_found;
        result["application_id"] = found.value()->application_id;
        result["status"] = found.value()->status;
      } else {
        ++report.applications_absent;
        result["application_id"] = nullptr;
      }
    }
    if (auto s = journal_.append(e.transaction_id, "recovered", result.dump()); !s)
      return s.error();
    report.notes.push_back(e.transaction_id + ": " + result.dump());
  }
  return report;
}

Status TransactionEngine::heartbeat() const {
  json report = {{"queue_waiting", options_.queue ? options_.queue->waiting() : 0}};
  auto printer = printer_.status();
  report["printer"] = !printer               ? "unreachable"
                      : printer->can_print() ? "ready"
                                             : printer->technician_message();
  return backend_.heartbeat(report.dump());
}

void TransactionEngine::cancel() {
  reader_.cancel();
}

void TransactionEngine::end_session() {
  forget_citizen();
  reader_.reset_cancel();
}

void TransactionEngine::forget_citizen() {
  state_.reset();
  if (card_) {
    card_->wipe();
    card_.reset();
  }
  if (!outcome_.document.empty()) {
    std::error_code ec;
    std::filesystem::remove(outcome_.document, ec);
  }
}

}  // namespace smzc::services

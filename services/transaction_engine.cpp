#include "services/transaction_engine.h"
#include "services/run_step.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <ctime>
#include <nlohmann/json.hpp>
#include <thread>

#include <ostream>

#include "base/json.h"
#include "base/privacy.h"
#include "certs/render.h"
#include "certs/verify_code.h"
#include "services/device_manager.h"

namespace smzc::services {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

// What the citizen is told when a step fails and the step itself said nothing plainer.
Notice plain_notice(Step step, Completion code) {
  switch (step) {
    case Step::kReadCard:
      return code == Completion::kDeviceNotReady ? Notice::kReaderUnavailable
                                                 : Notice::kCardUnreadable;
    case Step::kReadCode:
      return code == Completion::kDeviceNotReady ? Notice::kCameraUnavailable
                                                 : Notice::kCodeUnreadable;
    case Step::kFaceCheck:
      return code == Completion::kDeviceNotReady ? Notice::kCameraUnavailable
             : code == Completion::kUserError    ? Notice::kFaceNotMatched
             : code == Completion::kInvalidData || code == Completion::kTimeout
                 ? Notice::kFaceCheckFailed
                 : Notice::kIdentityUnavailable;
    case Step::kIdentify:
      return code == Completion::kUserError ? Notice::kIdentityRefused
                                            : Notice::kIdentityUnavailable;
    case Step::kRender:
    case Step::kPrint:
      return Notice::kDocumentNotPrinted;
    default:
      break;
  }
  if (code == Completion::kDeviceNotReady || code == Completion::kTimeout)
    return Notice::kPlatformUnreachable;
  return Notice::kPlatformError;
}

}  // namespace

const char* to_string(Step step) {
  switch (step) {
    case Step::kReadCard:
      return "read_card";
    case Step::kReadCode:
      return "read_code";
    case Step::kIdentify:
      return "identify";
    case Step::kFaceCheck:
      return "face_check";
    case Step::kCapture:
      return "capture";
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

const char* to_string(OutcomeStatus status) {
  switch (status) {
    case OutcomeStatus::kPrinted:
      return "printed";
    case OutcomeStatus::kSubmitted:
      return "submitted";
    case OutcomeStatus::kRejected:
      return "rejected";
    case OutcomeStatus::kIncomplete:
      return "incomplete";
    case OutcomeStatus::kQueued:
      return "queued";
    case OutcomeStatus::kPending:
      return "pending";
    case OutcomeStatus::kClosed:
      return "closed";
    case OutcomeStatus::kFailed:
      return "failed";
    case OutcomeStatus::kCanceled:
      return "canceled";
    case OutcomeStatus::kTimedOut:
      return "timed_out";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& out, OutcomeStatus status) {
  return out << to_string(status);
}

const char* to_string(Notice notice) {
  switch (notice) {
    case Notice::kNone:
      return "none";
    case Notice::kCardUnreadable:
      return "card_unreadable";
    case Notice::kReaderUnavailable:
      return "reader_unavailable";
    case Notice::kIdentityRefused:
      return "identity_refused";
    case Notice::kIdentityUnavailable:
      return "identity_unavailable";
    case Notice::kPlatformUnreachable:
      return "platform_unreachable";
    case Notice::kPlatformError:
      return "platform_error";
    case Notice::kNotSentOffline:
      return "not_sent_offline";
    case Notice::kQueuedOffline:
      return "queued_offline";
    case Notice::kPendingBySms:
      return "pending_by_sms";
    case Notice::kClosed:
      return "closed";
    case Notice::kAppliedNoDocument:
      return "applied_no_document";
    case Notice::kCertificateNotVerified:
      return "certificate_not_verified";
    case Notice::kAlreadyPrinted:
      return "already_printed";
    case Notice::kPrinterUnreachable:
      return "printer_unreachable";
    case Notice::kPrinterNotReady:
      return "printer_not_ready";
    case Notice::kPrintFailed:
      return "print_failed";
    case Notice::kPrinterLost:
      return "printer_lost";
    case Notice::kPrintStopped:
      return "print_stopped";
    case Notice::kPrintHeld:
      return "print_held";
    case Notice::kPrintIncomplete:
      return "print_incomplete";
    case Notice::kReceiptNotPrinted:
      return "receipt_not_printed";
    case Notice::kCameraUnavailable:
      return "camera_unavailable";
    case Notice::kFaceCheckFailed:
      return "face_check_failed";
    case Notice::kFaceNotMatched:
      return "face_not_matched";
    case Notice::kCodeUnreadable:
      return "code_unreadable";
    case Notice::kDocumentNotPrinted:
      return "document_not_printed";
  }
  return "unknown";
}

TransactionEngine::TransactionEngine(Journal& journal, PrintLedger& ledger, BackendClient& backend,
                                     idcard::CardReader& reader, printer::Printer& printer,
                                     Options options)
    : journal_(journal),
      ledger_(ledger),
      backend_(backend),
      reader_(reader),
      printer_(printer),
      options_(std::move(options)) {}

std::stop_token TransactionEngine::session_token() const {
  std::lock_guard lock(session_mutex_);
  return session_.get_token();
}

Outcome TransactionEngine::fail(Step step, const Error& error) {
  const bool canceled = error.code == Completion::kCanceled;
  // Only the wait for a card times out as such; a step that timed out later has failed.
  const bool timed_out = error.code == Completion::kTimeout && step == Step::kReadCard;
  const TxState to = canceled    ? TxState::kCanceled
                     : timed_out ? TxState::kTimedOut
                                 : TxState::kFailed;
  if (auto s = state_.advance(to); !s && to != TxState::kFailed) {
    if (auto f = state_.advance(TxState::kFailed); !f)
      spdlog::error("transaction {}: sequence error: {}", outcome_.transaction_id,
                    f.error().message);
  }
  outcome_.status = canceled    ? OutcomeStatus::kCanceled
                    : timed_out ? OutcomeStatus::kTimedOut
                                : OutcomeStatus::kFailed;
  outcome_.failed_step = step;
  outcome_.reason = error.message;  // for the technician's log
  // Once the backend has the application, "try again" would make a second one.
  if (outcome_.notice == Notice::kNone && !outcome_.application_id.empty() && !canceled)
    outcome_.notice = Notice::kAppliedNoDocument;
  if (outcome_.notice == Notice::kNone && !canceled && !timed_out)
    outcome_.notice = plain_notice(step, error.code);
  spdlog::warn("transaction {} {} at {}: {}", outcome_.transaction_id, to_string(outcome_.status),
               to_string(step), error.message);
  return outcome_;
}

std::optional<Outcome> TransactionEngine::enter(TxState to, Step step) {
  if (auto s = state_.advance(to); !s) {
    spdlog::error("transaction {}: sequence error at {}: {}", outcome_.transaction_id,
                  to_string(step), s.error().message);
    return fail(step, {Completion::kUnsupported, "sequence error: " + s.error().message});
  }
  return std::nullopt;
}

Status TransactionEngine::begin_identification() {
  forget_citizen();
  outcome_ = Outcome{};
  outcome_.transaction_id = journal_.new_transaction_id();
  return state_.advance(TxState::kIdentifying);
}

Result<IdentityCheck> TransactionEngine::require_verified(Result<IdentityCheck> check,
                                                          const std::string& refusal) {
  if (check && !check->verified) {
    std::string why = refusal;
    for (const auto& r : check->reasons) why += "; " + r;
    return Error{Completion::kUserError, why};
  }
  return check;
}

Result<Citizen> TransactionEngine::conclude_identification(Result<IdentityCheck> verified,
                                                           const std::stop_token& stop,
                                                           const char* how) {
  // The citizen may have asked to leave as the backend answered: nobody is served.
  if (verified && stop.stop_requested())
    verified = Error{Completion::kCanceled, "the citizen left during the identity check"};
  if (!verified) {
    if (card_) card_->wipe();
    card_.reset();
    fail(Step::kIdentify, verified.error());
    return verified.error();
  }
  if (auto refused = enter(TxState::kIdentified, Step::kIdentify))
    return Error{Completion::kUnsupported, refused->reason};
  spdlog::info("transaction {}: citizen {} identified {}", outcome_.transaction_id,
               mask_id_number(card_->id_number), how);
  // A foreigner's 2017 card may carry the English name only.
  return Citizen{mask_name(card_->name.empty() ? card_->english_name : card_->name),
                 mask_id_number(card_->id_number), card_->type};
}

Result<Citizen> TransactionEngine::identify(const std::string& face_image) {
  if (auto s = begin_identification(); !s) return s.error();
  const std::stop_token stop = session_token();
  auto card = run_step(Step::kReadCard, "{}",
                       [&] { return reader_.wait_for_card(after(options_.card_timeout), stop); });
  if (!card) {
    fail(Step::kReadCard, card.error());
    return card.error();
  }
  card_ = std::move(card.value());
  const json who = {{"id_number", mask_id_number(card_->id_number)}};
  json detail = who;
  detail["face_image"] = !face_image.empty();
  const BackendClient backend = backend_.with_stop(stop);
  auto verified = run_step(Step::kIdentify, detail.dump(), [&]() -> Result<IdentityCheck> {
    if (!valid_id_number(*card_))
      return Error{Completion::kUserError, "the ID number fails its check digit"};
    if (expired(*card_, clock().today()))
      return Error{Completion::kUserError, "the ID card has expired"};
    Applicant who{
        card_->id_number, card_->name, card_->valid_to, card_->birth_date, {}, {}, {}, {}};
    auto check = backend.verify_identity(who, face_image);
    who.wipe();
    return require_verified(std::move(check), "the backend did not verify");
  });
  return conclude_identification(std::move(verified), stop, "by card");
}

TransactionEngine::Route TransactionEngine::route(const std::string& region_code) const {
  const std::stop_token stop = session_token();
  if (auto it = options_.partners.find(region_code); it != options_.partners.end())
    return {it->second.client->with_stop(stop),
            it->second.issuer_key,
            it->second.keyring_cache,
            {region_code}};
  return {backend_.with_stop(stop), options_.certificate_key, options_.keyring_cache, {}};
}

// The terminal's catalogue: its home backend's items and each partner region's, every one
// checked against its issuer's key, then narrowed to what this site offers.
Result<Catalogue> TransactionEngine::catalogue() {
  if (!options_.certificate_key) return Error{Completion::kUnsupported, "no issuer key configured"};
  // A catalogue past its expiry (a copy replayed, or cached too long offline) is not served.
  const int64_t now_ms = clock().unix_ms();
  auto expired = [now_ms](const Catalogue& c) {
    return c.expires_at_ms != 0 && now_ms > c.expires_at_ms;
  };
  auto home = backend_.with_stop(session_token())
                  .catalogue(*options_.certificate_key, options_.catalogue_cache);
  if (!home) return home.error();
  if (expired(home.value()))
    return Error{Completion::kInvalidData, "catalogue " + home->version + " has expired"};
  Catalogue merged = home.value();
  for (const auto& [region, partner] : options_.partners) {
    if (!partner.issuer_key) continue;
    auto theirs = partner.client->with_stop(session_token())
                      .catalogue(*partner.issuer_key, partner.catalogue_cache);
    if (!theirs || expired(theirs.value())) {
      spdlog::warn("catalogue of region {} unavailable: {}", region,
                   theirs ? "expired" : theirs.error().message);
      continue;
    }
    merged.offline = merged.offline || theirs->offline;
    merged.regions.insert(theirs->regions.begin(), theirs->regions.end());
    merged.categories.insert(theirs->categories.begin(), theirs->categories.end());
    for (auto& item : theirs->items)
      if (item.region_code == region && !merged.find(item.code)) merged.items.push_back(item);
  }
  return offered_at(merged, options_.site);
}

bool TransactionEngine::open_now(const ServiceItem& item) const {
  return item.open_at(clock().time_of_day());
}

std::vector<DeviceKind> TransactionEngine::device_problems(const ServiceItem& item) const {
  std::vector<DeviceKind> out;
  if (item.needs(to_string(DeviceKind::kCardReader)) && !reader_.status().usable())
    out.push_back(DeviceKind::kCardReader);
  if (item.needs(to_string(DeviceKind::kPrinter)) && !printer_.status().usable())
    out.push_back(DeviceKind::kPrinter);
  return out;
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

std::vector<Step> TransactionEngine::steps_for(const ServiceItem& item) {
  // Every item is checked, sent and decided, and its document (certificate or receipt) printed;
  // items that the card holder alone may apply for first check the face at the camera.
  std::vector<Step> steps;
  if (item.face_check) steps.push_back(Step::kFaceCheck);
  for (Step s : {Step::kForm, Step::kMaterials, Step::kApply, Step::kApprove, Step::kPrint})
    steps.push_back(s);
  return steps;
}

std::optional<Outcome> TransactionEngine::run(Step step, Application& app) {
  switch (step) {
    case Step::kFaceCheck:
      return face_step(app);
    case Step::kForm:
      return form_step(app);
    case Step::kMaterials:
      return materials_step(app);
    case Step::kApply:
      return apply_step(app);
    case Step::kApprove:
      return approve_step(app);
    case Step::kPrint:
      return print_step(app);
    default:
      return fail(step, {Completion::kUnsupported,
                         std::string("no step ") + to_string(step) + " in an application"});
  }
}

Outcome TransactionEngine::process(const ServiceItem& item, const ApplicationInput& input,
                                   const std::function<void(Step)>& on_step) {
  outcome_.item_code = item.code;
  outcome_.reasons.clear();
  outcome_.problems.clear();
  outcome_.notice = Notice::kNone;
  if (!card_) return fail(Step::kForm, {Completion::kUserError, "no citizen identified yet"});
  // Outside its hours nothing starts; the citizen stays identified and may choose another item.
  if (!open_now(item)) {
    outcome_.status = OutcomeStatus::kClosed;
    outcome_.reason = item.code + " is closed (" + item.hours + ")";
    outcome_.notice = Notice::kClosed;
    outcome_.hours = item.hours;
    return outcome_;
  }
  if (auto refused = enter(TxState::kFilling, Step::kForm)) return *refused;
  Application app{
      item,
      input,
      {card_->id_number, card_->name, card_->valid_to, card_->birth_date, {}, {}, {}, {}},
      route(item.region_code),
      // Journaled before the request, so a restart resends the same key.
      outcome_.transaction_id + "/apply",
      {},
      std::nullopt,
      on_step};
  struct WipeOnExit {
    Applicant& a;
    ~WipeOnExit() { a.wipe(); }
  } wipe_on_exit{app.applicant};
  for (Step step : steps_for(item)) {
    // The print step announces its own parts (fetch, verify, render, print).
    if (on_step && step != Step::kPrint) on_step(step);
    if (auto ended = run(step, app)) return *ended;
  }
  return outcome_;
}

// The citizen may correct what was found wrong and send again: back to identified.
Outcome TransactionEngine::incomplete(std::vector<Problem> problems) {
  if (auto refused = enter(TxState::kIdentified, Step::kForm)) return *refused;
  outcome_.status = OutcomeStatus::kIncomplete;
  outcome_.problems = std::move(problems);
  return outcome_;
}

// The form: prefills from the card, then what the citizen typed. Only field names are
// journaled, never their values.
std::vector<Problem> TransactionEngine::check_input(const ServiceItem& item,
                                                    const ApplicationInput& input) const {
  std::map<std::string, std::string> values;
  auto prefilled = form_for(item);  // the card's name, address, number: wiped below
  for (const auto& f : prefilled) values[f.field.name] = f.value;
  for (const auto& [name, value] : input.fields) values[name] = value;
  auto problems = check_form(item, values);
  for (auto& [name, value] : values) wipe(value);
  for (auto& f : prefilled) wipe(f.value);
  for (const auto& m : item.materials) {
    const auto scan = input.scans.find(m.name);
    if (m.source == "scan" && m.required && (scan == input.scans.end() || scan->second.empty()))
      problems.push_back({Problem::Kind::kScanMissing, m.name, m.label.empty() ? m.name : m.label});
  }
  return problems;
}

std::optional<Outcome> TransactionEngine::form_step(Application& app) {
  for (const auto& f : form_for(app.item)) app.applicant.form[f.field.name] = f.value;
  for (const auto& [name, value] : app.input.fields) app.applicant.form[name] = value;
  json field_names = json::array();
  for (const auto& f : app.item.form) field_names.push_back(f.name);
  auto form_ok =
      run_step(Step::kForm, json{{"fields", field_names}}.dump(), [&]() -> Result<size_t> {
        app.problems = check_form(app.item, app.applicant.form);
        if (!app.problems.empty())
          return Error{Completion::kUserError,
                       std::to_string(app.problems.size()) + " field(s) to correct"};
        return app.item.form.size();
      });
  if (!form_ok) return incomplete(std::move(app.problems));
  return enter(TxState::kGathering, Step::kMaterials);
}

// Materials: e-licences are looked up in the library (免证办); scans come from the caller. A
// scan stands in for an e-licence the library does not have.
std::optional<Outcome> TransactionEngine::materials_step(Application& app) {
  json material_names = json::array();
  for (const auto& m : app.item.materials) material_names.push_back(m.name);
  auto gathered = run_step(
      Step::kMaterials, json{{"materials", material_names}}.dump(), [&]() -> Result<size_t> {
        for (const auto& m : app.item.materials) {
          const std::string label = m.label.empty() ? m.name : m.label;
          if (auto scan = app.input.scans.find(m.name);
              scan != app.input.scans.end() && !scan->second.empty()) {
            app.applicant.scans[m.name] = scan->second;
            continue;
          }
          if (m.source == "elicense") {
            auto found = app.owner.backend.lookup_elicense(app.applicant.id_number, m.name);
            // Unreachable: an application that may wait goes on without the reference (the
            // platform finds the licence itself when it gets it); any other fails below.
            const bool down = !found && (found.code() == Completion::kDeviceNotReady ||
                                         found.code() == Completion::kTimeout);
            if (down && app.item.store_and_forward) continue;
            if (!found) return found.error();
            if (found.value()) {
              app.applicant.elicenses[m.name] = *found.value();
              continue;
            }
            if (m.required) app.problems.push_back({Problem::Kind::kNotInLibrary, m.name, label});
            continue;
          }
          if (m.required) app.problems.push_back({Problem::Kind::kScanMissing, m.name, label});
        }
        if (!app.problems.empty())
          return Error{Completion::kUserError,
                       std::to_string(app.problems.size()) + " material(s) missing"};
        return app.item.materials.size();
      });
  if (!gathered && gathered.code() == Completion::kUserError)
    return incomplete(std::move(app.problems));
  if (!gathered) return fail(Step::kMaterials, gathered.error());
  return enter(TxState::kApplying, Step::kApply);
}

std::optional<Outcome> TransactionEngine::apply_step(Application& app) {
  // An item owned by another region goes to that region's backend.
  outcome_.region_code = app.item.region_code;
  // Once on its way the application is not cut short (see the class comment): its answer says
  // whether it exists.
  const BackendClient uncancellable = app.owner.backend.with_stop(std::stop_token());
  auto decision = run_step(Step::kApply,
                           json{{"item_code", app.item.code},
                                {"idempotency_key", app.key},
                                {"region_code", app.item.region_code}}
                               .dump(),
                           [&] {
                             // The head includes this step's begin entry: the backend anchors it.
                             const auto [seq, hash] = journal_.head();
                             return uncancellable.submit(app.item.code, app.applicant, app.key,
                                                         std::to_string(seq) + ":" + hash);
                           });
  if (!decision) return not_sent(app, decision.error());
  outcome_.application_id = decision->application_id;
  return enter(TxState::kAwaitingDecision, Step::kApprove);
}

std::optional<Outcome> TransactionEngine::approve_step(Application& app) {
  auto approved = run_step(Step::kApprove, json{{"application_id", outcome_.application_id}}.dump(),
                           [&] { return await_decision(app.owner.backend); });
  if (!approved) return fail(Step::kApprove, approved.error());
  if (approved->status == "pending") {
    if (auto refused = enter(TxState::kPending, Step::kApprove)) return *refused;
    outcome_.status = OutcomeStatus::kPending;
    outcome_.notice = Notice::kPendingBySms;
    return outcome_;
  }
  if (approved->status == "rejected") {
    if (auto refused = enter(TxState::kRejected, Step::kApprove)) return *refused;
    outcome_.status = OutcomeStatus::kRejected;
    outcome_.reasons = approved->reasons;
    return outcome_;
  }
  if (approved->status != "approved" && approved->status != "submitted")
    return fail(Step::kApprove,
                {Completion::kInvalidData, "unexpected application status " + approved->status});
  app.decision = approved.value();
  return enter(approved->status == "submitted" ? TxState::kSubmitted : TxState::kApproved,
               Step::kApprove);
}

// Instant items print their certificate; manual ones print the receipt of their submission, and
// their result comes later by SMS or by mail.
std::optional<Outcome> TransactionEngine::print_step(Application& app) {
  Outcome printed = print_certificate(outcome_.application_id, app.on_step, app.item.region_code);
  if (app.decision && app.decision->status == "submitted") {
    // The application is in either way; a receipt that did not print must not send the citizen
    // off to apply a second time.
    outcome_.status = OutcomeStatus::kSubmitted;
    outcome_.delivery = app.decision->delivery;
    if (printed.status != OutcomeStatus::kPrinted) outcome_.notice = Notice::kReceiptNotPrinted;
    return outcome_;
  }
  return printed;
}

// The backend could not be reached (or kept failing): an item that allows it waits in the
// queue, sealed, under the idempotency key already journaled; anything else failed.
Outcome TransactionEngine::not_sent(const Application& app, const Error& error) {
  const bool unreachable =
      error.code == Completion::kDeviceNotReady || error.code == Completion::kTimeout;
  if (!unreachable || !app.item.store_and_forward || !options_.queue) {
    if (unreachable) outcome_.notice = Notice::kNotSentOffline;
    return fail(Step::kApply, error);
  }
  std::string body = app.owner.backend.application_body(app.item.code, app.applicant);
  auto queued =
      options_.queue->enqueue({app.key, outcome_.transaction_id, app.item.code,
                               app.item.region_code, QueueState::kQueued, "", "", "", 0, 0},
                              body);
  wipe(body);
  if (!queued) return fail(Step::kApply, queued.error());
  if (auto s = journal_.append(outcome_.transaction_id, "apply.queued",
                               json{{"idempotency_key", app.key}, {"error", error.message}}.dump());
      !s)
    spdlog::error("journal: {}", s.error().message);
  if (auto refused = enter(TxState::kQueued, Step::kApply)) return *refused;
  outcome_.status = OutcomeStatus::kQueued;
  outcome_.reason = error.message;
  outcome_.notice = Notice::kQueuedOffline;
  return outcome_;
}

Result<Decision> TransactionEngine::await_decision(const BackendClient& backend) {
  const auto deadline = Clock::now() + options_.decision_timeout;
  const std::stop_token stop = session_token();
  auto pause = std::chrono::milliseconds(50);
  for (;;) {
    auto d = backend.application(outcome_.application_id);
    if (!d || d->status != "pending" || Clock::now() + pause > deadline) return d;
    if (!sleep_until(after(pause), stop))
      return Error{Completion::kCanceled, "the citizen left while the decision was pending"};
    pause = std::min(pause * 2, std::chrono::milliseconds(1000));
  }
}

Result<DrainReport> TransactionEngine::drain_queue() const {
  // The sessions of citizens who left end now (they would expire on their own within minutes).
  std::vector<std::pair<std::string, std::string>> ended;
  {
    std::lock_guard lock(ended_sessions_mutex_);
    ended.swap(ended_sessions_);
  }
  for (const auto& [region, token] : ended) {
    const auto partner = options_.partners.find(region);
    const BackendClient& client =
        partner == options_.partners.end() ? backend_ : *partner->second.client;
    if (auto s = client.end_citizen_session(token); !s)
      spdlog::info("a citizen session could not be ended (it expires on its own): {}",
                   s.error().message);
  }
  if (!options_.queue) return DrainReport{};
  // Draining serves nobody in particular: no session stops it.
  return options_.queue->drain(
      [this](const std::string& region) -> const BackendClient& {
        if (auto it = options_.partners.find(region); it != options_.partners.end())
          return *it->second.client;
        return backend_;
      },
      [this] {
        const auto [seq, hash] = journal_.head();
        return std::to_string(seq) + ":" + hash;
      });
}

std::string TransactionEngine::session_key(const std::string& region_code) const {
  return options_.partners.count(region_code) ? region_code : std::string();
}

std::optional<Outcome> TransactionEngine::verify_presence(
    const std::string& region_code, const std::function<void(Step)>& on_step) {
  // What presence is checked for: no item, the platform always asked (it grants the session).
  static const ServiceItem kPresence = [] {
    ServiceItem presence;
    presence.code = "presence";
    presence.face_check = true;
    presence.face_policy = FacePolicy::kBoth;
    return presence;
  }();
  if (on_step) on_step(Step::kFaceCheck);
  ServiceItem item = kPresence;
  item.region_code = region_code;
  Application holder{
      item,
      {},
      {card_->id_number, card_->name, card_->valid_to, card_->birth_date, {}, {}, {}, {}},
      route(region_code),
      {},
      {},
      std::nullopt,
      on_step};
  auto refused = face_step(holder);
  holder.applicant.wipe();
  return refused;
}

Result<std::vector<ApplicationSummary>> TransactionEngine::my_applications(
    const std::function<void(Step)>& on_step) {
  if (!card_) return Error{Completion::kUserError, "no citizen identified yet"};
  if (!citizen_sessions_.count("")) {
    if (auto refused = verify_presence("", on_step))
      return Error{Completion::kUserError, "presence not verified: " + refused->reason};
    if (!citizen_sessions_.count(""))
      return Error{Completion::kUserError, "the platform granted no citizen session"};
  }
  auto home = backend_.with_stop(session_token())
                  .applications_of(card_->id_number, citizen_sessions_.at(""));
  if (!home) return home.error();
  std::vector<ApplicationSummary> all = std::move(home.value());
  for (const auto& [region, partner] : options_.partners) {
    const auto session = citizen_sessions_.find(region);
    if (session == citizen_sessions_.end()) {
      spdlog::info("applications at region {} not asked: no citizen session there", region);
      continue;
    }
    auto theirs = partner.client->with_stop(session_token())
                      .applications_of(card_->id_number, session->second);
    if (!theirs) {
      spdlog::warn("applications at region {} unavailable: {}", region, theirs.error().message);
      continue;
    }
    for (auto& a : theirs.value()) {
      a.region_code = region;
      all.push_back(std::move(a));
    }
  }
  std::stable_sort(all.begin(), all.end(),
                   [](const auto& a, const auto& b) { return a.submitted_ms > b.submitted_ms; });
  return all;
}

Result<ApplicationSummary> TransactionEngine::application_progress(
    const std::string& application_id) {
  // Typed by whoever stands at the screen, and bound for a URL's path: numbers only as issued.
  const bool well_formed = !application_id.empty() && application_id.size() <= 32 &&
                           std::all_of(application_id.begin(), application_id.end(), [](char c) {
                             return std::isalnum(static_cast<unsigned char>(c)) || c == '-';
                           });
  if (!well_formed) return Error{Completion::kInvalidData, "not an application number"};
  auto found = backend_.with_stop(session_token()).application_progress(application_id);
  for (const auto& [region, partner] : options_.partners) {
    if (found) break;
    auto theirs = partner.client->with_stop(session_token()).application_progress(application_id);
    if (theirs) {
      theirs->region_code = region;
      found = std::move(theirs);
    }
  }
  return found;
}

Outcome TransactionEngine::collect_certificate(const ApplicationSummary& application,
                                               const std::function<void(Step)>& on_step) {
  outcome_.item_code = application.item_code;
  outcome_.application_id = application.application_id;
  if (!card_)
    return fail(Step::kFetchCertificate, {Completion::kUserError, "no citizen identified yet"});
  if (outcome_.transaction_id.empty()) outcome_.transaction_id = journal_.new_transaction_id();
  // 人证核验: what only its holder may have is collected only by its holder, face to the camera
  // (an item the catalogue no longer has counts as one of those).
  auto offered = catalogue();
  static const ServiceItem kUnknownItem{};
  const ServiceItem* item = offered ? offered->find(application.item_code) : nullptr;
  const std::string key = session_key(application.region_code);
  // Without the platform's session for this citizen nothing of theirs is served; an item with a
  // face check is checked again whatever the session.
  if (!item || item->face_check || !citizen_sessions_.count(key)) {
    if (on_step) on_step(Step::kFaceCheck);
    Application holder{
        item ? *item : kUnknownItem,
        {},
        {card_->id_number, card_->name, card_->valid_to, card_->birth_date, {}, {}, {}, {}},
        route(application.region_code),
        {},
        {},
        std::nullopt,
        on_step};
    const auto refused = face_step(holder);
    holder.applicant.wipe();
    if (refused) return *refused;
  }
  const Route owner = route(application.region_code);
  auto collected = run_step(
      Step::kFetchCertificate,
      json{{"application_id", application.application_id}, {"collect", true}}.dump(), [&] {
        const auto session = citizen_sessions_.find(key);
        if (session == citizen_sessions_.end())
          return Status(Error{Completion::kUserError, "no citizen session to collect within"});
        return owner.backend.collect_certificate(application.application_id, card_->id_number,
                                                 session->second);
      });
  if (!collected) return fail(Step::kFetchCertificate, collected.error());
  return print_certificate(application.application_id, on_step, application.region_code);
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
  outcome_.notice = Notice::kNone;
  outcome_.failed_step.reset();

  if (auto refused = enter(TxState::kFetching, Step::kFetchCertificate)) return *refused;
  begin(Step::kFetchCertificate);
  auto fetched = run_step(Step::kFetchCertificate, json{{"application_id", application_id}}.dump(),
                          [&] { return owner.backend.certificate_json(application_id); });
  if (!fetched) return fail(Step::kFetchCertificate, fetched.error());

  // Nothing is printed that its region's issuing key did not sign, by the keyring its backend
  // vouches for; the code on the paper must match the content.
  if (auto refused = enter(TxState::kVerifying, Step::kVerify)) return *refused;
  begin(Step::kVerify);
  auto certificate = run_step(
      Step::kVerify, json{{"application_id", application_id}}.dump(),
      [&]() -> Result<certs::Certificate> {
        if (!owner.issuer_key || owner.issuer_key->empty())
          return Error{Completion::kUnsupported, "no certificate issuer key is configured"};
        auto ring = owner.backend.keyring(*owner.issuer_key, owner.keyring_cache, owner.regions);
        if (!ring) return Error{ring.code(), "keyring: " + ring.error().message};
        certs::Certificate checked;
        const auto verdict =
            certs::verify_certificate_json(fetched.value(), ring.value(), &checked);
        if (!verdict.genuine)
          return Error{Completion::kInvalidData, verdict.reason + ": " + verdict.message};
        return checked;
      });
  if (!certificate) {
    wipe(fetched.value());
    outcome_.notice = Notice::kCertificateNotVerified;
    return fail(Step::kVerify, certificate.error());
  }
  outcome_.certificate_serial = certificate->serial;
  outcome_.item_code = certificate->item_code;

  if (auto refused = enter(TxState::kRendering, Step::kRender)) return *refused;
  begin(Step::kRender);
  std::error_code ec;
  std::filesystem::create_directories(options_.work_dir, ec);
  outcome_.document = options_.work_dir / (outcome_.transaction_id + ".pdf");
  // The PDF carries the signed certificate, so whoever holds the file can verify its content.
  auto rendered = run_step(Step::kRender, json{{"serial", certificate->serial}}.dump(), [&] {
    return certs::render_pdf(certificate.value(), outcome_.document, fetched.value());
  });
  certificate->wipe();
  wipe(fetched.value());
  if (!rendered) return fail(Step::kRender, rendered.error());

  if (auto refused = enter(TxState::kPrinting, Step::kPrint)) return *refused;
  begin(Step::kPrint);
  auto job = run_step(
      Step::kPrint,
      json{{"serial", outcome_.certificate_serial}, {"printer", printer_.address()}}.dump(),
      [&] { return print_once(outcome_.certificate_serial); });
  if (!job) return fail(Step::kPrint, job.error());
  outcome_.job_state = job->state;
  // The backend learns the certificate is out; a lost confirmation is retried by recovery. It is
  // sent whether or not the citizen is still there.
  if (auto s = owner.backend.with_stop(std::stop_token())
                   .confirm_print(application_id, job->job_id, printer::to_string(job->state));
      !s)
    spdlog::warn("print confirmation for {} not delivered: {}", application_id, s.error().message);
  if (auto refused = enter(TxState::kDone, Step::kPrint)) return *refused;
  outcome_.status = OutcomeStatus::kPrinted;
  if (auto s = journal_.append(outcome_.transaction_id, "done",
                               json{{"status", "printed"}, {"job_id", job->job_id}}.dump());
      !s)
    spdlog::error("journal: {}", s.error().message);
  return outcome_;
}

// One attempt at printing `serial`, exactly once: the ledger is claimed before anything reaches
// the printer and says afterwards whether paper came out, did not, or nobody can tell.
Result<printer::JobStatus> TransactionEngine::print_once(const std::string& serial) {
  auto not_printed = [&](Notice notice, Error error) -> Result<printer::JobStatus> {
    outcome_.notice = notice;
    if (auto s = ledger_.finish(serial, PrintState::kNotPrinted, error.message); !s)
      spdlog::error("print ledger: {}", s.error().message);
    return error;
  };
  const std::stop_token stop = session_token();
  settle_in_flight(serial);
  if (auto s = ledger_.claim(serial, outcome_.transaction_id, printer_.address()); !s) {
    outcome_.notice = Notice::kAlreadyPrinted;
    return s.error();
  }
  auto st = printer_.query();
  if (!st) return not_printed(Notice::kPrinterUnreachable, st.error());
  if (!st->can_print()) {
    if (const auto* r = printer::blocking_reason(st->reasons)) outcome_.printer_reason = r->keyword;
    return not_printed(
        Notice::kPrinterNotReady,
        {Completion::kDeviceNotReady, "printer not ready: " + st->technician_message()});
  }
  auto lost = [&](const Error& error) -> Result<printer::JobStatus> {
    // Contact was lost once the job was on its way: the page may or may not have come out.
    outcome_.notice = Notice::kPrinterLost;
    if (auto s = ledger_.finish(serial, PrintState::kUnknown, error.message); !s)
      spdlog::error("print ledger: {}", s.error().message);
    return error;
  };
  // A citizen who left before the job went out gets nothing printed for nobody to collect.
  if (stop.stop_requested())
    return not_printed(Notice::kNone, {Completion::kCanceled, "the citizen left before printing"});
  // Durable before the job goes out: a crash from here on may have printed.
  if (auto s = ledger_.mark_sending(serial); !s)
    return not_printed(Notice::kPrintFailed, s.error());
  auto id = printer_.submit(outcome_.document, serial, options_.print_options, &st.value());
  if (!id && id.code() == Completion::kTimeout) return lost(id.error());
  if (!id) return not_printed(Notice::kPrintFailed, id.error());
  outcome_.job_id = id.value();
  // The job is at the printer whatever the ledger says now: a ledger that cannot be written is
  // logged, and the job is still followed to its end.
  if (auto s = ledger_.record_job(serial, id.value()); !s)
    spdlog::error("print ledger: {}", s.error().message);
  auto job = printer_.wait_for_job(id.value(), after(options_.print_timeout),
                                   options_.print_fault_policy, stop);
  if (!job && job.code() == Completion::kCanceled) {
    // The citizen left while it printed: nobody is to find their certificate in the tray. The
    // job is cancelled; it stays open in the ledger until the printer says how it ended.
    if (auto s = printer_.cancel_job(id.value()); !s)
      spdlog::warn("cancelling job {} of a citizen who left: {}", id.value(), s.error().message);
    return job.error();
  }
  if (!job) return lost(job.error());
  outcome_.job_state = job->state;
  if (job->state == printer::JobState::kCompleted) {
    if (auto s = ledger_.finish(serial, PrintState::kCompleted, ""); !s)
      spdlog::error("print ledger: {}", s.error().message);
    purge_finished_job(job->job_id);
    return job;
  }
  std::string why =
      "print job " + std::to_string(job->job_id) + " " + printer::to_string(job->state);
  Notice notice = Notice::kPrintIncomplete;
  for (const auto& r : job->printer_reasons) {
    why += "; " + r.keyword + ": " + r.technician_en;
    if (r.stops_printing && outcome_.printer_reason.empty()) {
      outcome_.printer_reason = r.keyword;
      notice = Notice::kPrintStopped;
    }
  }
  if (job->final()) {
    auto refused = not_printed(notice, {Completion::kHardwareError, why});
    purge_finished_job(job->job_id);
    return refused;
  }
  // Cancel requested but not yet confirmed, or held: the job stays "submitted" in the ledger
  // and is settled with the printer before this certificate is claimed again.
  if (options_.print_fault_policy == printer::FaultPolicy::kHold) notice = Notice::kPrintHeld;
  outcome_.notice = notice;
  return Error{Completion::kHardwareError, why};
}

// A job of an earlier attempt that was cancelled or held is asked for its final state (waiting
// briefly: a technician may have just cleared the fault), so the ledger knows whether it printed.
void TransactionEngine::settle_in_flight(const std::string& serial) {
  auto entry = ledger_.find(serial);
  if (!entry || !entry.value() || entry.value()->state != PrintState::kSubmitted ||
      entry.value()->job_id == 0)
    return;
  auto job = printer_.wait_for_job(entry.value()->job_id, after(std::chrono::seconds(5)),
                                   printer::FaultPolicy::kWait, session_token());
  if (!job || !job->final()) return;
  if (auto s = ledger_.finish(serial,
                              job->state == printer::JobState::kCompleted ? PrintState::kCompleted
                                                                          : PrintState::kNotPrinted,
                              "settled before a new attempt");
      !s)
    spdlog::error("print ledger: {}", s.error().message);
  purge_finished_job(job->job_id);
}

// The printer may keep a finished job's document (a CUPS queue does, for a day) and it holds the
// citizen's certificate: once the ledger has the outcome, the printer is told to forget the job.
void TransactionEngine::purge_finished_job(int job_id) {
  if (auto s = printer_.purge_job(job_id); !s)
    spdlog::debug("printer keeps no job {} to purge: {}", job_id, s.error().message);
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
      report.notes.push_back(entry.serial + ": printer unreachable, left as " +
                             to_string(entry.state));
      continue;
    }
    const printer::JobStatus* job = nullptr;
    for (const auto& j : jobs.value())
      if (entry.job_id == 0 || j.job_id == entry.job_id) job = &j;  // the latest match
    std::optional<PrintState> settled;  // none: still printing, settled by a later start
    if (!job) {
      // Claimed but never sent: nothing printed. Sent, but the printer has no record: unknown.
      settled =
          entry.state == PrintState::kClaimed ? PrintState::kNotPrinted : PrintState::kUnknown;
    } else {
      if (entry.state == PrintState::kClaimed || entry.state == PrintState::kSending) {
        if (auto s = ledger_.record_job(entry.serial, job->job_id); !s)
          spdlog::error("print ledger: {}", s.error().message);
      }
      if (job->state == printer::JobState::kCompleted)
        settled = PrintState::kCompleted;
      else if (job->final())
        settled = PrintState::kNotPrinted;
    }
    if (settled) {
      if (auto s = ledger_.finish(entry.serial, *settled, "settled by start-up recovery"); !s)
        return s.error();
      if (job) purge_finished_job(job->job_id);
    }
    report.notes.push_back(entry.serial + ": " +
                           (settled ? to_string(*settled) : "still printing"));
    if (settled == PrintState::kCompleted) ++report.prints_completed;
    if (settled == PrintState::kNotPrinted) ++report.prints_not_printed;
    if (!settled || settled == PrintState::kUnknown) ++report.prints_unknown;
  }
  auto interrupted = journal_.interrupted_steps();
  if (!interrupted) return interrupted.error();
  for (const auto& e : interrupted.value()) {
    json detail = parse_json(e.detail);
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

void TransactionEngine::cancel() {
  std::lock_guard lock(session_mutex_);
  session_.request_stop();
}

void TransactionEngine::end_session() {
  {
    // Ended by drain_queue() on the idle worker: the citizen's leaving never waits on the network.
    std::lock_guard lock(ended_sessions_mutex_);
    for (auto& [region, token] : citizen_sessions_) ended_sessions_.emplace_back(region, token);
  }
  citizen_sessions_.clear();
  forget_citizen();
  std::lock_guard lock(session_mutex_);
  session_ = std::stop_source();
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

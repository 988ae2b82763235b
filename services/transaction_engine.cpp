#include "services/transaction_engine.h"

#include <spdlog/spdlog.h>

#include <ctime>
#include <nlohmann/json.hpp>

#include "drivers/common/privacy.h"

namespace smzc::services {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

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
    case Step::kApply:
      return "apply";
    case Step::kApprove:
      return "approve";
    case Step::kFetchCertificate:
      return "fetch_certificate";
    case Step::kRender:
      return "render";
    case Step::kPrint:
      return "print";
  }
  return "unknown";
}

TransactionEngine::TransactionEngine(Journal& journal, BackendClient& backend,
                                     idcard::Reader& reader, printer::IppPrinter& printer,
                                     Options options)
    : journal_(journal),
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
  if (auto s = journal_.append(outcome_.transaction_id, name + (result ? ".done" : ".failed"),
                               end.dump());
      !s)
    return s.error();
  return result;
}

Outcome TransactionEngine::fail(Step step, const Error& error) {
  outcome_.status = error.code == Completion::kCanceled ? "canceled" : "failed";
  outcome_.failed_step = step;
  outcome_.reason = error.message;
  spdlog::warn("transaction {} failed at {}: {}", outcome_.transaction_id, to_string(step),
               error.message);
  return outcome_;
}

Result<Citizen> TransactionEngine::identify() {
  end_session();
  outcome_ = Outcome{};
  outcome_.transaction_id = journal_.new_transaction_id();
  auto card = run_step(Step::kReadCard, "{}",
                       [this] { return reader_.wait_and_read(options_.card_timeout); });
  if (!card) {
    fail(Step::kReadCard, card.error());
    return card.error();
  }
  card_ = std::move(card.value());
  const json who = {{"id_number", mask_id_number(card_->id_number)}};
  auto verified = run_step(Step::kIdentify, who.dump(), [this]() -> Result<bool> {
    if (!idcard::valid_id_number(*card_))
      return Error{Completion::kUserError, "the ID number fails its check digit"};
    if (idcard::expired(*card_, options_.today))
      return Error{Completion::kUserError, "the ID card has expired"};
    auto ok = backend_.verify_identity({card_->id_number, card_->name, card_->valid_to});
    if (ok && !ok.value()) return Error{Completion::kUserError, "the backend did not verify"};
    return ok;
  });
  if (!verified) {
    fail(Step::kIdentify, verified.error());
    return verified.error();
  }
  spdlog::info("transaction {}: citizen {} identified", outcome_.transaction_id,
               mask_id_number(card_->id_number));
  return Citizen{mask_name(card_->name), mask_id_number(card_->id_number)};
}

Result<Catalogue> TransactionEngine::catalogue() {
  return backend_.catalogue();
}

Outcome TransactionEngine::process(const ServiceItem& item,
                                   const std::function<void(Step)>& on_step) {
  outcome_.item_code = item.code;
  if (!card_) return fail(Step::kApply, {Completion::kUserError, "no citizen identified yet"});
  auto begin = [&](Step step) {
    if (on_step) on_step(step);
  };
  const Applicant applicant{card_->id_number, card_->name, card_->valid_to};
  // The idempotency key is journaled before the request, so a restart resends the same key.
  const std::string key = outcome_.transaction_id + "/apply";

  begin(Step::kApply);
  auto decision =
      run_step(Step::kApply, json{{"item_code", item.code}, {"idempotency_key", key}}.dump(),
               [&] { return backend_.submit(item.code, applicant, key); });
  if (!decision) return fail(Step::kApply, decision.error());
  outcome_.application_id = decision->application_id;

  begin(Step::kApprove);
  auto approved = run_step(Step::kApprove, json{{"application_id", outcome_.application_id}}.dump(),
                           [&] { return backend_.application(outcome_.application_id); });
  if (!approved) return fail(Step::kApprove, approved.error());
  if (approved->status == "rejected") {
    outcome_.status = "rejected";
    outcome_.reasons = approved->reasons;
    return outcome_;
  }
  if (approved->status != "approved")
    return fail(Step::kApprove,
                {Completion::kUnsupported,
                 "application is " + approved->status + "; manual items come in a later release"});

  begin(Step::kFetchCertificate);
  auto certificate =
      run_step(Step::kFetchCertificate, json{{"application_id", outcome_.application_id}}.dump(),
               [&] { return backend_.certificate(outcome_.application_id); });
  if (!certificate) return fail(Step::kFetchCertificate, certificate.error());
  outcome_.certificate_serial = certificate->serial;

  begin(Step::kRender);
  std::error_code ec;
  std::filesystem::create_directories(options_.work_dir, ec);
  outcome_.document = options_.work_dir / (outcome_.transaction_id + ".pdf");
  auto rendered = run_step(Step::kRender, json{{"serial", certificate->serial}}.dump(), [&] {
    return certs::render_pdf(certificate.value(), outcome_.document);
  });
  certificate->wipe();
  if (!rendered) return fail(Step::kRender, rendered.error());

  begin(Step::kPrint);
  auto job =
      run_step(Step::kPrint,
               json{{"serial", outcome_.certificate_serial}, {"printer", printer_.uri()}}.dump(),
               [&]() -> Result<printer::JobStatus> {
                 auto id = printer_.submit(outcome_.document, outcome_.certificate_serial);
                 if (!id) return id.error();
                 outcome_.job_id = id.value();
                 return printer_.wait_for_job(id.value(), options_.print_timeout);
               });
  if (!job) return fail(Step::kPrint, job.error());
  outcome_.job_state = job->state;
  if (job->state != "completed") {
    std::string why = "print job " + job->state;
    for (const auto& r : job->reasons) why += " " + r;
    return fail(Step::kPrint, {Completion::kHardwareError, why});
  }
  // The backend learns the certificate is out; a lost confirmation is retried by recovery.
  if (auto s = backend_.confirm_print(outcome_.application_id, job->job_id, job->state); !s)
    spdlog::warn("print confirmation for {} not delivered: {}", outcome_.application_id,
                 s.error().message);
  outcome_.status = "printed";
  if (auto s = journal_.append(outcome_.transaction_id, "done",
                               json{{"status", "printed"}, {"job_id", job->job_id}}.dump());
      !s)
    spdlog::error("journal: {}", s.error().message);
  return outcome_;
}

void TransactionEngine::cancel() {
  reader_.cancel();
}

void TransactionEngine::end_session() {
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

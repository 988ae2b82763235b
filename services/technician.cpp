#include "services/technician.h"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "base/json.h"
#include "certs/pin_hash.h"

namespace smzc::services {
namespace {

using nlohmann::json;

}  // namespace

int TechnicianGate::locked_for() const {
  const auto left = locked_until_ - clock_.now();
  if (left <= std::chrono::seconds(0)) return 0;
  return static_cast<int>(std::chrono::ceil<std::chrono::seconds>(left).count());
}

Result<std::string> TechnicianGate::enter(std::string_view pin) {
  if (technicians_.empty())
    return Error{Completion::kUnsupported, "no technician is configured on this terminal"};
  if (const int left = locked_for(); left > 0)
    return Error{Completion::kDeviceNotReady, "locked after " + std::to_string(kMaxFailures) +
                                                  " wrong PINs; try again in " +
                                                  std::to_string(left) + " s"};
  if (locked_until_ != std::chrono::system_clock::time_point{}) {
    locked_until_ = {};  // the lockout is over: a fresh count
    failures_ = 0;
  }
  visit_ = journal_.new_transaction_id();
  for (const auto& t : technicians_) {
    if (!certs::pin_matches(pin, t.pin)) continue;
    failures_ = 0;
    who_ = t.name;
    if (auto s = journal_.append(visit_, "technician.enter", json{{"technician", who_}}.dump()); !s)
      return s.error();  // no entry without its record
    spdlog::info("technician {} entered technician mode", who_);
    return who_;
  }
  ++failures_;
  const bool locking = failures_ >= kMaxFailures;
  if (locking) locked_until_ = clock_.now() + kLockout;
  (void)journal_.append(visit_, locking ? "technician.locked" : "technician.denied",
                        json{{"failures", failures_}}.dump());
  spdlog::warn("technician mode: wrong PIN ({} in a row){}", failures_,
               locking ? "; locked for " + std::to_string(kLockout.count()) + " s" : "");
  if (locking)
    return Error{Completion::kDeviceNotReady, "locked after " + std::to_string(kMaxFailures) +
                                                  " wrong PINs; try again in " +
                                                  std::to_string(kLockout.count()) + " s"};
  return Error{Completion::kUserError,
               "wrong PIN; " + std::to_string(kMaxFailures - failures_) + " attempts left"};
}

Status TechnicianGate::record(const std::string& action, const std::string& detail_json) {
  if (who_.empty()) return Error{Completion::kUserError, "no technician is in"};
  json detail = parse_json(detail_json);
  if (!detail.is_object()) detail = json::object();
  detail["technician"] = who_;
  return journal_.append(visit_, "technician." + action, detail.dump());
}

Status TechnicianGate::leave() {
  if (who_.empty()) return ok_status();
  auto s = journal_.append(visit_, "technician.exit", json{{"technician", who_}}.dump());
  spdlog::info("technician {} left technician mode", who_);
  who_.clear();
  return s;
}

namespace {

// The application a transaction applied for, as its journal says (the fetch and verify steps
// name it), with its region when a partner's backend made it.
std::optional<std::pair<std::string, std::string>> application_of(Journal& journal,
                                                                  const std::string& txn) {
  auto entries = journal.entries(txn);
  if (!entries) return std::nullopt;
  for (const auto& e : entries.value()) {
    const json detail = parse_json(e.detail);
    if (detail.is_object() && detail.contains("application_id") &&
        detail["application_id"].is_string() &&
        !detail["application_id"].get<std::string>().empty())
      return std::pair{detail["application_id"].get<std::string>(),
                       detail.value("region_code", std::string())};
  }
  return std::nullopt;
}

}  // namespace

Result<Outcome> authorised_reprint(Terminal& t, const std::string& serial,
                                   const std::string& technician, const std::string& reason) {
  if (technician.empty() || reason.empty())
    return Error{Completion::kUserError, "a reprint needs the technician's name and a reason"};
  auto entry = t.ledger().find(serial);
  if (!entry) return entry.error();
  if (!entry.value())
    return Error{Completion::kInvalidData, "no certificate " + serial + " in the print ledger"};
  const auto application = application_of(t.journal(), entry.value()->transaction_id);
  if (!application)
    return Error{Completion::kInvalidData,
                 "the journal does not say which application "
                 "transaction " +
                     entry.value()->transaction_id + " made"};
  // The authority first, on disk in the ledger and the journal, then the print.
  const json authority = {{"serial", serial},
                          {"technician", technician},
                          {"reason", reason},
                          {"was", to_string(entry.value()->state)}};
  if (auto s = t.ledger().authorise_reprint(serial, technician, reason); !s) return s.error();
  if (auto s =
          t.journal().append(entry.value()->transaction_id, "reprint.authorised", authority.dump());
      !s)
    spdlog::error("journal: {}", s.error().message);
  return t.engine().print_certificate(application->first, {}, application->second);
}

}  // namespace smzc::services

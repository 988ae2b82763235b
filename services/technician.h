// Technicians at the terminal: who may enter technician mode (a PIN each, kept only as a slow
// salted hash), the lockout after repeated wrong PINs, and the journal entries that say who did
// what and when. Also the authorised reprint that technician mode and `kioskctl reprint` share.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "certs/pin_hash.h"
#include "services/config.h"
#include "services/journal.h"
#include "services/terminal.h"

namespace smzc::services {

/// The door to technician mode. Every attempt is journaled (technician.enter with the name,
/// technician.denied, technician.locked), and so is every action inside (record()). After
/// kMaxFailures wrong PINs in a row the door stays shut for kLockout, whatever PIN comes; the
/// count starts again after the lockout or a right PIN. Not thread-safe: the UI's worker owns it
/// (the journal is the engine's, used between citizens only).
class TechnicianGate {
 public:
  static constexpr int kMaxFailures = 5;
  static constexpr std::chrono::seconds kLockout{300};

  TechnicianGate(std::vector<Config::Technician> technicians, Journal& journal, const Clock& clock)
      : technicians_(std::move(technicians)), journal_(journal), clock_(clock) {}

  /// Whether any technician is configured (no one: the door does not open at all).
  bool configured() const { return !technicians_.empty(); }
  /// The technician whose PIN this is. Errors: kUserError for a wrong PIN (with the attempts
  /// left), kDeviceNotReady while locked out (with the seconds left).
  Result<std::string> enter(std::string_view pin);
  /// Seconds until the lockout ends; 0 when the door is not locked.
  int locked_for() const;
  /// Journals what the technician in now did: technician.ACTION with who and `detail` (JSON
  /// object text, no personal data).
  Status record(const std::string& action, const std::string& detail_json);
  /// The technician leaves (journaled technician.exit).
  Status leave();
  /// Who is in, or empty.
  const std::string& who() const { return who_; }

 private:
  std::vector<Config::Technician> technicians_;
  Journal& journal_;
  const Clock& clock_;
  std::string who_;
  std::string visit_;  // the journal transaction of this visit
  int failures_ = 0;
  std::chrono::system_clock::time_point locked_until_{};
};

/// Prints once more a certificate whose print is unknown (or that printed and was lost), on a
/// named technician's authority: the ledger's authorisation and a journal entry
/// reprint.authorised (who, why, the state it had) go to disk first, then the certificate is
/// fetched from the backend again, verified and printed. An empty name or reason does nothing.
Result<Outcome> authorised_reprint(Terminal& terminal, const std::string& serial,
                                   const std::string& technician, const std::string& reason);

}  // namespace smzc::services

// Citizen sessions: what a platform grants a terminal once it has verified the person at it (the
// face compared with the register photo), and what a citizen's records are served within. An ID
// number alone opens nothing: a session is short-lived, bound to the terminal certificate it was
// granted to and to the person verified, and ended when the citizen leaves. Only the applicant
// index (an HMAC of the ID number) and the requester are kept, in memory.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "base/clock.h"
#include "base/status.h"

namespace smzc::backend {

class CitizenSessions {
 public:
  struct Options {
    std::chrono::seconds lifetime{600};  ///< from the grant; the kiosk's idle reset is shorter
    size_t max = 10000;                  ///< at once; past it the soonest to end go first
  };
  CitizenSessions(const Clock& clock, Options options) : clock_(clock), options_(options) {}

  /// A new session of the person whose applicant index is `applicant` at `requester` (the
  /// terminal's certificate); the token to send back as X-Citizen-Session.
  Result<std::string> grant(const std::string& applicant, const std::string& requester);

  enum class Check {
    kValid,
    kMissing,      ///< no token, an unknown one, or one that ended or expired
    kOtherPlace,   ///< granted to another terminal
    kOtherPerson,  ///< granted for someone else
  };
  /// Whether `token` is a live session of `applicant` at `requester`.
  Check check(const std::string& token, const std::string& requester,
              const std::string& applicant) const;
  /// Ends the session (the citizen left); only its own terminal can. False when there was none.
  bool end(const std::string& token, const std::string& requester);
  /// Sessions alive now.
  size_t size() const;
  int64_t lifetime_s() const { return options_.lifetime.count(); }

 private:
  struct Session {
    std::string applicant;
    std::string requester;
    int64_t expires_ms = 0;
  };
  const Clock& clock_;
  Options options_;
  mutable std::mutex mutex_;
  std::map<std::string, Session> sessions_;  // token → session
};

}  // namespace smzc::backend

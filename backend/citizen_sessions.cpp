#include "backend/citizen_sessions.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>

#include "certs/signing.h"

namespace smzc::backend {

Result<std::string> CitizenSessions::grant(const std::string& applicant,
                                           const std::string& requester) {
  unsigned char random[16];
  if (RAND_bytes(random, sizeof random) != 1)
    return Error{Completion::kHardwareError, "no random bytes for a session"};
  const std::string token =
      "cs1." + certs::to_hex({reinterpret_cast<const char*>(random), sizeof random});
  const int64_t now = clock_.unix_ms();
  std::lock_guard lock(mutex_);
  std::erase_if(sessions_, [now](const auto& s) { return s.second.expires_ms <= now; });
  while (sessions_.size() >= options_.max)
    sessions_.erase(std::min_element(sessions_.begin(), sessions_.end(), [](auto& a, auto& b) {
      return a.second.expires_ms < b.second.expires_ms;
    }));
  sessions_[token] = {applicant, requester, now + options_.lifetime.count() * 1000};
  return token;
}

CitizenSessions::Check CitizenSessions::check(const std::string& token,
                                              const std::string& requester,
                                              const std::string& applicant) const {
  if (token.empty()) return Check::kMissing;
  std::lock_guard lock(mutex_);
  const auto it = sessions_.find(token);
  if (it == sessions_.end() || it->second.expires_ms <= clock_.unix_ms()) return Check::kMissing;
  if (it->second.requester != requester) return Check::kOtherPlace;
  // Compared in constant time: the index is a secret's HMAC, and so is what it is compared with.
  if (it->second.applicant.size() != applicant.size() ||
      CRYPTO_memcmp(it->second.applicant.data(), applicant.data(), applicant.size()) != 0)
    return Check::kOtherPerson;
  return Check::kValid;
}

bool CitizenSessions::end(const std::string& token, const std::string& requester) {
  std::lock_guard lock(mutex_);
  const auto it = sessions_.find(token);
  if (it == sessions_.end() || it->second.requester != requester) return false;
  sessions_.erase(it);
  return true;
}

size_t CitizenSessions::size() const {
  const int64_t now = clock_.unix_ms();
  std::lock_guard lock(mutex_);
  return size_t(std::count_if(sessions_.begin(), sessions_.end(),
                              [now](const auto& s) { return s.second.expires_ms > now; }));
}

}  // namespace smzc::backend

// Technicians' PINs as a configuration keeps them: a slow salted hash (PBKDF2-HMAC-SHA256),
// never the PIN itself.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace smzc::certs {

/// A PIN as the configuration keeps it: "pbkdf2-sha256$ITERATIONS$SALT$HASH" (hex), never the
/// PIN itself. `kioskctl technician hash-pin` makes one.
Result<std::string> hash_pin(std::string_view pin, int iterations = 200000);
/// Whether `pin` is the one `stored` was made from (in constant time); false for a malformed
/// `stored`.
bool pin_matches(std::string_view pin, std::string_view stored);
/// Whether `stored` is a well-formed PIN hash (the configuration checks it when loaded).
bool pin_hash_well_formed(std::string_view stored);

}  // namespace smzc::certs

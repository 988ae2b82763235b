// Personal data at rest: sealed with AES-256-GCM under a terminal's (or backend's) data key, so a
// copied disk or database file holds no readable names, ID numbers or addresses. (OpenSSL 3.0,
// which Debian 12 ships, has no SM4-GCM; the format carries its algorithm so that it can move.)
#pragma once

#include <array>
#include <filesystem>
#include <string>
#include <string_view>

#include "base/status.h"

namespace smzc::certs {

/// A 256-bit data key. Copyable; the bytes are wiped when it goes.
class DataKey {
 public:
  /// Reads the key file (32 raw bytes), or makes one with fresh random bytes, readable by its
  /// owner only, when there is none. A file of another size is refused, never overwritten.
  static Result<DataKey> load_or_create(const std::filesystem::path& path);
  /// Reads the key file; a missing or unreadable one is an error (tools that must not make a
  /// new key, which could never open what the old one sealed).
  static Result<DataKey> load(const std::filesystem::path& path);
  static Result<DataKey> random();

  DataKey() = default;  ///< no key: seal() and open() refuse
  DataKey(const DataKey&) = default;
  DataKey& operator=(const DataKey&) = default;
  ~DataKey();

  bool empty() const { return !present_; }

  /// "aes256gcm:" + base64(12-byte nonce ‖ ciphertext ‖ 16-byte tag). `context` (say, a table
  /// and row key) is authenticated too, so a sealed value moved to another row does not open.
  Result<std::string> seal(std::string_view plaintext, std::string_view context) const;
  /// A 32-byte key for another purpose (e.g. "smzc journal chain v1"), derived with HMAC-SM3,
  /// so one key file serves several uses and none reveals another. Empty when there is no key.
  std::string derive(std::string_view purpose) const;
  /// The plaintext; a wrong key, context or any changed byte is invalidData.
  Result<std::string> open(std::string_view sealed, std::string_view context) const;

 private:
  std::array<unsigned char, 32> bytes_{};
  bool present_ = false;
};

}  // namespace smzc::certs

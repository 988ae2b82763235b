#include "certs/pin_hash.h"

#include "certs/signing.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <optional>
#include <vector>

namespace smzc::certs {
namespace {

constexpr std::string_view kScheme = "pbkdf2-sha256";
constexpr size_t kSaltBytes = 16, kHashBytes = 32;
// Above this a configuration could make every PIN check take minutes.
constexpr int kMaxIterations = 10'000'000;

std::optional<std::vector<unsigned char>> unhex(std::string_view s) {
  if (s.size() % 2) return std::nullopt;
  std::vector<unsigned char> out;
  for (size_t i = 0; i < s.size(); i += 2) {
    int v = 0;
    for (char c : s.substr(i, 2)) {
      v <<= 4;
      if (c >= '0' && c <= '9')
        v |= c - '0';
      else if (c >= 'a' && c <= 'f')
        v |= c - 'a' + 10;
      else
        return std::nullopt;
    }
    out.push_back(static_cast<unsigned char>(v));
  }
  return out;
}

struct PinHash {
  int iterations = 0;
  std::vector<unsigned char> salt, hash;
};

std::optional<PinHash> parse(std::string_view stored) {
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    const size_t end = stored.find('$', start);
    parts.push_back(stored.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  if (parts.size() != 4 || parts[0] != kScheme || parts[1].empty() || parts[1].size() > 8 ||
      parts[1].find_first_not_of("0123456789") != std::string_view::npos)
    return std::nullopt;
  PinHash h;
  h.iterations = std::stoi(std::string(parts[1]));
  auto salt = unhex(parts[2]), hash = unhex(parts[3]);
  if (h.iterations < 1000 || h.iterations > kMaxIterations || !salt || salt->size() < 8 || !hash ||
      hash->size() != kHashBytes)
    return std::nullopt;
  h.salt = std::move(*salt);
  h.hash = std::move(*hash);
  return h;
}

std::vector<unsigned char> derive(std::string_view pin, const std::vector<unsigned char>& salt,
                                  int iterations) {
  std::vector<unsigned char> out(kHashBytes);
  PKCS5_PBKDF2_HMAC(pin.data(), static_cast<int>(pin.size()), salt.data(),
                    static_cast<int>(salt.size()), iterations, EVP_sha256(),
                    static_cast<int>(out.size()), out.data());
  return out;
}

}  // namespace

Result<std::string> hash_pin(std::string_view pin, int iterations) {
  if (pin.size() < 6 || pin.size() > 32)
    return Error{Completion::kInvalidData, "a technician's PIN has 6 to 32 characters"};
  if (iterations < 1000 || iterations > kMaxIterations)
    return Error{Completion::kInvalidData, "iterations out of range"};
  std::vector<unsigned char> salt(kSaltBytes);
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1)
    return Error{Completion::kHardwareError, "no random bytes for the salt"};
  const auto hash = derive(pin, salt, iterations);
  return std::string(kScheme) + "$" + std::to_string(iterations) + "$" +
         to_hex(std::string_view(reinterpret_cast<const char*>(salt.data()), salt.size())) + "$" +
         to_hex(std::string_view(reinterpret_cast<const char*>(hash.data()), hash.size()));
}

bool pin_hash_well_formed(std::string_view stored) {
  return parse(stored).has_value();
}

bool pin_matches(std::string_view pin, std::string_view stored) {
  const auto h = parse(stored);
  if (!h) return false;
  const auto got = derive(pin, h->salt, h->iterations);
  return CRYPTO_memcmp(got.data(), h->hash.data(), kHashBytes) == 0;
}

}  // namespace smzc::certs

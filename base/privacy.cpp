#include "base/privacy.h"

#include <openssl/crypto.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "base/text.h"

namespace smzc {

namespace {

// Keeps the first `head` and last `tail` characters (not bytes: a multi-byte character is never
// cut, so the result is valid UTF-8 whatever came in) and stars the rest; all stars when too short
// to keep anything.
std::string keep_ends(std::string_view text, size_t head, size_t tail) {
  const auto chars = utf8_characters(text);
  if (chars.size() <= head + tail) return std::string(chars.size(), '*');
  std::string masked;
  for (size_t i = 0; i < head; ++i) masked += chars[i];
  masked.append(chars.size() - head - tail, '*');
  for (size_t i = chars.size() - tail; i < chars.size(); ++i) masked += chars[i];
  return masked;
}

}  // namespace

std::string mask_id_number(std::string_view id) {
  return keep_ends(id, 6, 4);
}

std::string mask_name(std::string_view name) {
  auto chars = utf8_characters(name);
  if (chars.empty()) return {};
  std::string masked = chars.front();
  masked.append(chars.size() - 1, '*');
  return masked;
}

std::string mask_address(std::string_view address) {
  auto chars = utf8_characters(address);
  std::string masked;
  for (size_t i = 0; i < chars.size() && i < 6; ++i) masked += chars[i];
  if (chars.size() > 6) masked += "****";
  return masked;
}

std::string mask_phone(std::string_view phone) {
  return keep_ends(phone, 3, 4);
}

bool forbid_core_dumps() {
  const rlimit none{0, 0};
  const bool limited = setrlimit(RLIMIT_CORE, &none) == 0;
  return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == 0 && limited;
}

void wipe(std::string& s) {
  if (!s.empty()) OPENSSL_cleanse(s.data(), s.size());
  s.clear();
  s.shrink_to_fit();
}

}  // namespace smzc

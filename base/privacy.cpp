#include "base/privacy.h"

#include <openssl/crypto.h>

#include "base/text.h"

namespace smzc {

std::string mask_id_number(std::string_view id) {
  if (id.size() <= 10) return std::string(id.size(), '*');
  std::string masked(id.substr(0, 6));
  masked.append(id.size() - 10, '*');
  masked.append(id.substr(id.size() - 4));
  return masked;
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
  if (phone.size() < 7) return std::string(phone.size(), '*');
  return std::string(phone.substr(0, 3)) + std::string(phone.size() - 7, '*') +
         std::string(phone.substr(phone.size() - 4));
}

void wipe(std::string& s) {
  if (!s.empty()) OPENSSL_cleanse(s.data(), s.size());
  s.clear();
  s.shrink_to_fit();
}

}  // namespace smzc

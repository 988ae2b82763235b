// The contents of an identity card as read by the SAM: the 256-byte text block, the photo block,
// and the checks a terminal makes on them.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "drivers/common/status.h"

namespace smzc::idcard {

inline constexpr size_t kTextSize = 256;
inline constexpr size_t kPhotoSize = 1024;

enum class CardType {
  kResident,         ///< 居民身份证 (type flag ' ')
  kResidencePermit,  ///< 港澳台居民居住证 ('J') — decoded in a later issue
  kForeignerOld,     ///< 外国人永久居留证, old ('I') — decoded in a later issue
  kForeignerPr2023,  ///< 外国人永久居留身份证, 2023 ('Y') — decoded in a later issue
};

const char* to_string(CardType type);

/// One card's text fields, in UTF-8, padding removed. Dates are YYYYMMDD; valid_to may be "长期".
struct IdentityCard {
  CardType type = CardType::kResident;
  std::string name;
  std::string sex_code;     ///< "0" unknown, "1" male, "2" female, "9" unspecified
  std::string nation_code;  ///< "01".."56", "97", "98"
  std::string birth_date;
  std::string address;
  std::string id_number;
  std::string authority;
  std::string valid_from;
  std::string valid_to;
  std::vector<uint8_t> photo;  ///< opaque WLT bytes; decoding needs a vendor library

  /// Overwrites every personal field; called when a citizen's session ends.
  void wipe();
};

/// Decodes a 256-byte text block (resident layout).
Result<IdentityCard> decode_text(std::span<const uint8_t> text);
/// Encodes the text block a reader would send for `card` (used by the simulator).
std::array<uint8_t, kTextSize> encode_text(const IdentityCard& card);

/// Decodes the data of a 30 01 response: textLen, photoLen, text, photo.
Result<IdentityCard> decode_base_message(std::span<const uint8_t> data);
std::vector<uint8_t> encode_base_message(const IdentityCard& card);

/// GB 11643 (ISO 7064 MOD 11-2) check of an 18-character resident ID number.
bool valid_resident_id_number(std::string_view id);
/// The check character ('0'..'9' or 'X') for the first 17 digits.
char gb11643_check_char(std::string_view first17);
/// True when `valid_to` (YYYYMMDD, or "长期") lies before `today` (YYYYMMDD).
bool expired(const IdentityCard& card, std::string_view today);

/// 性别 and 民族 in words.
std::string sex_name(std::string_view sex_code);
std::string nation_name(std::string_view nation_code);

}  // namespace smzc::idcard

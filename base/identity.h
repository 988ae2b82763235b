// Identity documents as the terminal's domain knows them: the card kinds, their fields, and the
// rules their numbers follow (GB 11643, ICAO 9303) — shared by the reader driver, the services and
// the reference backend. No I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace smzc {

/// The kinds of identity document a terminal accepts (the SAM tells them apart by a type flag).
enum class CardType {
  kResident,         ///< 居民身份证 (flag ' ')
  kResidencePermit,  ///< 港澳台居民居住证 (flag 'J')
  kForeignerOld,     ///< 外国人永久居留证, 2017 edition (flag 'I')
  kForeignerPr2023,  ///< 外国人永久居留身份证, 2023 edition (flag 'Y')
};

const char* to_string(CardType type);

/// One card's fields in UTF-8, padding removed. Dates are YYYYMMDD; valid_to may be "长期".
/// Which fields a card carries depends on its type; the others stay empty.
struct IdentityCard {
  CardType type = CardType::kResident;
  std::string name;          ///< Chinese name (all types; may be empty on an I card)
  std::string english_name;  ///< I, Y
  std::string sex_code;      ///< "0" unknown, "1" male, "2" female, "9" unspecified
  std::string nation_code;   ///< resident: "01".."56", "97", "98"
  std::string nationality;   ///< I, Y: ISO 3166 alpha-3
  std::string birth_date;
  std::string address;    ///< resident, J
  std::string id_number;  ///< resident, J, Y: 18 characters; I: the 15-character permit number
  std::string authority;  ///< issuing authority (resident, J); I: the authority code
  std::string valid_from;
  std::string valid_to;
  std::string pass_number;     ///< J: the 港澳台 travel permit number
  std::string issue_count;     ///< J: 签发次数; Y: 换证次数
  std::string card_version;    ///< I: 证件版本号
  std::vector<uint8_t> photo;  ///< opaque WLT bytes (see PhotoDecoder)

  /// Overwrites every personal field; called when a citizen's session ends.
  void wipe();
};

/// GB 11643 (ISO 7064 MOD 11-2) check of an 18-character ID number.
bool valid_resident_id_number(std::string_view id);
/// The check character ('0'..'9' or 'X') for the first 17 digits.
char gb11643_check_char(std::string_view first17);
/// ICAO 9303 check digit (weights 7, 3, 1; A-Z = 10..35, '<' = 0) over `chars`; -1 if invalid.
int icao_check_digit(std::string_view chars);
/// Whether the card's number is well formed for its type: GB 11643 for resident, J (81/82/83…)
/// and Y (9…) numbers; three letters, twelve digits and a 7-3-1 check digit for an I number.
bool valid_id_number(const IdentityCard& card);
/// The card type an ID number belongs to, by its shape: 15 characters is an I permit number,
/// 18 starting 81/82/83 a J permit, 18 starting 9 a Y card, anything else resident.
CardType card_type_of_number(std::string_view id);
/// True when `valid_to` (YYYYMMDD, or "长期") lies before `today` (YYYYMMDD).
bool expired(const IdentityCard& card, std::string_view today);

}  // namespace smzc

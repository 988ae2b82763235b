#include "base/identity.h"

#include <algorithm>

#include "base/privacy.h"

namespace smzc {
namespace {

bool all_digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

const char* to_string(CardType type) {
  switch (type) {
    case CardType::kResident:
      return "resident";
    case CardType::kResidencePermit:
      return "hk-mo-tw-residence-permit";
    case CardType::kForeignerOld:
      return "foreigner-pr-2017";
    case CardType::kForeignerPr2023:
      return "foreigner-pr-2023";
  }
  return "unknown";
}

void IdentityCard::wipe() {
  for (auto* s :
       {&name, &english_name, &sex_code, &nation_code, &nationality, &birth_date, &address,
        &id_number, &authority, &valid_from, &valid_to, &pass_number, &issue_count, &card_version})
    smzc::wipe(*s);
  std::fill(photo.begin(), photo.end(), 0);
  photo.clear();
}

char gb11643_check_char(std::string_view first17) {
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return "10X98765432"[sum % 11];
}

bool valid_resident_id_number(std::string_view id) {
  return id.size() == 18 && all_digits(id.substr(0, 17)) && gb11643_check_char(id) == id[17];
}

int icao_check_digit(std::string_view chars) {
  static constexpr int kWeights[3] = {7, 3, 1};
  int sum = 0;
  for (size_t i = 0; i < chars.size(); ++i) {
    const char c = chars[i];
    int value;
    if (c >= '0' && c <= '9')
      value = c - '0';
    else if (c >= 'A' && c <= 'Z')
      value = c - 'A' + 10;
    else if (c == '<')
      value = 0;
    else
      return -1;
    sum += value * kWeights[i % 3];
  }
  return sum % 10;
}

bool valid_id_number(const IdentityCard& card) {
  const std::string_view id = card.id_number;
  switch (card.type) {
    case CardType::kResident:
      return valid_resident_id_number(id);
    case CardType::kResidencePermit:
      return valid_resident_id_number(id) && id[0] == '8' && id[1] >= '1' && id[1] <= '3';
    case CardType::kForeignerPr2023:
      return valid_resident_id_number(id) && id[0] == '9';
    case CardType::kForeignerOld:
      return id.size() == 15 &&
             std::all_of(id.begin(), id.begin() + 3, [](char c) { return c >= 'A' && c <= 'Z'; }) &&
             all_digits(id.substr(3)) && icao_check_digit(id.substr(0, 14)) == id[14] - '0';
  }
  return false;
}

CardType card_type_of_number(std::string_view id) {
  if (id.size() == 15) return CardType::kForeignerOld;
  if (id.size() == 18 && id[0] == '8' && id[1] >= '1' && id[1] <= '3')
    return CardType::kResidencePermit;
  if (id.size() == 18 && id[0] == '9') return CardType::kForeignerPr2023;
  return CardType::kResident;
}

bool expired(const IdentityCard& card, std::string_view today) {
  if (card.valid_to == "长期") return false;
  return card.valid_to.size() == 8 && card.valid_to < today;
}

}  // namespace smzc

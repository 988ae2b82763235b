#include "drivers/idcard/card.h"

#include <algorithm>
#include <cstring>

#include "drivers/common/privacy.h"
#include "drivers/common/text.h"

namespace smzc::idcard {
namespace {

struct Field {
  std::string IdentityCard::*member;
  size_t offset;
  size_t size;
};

// The resident layout, byte offsets into the text block.
constexpr Field kResidentFields[] = {
    {&IdentityCard::name, 0, 30},        {&IdentityCard::sex_code, 30, 2},
    {&IdentityCard::nation_code, 32, 4}, {&IdentityCard::birth_date, 36, 16},
    {&IdentityCard::address, 52, 70},    {&IdentityCard::id_number, 122, 36},
    {&IdentityCard::authority, 158, 30}, {&IdentityCard::valid_from, 188, 16},
    {&IdentityCard::valid_to, 204, 16},
};
constexpr size_t kTypeFlagOffset = 248;

constexpr const char* kNations[] = {
    "汉",     "蒙古",   "回",       "藏",     "维吾尔",   "苗",   "彝",     "壮",
    "布依",   "朝鲜",   "满",       "侗",     "瑶",       "白",   "土家",   "哈尼",
    "哈萨克", "傣",     "黎",       "傈僳",   "佤",       "畲",   "高山",   "拉祜",
    "水",     "东乡",   "纳西",     "景颇",   "柯尔克孜", "土",   "达斡尔", "仫佬",
    "羌",     "布朗",   "撒拉",     "毛南",   "仡佬",     "锡伯", "阿昌",   "普米",
    "塔吉克", "怒",     "乌孜别克", "俄罗斯", "鄂温克",   "德昂", "保安",   "裕固",
    "京",     "塔塔尔", "独龙",     "鄂伦春", "赫哲",     "门巴", "珞巴",   "基诺"};

uint16_t read_be16(std::span<const uint8_t> b, size_t at) {
  return static_cast<uint16_t>((b[at] << 8) | b[at + 1]);
}

}  // namespace

const char* to_string(CardType type) {
  switch (type) {
    case CardType::kResident:
      return "resident";
    case CardType::kResidencePermit:
      return "hk-mo-tw-residence-permit";
    case CardType::kForeignerOld:
      return "foreigner-pr-old";
    case CardType::kForeignerPr2023:
      return "foreigner-pr-2023";
  }
  return "unknown";
}

void IdentityCard::wipe() {
  for (const auto& f : kResidentFields) smzc::wipe(this->*f.member);
  std::fill(photo.begin(), photo.end(), 0);
  photo.clear();
}

Result<IdentityCard> decode_text(std::span<const uint8_t> text) {
  if (text.size() != kTextSize)
    return Error{Completion::kInvalidData,
                 "text block is " + std::to_string(text.size()) + " bytes, expected 256"};
  const char flag = static_cast<char>(text[kTypeFlagOffset]);
  if (flag != ' ' && flag != '\0') {
    const bool known = flag == 'J' || flag == 'I' || flag == 'Y';
    return Error{Completion::kUnsupported,
                 known ? std::string("card type '") + flag + "' is not decoded yet"
                       : "unknown card type flag"};
  }
  IdentityCard card;
  for (const auto& f : kResidentFields)
    card.*f.member = trim_padding(utf16le_to_utf8(text.subspan(f.offset, f.size)));
  return card;
}

std::array<uint8_t, kTextSize> encode_text(const IdentityCard& card) {
  std::array<uint8_t, kTextSize> text{};
  for (size_t i = 0; i + 1 < kTextSize; i += 2) text[i] = ' ';
  for (const auto& f : kResidentFields) {
    auto units = utf8_to_utf16le(card.*f.member);
    std::copy_n(units.begin(), std::min(units.size(), f.size), text.begin() + f.offset);
  }
  text[kTypeFlagOffset] = ' ';
  return text;
}

Result<IdentityCard> decode_base_message(std::span<const uint8_t> data) {
  if (data.size() < 4) return Error{Completion::kInvalidData, "base message shorter than 4 bytes"};
  const size_t text_len = read_be16(data, 0), photo_len = read_be16(data, 2);
  if (data.size() < 4 + text_len + photo_len)
    return Error{Completion::kInvalidData, "base message shorter than its length fields say"};
  auto card = decode_text(data.subspan(4, text_len));
  if (!card) return card;
  auto photo = data.subspan(4 + text_len, photo_len);
  card->photo.assign(photo.begin(), photo.end());
  return card;
}

std::vector<uint8_t> encode_base_message(const IdentityCard& card) {
  std::vector<uint8_t> data = {kTextSize >> 8, kTextSize & 0xFF, kPhotoSize >> 8,
                               kPhotoSize & 0xFF};
  auto text = encode_text(card);
  data.insert(data.end(), text.begin(), text.end());
  std::vector<uint8_t> photo = card.photo;
  photo.resize(kPhotoSize, 0);
  data.insert(data.end(), photo.begin(), photo.end());
  return data;
}

char gb11643_check_char(std::string_view first17) {
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return "10X98765432"[sum % 11];
}

bool valid_resident_id_number(std::string_view id) {
  if (id.size() != 18) return false;
  if (!std::all_of(id.begin(), id.begin() + 17, [](char c) { return c >= '0' && c <= '9'; }))
    return false;
  return gb11643_check_char(id) == id[17];
}

bool expired(const IdentityCard& card, std::string_view today) {
  if (card.valid_to == "长期") return false;
  return card.valid_to.size() == 8 && card.valid_to < today;
}

std::string sex_name(std::string_view sex_code) {
  if (sex_code == "1") return "男";
  if (sex_code == "2") return "女";
  if (sex_code == "9") return "未说明";
  return "未知";
}

std::string nation_name(std::string_view nation_code) {
  if (nation_code == "97") return "其他";
  if (nation_code == "98") return "外国血统中国籍人士";
  int n = 0;
  for (char c : nation_code) {
    if (c < '0' || c > '9') return "未知";
    n = n * 10 + (c - '0');
  }
  return (n >= 1 && n <= 56) ? kNations[n - 1] : "未知";
}

}  // namespace smzc::idcard

#include "drivers/idcard/card.h"

#include <algorithm>
#include <cctype>

#include "base/json.h"
#include "base/privacy.h"
#include "base/text.h"

namespace smzc::idcard {
namespace {

struct Field {
  std::string IdentityCard::*member;
  size_t offset;
  size_t size;
};

using M = IdentityCard;

// Byte offsets into the text block, per layout. Every layout puts its type flag at 248.
constexpr Field kResidentFields[] = {
    {&M::name, 0, 30},        {&M::sex_code, 30, 2},     {&M::nation_code, 32, 4},
    {&M::birth_date, 36, 16}, {&M::address, 52, 70},     {&M::id_number, 122, 36},
    {&M::authority, 158, 30}, {&M::valid_from, 188, 16}, {&M::valid_to, 204, 16},
};
// J: the resident layout up to 220 (its nation field is reserved), then the permit's own fields.
constexpr Field kPermitFields[] = {
    {&M::name, 0, 30},         {&M::sex_code, 30, 2},    {&M::birth_date, 36, 16},
    {&M::address, 52, 70},     {&M::id_number, 122, 36}, {&M::authority, 158, 30},
    {&M::valid_from, 188, 16}, {&M::valid_to, 204, 16},  {&M::pass_number, 220, 18},
    {&M::issue_count, 238, 4},
};
constexpr Field kForeignerOldFields[] = {
    {&M::english_name, 0, 120}, {&M::sex_code, 120, 2},    {&M::id_number, 122, 30},
    {&M::nationality, 152, 6},  {&M::name, 158, 30},       {&M::valid_from, 188, 16},
    {&M::valid_to, 204, 16},    {&M::birth_date, 220, 16}, {&M::card_version, 236, 4},
    {&M::authority, 240, 8},
};
// Y: the English name is split, 35 characters at 52 and 11 more at 220.
constexpr Field kForeigner2023Fields[] = {
    {&M::name, 0, 30},        {&M::sex_code, 30, 2},     {&M::issue_count, 32, 4},
    {&M::birth_date, 36, 16}, {&M::id_number, 122, 36},  {&M::valid_from, 188, 16},
    {&M::valid_to, 204, 16},  {&M::nationality, 242, 6},
};
constexpr size_t kYEnglishFirst = 52, kYEnglishFirstSize = 70;
constexpr size_t kYEnglishRest = 220, kYEnglishRestSize = 22;
constexpr size_t kTypeFlagOffset = 248;

std::span<const Field> layout(CardType type) {
  switch (type) {
    case CardType::kResident:
      return kResidentFields;
    case CardType::kResidencePermit:
      return kPermitFields;
    case CardType::kForeignerOld:
      return kForeignerOldFields;
    case CardType::kForeignerPr2023:
      return kForeigner2023Fields;
  }
  return kResidentFields;
}

char type_flag(CardType type) {
  switch (type) {
    case CardType::kResident:
      return ' ';
    case CardType::kResidencePermit:
      return 'J';
    case CardType::kForeignerOld:
      return 'I';
    case CardType::kForeignerPr2023:
      return 'Y';
  }
  return ' ';
}

std::string field_text(std::span<const uint8_t> text, size_t offset, size_t size) {
  return trim_padding(utf16le_to_utf8(text.subspan(offset, size)));
}

void put_field(std::array<uint8_t, kTextSize>& text, std::string_view value, size_t offset,
               size_t size) {
  auto units = utf8_to_utf16le(value);
  std::copy_n(units.begin(), std::min(units.size(), size), text.begin() + offset);
}

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

bool all_digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

Result<CardType> card_type_from_string(std::string_view name) {
  for (CardType t : {CardType::kResident, CardType::kResidencePermit, CardType::kForeignerOld,
                     CardType::kForeignerPr2023})
    if (name == to_string(t) || (name.size() == 1 && name[0] == type_flag(t))) return t;
  if (name == "resident" || name.empty()) return CardType::kResident;
  return Error{Completion::kInvalidData, "unknown card type \"" + std::string(name) + "\""};
}

Result<IdentityCard> decode_text(std::span<const uint8_t> text) {
  if (text.size() != kTextSize)
    return Error{Completion::kInvalidData,
                 "text block is " + std::to_string(text.size()) + " bytes, expected 256"};
  IdentityCard card;
  switch (static_cast<char>(text[kTypeFlagOffset])) {
    case ' ':
    case '\0':
      card.type = CardType::kResident;
      break;
    case 'J':
      card.type = CardType::kResidencePermit;
      break;
    case 'I':
      card.type = CardType::kForeignerOld;
      break;
    case 'Y':
      card.type = CardType::kForeignerPr2023;
      break;
    default:
      return Error{Completion::kUnsupported, "unknown card type flag"};
  }
  for (const auto& f : layout(card.type)) card.*f.member = field_text(text, f.offset, f.size);
  if (card.type == CardType::kForeignerPr2023)
    card.english_name = trim_padding(field_text(text, kYEnglishFirst, kYEnglishFirstSize) +
                                     field_text(text, kYEnglishRest, kYEnglishRestSize));
  // Numbers and dates are ASCII on every card; anything else is a damaged or forged block, not
  // a citizen's data to show or send on.
  auto plain = [](const std::string& v) {
    return std::all_of(v.begin(), v.end(), [](char c) {
      return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == '<';
    });
  };
  for (const auto* field : {&card.id_number, &card.birth_date, &card.valid_from, &card.pass_number,
                            &card.sex_code, &card.nation_code})
    if (!plain(*field)) {
      card.wipe();
      return Error{Completion::kInvalidData,
                   "the card's number and date fields are not plain text"};
    }
  if (!plain(card.valid_to) && card.valid_to != "长期") {
    card.wipe();
    return Error{Completion::kInvalidData, "the card's expiry is neither a date nor 长期"};
  }
  return card;
}

std::array<uint8_t, kTextSize> encode_text(const IdentityCard& card) {
  std::array<uint8_t, kTextSize> text{};
  for (size_t i = 0; i + 1 < kTextSize; i += 2) text[i] = ' ';
  for (const auto& f : layout(card.type)) put_field(text, card.*f.member, f.offset, f.size);
  if (card.type == CardType::kForeignerPr2023) {
    const size_t first = std::min<size_t>(card.english_name.size(), kYEnglishFirstSize / 2);
    put_field(text, std::string_view(card.english_name).substr(0, first), kYEnglishFirst,
              kYEnglishFirstSize);
    put_field(text, std::string_view(card.english_name).substr(first), kYEnglishRest,
              kYEnglishRestSize);
  }
  text[kTypeFlagOffset] = static_cast<uint8_t>(type_flag(card.type));
  text[kTypeFlagOffset + 1] = 0;
  return text;
}

Result<IdentityCard> decode_base_message(std::span<const uint8_t> data, bool with_fingerprint) {
  const size_t header = with_fingerprint ? 6 : 4;
  if (data.size() < header)
    return Error{Completion::kInvalidData,
                 "base message shorter than its " + std::to_string(header) + "-byte header"};
  const size_t text_len = read_be16(data, 0), photo_len = read_be16(data, 2);
  const size_t fp_len = with_fingerprint ? read_be16(data, 4) : 0;
  if (data.size() < header + text_len + photo_len + fp_len)
    return Error{Completion::kInvalidData, "base message shorter than its length fields say"};
  auto card = decode_text(data.subspan(header, text_len));
  if (!card) return card;
  auto photo = data.subspan(header + text_len, photo_len);
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

std::string sex_name(std::string_view sex_code) {
  if (sex_code == "1") return "男";
  if (sex_code == "2") return "女";
  if (sex_code == "9") return "未说明";
  return "未知";
}

std::string nation_name(std::string_view nation_code) {
  if (nation_code == "97") return "其他";
  if (nation_code == "98") return "外国血统中国籍人士";
  if (nation_code.size() != 2 || !all_digits(nation_code)) return "未知";
  const int n = (nation_code[0] - '0') * 10 + (nation_code[1] - '0');
  return (n >= 1 && n <= 56) ? kNations[n - 1] : "未知";
}

Result<Photo> decode_photo(const IdentityCard& card, PhotoDecoder* decoder) {
  if (!decoder)
    return Error{Completion::kUnsupported, "no WLT photo decoder is installed (vendor library)"};
  if (card.photo.empty()) return Error{Completion::kInvalidData, "the card carried no photo"};
  return decoder->decode(card.photo);
}

Result<IdentityCard> card_from_json(std::string_view text, const std::string& where) {
  if (text.size() > kMaxCardJsonBytes)
    return Error{Completion::kInvalidData, where + " is larger than a card file can be"};
  const nlohmann::json json = parse_json(text, 2);
  if (json.is_discarded() || !json.is_object())
    return Error{Completion::kInvalidData, where + " is not a JSON object of card fields"};
  IdentityCard card;
  try {
    auto type = card_type_from_string(json.value("type", std::string("resident")));
    if (!type) return type.error();
    card.type = type.value();
    auto field = [&json](const char* key) { return json.value(key, std::string()); };
    card.name = field("name");
    card.english_name = field("english_name");
    card.sex_code = field("sex");
    card.nation_code = field("nation");
    card.nationality = field("nationality");
    card.birth_date = field("birth");
    card.address = field("address");
    card.id_number = field("id_number");
    card.authority = field("authority");
    card.valid_from = field("valid_from");
    card.valid_to = field("valid_to");
    card.pass_number = field("pass_number");
    card.issue_count = field("issue_count");
    card.card_version = field("card_version");
  } catch (const nlohmann::json::exception& e) {
    return Error{Completion::kInvalidData, where + ": " + e.what()};
  }
  if (card.id_number.empty()) return Error{Completion::kInvalidData, where + " needs an id_number"};
  return card;
}

}  // namespace smzc::idcard

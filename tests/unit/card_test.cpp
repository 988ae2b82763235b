#include "drivers/idcard/card.h"

#include <gtest/gtest.h>

#include "base/privacy.h"
#include "base/text.h"
#include "drivers/idcard/simulator.h"
#include "tests/support/test_support.h"

namespace smzc::idcard {
namespace {

IdentityCard demo_card() {
  auto card = load_card_json(testing::source_dir() / "drivers/idcard/sim/cards/resident.json");
  EXPECT_TRUE(card) << card.error().message;
  return card.value();
}

TEST(ResidentCard, TextBlockRoundTrips) {
  IdentityCard card = demo_card();
  auto text = encode_text(card);
  auto back = decode_text(text);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->name, card.name);
  EXPECT_EQ(back->address, card.address);
  EXPECT_EQ(back->id_number, card.id_number);
  EXPECT_EQ(back->valid_to, card.valid_to);
  EXPECT_EQ(back->nation_code, "01");
}

TEST(ResidentCard, FieldsSitAtTheirPublishedOffsets) {
  IdentityCard card = demo_card();
  auto text = encode_text(card);
  EXPECT_EQ(utf16le_to_utf8(std::span(text).subspan(122, 36)), card.id_number);
  EXPECT_EQ(trim_padding(utf16le_to_utf8(std::span(text).subspan(0, 30))), card.name);
  EXPECT_EQ(text[248], ' ');  // resident type flag
}

TEST(ResidentCard, BaseMessageCarriesThePhotoAsOpaqueBytes) {
  IdentityCard card = demo_card();
  card.photo = {0x57, 0x4C, 0x54};
  auto data = encode_base_message(card);
  EXPECT_EQ(data.size(), 4u + kTextSize + kPhotoSize);
  auto back = decode_base_message(data);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->photo.size(), kPhotoSize);
  EXPECT_EQ(back->photo[0], 0x57);
}

TEST(ResidentCard, ShortBaseMessageIsInvalidData) {
  std::vector<uint8_t> data = {0x01, 0x00, 0x04, 0x00, 0x20};
  auto r = decode_base_message(data);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.code(), Completion::kInvalidData);
}

TEST(ResidentCard, UnknownTypeFlagIsRefusedNotMisread) {
  auto text = encode_text(demo_card());
  text[248] = 'Z';
  auto r = decode_text(text);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.code(), Completion::kUnsupported);
}

TEST(ResidentCard, NumbersThatAreNotPlainTextAreInvalidDataNotACitizen) {
  IdentityCard card = demo_card();
  card.id_number = "44060519900307231五";  // a damaged block: a multi-byte character in a number
  auto r = decode_text(encode_text(card));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.code(), Completion::kInvalidData);
  card = demo_card();
  card.birth_date = "1990０307";
  EXPECT_EQ(decode_text(encode_text(card)).code(), Completion::kInvalidData);
  card = demo_card();
  card.valid_to = "长期";  // the one word an expiry may be
  EXPECT_TRUE(decode_text(encode_text(card)));
}

TEST(OtherCards, TypeFlagsSelectTheLayout) {
  IdentityCard card;
  card.type = CardType::kForeignerOld;
  card.english_name = "SMITH, JOHN";
  card.id_number = "USA440605900318";
  card.nationality = "USA";
  card.birth_date = "19900310";
  auto text = encode_text(card);
  EXPECT_EQ(text[248], 'I');
  EXPECT_EQ(utf16le_to_utf8(std::span(text).subspan(122, 30)), "USA440605900318");
  EXPECT_EQ(trim_padding(utf16le_to_utf8(std::span(text).subspan(152, 6))), "USA");
  EXPECT_EQ(trim_padding(utf16le_to_utf8(std::span(text).subspan(220, 16))), "19900310");
  auto back = decode_text(text);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->type, CardType::kForeignerOld);
  EXPECT_EQ(back->english_name, "SMITH, JOHN");
}

TEST(OtherCards, Y2023EnglishNameSpansTwoFields) {
  IdentityCard card;
  card.type = CardType::kForeignerPr2023;
  card.english_name = "GARCIA LOPEZ, MARIA ELENA DE LOS ANGELES";  // 40 > 35 characters
  card.id_number = "913440198506140024";
  auto text = encode_text(card);
  EXPECT_EQ(trim_padding(utf16le_to_utf8(std::span(text).subspan(220, 22))), "GELES");
  auto back = decode_text(text);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->english_name, card.english_name);
}

TEST(OtherCards, NumberChecksFollowTheCardType) {
  IdentityCard j;
  j.type = CardType::kResidencePermit;
  j.id_number = "810000199308074519";
  EXPECT_TRUE(valid_id_number(j));
  j.id_number = "440605199003072315";  // valid check digit, but not an 81/82/83 number
  EXPECT_FALSE(valid_id_number(j));
  IdentityCard i;
  i.type = CardType::kForeignerOld;
  i.id_number = "USA440605900318";
  EXPECT_TRUE(valid_id_number(i));
  i.id_number = "USA440605900317";
  EXPECT_FALSE(valid_id_number(i));
  IdentityCard y;
  y.type = CardType::kForeignerPr2023;
  y.id_number = "913440198506140024";
  EXPECT_TRUE(valid_id_number(y));
  EXPECT_EQ(card_type_of_number("USA440605900318"), CardType::kForeignerOld);
  EXPECT_EQ(card_type_of_number("820000199308074510"), CardType::kResidencePermit);
  EXPECT_EQ(card_type_of_number("913440198506140024"), CardType::kForeignerPr2023);
  EXPECT_EQ(card_type_of_number("440605199003072315"), CardType::kResident);
}

TEST(OtherCards, IcaoCheckDigit) {
  EXPECT_EQ(icao_check_digit("L898902C<"), 3);  // ICAO 9303 worked example
  EXPECT_EQ(icao_check_digit("abc"), -1);
}

TEST(Photo, NoDecoderIsUnsupported) {
  IdentityCard card = demo_card();
  card.photo.assign(kPhotoSize, 0x11);
  EXPECT_EQ(decode_photo(card, nullptr).code(), Completion::kUnsupported);
  struct Grey : PhotoDecoder {
    Result<Photo> decode(std::span<const uint8_t>) override {
      return Photo{102, 126, std::vector<uint8_t>(102 * 126 * 3, 0x80)};
    }
  } decoder;
  auto photo = decode_photo(card, &decoder);
  ASSERT_TRUE(photo);
  EXPECT_EQ(photo->width, 102);
}

TEST(IdNumber, Gb11643CheckDigit) {
  EXPECT_TRUE(valid_resident_id_number("440605199003072315"));
  EXPECT_TRUE(valid_resident_id_number("11010519491231002X"));
  EXPECT_FALSE(valid_resident_id_number("440605199003072316"));
  EXPECT_FALSE(valid_resident_id_number("44060519900307231"));
  EXPECT_FALSE(valid_resident_id_number("4406051990030723AX"));
}

TEST(IdNumber, ExpiryUnderstandsLongTermCards) {
  IdentityCard card;
  card.valid_to = "20200101";
  EXPECT_TRUE(expired(card, "20261122"));
  card.valid_to = "20261122";
  EXPECT_FALSE(expired(card, "20261122"));
  card.valid_to = "长期";
  EXPECT_FALSE(expired(card, "20991231"));
}

TEST(IdNumber, NationAndSexInWords) {
  EXPECT_EQ(nation_name("01"), "汉");
  EXPECT_EQ(nation_name("56"), "基诺");
  EXPECT_EQ(nation_name("97"), "其他");
  EXPECT_EQ(nation_name("57"), "未知");
  EXPECT_EQ(sex_name("2"), "女");
}

TEST(Privacy, MasksIdNumbersNamesAndAddresses) {
  EXPECT_EQ(mask_id_number("440605199003072315"), "440605********2315");
  EXPECT_EQ(mask_name("陈晓明"), "陈**");
  EXPECT_EQ(mask_address("广东省佛山市南海区桂城街道"), "广东省佛山市****");
  EXPECT_EQ(mask_id_number("123"), "***");
  // By characters, never bytes: a damaged number with multi-byte characters stays valid UTF-8.
  EXPECT_EQ(mask_id_number("４４０６０５一九九〇０３０７２３１５"), "４４０６０５********２３１５");
  EXPECT_EQ(mask_phone("１３８１２３４５６７８"), "１３８****５６７８");
}

TEST(Privacy, WipedCardKeepsNothing) {
  IdentityCard card = demo_card();
  card.wipe();
  EXPECT_TRUE(card.name.empty());
  EXPECT_TRUE(card.id_number.empty());
  EXPECT_TRUE(card.address.empty());
}

TEST(Text, Utf16SurrogatePairsRoundTrip) {
  const std::string text = "𠀀汉A";  // a CJK Extension B character needs a surrogate pair
  auto units = utf8_to_utf16le(text);
  EXPECT_EQ(units.size(), 8u);
  EXPECT_EQ(utf16le_to_utf8(units), text);
}

}  // namespace
}  // namespace smzc::idcard

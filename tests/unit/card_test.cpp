#include "drivers/idcard/card.h"

#include <gtest/gtest.h>

#include "drivers/common/privacy.h"
#include "drivers/common/text.h"
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

TEST(ResidentCard, OtherCardTypesAreNamedNotMisread) {
  auto text = encode_text(demo_card());
  text[248] = 'J';
  auto r = decode_text(text);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.code(), Completion::kUnsupported);
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

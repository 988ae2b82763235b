#include "certs/sealing.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/test_support.h"

namespace smzc::certs {
namespace {

TEST(Sealing, ARoundTripNeedsTheSameKeyAndContext) {
  auto key = DataKey::random();
  ASSERT_TRUE(key);
  auto sealed = key->seal("440605199003072315 陈晓明", "queue:T1");
  ASSERT_TRUE(sealed);
  EXPECT_EQ(sealed->rfind("aes256gcm:", 0), 0u);
  EXPECT_EQ(sealed->find("440605199003072315"), std::string::npos);
  auto opened = key->open(sealed.value(), "queue:T1");
  ASSERT_TRUE(opened);
  EXPECT_EQ(opened.value(), "440605199003072315 陈晓明");
  // Moved to another row, or opened with another key: refused.
  EXPECT_EQ(key->open(sealed.value(), "queue:T2").code(), Completion::kInvalidData);
  auto other = DataKey::random();
  ASSERT_TRUE(other);
  EXPECT_FALSE(other->open(sealed.value(), "queue:T1"));
}

TEST(Sealing, AnyChangedByteIsRefused) {
  auto key = DataKey::random();
  ASSERT_TRUE(key);
  auto sealed = key->seal("13812345678", "ctx");
  ASSERT_TRUE(sealed);
  for (size_t i = std::string("aes256gcm:").size(); i < sealed->size(); i += 3) {
    std::string bad = sealed.value();
    bad[i] = bad[i] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(key->open(bad, "ctx")) << "byte " << i;
  }
  EXPECT_FALSE(key->open("plain text", "ctx"));
  EXPECT_FALSE(key->open("aes256gcm:", "ctx"));
  EXPECT_FALSE(DataKey().seal("x", "ctx"));  // no key, no sealing
}

TEST(Sealing, TheKeyFileIsMadeOnceOwnerOnlyAndAWrongOneIsNotReplaced) {
  testing::TempDir dir;
  auto made = DataKey::load_or_create(dir / "keys/data.key");
  ASSERT_TRUE(made) << made.error().message;
  EXPECT_EQ(std::filesystem::file_size(dir / "keys/data.key"), 32u);
  EXPECT_EQ(
      std::filesystem::status(dir / "keys/data.key").permissions() & std::filesystem::perms::all,
      std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  auto sealed = made->seal("x", "c");
  ASSERT_TRUE(sealed);
  auto loaded = DataKey::load_or_create(dir / "keys/data.key");
  ASSERT_TRUE(loaded);
  EXPECT_TRUE(loaded->open(sealed.value(), "c"));

  std::ofstream(dir / "short.key") << "too short";
  auto refused = DataKey::load_or_create(dir / "short.key");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("not 32 bytes"), std::string::npos);
  EXPECT_EQ(testing::read_file(dir / "short.key"), "too short");
}

}  // namespace
}  // namespace smzc::certs

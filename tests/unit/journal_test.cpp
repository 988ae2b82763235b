#include "services/journal.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "tests/support/test_support.h"

namespace smzc::services {
namespace {

TEST(Journal, AppendsAndReadsBackInOrder) {
  testing::TempDir dir;
  auto journal = Journal::open(dir / "j.db");
  ASSERT_TRUE(journal) << journal.error().message;
  auto& j = *journal.value();
  const std::string txn = j.new_transaction_id();
  ASSERT_TRUE(j.append(txn, "apply.begin", R"({"item":"X"})"));
  ASSERT_TRUE(j.append(txn, "apply.done", "{}"));
  ASSERT_TRUE(j.append("other", "read_card.begin", "{}"));
  auto entries = j.entries(txn);
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ(entries.value()[0].step, "apply.begin");
  EXPECT_EQ(entries.value()[1].step, "apply.done");
  EXPECT_LT(entries.value()[0].seq, entries.value()[1].seq);
  auto verified = j.verify_chain();
  ASSERT_TRUE(verified);
  EXPECT_EQ(verified.value(), 3u);
}

TEST(Journal, TransactionIdsAreUnique) {
  testing::TempDir dir;
  auto journal = Journal::open(dir / "j.db");
  ASSERT_TRUE(journal);
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) ids.insert(journal.value()->new_transaction_id());
  EXPECT_EQ(ids.size(), 1000u);
}

TEST(Journal, ChainContinuesAcrossReopen) {
  testing::TempDir dir;
  {
    auto j = Journal::open(dir / "j.db");
    ASSERT_TRUE(j);
    ASSERT_TRUE(j.value()->append("t1", "a", "{}"));
  }
  auto j = Journal::open(dir / "j.db");
  ASSERT_TRUE(j);
  ASSERT_TRUE(j.value()->append("t1", "b", "{}"));
  auto verified = j.value()->verify_chain();
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_EQ(verified.value(), 2u);
}

TEST(Journal, RefusesEditsThroughSql) {
  testing::TempDir dir;
  {
    auto j = Journal::open(dir / "j.db");
    ASSERT_TRUE(j);
    ASSERT_TRUE(j.value()->append("t1", "a", "{}"));
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir / "j.db").c_str(), &db), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "UPDATE journal SET detail='{}x'", nullptr, nullptr, nullptr),
            SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM journal", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
}

TEST(Journal, TamperingShowsInTheChain) {
  testing::TempDir dir;
  {
    auto j = Journal::open(dir / "j.db");
    ASSERT_TRUE(j);
    for (const char* step : {"a", "b", "c"}) ASSERT_TRUE(j.value()->append("t1", step, "{}"));
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir / "j.db").c_str(), &db), SQLITE_OK);
  // Someone with the file drops the guard and rewrites history.
  ASSERT_EQ(sqlite3_exec(db,
                         "DROP TRIGGER journal_no_update;"
                         "UPDATE journal SET detail='{\"status\":\"printed\"}' WHERE seq=2;",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto j = Journal::open(dir / "j.db");
  ASSERT_TRUE(j);
  auto verified = j.value()->verify_chain();
  ASSERT_FALSE(verified);
  EXPECT_EQ(verified.code(), Completion::kInvalidData);
  EXPECT_NE(verified.error().message.find("entry 2"), std::string::npos);
}

TEST(Journal, UnwritablePathIsAClearError) {
  auto j = Journal::open("/proc/no-such-dir/j.db");
  ASSERT_FALSE(j);
  EXPECT_NE(j.error().message.find("journal"), std::string::npos);
}

}  // namespace
}  // namespace smzc::services

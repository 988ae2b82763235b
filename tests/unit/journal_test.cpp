#include "services/journal.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "tests/support/test_support.h"

namespace smzc::services {
namespace {

void edit_entry_two(const std::filesystem::path& db_path) {
  ASSERT_TRUE(
      testing::run_sql(db_path,
                       "DROP TRIGGER IF EXISTS journal_no_update;"
                       "UPDATE journal SET detail='{\"status\":\"printed\"}' WHERE seq=2;"));
}

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
  // Someone with the file drops the guard and rewrites history.
  edit_entry_two(dir / "j.db");
  auto j = Journal::open(dir / "j.db");
  ASSERT_TRUE(j);
  auto verified = j.value()->verify_chain();
  ASSERT_FALSE(verified);
  EXPECT_EQ(verified.code(), Completion::kInvalidData);
  EXPECT_NE(verified.error().message.find("entry 2"), std::string::npos);
}

const std::string kKey(32, '\x5a');

// Rewrites every entry's hash as `key` (empty: plain SM3) would chain them: what an attacker does
// after editing an entry, with or without the terminal's key.
void rechain(const std::filesystem::path& db_path, const std::string& key) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
  sqlite3_exec(db, "DROP TRIGGER IF EXISTS journal_no_update;", nullptr, nullptr, nullptr);
  sqlite3_stmt* select = nullptr;
  sqlite3_prepare_v2(db, "SELECT seq, txn, step, detail, at_ms FROM journal ORDER BY seq", -1,
                     &select, nullptr);
  std::string previous;
  std::vector<std::pair<int64_t, std::string>> hashes;
  while (sqlite3_step(select) == SQLITE_ROW) {
    JournalEntry e{sqlite3_column_int64(select, 0),
                   reinterpret_cast<const char*>(sqlite3_column_text(select, 1)),
                   reinterpret_cast<const char*>(sqlite3_column_text(select, 2)),
                   reinterpret_cast<const char*>(sqlite3_column_text(select, 3)),
                   sqlite3_column_int64(select, 4),
                   {}};
    previous = chain_hash(previous, e, key);
    hashes.emplace_back(e.seq, previous);
  }
  sqlite3_finalize(select);
  for (const auto& [seq, hash] : hashes) {
    const std::string sql =
        "UPDATE journal SET hash='" + hash + "' WHERE seq=" + std::to_string(seq) + ";";
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  }
  sqlite3_close(db);
}

// The attack issue 15 found: edit an entry, recompute the SM3 chain, and the old check said ok.
// With the chain keyed, recomputing without the key (or with another) is caught.
TEST(Journal, AKeyedChainCannotBeRewrittenWithoutItsKey) {
  testing::TempDir dir;
  {
    auto j = Journal::open(dir / "j.db", kKey);
    ASSERT_TRUE(j);
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(j.value()->append("T1", "step.begin", "{}"));
    auto report = j.value()->verify();
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_EQ(report->entries, 5u);
    EXPECT_EQ(report->unkeyed, 0u);
    EXPECT_EQ(report->head_seq, 5);
    EXPECT_EQ(report->head_hash.rfind("k1:", 0), 0u);
    EXPECT_EQ(j.value()->head().second, report->head_hash);
  }
  edit_entry_two(dir / "j.db");
  rechain(dir / "j.db", "");  // plain SM3, as before the fix
  auto j = Journal::open(dir / "j.db", kKey);
  ASSERT_TRUE(j);
  auto plain = j.value()->verify();
  ASSERT_FALSE(plain);
  EXPECT_EQ(plain.code(), Completion::kInvalidData);
  rechain(dir / "j.db", std::string(32, '\x11'));  // keyed, but with another key
  auto other = Journal::open(dir / "j.db", kKey).value()->verify();
  ASSERT_FALSE(other);
  EXPECT_NE(other.error().message.find("entry 1 does not match"), std::string::npos)
      << other.error().message;
  rechain(dir / "j.db", kKey);  // only the key holder can make it whole again
  EXPECT_TRUE(Journal::open(dir / "j.db", kKey).value()->verify());
}

// A journal from before the chain was keyed keeps its plain prefix; keyed entries follow it, and
// a plain entry after a keyed one is a rewrite. Without the key, a keyed journal cannot be checked.
TEST(Journal, APlainPrefixIsAcceptedOnlyBeforeTheKeyedEntries) {
  testing::TempDir dir;
  {
    auto old = Journal::open(dir / "j.db");
    ASSERT_TRUE(old);
    ASSERT_TRUE(old.value()->append("T1", "a.begin", "{}"));
    ASSERT_TRUE(old.value()->append("T1", "a.done", "{}"));
  }
  {
    auto keyed = Journal::open(dir / "j.db", kKey);
    ASSERT_TRUE(keyed);
    ASSERT_TRUE(keyed.value()->append("T2", "b.begin", "{}"));
    ASSERT_TRUE(keyed.value()->append("T2", "b.done", "{}"));
    auto report = keyed.value()->verify();
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_EQ(report->entries, 4u);
    EXPECT_EQ(report->unkeyed, 2u);
  }
  auto without = Journal::open(dir / "j.db").value()->verify();
  ASSERT_FALSE(without);
  EXPECT_EQ(without.code(), Completion::kUnsupported);
  {
    auto plain_again = Journal::open(dir / "j.db");  // a tool writing without the key
    ASSERT_TRUE(plain_again.value()->append("T3", "c.begin", "{}"));
  }
  auto mixed = Journal::open(dir / "j.db", kKey).value()->verify();
  ASSERT_FALSE(mixed);
  EXPECT_NE(mixed.error().message.find("not keyed, after keyed"), std::string::npos);
}

TEST(Journal, UnwritablePathIsAClearError) {
  auto j = Journal::open("/proc/no-such-dir/j.db");
  ASSERT_FALSE(j);
  EXPECT_NE(j.error().message.find("journal"), std::string::npos);
}

}  // namespace
}  // namespace smzc::services

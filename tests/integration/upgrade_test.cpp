// Upgrades keep a terminal's records. tests/data/release-0.1.0/ holds the journal (with its print
// ledger), the store-and-forward queue and the data key exactly as release 0.1.0 left them after
// the demo printed a certificate, before schemas had versions. This release opens them, migrates
// them in place and finds every entry; a file from a newer release is refused and left as it was.
// A schema change adds a migration to the component's list (base/sqlite_statement.h) and a test
// here from the files of the release before it.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

#include "base/sqlite_statement.h"
#include "certs/sealing.h"
#include "services/forward_queue.h"
#include "services/journal.h"
#include "services/print_ledger.h"
#include "tests/support/test_support.h"

namespace smzc::services {
namespace {

const char* const kSerial = "NH-GA-0001-20261124-HFH9W12SV2E6W2DX";

std::filesystem::path release_files(const testing::TempDir& dir) {
  for (const char* file : {"journal.db", "queue.db", "data.key"})
    std::filesystem::copy_file(testing::source_dir() / "tests/data/release-0.1.0" / file,
                               dir / file);
  return dir.path();
}

// component → schema version, as the file says.
std::map<std::string, int64_t> versions(const std::filesystem::path& file) {
  std::map<std::string, int64_t> out;
  sqlite3* db = nullptr;
  sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  {
    Statement s(db, "SELECT component, version FROM schema_versions");
    while (s.step() == SQLITE_ROW) out[s.text(0)] = s.integer(1);
  }
  sqlite3_close(db);
  return out;
}

TEST(Upgrade, TheLastReleasesJournalLedgerAndQueueAreMigratedInPlaceWithEveryEntry) {
  testing::TempDir dir;
  const auto at = release_files(dir);
  auto key = certs::DataKey::load(at / "data.key");
  ASSERT_TRUE(key) << key.error().message;
  for (int opening = 0; opening < 2; ++opening) {  // migrated once, then opened as it is
    auto journal = Journal::open(at / "journal.db", key->derive(kJournalKeyPurpose));
    ASSERT_TRUE(journal) << journal.error().message;
    auto chain = journal.value()->verify();
    ASSERT_TRUE(chain) << chain.error().message;
    EXPECT_EQ(chain->entries, 23u);
    EXPECT_EQ(chain->unkeyed, 0u);

    auto ledger = PrintLedger::open(at / "journal.db");
    ASSERT_TRUE(ledger) << ledger.error().message;
    auto printed = ledger.value()->find(kSerial);
    ASSERT_TRUE(printed && printed->has_value());
    EXPECT_EQ(printed->value().state, PrintState::kCompleted);
    EXPECT_EQ(printed->value().job_id, 1);

    auto queue_key = certs::DataKey::load(at / "data.key");
    ASSERT_TRUE(queue_key);
    auto queue = ForwardQueue::open(at / "queue.db", std::move(queue_key.value()));
    ASSERT_TRUE(queue) << queue.error().message;
    EXPECT_EQ(queue.value()->waiting(), 0u);
  }
  EXPECT_EQ(versions(at / "journal.db"),
            (std::map<std::string, int64_t>{{"journal", 1}, {"print ledger", 1}}));
  EXPECT_EQ(versions(at / "queue.db"), (std::map<std::string, int64_t>{{"forward queue", 1}}));
}

TEST(Upgrade, AJournalFromANewerReleaseIsRefusedAndLeftAsItWas) {
  testing::TempDir dir;
  const auto at = release_files(dir);
  auto key = certs::DataKey::load(at / "data.key");
  ASSERT_TRUE(key);
  ASSERT_TRUE(Journal::open(at / "journal.db", key->derive(kJournalKeyPurpose)));
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((at / "journal.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE schema_versions SET version = 7 WHERE component = 'journal'",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);

  auto journal = Journal::open(at / "journal.db", key->derive(kJournalKeyPurpose));
  ASSERT_FALSE(journal);
  EXPECT_EQ(journal.code(), Completion::kUnsupported);
  EXPECT_NE(journal.error().message.find("schema version 7, newer than this release's 1"),
            std::string::npos)
      << journal.error().message;
  EXPECT_EQ(versions(at / "journal.db").at("journal"), 7);
}

TEST(Upgrade, AMigrationAddsToATableKeepingItsRowsAndAFailedOneChangesNothing) {
  testing::TempDir dir;
  const auto file = dir / "store.db";
  const char* v1 = "CREATE TABLE IF NOT EXISTS things (name TEXT NOT NULL);";
  auto db = open_database(file, "things", {v1});
  ASSERT_TRUE(db) << db.error().message;
  ASSERT_EQ(
      sqlite3_exec(db.value(), "INSERT INTO things VALUES ('kept')", nullptr, nullptr, nullptr),
      SQLITE_OK);
  sqlite3_close(db.value());

  // A broken second step (its later statement fails): the first statement is undone too.
  auto broken = open_database(file, "things",
                              {v1, "ALTER TABLE things ADD COLUMN colour TEXT; SELECT nonsense;"});
  ASSERT_FALSE(broken);
  EXPECT_NE(broken.error().message.find("upgrade to schema version 2"), std::string::npos)
      << broken.error().message;
  EXPECT_EQ(versions(file).at("things"), 1);

  auto upgraded = open_database(
      file, "things", {v1, "ALTER TABLE things ADD COLUMN colour TEXT NOT NULL DEFAULT 'red';"});
  ASSERT_TRUE(upgraded) << upgraded.error().message;
  {
    Statement s(upgraded.value(), "SELECT name, colour FROM things");
    ASSERT_EQ(s.step(), SQLITE_ROW);
    EXPECT_EQ(s.text(0), "kept");
    EXPECT_EQ(s.text(1), "red");
  }
  sqlite3_close(upgraded.value());
  EXPECT_EQ(versions(file).at("things"), 2);
}

// A file already at this release's version opens without the write lock: a technician's
// read-only command opens the journal while the kiosk holds a write transaction on it.
TEST(Upgrade, AFileAtThisVersionOpensWhileAWriterHoldsItsLock) {
  testing::TempDir dir;
  const auto file = dir / "store.db";
  const char* v1 = "CREATE TABLE IF NOT EXISTS things (name TEXT NOT NULL);";
  auto writer = open_database(file, "things", {v1});
  ASSERT_TRUE(writer) << writer.error().message;
  ASSERT_EQ(sqlite3_exec(writer.value(), "BEGIN IMMEDIATE; INSERT INTO things VALUES ('busy');",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  auto reader = open_database(file, "things", {v1});
  EXPECT_TRUE(reader) << reader.error().message;
  if (reader) sqlite3_close(reader.value());
  sqlite3_exec(writer.value(), "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_close(writer.value());
}

}  // namespace
}  // namespace smzc::services

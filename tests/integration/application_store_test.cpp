// The reference backend's application store, on SQLite and on a real PostgreSQL server the
// fixture starts: a batch of applications (group commit) keeps each terminal's key once, keeps
// nothing when any row fails, and anchors a journal only with an application it kept.
#include <gtest/gtest.h>

#include "backend/application_store.h"
#include "tests/support/postgres.h"
#include "tests/support/test_support.h"

namespace smzc::backend {
namespace {

enum class Engine { kSqlite, kPostgres };

class ApplicationStoreTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    std::string database = (dir_ / "applications.db").string();
    if (GetParam() == Engine::kPostgres) {
      auto server = testing::PostgresServer::start(dir_ / "pg");
      ASSERT_TRUE(server) << server.error().message;
      server_ = std::move(server.value());
      ASSERT_TRUE(server_->create_database("store"));
      database = server_->uri("store");
    }
    auto key = certs::DataKey::random();
    ASSERT_TRUE(key);
    auto store = ApplicationStore::open(database, std::move(key.value()));
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(store.value());
  }

  static Application application(const std::string& id, const std::string& key,
                                 const std::string& owner = "terminal-a") {
    Application a;
    a.id = id;
    a.key = key;
    a.owner = owner;
    a.request_digest = "digest-" + key;
    a.request_body = R"({"item_code":"NH-SB-0001"})";
    a.response_body = R"({"application_id":")" + id + R"(","status":"approved"})";
    a.status = "approved";
    a.item_code = "NH-SB-0001";
    return a;
  }
  static JournalAnchor anchor(const std::string& owner, int64_t seq) {
    return {owner, "T-" + owner, seq, std::string(64, 'a' + static_cast<char>(seq % 6)), 1};
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::PostgresServer> server_;
  std::unique_ptr<ApplicationStore> store_;
};

TEST_P(ApplicationStoreTest, ABatchKeepsEachTerminalsKeyOnce) {
  const auto first = application("A1", "k1"), again = application("A2", "k1"),
             other = application("A3", "k2"), elsewhere = application("A4", "k1", "terminal-b");
  std::vector<ApplicationStore::NewApplication> batch{{&first, std::nullopt, false},
                                                      {&again, std::nullopt, false},
                                                      {&other, std::nullopt, false},
                                                      {&elsewhere, std::nullopt, false}};
  auto kept = store_->insert_or_get_all(batch);
  ASSERT_EQ(kept.size(), 4u);
  for (const auto& k : kept) ASSERT_TRUE(k) << k.error().message;
  EXPECT_EQ(kept[0]->id, "A1");
  EXPECT_EQ(kept[1]->id, "A1") << "the second with key k1 is answered with the first";
  EXPECT_EQ(kept[2]->id, "A3");
  EXPECT_EQ(kept[3]->id, "A4") << "another terminal's k1 is its own";
  EXPECT_EQ(store_->count(), 3u);
  EXPECT_EQ(store_->by_key("terminal-a", "k1")->request_body, first.request_body);
}

TEST_P(ApplicationStoreTest, ABatchWithAFailingRowKeepsNothing) {
  // Two keys, one id: the second row breaks the id's uniqueness, so the batch is rolled back.
  const auto a = application("A1", "k1"), b = application("A1", "k2");
  std::vector<ApplicationStore::NewApplication> batch{{&a, anchor("terminal-a", 5), false},
                                                      {&b, std::nullopt, false}};
  auto kept = store_->insert_or_get_all(batch);
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_FALSE(kept[0]);
  EXPECT_FALSE(kept[1]);
  EXPECT_EQ(store_->count(), 0u);
  EXPECT_FALSE(store_->anchor("terminal-a")) << "the anchor went with the batch";
  // The store is usable after the rollback.
  auto alone = store_->insert_or_get(a);
  ASSERT_TRUE(alone) << alone.error().message;
  EXPECT_EQ(store_->count(), 1u);
}

TEST_P(ApplicationStoreTest, AJournalIsAnchoredOnlyWithAnApplicationKept) {
  const auto a = application("A1", "k1"), replay = application("A2", "k1"),
             b = application("A3", "k2"), late = application("A4", "k3");
  std::vector<ApplicationStore::NewApplication> first{{&a, anchor("terminal-a", 7), false}};
  ASSERT_TRUE(store_->insert_or_get_all(first).front());
  EXPECT_EQ(store_->anchor("terminal-a")->seq, 7);
  // A replay of k1 with a later head does not move the anchor: nothing new was applied for.
  std::vector<ApplicationStore::NewApplication> second{{&replay, anchor("terminal-a", 9), false},
                                                       {&b, anchor("terminal-a", 8), false}};
  auto kept = store_->insert_or_get_all(second);
  ASSERT_TRUE(kept[0] && kept[1]);
  EXPECT_EQ(kept[0]->id, "A1");
  EXPECT_EQ(store_->anchor("terminal-a")->seq, 8);
  EXPECT_FALSE(second[1].anchor_went_back);
  // A head older than the anchor is kept with its application and reported, not applied.
  std::vector<ApplicationStore::NewApplication> third{{&late, anchor("terminal-a", 3), false}};
  ASSERT_TRUE(store_->insert_or_get_all(third).front());
  EXPECT_TRUE(third[0].anchor_went_back);
  EXPECT_EQ(store_->anchor("terminal-a")->seq, 8);
  EXPECT_EQ(store_->count(), 3u);
}

INSTANTIATE_TEST_SUITE_P(Engines, ApplicationStoreTest,
                         ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         [](const auto& info) {
                           return info.param == Engine::kSqlite ? "Sqlite" : "Postgres";
                         });

}  // namespace
}  // namespace smzc::backend

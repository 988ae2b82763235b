// The reference backend on PostgreSQL (a real server the fixture starts): the conformance suite
// passes on it, and two backend instances on one database hold each Idempotency-Key once however
// their requests race.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "backend/reference_backend.h"
#include "drivers/camera/scenes.h"
#include "services/backend_client.h"
#include "services/conformance.h"
#include "tests/support/face_support.h"
#include "tests/support/postgres.h"
#include "tests/support/test_support.h"

namespace smzc::services {
namespace {

class PostgresBackend : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = testing::PostgresServer::start(dir_ / "pg");
    ASSERT_TRUE(server) << server.error().message;
    server_ = std::move(server.value());
    ASSERT_TRUE(server_->create_database("smzc"));
  }
  backend::ReferenceBackend::Options options() {
    return {.clock = &testing::test_clock(),
            .database = server_->uri("smzc"),
            .data_key = dir_ / "data.key"};
  }
  testing::TempDir dir_;
  std::unique_ptr<testing::PostgresServer> server_;
};

TEST_F(PostgresBackend, PassesTheConformanceSuite) {
  backend::ReferenceBackend backend(options());
  auto started = backend.start();
  ASSERT_TRUE(started) << started.error().message;
  const BackendClient::Options client{.timeout = std::chrono::seconds(10), .attempts = 1};
  const auto checks = run_conformance(
      BackendClient(backend.base_url(), client), client,
      {.backend_key_pem = backend.signing_key().public_pem().value(), .run_id = "pg"});
  for (const auto& c : checks) EXPECT_TRUE(c.passed) << c.name << ": " << c.detail;
}

TEST_F(PostgresBackend, PassesTheConformanceSuiteOverMutualTls) {
  const std::string make = (testing::source_dir() / "packaging/make-dev-pki.sh").string();
  ASSERT_EQ(std::system((make + " '" + (dir_ / "pki").string() + "'").c_str()), 0);
  auto with_tls = options();
  with_tls.tls_cert = dir_ / "pki/server.pem";
  with_tls.tls_key = dir_ / "pki/server.key";
  with_tls.client_ca = dir_ / "pki/ca.pem";
  backend::ReferenceBackend backend(with_tls);
  auto started = backend.start();
  ASSERT_TRUE(started) << started.error().message;
  const BackendClient::Options client{.timeout = std::chrono::seconds(10),
                                      .attempts = 1,
                                      .ca_file = dir_ / "pki/ca.pem",
                                      .client_cert = dir_ / "pki/terminal.pem",
                                      .client_key = dir_ / "pki/terminal.key"};
  const auto checks = run_conformance(
      BackendClient(backend.base_url(), client), client,
      {.backend_key_pem = backend.signing_key().public_pem().value(),
       .citizen_face = testing::platform_crop(camera::sim::load_picture(camera::sim::kGraceHopper)),
       .run_id = "pg-mtls"});
  for (const auto& c : checks) {
    EXPECT_TRUE(c.passed) << c.name << ": " << c.detail;
    EXPECT_FALSE(c.skipped) << c.name;
  }
}

// 1,000 applications from 20 clients, each of 500 keys sent once to each of two instances at the
// same time: every key is held once, and both instances answer it with the same application.
TEST_F(PostgresBackend, TwoInstancesHoldEachKeyOnceAcrossTheirRaces) {
  const auto pem = backend::ReferenceBackend({}).signing_key().private_pem().value();
  auto with_key = options();
  with_key.signing_key_pem = pem;
  backend::ReferenceBackend a(with_key), b(with_key);
  ASSERT_TRUE(a.start());
  ASSERT_TRUE(b.start());
  constexpr int kKeys = 500, kClients = 20;
  std::mutex mutex;
  std::map<int, std::set<std::string>> ids;  // key → application ids answered
  std::atomic<int> failures{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < kClients; ++t)
    clients.emplace_back([&, t] {
      // Clients 0-9 send to instance a, 10-19 the same keys to b.
      BackendClient client(t < kClients / 2 ? a.base_url() : b.base_url(),
                           {.timeout = std::chrono::seconds(30), .attempts = 1});
      const Applicant citizen{
          "440605199003072315", "陈晓明", "20400101", "19900307", {}, {}, {}, {}};
      for (int k = t % (kClients / 2); k < kKeys; k += kClients / 2) {
        // With its journal head, as a terminal sends it: both instances' transactions anchor
        // the same terminal's row while their applications race.
        auto d = client.submit("NH-SB-0001", citizen, "race-" + std::to_string(k),
                               std::to_string(k + 1) + ":" + std::string(64, 'c'));
        std::lock_guard lock(mutex);
        if (d)
          ids[k].insert(d->application_id);
        else
          ++failures;
      }
    });
  for (auto& c : clients) c.join();
  EXPECT_EQ(failures.load(), 0);
  ASSERT_EQ(ids.size(), static_cast<size_t>(kKeys));
  for (const auto& [key, answered] : ids) EXPECT_EQ(answered.size(), 1u) << "race-" << key;
  EXPECT_EQ(a.application_count(), static_cast<size_t>(kKeys));
  EXPECT_EQ(b.application_count(), static_cast<size_t>(kKeys));
}

TEST_F(PostgresBackend, ADatabaseThatCannotBeReachedIsOneClearError) {
  auto bad = options();
  bad.database = "postgresql://smzc@127.0.0.1:1/smzc";
  backend::ReferenceBackend backend(bad);
  auto started = backend.start();
  ASSERT_FALSE(started);
  EXPECT_NE(started.error().message.find("cannot reach the PostgreSQL database"), std::string::npos)
      << started.error().message;
}

}  // namespace
}  // namespace smzc::services

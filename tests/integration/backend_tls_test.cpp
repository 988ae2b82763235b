// The backend protocol over HTTPS with mutual TLS: the reference backend serves only terminals
// holding a certificate from the development CA (made by packaging/make-dev-pki.sh, as ./dev does).
#include <gtest/gtest.h>
#include <unistd.h>

#include "backend/reference_backend.h"
#include "services/backend_client.h"
#include "tests/support/test_support.h"

namespace smzc::services {
namespace {

class MutualTls : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string make = (testing::source_dir() / "packaging/make-dev-pki.sh").string();
    ASSERT_EQ(std::system((make + " '" + pki_.path().string() + "'").c_str()), 0)
        << "cannot make the development PKI (is openssl installed? ./dev installs it)";
    backend_ = std::make_unique<backend::ReferenceBackend>(
        backend::ReferenceBackend::Options{.tls_cert = pki_ / "server.pem",
                                           .tls_key = pki_ / "server.key",
                                           .client_ca = pki_ / "ca.pem"});
    auto port = backend_->start();
    ASSERT_TRUE(port) << port.error().message;
    ASSERT_EQ(backend_->base_url().rfind("https://", 0), 0u);
  }
  BackendClient client(BackendClient::Options options) {
    options.attempts = 1;
    return BackendClient(backend_->base_url(), options);
  }
  testing::TempDir pki_;
  std::unique_ptr<backend::ReferenceBackend> backend_;
};

TEST_F(MutualTls, ATerminalWithItsCertificateIsServed) {
  auto c = client({.ca_file = pki_ / "ca.pem",
                   .client_cert = pki_ / "terminal.pem",
                   .client_key = pki_ / "terminal.key"});
  auto cat = c.catalogue(backend_->signing_key());
  ASSERT_TRUE(cat) << cat.error().message;
  EXPECT_GE(cat->items.size(), 37u);
}

// A terminal speaks only for itself: the X-Terminal-Id it sends, and the terminal it reports a
// heartbeat for, must be the one its certificate names (its CN), or the request is refused 403.
TEST_F(MutualTls, ATerminalCannotClaimAnotherTerminalsId) {
  auto impostor = client({.terminal_id = "SMZC-DEV-0002",
                          .ca_file = pki_ / "ca.pem",
                          .client_cert = pki_ / "terminal.pem",
                          .client_key = pki_ / "terminal.key"});
  const Applicant citizen{"440605199003072315", "陈晓明", "20400115", "19900307", {}, {}, {}, {}};
  auto refused = impostor.submit("NH-SB-0001", citizen, "impostor/apply");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("403 terminal-mismatch"), std::string::npos)
      << refused.error().message;
  auto heartbeat = impostor.heartbeat("{}");
  ASSERT_FALSE(heartbeat);
  EXPECT_NE(heartbeat.error().message.find("403 terminal-mismatch"), std::string::npos);
  EXPECT_EQ(backend_->application_count(), 0u);
  // Under its own name the same certificate is served.
  auto honest = client({.ca_file = pki_ / "ca.pem",
                        .client_cert = pki_ / "terminal.pem",
                        .client_key = pki_ / "terminal.key"});
  EXPECT_TRUE(honest.submit("NH-SB-0001", citizen, "honest/apply"));
  EXPECT_TRUE(honest.heartbeat("{}"));
}

// An application belongs to the terminal whose certificate made it: another terminal of the same
// CA can neither read it, its certificate or its notices, nor confirm its print, nor find it by
// its key — and its own use of the same key makes its own application.
TEST_F(MutualTls, ATerminalSeesOnlyItsOwnApplications) {
  auto mine = client({.ca_file = pki_ / "ca.pem",
                      .client_cert = pki_ / "terminal.pem",
                      .client_key = pki_ / "terminal.key"});
  auto other = client({.terminal_id = "SMZC-DEV-0002",
                       .ca_file = pki_ / "ca.pem",
                       .client_cert = pki_ / "terminal2.pem",
                       .client_key = pki_ / "terminal2.key"});
  const Applicant citizen{"440605199003072315", "陈晓明", "20400115", "19900307", {}, {}, {}, {}};
  auto made = mine.submit("NH-SB-0001", citizen, "T1/apply");
  ASSERT_TRUE(made) << made.error().message;
  const std::string id = made->application_id;
  ASSERT_TRUE(mine.certificate_json(id));
  auto not_found = [](const auto& r) {
    return !r && r.error().message.find("404") != std::string::npos;
  };
  EXPECT_TRUE(not_found(other.application(id)));
  EXPECT_TRUE(not_found(other.certificate_json(id)));
  auto confirmed = other.confirm_print(id, 1, "completed");
  EXPECT_FALSE(confirmed);
  auto by_key = other.application_by_key("T1/apply");
  ASSERT_TRUE(by_key) << by_key.error().message;
  EXPECT_FALSE(by_key->has_value()) << "another terminal's key answers nothing";
  auto theirs = other.submit("NH-SB-0001", citizen, "T1/apply");
  ASSERT_TRUE(theirs);
  EXPECT_NE(theirs->application_id, id);
  // The owner still has everything.
  EXPECT_TRUE(mine.application(id));
  auto again = mine.application_by_key("T1/apply");
  ASSERT_TRUE(again && again->has_value());
  EXPECT_EQ(again.value()->application_id, id);
}

// Sockets that never start the TLS handshake (no certificate needed to open one) hold a worker
// each until the handshake times out; two hundred of them do not shut a terminal out.
TEST_F(MutualTls, PeersThatNeverShakeHandsDoNotShutTerminalsOut) {
  std::vector<int> silent;
  for (int i = 0; i < 200; ++i) {
    silent.push_back(testing::connect_loopback(testing::port_of(backend_->base_url()), "",
                                               i % 2 ? "127.0.0.2" : "127.0.0.3"));
    ASSERT_GE(silent.back(), 0);
  }
  auto c = client({.timeout = std::chrono::milliseconds(2000),
                   .ca_file = pki_ / "ca.pem",
                   .client_cert = pki_ / "terminal.pem",
                   .client_key = pki_ / "terminal.key"});
  auto cat = c.catalogue(backend_->signing_key());
  EXPECT_TRUE(cat) << cat.error().message;
  for (int fd : silent) ::close(fd);
}

TEST_F(MutualTls, ATerminalWithoutACertificateIsTurnedAway) {
  auto c = client({.ca_file = pki_ / "ca.pem"});
  auto cat = c.catalogue(backend_->signing_key());
  ASSERT_FALSE(cat);
  EXPECT_EQ(cat.code(), Completion::kDeviceNotReady);
}

TEST_F(MutualTls, ABackendNotSignedByTheExpectedCaIsNotTrusted) {
  testing::TempDir other;
  const std::string make = (testing::source_dir() / "packaging/make-dev-pki.sh").string();
  ASSERT_EQ(std::system((make + " '" + other.path().string() + "'").c_str()), 0);
  auto c = client({.ca_file = other / "ca.pem",
                   .client_cert = pki_ / "terminal.pem",
                   .client_key = pki_ / "terminal.key"});
  auto cat = c.catalogue(backend_->signing_key());
  ASSERT_FALSE(cat);
  EXPECT_NE(cat.error().message.find("certificate"), std::string::npos) << cat.error().message;
}

}  // namespace
}  // namespace smzc::services

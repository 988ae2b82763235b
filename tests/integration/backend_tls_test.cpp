// The backend protocol over HTTPS with mutual TLS: the reference backend serves only terminals
// holding a certificate from the development CA (made by packaging/make-dev-pki.sh, as ./dev does).
#include <gtest/gtest.h>

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

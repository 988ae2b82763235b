// Checking certificates the reference backend issued, as a verifier without our code does: the
// openssl command-line steps documented in docs/certificate-format.md, run exactly as written.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "backend/reference_backend.h"
#include "services/backend_client.h"
#include "tests/support/test_support.h"

namespace smzc {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

// The shell commands between the offline-verification markers of the document.
std::string documented_steps() {
  const std::string doc = testing::read_file(testing::source_dir() / "docs/certificate-format.md");
  const auto begin = doc.find("<!-- offline-verification:begin -->");
  const auto end = doc.find("<!-- offline-verification:end -->");
  if (begin == std::string::npos || end == std::string::npos) return {};
  std::string block = doc.substr(begin, end - begin);
  const auto first = block.find("```sh\n");
  const auto last = block.rfind("```");
  if (first == std::string::npos || last <= first) return {};
  return block.substr(first + 6, last - first - 6);
}

struct Checked {
  std::string output;
  int status = -1;
};

class CertificateCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(backend_.start());
    services::BackendClient client(backend_.base_url());
    services::Applicant who{"440605199003072315", "陈晓明", "20360101", "19900307", {}, {}, {}, {}};
    auto d = client.submit("NH-SB-0001", who, "openssl-1");
    ASSERT_TRUE(d);
    auto issued = client.certificate_json(d->application_id);
    ASSERT_TRUE(issued);
    certificate_ = issued.value();
    code_ = json::parse(certificate_)["verify_payload"];
    steps_ = documented_steps();
    ASSERT_THAT(steps_, HasSubstr("openssl dgst -sm3 -verify")) << "the document lost its steps";
  }

  Checked verify(const std::string& code, const std::string& certificate) {
    std::ofstream(dir_ / "code.txt") << code;
    std::ofstream(dir_ / "keyring.json") << backend_.signed_keyring();
    std::ofstream(dir_ / "anchor.pem") << backend_.public_key_pem();
    std::filesystem::remove(dir_ / "certificate.json");
    if (!certificate.empty()) std::ofstream(dir_ / "certificate.json") << certificate;
    std::ofstream(dir_ / "steps.sh") << steps_;
    const std::string out =
        testing::run("cd '" + dir_.path().string() + "' && bash -e steps.sh 2>&1; echo EXIT=$?");
    const auto at = out.rfind("EXIT=");
    return {out.substr(0, at), at == std::string::npos ? -1 : std::stoi(out.substr(at + 5))};
  }

  backend::ReferenceBackend backend_{{.clock = &testing::test_clock()}};
  testing::TempDir dir_;
  std::string certificate_, code_, steps_;
};

TEST_F(CertificateCheck, TheDocumentedOpensslStepsVerifyAndRefuse) {
  // Genuine: the keyring, the code and the content all hold.
  Checked genuine = verify(code_, certificate_);
  EXPECT_EQ(genuine.status, 0) << genuine.output;
  EXPECT_EQ(std::count(genuine.output.begin(), genuine.output.end(), '\n'), 3) << genuine.output;
  EXPECT_THAT(genuine.output, HasSubstr("Verified OK\nVerified OK\nContent matches"));
  // Only the paper: the signature holds, there is no content to compare.
  Checked paper = verify(code_, "");
  EXPECT_EQ(paper.status, 0) << paper.output;

  // A field of the code changed on a forged paper.
  std::string forged = code_;
  forged.replace(forged.find("正常参保"), std::string("正常参保").size(), "暂停参保");
  Checked bad_code = verify(forged, certificate_);
  EXPECT_NE(bad_code.status, 0);
  EXPECT_THAT(bad_code.output, HasSubstr("Verification failure"));

  // The data changed (one contribution row), the code genuine.
  json altered = json::parse(certificate_);
  altered["table"]["rows"][0][3] = "0.00";
  Checked bad_data = verify(code_, altered.dump());
  EXPECT_NE(bad_data.status, 0);
  EXPECT_THAT(bad_data.output, Not(HasSubstr("Content matches")));

  // The issuing key was revoked: the keyring no longer names it active.
  ASSERT_TRUE(backend_.revoke_issuer_key("440605"));
  Checked revoked = verify(code_, certificate_);
  EXPECT_NE(revoked.status, 0) << revoked.output;
}

}  // namespace
}  // namespace smzc

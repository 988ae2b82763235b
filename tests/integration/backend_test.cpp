// The backend client against the reference backend over loopback HTTP.
#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include "drivers/camera/scenes.h"
#include "face/check.h"
#include "face/face.h"

#include <sqlite3.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include "base/text.h"
#include "tests/support/face_support.h"
#include "tests/support/simulated_terminal.h"

#include <set>

#include "backend/reference_backend.h"
#include "backend/request_validator.h"
#include "base/process.h"
#include "base/protocol_errors.h"
#include "services/backend_client.h"
#include "services/backend_replies.h"
#include "tests/support/test_support.h"

namespace smzc::services {
namespace {

const Applicant kCitizen{"440605199003072315", "陈晓明", "20400115"};

class BackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto port = backend_.start();
    ASSERT_TRUE(port) << port.error().message;
    client_ = std::make_unique<BackendClient>(
        backend_.base_url(), BackendClient::Options{.timeout = std::chrono::milliseconds(2000),
                                                    .backoff = std::chrono::milliseconds(1)});
  }
  // The issuing keys this backend vouches for, taken as a terminal would trust them.
  certs::Keyring keyring() const {
    auto ring = certs::Keyring::from_signed_json(backend_.signed_keyring(), backend_.signing_key());
    EXPECT_TRUE(ring) << ring.error().message;
    return ring ? ring.value() : certs::Keyring();
  }
  backend::ReferenceBackend backend_{{.clock = &testing::test_clock()}};
  std::unique_ptr<BackendClient> client_;
};

// Conditional GET of the catalogue as RFC 9110 has it: the exact tag, a weak one, one of a list
// and "*" all answer 304, which carries the ETag; another tag answers 200.
TEST_F(BackendTest, TheCatalogueAnswersConditionalRequestsAsRfc9110Says) {
  auto get = [&](const std::string& if_none_match) {
    const int fd = testing::connect_loopback(
        testing::port_of(backend_.base_url()),
        "GET /v1/catalogue HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" +
            (if_none_match.empty() ? std::string() : "If-None-Match: " + if_none_match + "\r\n") +
            "\r\n");
    std::string answer;
    char buf[4096];
    for (ssize_t n; fd >= 0 && (n = ::read(fd, buf, sizeof buf)) > 0;) answer.append(buf, n);
    if (fd >= 0) ::close(fd);
    return answer;
  };
  const std::string first = get("");
  ASSERT_EQ(first.rfind("HTTP/1.1 200", 0), 0u) << first.substr(0, 200);
  const auto at = first.find("ETag: ");
  ASSERT_NE(at, std::string::npos);
  const std::string etag = first.substr(at + 6, first.find("\r\n", at) - at - 6);
  for (const std::string& header : std::vector<std::string>{etag, "W/" + etag, "\"other\", " + etag,
                                                            "*", " W/\"x\" ,W/" + etag}) {
    const std::string answer = get(header);
    EXPECT_EQ(answer.rfind("HTTP/1.1 304", 0), 0u) << header << ": " << answer.substr(0, 80);
    EXPECT_NE(answer.find("ETag: " + etag), std::string::npos) << header;
  }
  EXPECT_EQ(get("\"other\"").rfind("HTTP/1.1 200", 0), 0u);
}

// An application for an item the backend does not own is refused, and nothing is stored.
TEST_F(BackendTest, AnUnknownItemIsRefusedNotStored) {
  auto d = client_->submit("NH-XX-9999", kCitizen, "unknown-item-1");
  ASSERT_FALSE(d);
  EXPECT_EQ(d.code(), Completion::kInvalidData);
  EXPECT_NE(d.error().message.find("422"), std::string::npos) << d.error().message;
  EXPECT_NE(d.error().message.find("NH-XX-9999"), std::string::npos) << d.error().message;
  EXPECT_EQ(backend_.application_count(), 0u);
  auto by_key = client_->application_by_key("unknown-item-1");
  ASSERT_TRUE(by_key);
  EXPECT_FALSE(by_key->has_value());
}

// Application ids cannot be guessed from one another: 80 random bits, not a counter.
TEST_F(BackendTest, ApplicationIdsAreUnguessable) {
  std::set<std::string> ids;
  for (int i = 0; i < 20; ++i) {
    auto d = client_->submit("NH-SB-0001", kCitizen, "ids-" + std::to_string(i));
    ASSERT_TRUE(d);
    EXPECT_EQ(d->application_id.size(), 17u) << d->application_id;
    EXPECT_EQ(d->application_id.find("A10000"), std::string::npos);
    ids.insert(d->application_id);
  }
  EXPECT_EQ(ids.size(), 20u);
}

TEST_F(BackendTest, ServesASignedKeyringOfItsRegionsIssuingKeys) {
  auto ring = client_->keyring(backend_.signing_key());
  ASSERT_TRUE(ring) << ring.error().message;
  std::set<std::string> regions;
  for (const auto& k : ring->keys()) {
    regions.insert(k.region_code);
    EXPECT_EQ(k.key_id, backend_.issuer_key(k.region_code).key_id());
    EXPECT_NE(k.key_id, backend_.signing_key().key_id()) << "issuers have keys of their own";
  }
  EXPECT_EQ(regions, (std::set<std::string>{"440605", "440103", "450204", "430624"}));
  for (const auto& k : ring->keys()) {
    if (k.region_code == "440605") {
      EXPECT_EQ(k.name, "佛山市南海区");
    }
  }
  // Not under another anchor.
  auto other = certs::Sm2Key::generate();
  EXPECT_FALSE(client_->keyring(other.value()));
}

// A terminal keeps the keyring it fetched; the next fetch is answered 304 from its cache until
// a key changes, and a revocation comes through at once.
TEST_F(BackendTest, AnUnchangedKeyringIsNotSentAgain) {
  testing::TempDir dir;
  const auto cache = dir / "keyring.json";
  ASSERT_TRUE(client_->keyring(backend_.signing_key(), cache));
  const std::string first = testing::read_file(cache);
  auto again = client_->keyring(backend_.signing_key(), cache);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(testing::read_file(cache), first) << "a 304 keeps the cached copy";
  ASSERT_TRUE(backend_.revoke_issuer_key("440605"));
  auto revoked = client_->keyring(backend_.signing_key(), cache);
  ASSERT_TRUE(revoked);
  EXPECT_NE(testing::read_file(cache), first);
  size_t revoked_keys = 0;
  for (const auto& k : revoked->keys()) revoked_keys += k.revoked;
  EXPECT_EQ(revoked_keys, 1u);
}

TEST_F(BackendTest, EachDocumentTypeIsIssuedAndVerifies) {
  const nlohmann::json catalogue = nlohmann::json::parse(
      testing::read_file(testing::source_dir() / "backend/data/catalogue.json"));
  const certs::Keyring ring = keyring();
  std::set<std::string> types;
  int n = 0;
  for (const auto& item : catalogue["items"]) {
    const std::string code = item["code"];
    auto d = client_->submit(code, kCitizen, "types-" + code);
    ASSERT_TRUE(d) << code << ": " << d.error().message;
    if (d->status != "approved" && d->status != "submitted") continue;
    if (d->status == "submitted") {
      ASSERT_TRUE(backend_.review(d->application_id, "approved"));
    }
    auto cert = client_->certificate(d->application_id, ring);
    if (!cert && cert.error().message.find("409") != std::string::npos) continue;  // none issued
    ASSERT_TRUE(cert) << code << ": " << cert.error().message;
    ++n;
    types.insert(cert->document_type);
    EXPECT_EQ(cert->document_type, item["output"]["template"]) << code;
    EXPECT_EQ(cert->signed_by, backend_.issuer_key(item["region_code"]).key_id());
  }
  EXPECT_GE(n, 25);
  EXPECT_GE(types.size(), 15u);
}

TEST_F(BackendTest, ARevokedIssuingKeyIsRefusedWithThatReason) {
  auto before = client_->submit("NH-SB-0001", kCitizen, "revoke-1");
  ASSERT_TRUE(before);
  const std::string old_key = backend_.issuer_key("440605").key_id();
  ASSERT_TRUE(backend_.revoke_issuer_key("440605"));
  EXPECT_NE(backend_.issuer_key("440605").key_id(), old_key);
  // The keyring now lists the old key as revoked; what it signed is refused.
  auto ring = client_->keyring(backend_.signing_key());
  ASSERT_TRUE(ring);
  auto old_code = client_->certificate_json(before->application_id);
  ASSERT_TRUE(old_code);
  const auto payload = nlohmann::json::parse(old_code.value())["verify_payload"].get<std::string>();
  EXPECT_EQ(certs::verify_code(payload, ring.value()).reason, "revoked");
  // What is issued from now on carries the new key and verifies.
  auto after = client_->submit("NH-SB-0001", kCitizen, "revoke-2");
  ASSERT_TRUE(after);
  auto cert = client_->certificate(after->application_id, ring.value());
  ASSERT_TRUE(cert) << cert.error().message;
  EXPECT_EQ(cert->signed_by, backend_.issuer_key("440605").key_id());
  EXPECT_FALSE(backend_.revoke_issuer_key("999999"));
}

TEST_F(BackendTest, AReprintRaisesTheCountUnderAFreshCode) {
  auto d = client_->submit("NH-SB-0001", kCitizen, "reprint-1");
  ASSERT_TRUE(d);
  auto first = client_->certificate(d->application_id, keyring());
  ASSERT_TRUE(first);
  EXPECT_EQ(first->reprint, 0);
  ASSERT_TRUE(client_->request_reprint(d->application_id, "paper jammed, technician 张工"));
  auto again = client_->certificate(d->application_id, keyring());
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->reprint, 1);
  EXPECT_EQ(again->serial, first->serial);
  EXPECT_EQ(certs::content_digest(again.value()), certs::content_digest(first.value()));
  auto code = certs::parse_verify_code(again->verify_payload);
  ASSERT_TRUE(code);
  EXPECT_EQ(code->reprint, 1);
  EXPECT_FALSE(client_->request_reprint("A-NO-SUCH", "x"));
}

TEST_F(BackendTest, ServesTheCatalogue) {
  auto cat = client_->catalogue(backend_.signing_key());
  ASSERT_TRUE(cat) << cat.error().message;
  ASSERT_FALSE(cat->items.empty());
  const auto& item = cat->items.front();
  EXPECT_EQ(item.code, "NH-SB-0001");
  EXPECT_EQ(item.name(), "社保参保缴费凭证 查询打印");
  EXPECT_EQ(item.name("en"), "Social insurance contribution certificate");
  EXPECT_EQ(item.approval, "instant");
  EXPECT_EQ(item.region_code, "440605");
  EXPECT_GE(cat->items.size(), 37u);
  EXPECT_EQ(cat->regions.size(), 4u);
  std::set<std::string> scopes, regions;
  for (const auto& i : cat->items) {
    scopes.insert(i.scope);
    regions.insert(i.region_code);
  }
  EXPECT_EQ(scopes, (std::set<std::string>{"local", "cross-city", "cross-province", "gba"}));
  EXPECT_EQ(regions.size(), 4u);
  for (const char* named :
       {"NH-BDC-0001", "NH-SC-0001", "NH-SC-0002", "NH-SB-0002", "NH-SB-0003", "NH-SC-0003"})
    EXPECT_NE(cat->find(named), nullptr) << named;
}

TEST_F(BackendTest, ApprovesAValidApplicationInstantly) {
  auto d = client_->submit("NH-SB-0001", kCitizen, "key-1");
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->status, "approved");
  auto status = client_->application(d->application_id);
  ASSERT_TRUE(status);
  EXPECT_EQ(status->status, "approved");
  auto cert = client_->certificate(d->application_id, keyring());
  ASSERT_TRUE(cert) << cert.error().message;
  EXPECT_EQ(cert->holder_id_number, kCitizen.id_number);
  EXPECT_EQ(cert->item_code, "NH-SB-0001");
  EXPECT_EQ(cert->table_rows.size(), 36u);  // twelve months of three insurances
  EXPECT_TRUE(client_->confirm_print(d->application_id, 1, "completed"));
}

TEST_F(BackendTest, SameIdempotencyKeyReturnsTheFirstAnswer) {
  auto first = client_->submit("NH-SB-0001", kCitizen, "key-2");
  auto second = client_->submit("NH-SB-0001", kCitizen, "key-2");
  ASSERT_TRUE(first);
  ASSERT_TRUE(second);
  EXPECT_EQ(first->application_id, second->application_id);
  EXPECT_EQ(backend_.application_count(), 1u);
}

TEST_F(BackendTest, SameKeyWithAnotherBodyIsRefused) {
  ASSERT_TRUE(client_->submit("NH-SB-0001", kCitizen, "key-3"));
  Applicant other = kCitizen;
  other.name = "李四";
  auto second = client_->submit("NH-SB-0001", other, "key-3");
  ASSERT_FALSE(second);
  EXPECT_NE(second.error().message.find("422"), std::string::npos);
  EXPECT_EQ(backend_.application_count(), 1u);
}

TEST_F(BackendTest, RejectsWithReasons) {
  Applicant expired = kCitizen;
  expired.valid_to = "20200101";
  auto d = client_->submit("NH-SB-0001", expired, "key-4");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->status, "rejected");
  ASSERT_EQ(d->reasons.size(), 1u);
  EXPECT_EQ(d->reasons[0], "证件已过有效期");
  auto cert = client_->certificate(d->application_id, keyring());
  ASSERT_FALSE(cert);
  EXPECT_NE(cert.error().message.find("409"), std::string::npos);
}

// The first bytes of a PNG of the given size: all the identity check reads of a face image.
std::string png_header(uint32_t width, uint32_t height) {
  std::string png("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", 16);
  for (uint32_t v : {width, height})
    for (int shift = 24; shift >= 0; shift -= 8) png.push_back(static_cast<char>(v >> shift));
  return png + std::string("\x08\x02\0\0\0", 5);
}

TEST_F(BackendTest, ChecksIdentity) {
  auto ok = client_->verify_identity(kCitizen);
  ASSERT_TRUE(ok);
  EXPECT_TRUE(ok->verified);
  EXPECT_EQ(ok->face, "not-given");
  Applicant bad = kCitizen;
  bad.id_number[17] = '9';
  auto no = client_->verify_identity(bad);
  ASSERT_TRUE(no);
  EXPECT_FALSE(no->verified);
  EXPECT_EQ(no->reasons, std::vector<std::string>{"证件号码校验不通过"});
}

TEST_F(BackendTest, ComparesAFaceWithTheRegisterPhoto) {
  // The made-up citizen's register photo is Debian's portrait of Grace Hopper.
  auto same = client_->verify_identity(
      kCitizen, testing::platform_crop(camera::sim::load_picture(camera::sim::kGraceHopper)));
  ASSERT_TRUE(same) << same.error().message;
  EXPECT_TRUE(same->verified);
  EXPECT_EQ(same->face, "matched");
  ASSERT_TRUE(same->face_score && same->face_threshold);
  EXPECT_LE(*same->face_score, *same->face_threshold);

  auto other = client_->verify_identity(
      kCitizen, testing::platform_crop(camera::sim::load_picture(camera::sim::kMessi)));
  ASSERT_TRUE(other);
  EXPECT_FALSE(other->verified);
  EXPECT_EQ(other->face, "not-matched");
  EXPECT_GT(*other->face_score, *other->face_threshold);
  EXPECT_EQ(other->reasons, std::vector<std::string>{"人像与登记照片不符"});

  // Someone the register has no photo of cannot be compared, so is not verified.
  Applicant stranger{"110101199003074514", "王小明", "20400115"};
  auto unknown = client_->verify_identity(
      stranger, testing::platform_crop(camera::sim::load_picture(camera::sim::kGraceHopper)));
  ASSERT_TRUE(unknown);
  EXPECT_FALSE(unknown->verified);
  EXPECT_EQ(unknown->face, "no-register-photo");
}

TEST_F(BackendTest, AnUnusableFacePictureIsSaidSo) {
  // Headers without pixels, a picture too small or too large, and no picture at all.
  for (const std::string& unusable : {png_header(480, 640), png_header(16, 16),
                                      png_header(30000, 30000), std::string("not an image")}) {
    auto r = client_->verify_identity(kCitizen, unusable);
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->verified);
    EXPECT_EQ(r->face, "unusable");
  }
  // A real picture without a face.
  std::vector<uchar> wall;
  cv::imencode(".png", cv::Mat(300, 300, CV_8UC3, cv::Scalar(120, 130, 125)), wall);
  auto r = client_->verify_identity(kCitizen, std::string(wall.begin(), wall.end()));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->face, "unusable");
}

// Anyone who could call POST /v1/_eid would get a valid code for any identity: it is served to
// demos and tests only (--fault-switches), with bounded fields, and the codes it keeps are bounded.
TEST_F(BackendTest, TheEidStandInIsServedOnlyWithTheFaultSwitches) {
  const std::string body =
      R"({"id_number":"440605199003072315","name":"陈晓明","valid_to":"20400115"})";
  auto closed = client_->exchange("POST", "/v1/_eid", body);
  ASSERT_TRUE(closed) << closed.error().message;
  EXPECT_EQ(closed->status, 404);

  backend::ReferenceBackend demo({.clock = &testing::test_clock(), .fault_switches = true});
  ASSERT_TRUE(demo.start());
  BackendClient client(demo.base_url(), {.timeout = std::chrono::seconds(5)});
  auto open = client.exchange("POST", "/v1/_eid", body);
  ASSERT_TRUE(open);
  EXPECT_EQ(open->status, 200) << open->body;
  auto huge = client.exchange(
      "POST", "/v1/_eid",
      nlohmann::json{{"id_number", "440605199003072315"}, {"name", std::string(200000, 'x')}}
          .dump());
  ASSERT_TRUE(huge);
  EXPECT_TRUE(huge->status == 400 || huge->status == 413) << huge->status;

  for (int i = 0; i < 10050; ++i)
    ASSERT_TRUE(demo.issue_eid({{"id_number", "440605199003072315"}, {"name", "陈晓明"}}));
  EXPECT_EQ(demo.eid_codes_outstanding(), 10000u);
}

TEST_F(BackendTest, UnknownApplicationIsAnError) {
  auto r = client_->application("A999999");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("404"), std::string::npos);
}

// The fault switches, and what the terminal's client makes of each.
TEST_F(BackendTest, RetriesA503WithTheSameKeyAndMakesOneApplication) {
  backend_.set_faults({.fail_every = 2});  // every second request fails
  auto first = client_->submit("NH-SB-0001", kCitizen, "retry-1");
  auto second = client_->submit("NH-SB-0001", kCitizen, "retry-1");
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(first->application_id, second->application_id);
  EXPECT_EQ(backend_.application_count(), 1u);
}

TEST_F(BackendTest, GivesUpAfterItsAttemptsWhenTheBackendKeepsFailing) {
  backend_.set_faults({.fail_every = 1});
  auto r = client_->submit("NH-SB-0001", kCitizen, "down-1");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.code(), Completion::kDeviceNotReady);
  EXPECT_NE(r.error().message.find("503"), std::string::npos) << r.error().message;
  EXPECT_EQ(backend_.application_count(), 0u);
}

TEST_F(BackendTest, CorruptBodyIsInvalidData) {
  backend_.set_faults({.corrupt_bodies = true});
  auto cat = client_->catalogue(backend_.signing_key());
  ASSERT_FALSE(cat);
  EXPECT_EQ(cat.code(), Completion::kInvalidData);
}

TEST_F(BackendTest, DroppedConnectionIsRetriedThenReported) {
  backend_.set_faults({.drop_connections = true});
  auto r = client_->submit("NH-SB-0001", kCitizen, "drop-1");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.code(), Completion::kDeviceNotReady) << r.error().message;
  // The backend did take the application; the retries reused the key, so there is one.
  EXPECT_EQ(backend_.application_count(), 1u);
  backend_.set_faults({});
  auto again = client_->submit("NH-SB-0001", kCitizen, "drop-1");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(backend_.application_count(), 1u);
}

TEST_F(BackendTest, SlowBackendTimesOut) {
  backend_.set_faults({.latency_ms = 300});
  BackendClient impatient(backend_.base_url(),
                          {.timeout = std::chrono::milliseconds(100), .attempts = 1});
  auto r = impatient.catalogue(backend_.signing_key());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.code(), Completion::kTimeout);
}

TEST_F(BackendTest, BadSignatureIsRefused) {
  auto d = client_->submit("NH-SB-0001", kCitizen, "sig-1");
  ASSERT_TRUE(d);
  backend_.set_faults({.bad_signatures = true});
  auto cert = client_->certificate(d->application_id, keyring());
  ASSERT_FALSE(cert);
  EXPECT_EQ(cert.code(), Completion::kInvalidData);
}

TEST(BackendStorage, ApplicationsOutliveARestart) {
  testing::TempDir dir;
  std::string id;
  {
    backend::ReferenceBackend first(
        {.clock = &testing::test_clock(), .database = dir / "backend.db"});
    ASSERT_TRUE(first.start());
    auto d = BackendClient(first.base_url()).submit("NH-SB-0001", kCitizen, "restart-1");
    ASSERT_TRUE(d) << d.error().message;
    id = d->application_id;
  }
  backend::ReferenceBackend second(
      {.clock = &testing::test_clock(), .database = dir / "backend.db"});
  ASSERT_TRUE(second.start());
  BackendClient client(second.base_url());
  EXPECT_EQ(second.application_count(), 1u);
  auto again = client.submit("NH-SB-0001", kCitizen, "restart-1");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->application_id, id);  // the first answer, kept across the restart
  auto found = client.application_by_key("restart-1");
  ASSERT_TRUE(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(found->value().status, "approved");
  EXPECT_EQ(second.application_count(), 1u);
}

// A store written before applications had owners opens, gains the column, and keeps its rows:
// they belong to no terminal, so none can read them; new applications work as before.
TEST(BackendStorage, AStoreFromBeforeOwnersIsUpgradedInPlace) {
  testing::TempDir dir;
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir / "old.db").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db,
                           "CREATE TABLE applications (id TEXT PRIMARY KEY, key TEXT NOT NULL "
                           "UNIQUE, item_code TEXT NOT NULL DEFAULT '', request_digest TEXT NOT "
                           "NULL, request TEXT NOT NULL, response TEXT NOT NULL, status TEXT NOT "
                           "NULL, certificate TEXT NOT NULL, print_state TEXT NOT NULL DEFAULT '');"
                           "INSERT INTO applications VALUES ('A100001', 'old-key', 'NH-SB-0001', "
                           "'x', '', '{\"status\":\"approved\"}', 'approved', '', '');",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  backend::ReferenceBackend upgraded({.clock = &testing::test_clock(), .database = dir / "old.db"});
  ASSERT_TRUE(upgraded.start());
  EXPECT_EQ(upgraded.application_count(), 1u);
  BackendClient client(upgraded.base_url());
  auto old = client.application("A100001");
  ASSERT_FALSE(old);
  EXPECT_NE(old.error().message.find("404"), std::string::npos) << old.error().message;
  auto fresh = client.submit("NH-SB-0001", kCitizen, "after-upgrade");
  ASSERT_TRUE(fresh) << fresh.error().message;
  EXPECT_TRUE(client.application(fresh->application_id));
  EXPECT_EQ(upgraded.application_count(), 2u);
}

TEST(BackendStorage, ApplicantsDataIsSealedAtRest) {
  testing::TempDir dir;
  Applicant citizen = kCitizen;
  citizen.form = {{"phone", "13812345678"}};
  {
    backend::ReferenceBackend backend({.clock = &testing::test_clock(),
                                       .database = dir / "backend.db",
                                       .data_key = dir / "backend.key"});
    ASSERT_TRUE(backend.start());
    auto d = BackendClient(backend.base_url()).submit("NH-GA-0003", citizen, "sealed-1");
    ASSERT_TRUE(d) << d.error().message;
    EXPECT_EQ(d->status, "submitted");
  }
  const std::string bytes = testing::sqlite_file_bytes(dir / "backend.db");
  ASSERT_FALSE(bytes.empty());
  for (const std::string& personal :
       {kCitizen.id_number, kCitizen.name, std::string("13812345678")})
    EXPECT_EQ(bytes.find(personal), std::string::npos) << "found in the clear: " << personal;
  EXPECT_EQ(
      std::filesystem::status(dir / "backend.key").permissions() & std::filesystem::perms::all,
      std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  // The same key opens it again after a restart: the first answer stands.
  backend::ReferenceBackend again({.clock = &testing::test_clock(),
                                   .database = dir / "backend.db",
                                   .data_key = dir / "backend.key"});
  ASSERT_TRUE(again.start());
  auto replay = BackendClient(again.base_url()).submit("NH-GA-0003", citizen, "sealed-1");
  ASSERT_TRUE(replay);
  EXPECT_EQ(again.application_count(), 1u);
}

TEST_F(BackendTest, AReviewDecidesAManualApplicationAndTheCitizenIsNotified) {
  Applicant citizen = kCitizen;
  citizen.form = {{"phone", "13812345678"}};
  auto d = client_->submit("NH-GA-0003", citizen, "review-1");
  ASSERT_TRUE(d) << d.error().message;
  ASSERT_EQ(d->status, "submitted");
  ASSERT_TRUE(backend_.review(d->application_id, "approved"));
  auto now = client_->application(d->application_id);
  ASSERT_TRUE(now);
  EXPECT_EQ(now->status, "approved");
  auto notices = backend_.notifications(d->application_id);
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0].channel, "sms");
  EXPECT_EQ(notices[0].masked_target, "138****5678");
  EXPECT_NE(notices[0].message.find("已审核通过"), std::string::npos);
  // Decided once: a second review is refused, and an instant item is never reviewed.
  EXPECT_FALSE(backend_.review(d->application_id, "rejected"));
  auto instant = client_->submit("NH-SB-0001", kCitizen, "review-2");
  ASSERT_TRUE(instant);
  EXPECT_FALSE(backend_.review(instant->application_id, "approved"));
}

TEST_F(BackendTest, AMailItemRejectedByItsReviewerIsToldByMail) {
  Applicant citizen = kCitizen;
  citizen.form = {{"phone", "13812345678"},
                  {"mail_address", "广东省佛山市南海区桂城街道南海大道1号"}};
  auto d = client_->submit("NH-MZ-0001", citizen, "review-mail");
  ASSERT_TRUE(d) << d.error().message;
  ASSERT_EQ(d->status, "submitted") << (d->reasons.empty() ? "" : d->reasons[0]);
  EXPECT_EQ(d->delivery, "mail");
  ASSERT_TRUE(backend_.review(d->application_id, "rejected", {"婚姻登记信息不一致"}));
  auto now = client_->application(d->application_id);
  ASSERT_TRUE(now);
  EXPECT_EQ(now->status, "rejected");
  EXPECT_EQ(now->reasons, std::vector<std::string>{"婚姻登记信息不一致"});
  auto notices = backend_.notifications(d->application_id);
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0].channel, "mail");
  EXPECT_EQ(notices[0].masked_target, "广东省佛山市****");
}

TEST_F(BackendTest, ABodyOfTheWrongShapeIsRefusedAndTheBackendStaysUp) {
  for (const std::string& body :
       {std::string(R"({"item_code":"NH-SB-0001","applicant":"440605199003072315"})"),
        std::string(R"({"item_code":"NH-SB-0001","applicant":{"id_number":7}})"),
        std::string(R"({"item_code":"NH-SB-0001","applicant":{"id_number":"x","materials":5}})"),
        std::string(R"({"item_code":["NH-SB-0001"],"applicant":{}})")}) {
    auto d = client_->submit_body(body, "shape-" + std::to_string(body.size()));
    ASSERT_FALSE(d) << body;
    EXPECT_EQ(d.code(), Completion::kInvalidData) << body;
    EXPECT_NE(d.error().message.find("HTTP 400"), std::string::npos) << d.error().message;
  }
  EXPECT_TRUE(client_->submit("NH-SB-0001", kCitizen, "after-bad-shapes"));
  EXPECT_FALSE(client_->heartbeat(R"(["not","an","object"])"));
  EXPECT_TRUE(client_->heartbeat("{}"));
}

// Hostile sizes and shapes get the documented JSON error, are stored nowhere, and the backend
// stays up for the next terminal.
TEST_F(BackendTest, DeepOrOversizedBodiesAreRefusedWithAJsonError) {
  const std::string deep = R"({"item_code":"NH-SB-0001","applicant":{"form":)" +
                           std::string(100000, '[') + std::string(100000, ']') + "}}";
  auto too_deep = client_->submit_body(deep, "deep");
  ASSERT_FALSE(too_deep);
  EXPECT_EQ(too_deep.code(), Completion::kInvalidData);
  EXPECT_NE(too_deep.error().message.find("HTTP 400 too-deep: the body nests deeper than 32"),
            std::string::npos)
      << too_deep.error().message;

  const std::string huge =
      R"({"item_code":"NH-SB-0001","applicant":{"name":")" + std::string(5 << 20, 'x') + R"("}})";
  auto too_large = client_->submit_body(huge, "huge");
  ASSERT_FALSE(too_large);
  EXPECT_NE(too_large.error().message.find("HTTP 413 too-large: the body is larger than"),
            std::string::npos)
      << too_large.error().message;

  auto big_beat = client_->heartbeat(R"({"note":")" + std::string(20000, 'x') + R"("})");
  ASSERT_FALSE(big_beat);
  EXPECT_NE(big_beat.error().message.find("HTTP 413"), std::string::npos);
  EXPECT_FALSE(
      client_->heartbeat("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]"
                         "]]]]]]]]]]]]"));

  EXPECT_EQ(backend_.application_count(), 0u);
  EXPECT_TRUE(backend_.terminals().empty());
  EXPECT_TRUE(client_->submit("NH-SB-0001", kCitizen, "after-hostile-bodies"));
}

// The other way round: a backend (or something posing as one) answering with a document nested
// 100,000 deep gets a clear invalid-data error on the terminal, not a crash.
TEST_F(BackendTest, AHostileAnswerIsInvalidDataOnTheTerminal) {
  auto d = client_->submit("NH-SB-0001", kCitizen, "before-hostile");
  ASSERT_TRUE(d) << d.error().message;
  backend_.set_faults({.hostile_bodies = true});
  auto decision = client_->application(d->application_id);
  ASSERT_FALSE(decision);
  EXPECT_EQ(decision.code(), Completion::kInvalidData);
  auto cert = client_->certificate(d->application_id, keyring());
  ASSERT_FALSE(cert);
  EXPECT_EQ(cert.code(), Completion::kInvalidData);
  EXPECT_FALSE(client_->catalogue(backend_.signing_key()));
  backend_.set_faults({});
  EXPECT_TRUE(client_->application(d->application_id));
}

// Peers that connect and say nothing (or start a request and stop) hold a worker each until their
// read times out. Two hundred of them from one address get their 64 connections, the rest are
// closed at once, and an honest terminal beside them is served.
TEST_F(BackendTest, SilentConnectionsDoNotShutTerminalsOut) {
  std::vector<int> silent;
  for (int i = 0; i < 200; ++i) {
    silent.push_back(testing::connect_loopback(testing::port_of(backend_.base_url()),
                                               i % 2 ? "POST /v1/applications HTTP/1.1\r\n" : "",
                                               "127.0.0.2"));
    ASSERT_GE(silent.back(), 0);
  }
  // The client's 2 s deadline is well inside the 5 s the silent peers are allowed.
  EXPECT_TRUE(client_->submit("NH-SB-0001", kCitizen, "beside-silent-peers"));
  EXPECT_TRUE(client_->heartbeat("{}"));
  EXPECT_EQ(backend_.connection_counters().refused_per_peer, 136u);
  for (int fd : silent) ::close(fd);
}

// A header line over cpp-httplib's 8 KB limit is refused before the rest of the request is read.
// The connection must end with that answer: kept open, the unread body would be taken as the
// client's next request, and a request hidden in a body would be served (request smuggling).
TEST_F(BackendTest, ARequestRefusedUnreadEndsItsConnection) {
  const std::string smuggled = "GET /v1/terminals HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::string long_head = "X-Journal-Head: " + std::string(9000, 'a') + "\r\n";
  for (const std::string method : {"POST", "HEAD"}) {
    SCOPED_TRACE(method);
    const std::string request = method + " /v1/applications HTTP/1.1\r\nHost: x\r\n" + long_head +
                                "Content-Length: " + std::to_string(smuggled.size()) + "\r\n\r\n" +
                                smuggled;
    const int fd = testing::connect_loopback(testing::port_of(backend_.base_url()), request);
    ASSERT_GE(fd, 0);
    auto answer = testing::read_until_closed(fd);
    ::close(fd);
    ASSERT_TRUE(answer) << "the connection was left open";
    EXPECT_EQ(answer->rfind("HTTP/1.1 400", 0), 0u) << *answer;
    EXPECT_NE(answer->find("Connection: close"), std::string::npos) << *answer;
    EXPECT_NE(answer->find(R"("code":"bad-request")"), std::string::npos) << *answer;
    EXPECT_EQ(answer->find("HTTP/1.1", 1), std::string::npos) << "a second answer: " << *answer;
  }
  EXPECT_TRUE(client_->submit("NH-SB-0001", kCitizen, "after-a-long-header"));
}

// One address holds no more than its share of connections: the next one is closed at once while
// another address is served, and once the first lets go it is served again.
TEST(ConnectionGate, OneAddressHoldsNoMoreThanItsShare) {
  backend::ReferenceBackend backend(
      {.clock = &testing::test_clock(), .connection_limits = {.per_peer = 4}});
  ASSERT_TRUE(backend.start());
  const int port = testing::port_of(backend.base_url());
  const std::string health = "GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  std::vector<int> held;
  for (int i = 0; i < 4; ++i) held.push_back(testing::connect_loopback(port, "", "127.0.0.2"));
  const int fifth = testing::connect_loopback(port, health, "127.0.0.2");
  ASSERT_GE(fifth, 0);
  auto refused = testing::read_until_closed(fifth);
  ::close(fifth);
  ASSERT_TRUE(refused) << "the connection over the limit was left open";
  EXPECT_EQ(*refused, "");
  EXPECT_EQ(backend.connection_counters().refused_per_peer, 1u);

  const int other = testing::connect_loopback(port, health, "127.0.0.3");
  auto served = testing::read_until_closed(other);
  ::close(other);
  ASSERT_TRUE(served);
  EXPECT_EQ(served->rfind("HTTP/1.1 200", 0), 0u) << *served;

  for (int fd : held) ::close(fd);
  // The gate sees the closes on its own thread: ask until it has.
  EXPECT_TRUE(testing::poll_until([&] {
    const int again = testing::connect_loopback(port, health, "127.0.0.2");
    auto answer = testing::read_until_closed(again);
    ::close(again);
    return answer && answer->rfind("HTTP/1.1 200", 0) == 0;
  }));
}

// A request trickled a byte at a time keeps each read inside the server's read timeout, forever;
// the gate cuts it when no answer has begun within the request deadline.
TEST(ConnectionGate, ATrickledRequestIsCutAtItsDeadline) {
  backend::ReferenceBackend backend(
      {.clock = &testing::test_clock(),
       .connection_limits = {.request_deadline = std::chrono::milliseconds(300)}});
  ASSERT_TRUE(backend.start());
  const int fd = testing::connect_loopback(testing::port_of(backend.base_url()), "P");
  ASSERT_GE(fd, 0);
  const std::string rest = "OST /v1/applications HTTP/1.1\r\n";
  bool cut = false;
  // A byte every 50 ms, for at most 10 s (the server alone would wait for ever).
  for (size_t i = 0; i < 200 && !cut; ++i) {
    pollfd p{.fd = fd, .events = POLLIN, .revents = 0};
    if (::poll(&p, 1, 50) > 0) {
      char c;
      cut = ::read(fd, &c, 1) <= 0;
    } else {
      const std::string byte = i < rest.size() ? rest.substr(i, 1) : "X-Pad: 1\r\n";
      cut = ::send(fd, byte.data(), byte.size(), MSG_NOSIGNAL) < 0;
    }
  }
  ::close(fd);
  EXPECT_TRUE(cut) << "a trickling peer was still connected after 10 s";
  EXPECT_EQ(backend.connection_counters().cut_by_deadline, 1u);
}

// An older catalogue, signed with the right key, served again (a replay, or a backend rolled
// back): the terminal keeps the newer one it already has.
TEST(CatalogueReplay, AnOlderVersionIsRefusedAndTheNewerOneStays) {
  testing::TempDir dir;
  backend::ReferenceBackend current({.clock = &testing::test_clock()});
  ASSERT_TRUE(current.start());
  auto pem = current.signing_key().private_pem();
  ASSERT_TRUE(pem);
  auto old_file = nlohmann::json::parse(
      testing::read_file(testing::source_dir() / "backend/data/catalogue.json"));
  old_file["version"] = "2026.1.1";
  old_file["items"] = nlohmann::json::array({old_file["items"][0]});
  std::ofstream(dir / "old.json") << old_file.dump();
  backend::ReferenceBackend replayed({.catalogue_path = dir / "old.json",
                                      .clock = &testing::test_clock(),
                                      .signing_key_pem = pem.value()});
  ASSERT_TRUE(replayed.start());

  const auto cache = dir / "catalogue.json";
  auto first = BackendClient(current.base_url()).catalogue(current.signing_key(), cache);
  ASSERT_TRUE(first) << first.error().message;
  auto second = BackendClient(replayed.base_url()).catalogue(current.signing_key(), cache);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->version, first->version);
  EXPECT_EQ(second->items.size(), first->items.size());
}

// A catalogue is signed with an expiry: past it, even the last good copy is not served.
TEST(CatalogueExpiry, AnExpiredCatalogueIsNotServed) {
  testing::TempDir dir;
  FakeClock clock(FakeClock::local_time("2026-11-22 10:00:00"));
  auto t = testing::FakeTerminal::start(dir.path(), true, &clock);
  ASSERT_TRUE(t) << t.error().message;
  auto fresh = t.value()->engine().catalogue();
  ASSERT_TRUE(fresh) << fresh.error().message;
  EXPECT_GT(fresh->expires_at_ms, clock.unix_ms());
  clock.advance(std::chrono::hours(24 * 31));
  auto stale = t.value()->engine().catalogue();
  ASSERT_FALSE(stale);
  EXPECT_NE(stale.error().message.find("expired"), std::string::npos) << stale.error().message;
}

TEST(JsonDepth, CountsOnlyStructureOutsideStrings) {
  EXPECT_TRUE(json_depth_within(R"({"a":[1,{"b":"[[[[[[[[[["}]})", 3));
  EXPECT_FALSE(json_depth_within(R"({"a":[1,{"b":[[]]}]})", 4));
  EXPECT_TRUE(json_depth_within(R"({"a":"\"[[[["})", 1));
}

TEST_F(BackendTest, HeartbeatsAreKeptPerTerminal) {
  ASSERT_TRUE(client_->heartbeat(R"({"printer":"ready","queue_waiting":0})"));
  ASSERT_TRUE(client_->heartbeat(R"({"printer":"media-empty","queue_waiting":2})"));
  auto seen = backend_.terminals();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].terminal_id, "SMZC-DEV-0001");
  EXPECT_NE(seen[0].report.find("media-empty"), std::string::npos);  // the latest report
  EXPECT_GT(seen[0].at_ms, 0);
}

TEST_F(BackendTest, ELicencesAreFoundForResidentsOnly) {
  auto found = client_->lookup_elicense(kCitizen.id_number, "business_licence");
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(found->value().rfind("EL-business_licence-", 0), 0u);
  auto none = client_->lookup_elicense("YNC440000000001", "business_licence");
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
}

TEST(BackendDown, UnreachableBackendIsDeviceNotReady) {
  auto port = find_free_loopback_port();
  ASSERT_TRUE(port);
  BackendClient client("http://127.0.0.1:" + std::to_string(port.value()));
  auto key = certs::Sm2Key::generate();
  ASSERT_TRUE(key);
  auto cat = client.catalogue(key.value());
  ASSERT_FALSE(cat);
  EXPECT_EQ(cat.code(), Completion::kDeviceNotReady);
}

}  // namespace
}  // namespace smzc::services

namespace smzc::services {
namespace {

// Every body is checked against its operation's schema in docs/backend-openapi.yaml before a
// route reads it: what the description says is what the backend accepts.
TEST(RequestValidation, EveryOperationWithABodyHasItsSchemaFromTheDescription) {
  auto validator = backend::RequestValidator::load(backend::default_description_path());
  ASSERT_TRUE(validator) << validator.error().message;
  const auto ops = validator.value()->operations();
  for (const char* op :
       {"POST /v1/applications", "POST /v1/identity/verify", "POST /v1/elicenses/lookup",
        "POST /v1/applications/{id}/reprint", "POST /v1/applications/{id}/print-confirmation",
        "POST /v1/terminals/{terminal_id}/heartbeat"})
    EXPECT_NE(std::find(ops.begin(), ops.end(), op), ops.end()) << op;
}

TEST(RequestValidation, ABodyTheSchemaRefusesIs400NamingWhere) {
  backend::ReferenceBackend backend({.clock = &testing::test_clock()});
  ASSERT_TRUE(backend.start());
  BackendClient client(backend.base_url(), {.attempts = 1});
  auto refused = [&](const std::string& path, const std::string& body, const std::string& where) {
    auto r = client.exchange("POST", path, body, {"Idempotency-Key: validation"});
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->status, 400) << path << " " << body;
    EXPECT_EQ(error_code_of(r->body), ProtocolError::kBadJson) << r->body;
    EXPECT_NE(r->body.find(where), std::string::npos) << r->body;
  };
  refused("/v1/applications",
          R"({"item_code":"NH-SB-0001","applicant":{"id_number":7,"name":"陈晓明"}})",
          "applicant.id_number");
  refused("/v1/applications", R"({"item_code":"NH-SB-0001","applicant":{"id_number":"4406"}})",
          "applicant");
  refused("/v1/terminals/T1/heartbeat", R"({"queue_waiting":-1})", "queue_waiting");
  refused("/v1/elicenses/lookup", R"({"id_number":"440605199003072315","material":""})",
          "material");
  EXPECT_EQ(backend.application_count(), 0u);
  // What the terminal sends passes.
  EXPECT_TRUE(
      client.heartbeat(R"({"queue_waiting":0,"devices":{},"journal_head":{"seq":0,"hash":""}})"));
}

}  // namespace
}  // namespace smzc::services

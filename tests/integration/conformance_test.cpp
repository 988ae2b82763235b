// The conformance suite against the reference backend: plain, over mutual TLS, and with each fault
// switch on, where it must fail the right lines and only those.
#include <gtest/gtest.h>

#include <optional>
#include <set>

#include "backend/reference_backend.h"
#include "drivers/camera/scenes.h"
#include "face/check.h"
#include "services/conformance.h"
#include "tests/support/face_support.h"
#include "tests/support/test_support.h"

namespace smzc::services {
namespace {

// The checks that failed, by name (with what was seen, when `detailed`, for messages).
std::set<std::string> failed_names(const std::vector<ConformanceCheck>& checks,
                                   bool detailed = false) {
  std::set<std::string> names;
  for (const auto& c : checks)
    if (!c.passed) names.insert(detailed ? c.name + ": " + c.detail : c.name);
  return names;
}

std::set<std::string> failed(const std::vector<ConformanceCheck>& checks) {
  return failed_names(checks, true);
}

std::string citizen_face_crop();

class Conformance : public ::testing::Test {
 protected:
  std::vector<ConformanceCheck> run(const std::string& run_id) {
    const BackendClient::Options options{.timeout = std::chrono::seconds(10), .attempts = 1};
    ConformanceOptions suite{.backend_key_pem = backend_.signing_key().public_pem().value(),
                             .citizen_face = citizen_face_crop(),
                             .run_id = run_id};
    return run_conformance(BackendClient(backend_.base_url(), options), options, suite);
  }
  void SetUp() override { ASSERT_TRUE(backend_.start()); }
  backend::ReferenceBackend backend_{{.clock = &testing::test_clock()}};
};

TEST_F(Conformance, TheReferenceBackendPassesEveryCheck) {
  const auto checks = run("plain");
  EXPECT_GE(checks.size(), 26u);
  EXPECT_EQ(failed(checks), std::set<std::string>{});
  // On plain HTTP there is no certificate to claim a name against.
  EXPECT_TRUE(checks.back().skipped);
}

// A decision that takes a few polls is waited for, as a terminal waits.
TEST_F(Conformance, PendingDecisionsAreWaitedFor) {
  backend_.set_faults({.pending_polls = 3});
  EXPECT_EQ(failed(run("pending")), std::set<std::string>{});
}

TEST_F(Conformance, CertificatesSignedByAnotherKeyFailOnlyTheirLine) {
  backend_.set_faults({.bad_signatures = true});
  EXPECT_EQ(failed_names(run("rogue")), std::set<std::string>{"certificate-verifies"});
}

TEST_F(Conformance, AnswersThatAreNotJsonFailTheLinesThatReadThem) {
  backend_.set_faults({.corrupt_bodies = true});
  const auto names = failed_names(run("corrupt"));
  for (const char* line : {"health", "backend-key", "catalogue-signature", "apply-decides",
                           "error-bad-json", "error-unknown-item"})
    EXPECT_TRUE(names.count(line)) << line;
  // A 304 has no body to corrupt, and nothing else can be checked without the catalogue.
  EXPECT_GT(names.size(), 15u);
}

TEST_F(Conformance, AnOverloadedBackendFailsWhereItRefused) {
  backend_.set_faults({.fail_every = 1});
  const auto checks = run("overloaded");
  EXPECT_EQ(failed_names(checks).size(), checks.size() - 1);  // all but the skipped one
}

// Slow answers and decisions that take a few polls are within the protocol; every other fault
// switch breaks something the suite checks.
TEST_F(Conformance, EachFaultSwitchPassesOrFailsAsItShould) {
  using Faults = backend::ReferenceBackend::Faults;
  const std::vector<std::pair<std::string, Faults>> within = {{"latency", {.latency_ms = 20}},
                                                              {"pending", {.pending_polls = 2}}};
  for (const auto& [name, faults] : within) {
    backend_.set_faults(faults);
    EXPECT_EQ(failed(run("within-" + name)), std::set<std::string>{}) << name;
  }
  const std::vector<std::pair<std::string, Faults>> broken = {{"fail-every", {.fail_every = 3}},
                                                              {"drop", {.drop_connections = true}},
                                                              {"corrupt", {.corrupt_bodies = true}},
                                                              {"hostile", {.hostile_bodies = true}},
                                                              {"rogue", {.bad_signatures = true}}};
  for (const auto& [name, faults] : broken) {
    backend_.set_faults(faults);
    EXPECT_FALSE(failed_names(run("broken-" + name)).empty()) << name;
  }
}

// The reference backend over mutual TLS, with the development PKI's certificates (terminal and
// terminal2 are two terminals).
class MutualTlsBackend : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string make = (testing::source_dir() / "packaging/make-dev-pki.sh").string();
    ASSERT_EQ(std::system((make + " '" + pki_.path().string() + "'").c_str()), 0);
    backend_.emplace(backend::ReferenceBackend::Options{.clock = &testing::test_clock(),
                                                        .tls_cert = pki_ / "server.pem",
                                                        .tls_key = pki_ / "server.key",
                                                        .client_ca = pki_ / "ca.pem"});
    ASSERT_TRUE(backend_->start());
  }
  // The client options of the terminal `id` whose certificate is `file`.pem.
  BackendClient::Options terminal(const std::string& id, const std::string& file) const {
    return {.timeout = std::chrono::seconds(10),
            .terminal_id = id,
            .attempts = 1,
            .ca_file = pki_ / "ca.pem",
            .client_cert = pki_ / (file + ".pem"),
            .client_key = pki_ / (file + ".key")};
  }
  testing::TempDir pki_;
  std::optional<backend::ReferenceBackend> backend_;
};

TEST_F(MutualTlsBackend, PassesEveryConformanceCheckIncludingTheTerminalsName) {
  const auto options = terminal("SMZC-DEV-0001", "terminal");
  const auto checks =
      run_conformance(BackendClient(backend_->base_url(), options), options,
                      {.backend_key_pem = backend_->signing_key().public_pem().value(),
                       .citizen_face = citizen_face_crop(),
                       .run_id = "mtls"});
  EXPECT_EQ(failed(checks), std::set<std::string>{});
  ASSERT_FALSE(checks.empty());
  EXPECT_EQ(checks.back().name, "terminal-mismatch");
  EXPECT_FALSE(checks.back().skipped);
}

// The test citizen's face as a terminal crops it (the register holds their photo).
std::string citizen_face_crop() {
  static const std::string crop =
      testing::platform_crop(camera::sim::load_picture(camera::sim::kGraceHopper));
  return crop;
}

// 办理进度 across terminals, each with its own client certificate: the applicant's list is the
// same at any terminal, once the platform has verified them there; a certificate made at one is
// collected at another, which takes it over (the first no longer reads it); only its applicant
// may collect it, and only until it printed.
TEST_F(MutualTlsBackend, ACertificateIsCollectedAtAnotherTerminalWhichTakesItOver) {
  const BackendClient made_at(backend_->base_url(), terminal("SMZC-DEV-0001", "terminal"));
  const BackendClient collected_at(backend_->base_url(), terminal("SMZC-DEV-0002", "terminal2"));
  const Applicant citizen{"440605199003072315", "陈晓明", "20400101", "19900307", {}, {}, {}, {}};
  auto decision = made_at.submit("NH-SB-0001", citizen, "collect-test");
  ASSERT_TRUE(decision) << decision.error().message;
  ASSERT_EQ(decision->status, "approved");
  const std::string id = decision->application_id;

  // The citizen at the second terminal: their face verified there grants a session.
  auto verified = collected_at.verify_identity(citizen, citizen_face_crop());
  ASSERT_TRUE(verified) << verified.error().message;
  ASSERT_TRUE(verified->verified);
  const std::string session = verified->citizen_session;
  ASSERT_FALSE(session.empty());

  auto listed = collected_at.applications_of(citizen.id_number, session);
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().application_id, id);
  EXPECT_TRUE(listed->front().collectable());

  EXPECT_FALSE(collected_at.certificate_json(id)) << "not this terminal's until collected";
  ASSERT_TRUE(collected_at.collect_certificate(id, citizen.id_number, session));
  EXPECT_TRUE(collected_at.certificate_json(id));
  EXPECT_FALSE(made_at.certificate_json(id)) << "the collecting terminal took it over";
  ASSERT_TRUE(collected_at.confirm_print(id, 1, "completed"));
  auto again = collected_at.collect_certificate(id, citizen.id_number, session);
  ASSERT_FALSE(again);
  EXPECT_NE(again.error().message.find("not-approved"), std::string::npos) << again.error().message;

  // The citizen leaves: their session ends, and nothing of theirs is served in it any more.
  ASSERT_TRUE(collected_at.end_citizen_session(session));
  auto after = collected_at.applications_of(citizen.id_number, session);
  ASSERT_FALSE(after);
  EXPECT_NE(after.error().message.find("citizen-session-required"), std::string::npos)
      << after.error().message;
}

// What did not hold before citizen sessions (#30): an ID number alone opened a citizen's records
// from any terminal certificate. Now it opens nothing; nor does another terminal's session, nor
// a session for someone else, nor one that ended.
TEST_F(MutualTlsBackend, AnIdNumberAloneOpensNothing) {
  const BackendClient here(backend_->base_url(), terminal("SMZC-DEV-0001", "terminal"));
  const BackendClient elsewhere(backend_->base_url(), terminal("SMZC-DEV-0002", "terminal2"));
  const Applicant citizen{"440605199003072315", "陈晓明", "20400101", "19900307", {}, {}, {}, {}};
  auto decision = here.submit("NH-SB-0001", citizen, "session-test");
  ASSERT_TRUE(decision) << decision.error().message;
  const std::string id = decision->application_id;
  auto refused_with = [](const auto& r) { return r ? std::string("served") : r.error().message; };

  // Nothing but the ID number: 401, for the list and for collecting.
  EXPECT_NE(refused_with(elsewhere.applications_of(citizen.id_number, "")).find("401"),
            std::string::npos);
  EXPECT_NE(refused_with(elsewhere.collect_certificate(id, citizen.id_number, "")).find("401"),
            std::string::npos);
  // A made-up token: 401.
  EXPECT_NE(refused_with(elsewhere.applications_of(citizen.id_number, "cs1.0123456789abcdef"))
                .find("citizen-session-required"),
            std::string::npos);

  // A session granted at one terminal, replayed from another: 403.
  auto verified = here.verify_identity(citizen, citizen_face_crop());
  ASSERT_TRUE(verified && verified->verified);
  const std::string session = verified->citizen_session;
  EXPECT_NE(refused_with(elsewhere.applications_of(citizen.id_number, session))
                .find("citizen-session-mismatch"),
            std::string::npos);
  EXPECT_NE(refused_with(elsewhere.collect_certificate(id, citizen.id_number, session))
                .find("citizen-session-mismatch"),
            std::string::npos);
  // The same session for someone else's ID number: 403.
  EXPECT_NE(refused_with(here.applications_of("110101199003074514", session))
                .find("citizen-session-mismatch"),
            std::string::npos);
  // A face that is not the register's grants nothing.
  auto impostor = here.verify_identity(citizen, testing::platform_crop(testing::another_person()));
  ASSERT_TRUE(impostor);
  EXPECT_FALSE(impostor->verified);
  EXPECT_TRUE(impostor->citizen_session.empty());
  // Within its own session at its own terminal, the citizen is served.
  EXPECT_TRUE(here.applications_of(citizen.id_number, session));
  EXPECT_EQ(backend_->citizen_sessions(), 1u);
}

}  // namespace
}  // namespace smzc::services

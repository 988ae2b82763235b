// The transaction engine through real parts: the reader simulator on a pty, ippeveprinter, the
// reference backend on loopback, and an SQLite journal.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "backend/reference_backend.h"
#include "certs/render.h"
#include "certs/verify_code.h"
#include "drivers/idcard/simulator.h"
#include "drivers/printer/ippeve.h"
#include "services/heartbeat.h"
#include "services/transaction_engine.h"
#include "tests/support/simulated_terminal.h"
#include "tests/support/test_support.h"

namespace smzc::services {
namespace {

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = testing::SimulatedTerminal::start(dir_.path());
    ASSERT_TRUE(t) << t.error().message;
    terminal_ = std::move(t.value());
    reader_sim_ = terminal_->reader_sim.get();
    reader_ = terminal_->reader;
    printer_sim_ = terminal_->printer_sim.get();
    printer_ = terminal_->printer;
    backend_ = terminal_->backend.get();
    client_ = terminal_->client;
    journal_ = terminal_->journal;
    ledger_ = terminal_->ledger;
    engine_ = terminal_->engine;
    card_ = terminal_->card;
  }

  ServiceItem item() {
    auto cat = engine_->catalogue();
    EXPECT_TRUE(cat);
    return cat->items.at(0);
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::SimulatedTerminal> terminal_;
  idcard::ReaderSimulator* reader_sim_ = nullptr;
  idcard::CardReader* reader_ = nullptr;
  printer::IppEvePrinter* printer_sim_ = nullptr;
  printer::IppPrinter* printer_ = nullptr;
  backend::ReferenceBackend* backend_ = nullptr;
  BackendClient* client_ = nullptr;
  Journal* journal_ = nullptr;
  PrintLedger* ledger_ = nullptr;
  TransactionEngine* engine_ = nullptr;
  idcard::IdentityCard card_;
};

TEST_F(EngineTest, WalksAnInstantItemToAPrintedCertificate) {
  reader_sim_->lay_card(card_);
  auto citizen = engine_->identify();
  ASSERT_TRUE(citizen) << citizen.error().message;
  EXPECT_EQ(citizen->masked_id_number, "440605********2315");
  EXPECT_EQ(citizen->masked_name, "陈**");

  std::vector<Step> seen;
  Outcome outcome = engine_->process(item(), [&](Step s) { seen.push_back(s); });
  ASSERT_EQ(outcome.status, OutcomeStatus::kPrinted) << outcome.reason;
  EXPECT_EQ(outcome.job_state, printer::JobState::kCompleted);
  EXPECT_EQ(seen, (std::vector<Step>{Step::kForm, Step::kMaterials, Step::kApply, Step::kApprove,
                                     Step::kFetchCertificate, Step::kVerify, Step::kRender,
                                     Step::kPrint}));
  EXPECT_EQ(outcome.timings_ms.size(), 10u);

  auto docs = printer_sim_->received_documents();
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_NE(testing::pdf_text(docs[0]).find("社会保险参保缴费凭证"), std::string::npos);
}

// A simulated terminal printing through a CUPS queue, its citizen identified and its catalogue
// fetched; nothing (the test fails) when one of them does not come.
struct CupsTerminal {
  std::unique_ptr<testing::SimulatedTerminal> terminal;
  services::Catalogue catalogue;
  static std::optional<CupsTerminal> start(const std::filesystem::path& dir) {
    auto t = testing::SimulatedTerminal::start(dir, false, /*through_cups=*/true);
    if (!t) {
      ADD_FAILURE() << t.error().message;
      return std::nullopt;
    }
    t.value()->reader_sim->lay_card(t.value()->card);
    auto citizen = t.value()->engine->identify();
    auto cat = t.value()->engine->catalogue();
    if (!citizen || !cat) {
      ADD_FAILURE() << "no citizen or no catalogue";
      return std::nullopt;
    }
    return CupsTerminal{std::move(t.value()), std::move(cat.value())};
  }
};

// Through a CUPS queue, which keeps a finished job's document for a day unless told: once the
// certificate has printed, nothing of it is left in the scheduler's spool or job history.
TEST(EngineThroughCups, APrintedCertificateLeavesNothingInTheSpool) {
  testing::TempDir dir;
  auto t = CupsTerminal::start(dir.path());
  ASSERT_TRUE(t);
  auto& terminal = *t->terminal;
  const auto* cat = &t->catalogue;
  Outcome outcome = terminal.engine->process(cat->items.at(0), [](Step) {});
  ASSERT_EQ(outcome.status, OutcomeStatus::kPrinted) << outcome.reason;
  EXPECT_EQ(terminal.printer_sim->received_documents().size(), 1u);
  EXPECT_TRUE(terminal.cups->spooled_files().empty());
  auto named = terminal.printer->jobs_named(outcome.certificate_serial);
  ASSERT_TRUE(named);
  EXPECT_TRUE(named->empty());
}

// A queue that ends a job "completed" while its printer reported a jam during it has not said
// whether the certificate came out: the ledger records "unknown" (so only a technician's
// authorisation prints it again) and the citizen is sent to staff.
TEST(EngineThroughCups, ACompletionTheQueueCannotVouchForIsUnknownNotPrinted) {
  testing::TempDir dir;
  auto t = CupsTerminal::start(dir.path());
  ASSERT_TRUE(t);
  auto& terminal = *t->terminal;
  const auto* cat = &t->catalogue;
  ASSERT_TRUE(terminal.printer_sim->set_fault("late:media-jam"));
  Outcome outcome = terminal.engine->process(cat->items.at(0), [](Step) {});
  EXPECT_EQ(outcome.status, OutcomeStatus::kFailed);
  EXPECT_EQ(outcome.notice, Notice::kPrinterLost);
  auto entry = terminal.ledger->find(outcome.certificate_serial);
  ASSERT_TRUE(entry && entry.value());
  EXPECT_EQ(entry.value()->state, PrintState::kUnknown);
  EXPECT_EQ(terminal.printer_sim->received_documents().size(), 1u);
}

TEST_F(EngineTest, JournalsEachStepBeforeItsEffectAndNeverTheFullIdNumber) {
  reader_sim_->lay_card(card_);
  ASSERT_TRUE(engine_->identify());
  Outcome outcome = engine_->process(item());
  ASSERT_EQ(outcome.status, OutcomeStatus::kPrinted) << outcome.reason;
  auto entries = journal_->entries(outcome.transaction_id);
  ASSERT_TRUE(entries);
  std::vector<std::string> steps;
  for (const auto& e : entries.value()) {
    steps.push_back(e.step);
    EXPECT_EQ(e.detail.find(card_.id_number), std::string::npos) << e.detail;
    EXPECT_EQ(e.detail.find(card_.name), std::string::npos) << e.detail;
  }
  const std::vector<std::string> expected = {"read_card.begin",
                                             "read_card.done",
                                             "identify.begin",
                                             "identify.done",
                                             "form.begin",
                                             "form.done",
                                             "materials.begin",
                                             "materials.done",
                                             "apply.begin",
                                             "apply.done",
                                             "approve.begin",
                                             "approve.done",
                                             "fetch_certificate.begin",
                                             "fetch_certificate.done",
                                             "verify.begin",
                                             "verify.done",
                                             "render.begin",
                                             "render.done",
                                             "print.begin",
                                             "print.done",
                                             "done"};
  EXPECT_EQ(steps, expected);
  auto verified = journal_->verify();
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_EQ(verified->unkeyed, 0u) << "a terminal's journal is keyed with its data key";
  // The application anchored the journal's head at the backend (its apply.begin entry), and the
  // anchor is an entry of this journal; a heartbeat anchors the head as it is now.
  auto anchor = client_->journal_anchor();
  ASSERT_TRUE(anchor) << anchor.error().message;
  ASSERT_TRUE(anchor->has_value());
  const auto& anchored = anchor->value();
  EXPECT_LT(anchored.seq, verified->head_seq);
  EXPECT_EQ(journal_->hash_at(anchored.seq), anchored.hash);
  ASSERT_TRUE(Heartbeat(*terminal_->terminal, {}).beat("timer"));
  auto after = client_->journal_anchor();
  ASSERT_TRUE(after && after->has_value());
  EXPECT_EQ(after->value().seq, journal_->head().first);
  EXPECT_EQ(after->value().hash, journal_->head().second);
}

TEST_F(EngineTest, ExpiredCardStopsAtIdentify) {
  card_.valid_to = "20200101";
  reader_sim_->lay_card(card_);
  auto citizen = engine_->identify();
  ASSERT_FALSE(citizen);
  EXPECT_EQ(citizen.code(), Completion::kUserError);
  EXPECT_EQ(engine_->current().failed_step, Step::kIdentify);
  EXPECT_EQ(backend_->application_count(), 0u);
  EXPECT_TRUE(printer_sim_->received_documents().empty());
}

TEST_F(EngineTest, EndSessionForgetsTheCitizenAndTheDocument) {
  reader_sim_->lay_card(card_);
  ASSERT_TRUE(engine_->identify());
  Outcome outcome = engine_->process(item());
  ASSERT_EQ(outcome.status, OutcomeStatus::kPrinted) << outcome.reason;
  ASSERT_TRUE(std::filesystem::exists(outcome.document));
  engine_->end_session();
  EXPECT_FALSE(std::filesystem::exists(outcome.document));
  Outcome again = engine_->process(item());
  EXPECT_EQ(again.status, OutcomeStatus::kFailed);
  EXPECT_EQ(backend_->application_count(), 1u);
}

}  // namespace
}  // namespace smzc::services

namespace smzc::services {
namespace {

// Printing exactly once, through faults, with the print ledger.
class EnginePrintTest : public EngineTest {
 protected:
  std::string approved_application() {
    reader_sim_->lay_card(card_);
    EXPECT_TRUE(engine_->identify());
    auto decision =
        client_->submit("NH-SB-0001", {card_.id_number, card_.name, card_.valid_to}, "print-test");
    EXPECT_TRUE(decision);
    return decision->application_id;
  }
  // Waits until the printer reports it can print (it takes a moment after a technician acts).
  void wait_until_printer_ready() {
    ASSERT_TRUE(testing::poll_until([this] {
      auto st = printer_->query();
      return st && st->can_print();
    })) << "the printer did not become ready";
  }
  std::optional<LedgerEntry> ledger_entry(const std::string& serial) {
    auto e = ledger_->find(serial);
    EXPECT_TRUE(e);
    return e.value();
  }
};

TEST_F(EnginePrintTest, JamMidCertificateIsToldPlainlyAndARetryPrintsItOnce) {
  const std::string app = approved_application();
  ASSERT_TRUE(printer_sim_->set_fault("media-jam"));
  Outcome jammed = engine_->print_certificate(app);
  EXPECT_EQ(jammed.status, OutcomeStatus::kFailed);
  EXPECT_EQ(jammed.failed_step, Step::kPrint);
  EXPECT_EQ(jammed.notice, Notice::kPrintStopped);
  EXPECT_EQ(jammed.printer_reason, "media-jam");
  // Cancel asked for, not yet confirmed by the printer: the attempt stays open in the ledger.
  EXPECT_EQ(ledger_entry(jammed.certificate_serial)->state, PrintState::kSubmitted);

  ASSERT_TRUE(printer_sim_->set_fault(""));  // the technician clears the jam
  wait_until_printer_ready();
  Outcome retried = engine_->print_certificate(app);
  ASSERT_EQ(retried.status, OutcomeStatus::kPrinted) << retried.reason;
  EXPECT_EQ(retried.certificate_serial, jammed.certificate_serial);
  auto entry = ledger_entry(retried.certificate_serial);
  EXPECT_EQ(entry->state, PrintState::kCompleted);
  EXPECT_EQ(entry->attempts, 2);

  Outcome again = engine_->print_certificate(app);
  EXPECT_EQ(again.status, OutcomeStatus::kFailed);
  EXPECT_NE(again.reason.find("printed already"), std::string::npos) << again.reason;
  // Two attempts reached the printer (the jammed one and the retry); the third never did.
  EXPECT_EQ(printer_sim_->received_documents().size(), 2u);
}

TEST_F(EnginePrintTest, AJobAbortedByAJamTellsTheCitizenWhy) {
  const std::string app = approved_application();
  ASSERT_TRUE(printer_sim_->set_fault("abort:media-jam"));
  Outcome jammed = engine_->print_certificate(app);
  EXPECT_EQ(jammed.status, OutcomeStatus::kFailed);
  EXPECT_EQ(jammed.notice, Notice::kPrintStopped);
  EXPECT_EQ(jammed.printer_reason, "media-jam");
  EXPECT_NE(jammed.reason.find("media-jam"), std::string::npos) << jammed.reason;
  // Not printed: a retry may print it once the printer is cleared.
  EXPECT_EQ(ledger_entry(jammed.certificate_serial)->state, PrintState::kNotPrinted);
}

TEST_F(EnginePrintTest, ACertificateWithABadSignatureIsNeverPrinted) {
  const std::string app = approved_application();
  backend_->set_faults({.bad_signatures = true});
  Outcome forged = engine_->print_certificate(app);
  EXPECT_EQ(forged.status, OutcomeStatus::kFailed);
  EXPECT_EQ(forged.failed_step, Step::kVerify);
  EXPECT_EQ(forged.notice, Notice::kCertificateNotVerified);
  EXPECT_TRUE(printer_sim_->received_documents().empty());
  backend_->set_faults({});
  EXPECT_EQ(engine_->print_certificate(app).status, OutcomeStatus::kPrinted);
}

// A certificate signed by an issuing key that has since been revoked is refused with that reason;
// a reprint (补打) under the region's new key prints, saying so, with a code that carries it.
TEST_F(EnginePrintTest, ARevokedIssuerIsRefusedAndAReprintUnderTheNewKeyPrints) {
  const std::string app = approved_application();
  ASSERT_TRUE(backend_->revoke_issuer_key("440605"));
  Outcome refused = engine_->print_certificate(app);
  EXPECT_EQ(refused.status, OutcomeStatus::kFailed);
  EXPECT_EQ(refused.failed_step, Step::kVerify);
  EXPECT_EQ(refused.notice, Notice::kCertificateNotVerified);
  EXPECT_NE(refused.reason.find("revoked"), std::string::npos) << refused.reason;
  EXPECT_TRUE(printer_sim_->received_documents().empty());
  ASSERT_TRUE(client_->request_reprint(app, "issuing key revoked; reissued"));
  Outcome printed = engine_->print_certificate(app);
  ASSERT_EQ(printed.status, OutcomeStatus::kPrinted) << printed.reason;
  ASSERT_EQ(printer_sim_->received_documents().size(), 1u);
  const std::string text = testing::pdf_text(printer_sim_->received_documents().front());
  EXPECT_NE(text.find("补打 第1次"), std::string::npos) << text;
  auto data = certs::read_attachment(printer_sim_->received_documents().front());
  ASSERT_TRUE(data) << data.error().message;
  auto ring = client_->keyring(terminal_->issuer_key);
  ASSERT_TRUE(ring);
  const auto verdict = certs::verify_certificate_json(data.value(), ring.value());
  EXPECT_TRUE(verdict.genuine) << verdict.reason << ": " << verdict.message;
  EXPECT_EQ(verdict.code.reprint, 1);
}

TEST_F(EnginePrintTest, PaperOutBeforeStartSendsNothing) {
  const std::string app = approved_application();
  ASSERT_TRUE(printer_sim_->set_paper_level(0));
  Outcome out = engine_->print_certificate(app);
  EXPECT_EQ(out.status, OutcomeStatus::kFailed);
  EXPECT_EQ(out.notice, Notice::kPrinterNotReady);
  EXPECT_EQ(out.printer_reason, "media-empty");
  EXPECT_TRUE(printer_sim_->received_documents().empty());
  EXPECT_EQ(ledger_entry(out.certificate_serial)->state, PrintState::kNotPrinted);
  ASSERT_TRUE(printer_sim_->set_paper_level(250));
  wait_until_printer_ready();
  EXPECT_EQ(engine_->print_certificate(app).status, OutcomeStatus::kPrinted);
}

TEST_F(EnginePrintTest, PrinterDyingMidJobNeedsAnAuthorisedReprint) {
  const std::string app = approved_application();
  ASSERT_TRUE(printer_sim_->set_fault("stall"));
  std::thread power_cut([this] {
    // Cut the power once the printer is working on the job.
    EXPECT_TRUE(testing::poll_until([this] {
      auto job = printer_->job_status(1);
      return job && job->state == printer::JobState::kProcessing;
    })) << "the job never started";
    printer_sim_->kill();
  });
  Outcome lost = engine_->print_certificate(app);
  power_cut.join();
  EXPECT_EQ(lost.status, OutcomeStatus::kFailed);
  EXPECT_EQ(ledger_entry(lost.certificate_serial)->state, PrintState::kUnknown);
  EXPECT_EQ(lost.notice, Notice::kPrinterLost);

  Outcome refused = engine_->print_certificate(app);
  EXPECT_EQ(refused.status, OutcomeStatus::kFailed);
  EXPECT_NE(refused.reason.find("unknown"), std::string::npos) << refused.reason;
  ASSERT_TRUE(ledger_->authorise_reprint(lost.certificate_serial, "tech-007", "no page came out"));
  // A printer is back (a new one, on a new port, for this test's purposes).
  auto fresh = printer::IppEvePrinter::start({.spool_dir = dir_ / "spool2"});
  ASSERT_TRUE(fresh) << fresh.error().message;
  printer::IppPrinter replacement(fresh.value()->uri());
  TransactionEngine engine2(*journal_, *ledger_, *client_, *reader_, replacement,
                            {.work_dir = dir_ / "work2",
                             .clock = &testing::test_clock(),
                             .certificate_key = &terminal_->issuer_key});
  Outcome reprinted = engine2.print_certificate(app);
  EXPECT_EQ(reprinted.status, OutcomeStatus::kPrinted) << reprinted.reason;
  EXPECT_EQ(fresh.value()->received_documents().size(), 1u);
}

}  // namespace
}  // namespace smzc::services

namespace smzc::services {
namespace {

const ServiceItem& find_item(const Catalogue& cat, const std::string& code) {
  const ServiceItem* item = cat.find(code);
  EXPECT_NE(item, nullptr) << code;
  return *item;
}

TEST_F(EngineTest, ASecondApplicationInOneTransactionIsRefused) {
  reader_sim_->lay_card(card_);
  ASSERT_TRUE(engine_->identify());
  ASSERT_EQ(engine_->process(item()).status, OutcomeStatus::kPrinted);
  EXPECT_EQ(engine_->state(), TxState::kDone);
  Outcome again = engine_->process(item());
  EXPECT_EQ(again.status, OutcomeStatus::kFailed);
  EXPECT_NE(again.reason.find("refused: done → filling"), std::string::npos) << again.reason;
  EXPECT_EQ(backend_->application_count(), 1u);
  EXPECT_EQ(printer_sim_->received_documents().size(), 1u);
}

TEST_F(EngineTest, AManualItemEndsSubmittedWithAPrintedReceipt) {
  reader_sim_->lay_card(card_);
  ASSERT_TRUE(engine_->identify());
  auto cat = engine_->catalogue();
  ASSERT_TRUE(cat) << cat.error().message;
  // 医保关系转移接续: a phone number for the result, and the insurance record from the library.
  Outcome outcome = engine_->process(find_item(cat.value(), "NH-SB-0003"),
                                     ApplicationInput{.fields = {{"phone", "13812345678"}}});
  ASSERT_EQ(outcome.status, OutcomeStatus::kSubmitted) << outcome.reason;
  EXPECT_EQ(outcome.delivery, "sms");
  auto docs = printer_sim_->received_documents();
  ASSERT_EQ(docs.size(), 1u);
  const std::string text = testing::pdf_text(docs[0]);
  EXPECT_NE(text.find("受理回执"), std::string::npos) << text;
  EXPECT_NE(text.find("短信"), std::string::npos);
}

TEST_F(EngineTest, RulesRejectWithReasonsAndNothingPrints) {
  reader_sim_->lay_card(card_);  // born 1990: too young for the old-age allowance
  ASSERT_TRUE(engine_->identify());
  auto cat = engine_->catalogue();
  ASSERT_TRUE(cat);
  Outcome outcome = engine_->process(find_item(cat.value(), "NH-MZ-0002"),
                                     ApplicationInput{.fields = {{"phone", "13812345678"}}});
  EXPECT_EQ(outcome.status, OutcomeStatus::kRejected);
  ASSERT_FALSE(outcome.reasons.empty());
  EXPECT_EQ(outcome.reasons[0], "申请人未满70周岁");
  EXPECT_TRUE(printer_sim_->received_documents().empty());
}

TEST_F(EngineTest, TheCatalogueIsCachedAndServesOfflineWhenTheBackendIsDown) {
  TransactionEngine cached(*journal_, *ledger_, *client_, *reader_, *printer_,
                           {.work_dir = dir_ / "w",
                            .clock = &testing::test_clock(),
                            .certificate_key = &terminal_->issuer_key,
                            .catalogue_cache = dir_ / "cache/catalogue.json"});
  auto online = cached.catalogue();
  ASSERT_TRUE(online) << online.error().message;
  EXPECT_FALSE(online->offline);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "cache/catalogue.json"));
  auto unchanged = cached.catalogue();  // answered 304 from the ETag
  ASSERT_TRUE(unchanged);
  EXPECT_EQ(unchanged->items.size(), online->items.size());
  backend_->stop();
  auto offline = cached.catalogue();
  ASSERT_TRUE(offline) << offline.error().message;
  EXPECT_TRUE(offline->offline);
  EXPECT_EQ(offline->items.size(), online->items.size());
}

TEST_F(EngineTest, ATamperedCacheIsNotTrusted) {
  TransactionEngine cached(*journal_, *ledger_, *client_, *reader_, *printer_,
                           {.work_dir = dir_ / "w",
                            .clock = &testing::test_clock(),
                            .certificate_key = &terminal_->issuer_key,
                            .catalogue_cache = dir_ / "catalogue.json"});
  ASSERT_TRUE(cached.catalogue());
  std::string text = testing::read_file(dir_ / "catalogue.json");
  text.replace(text.find("社保参保缴费凭证"), 3, "假");
  std::ofstream(dir_ / "catalogue.json") << text;
  backend_->stop();
  auto offline = cached.catalogue();
  ASSERT_FALSE(offline);
}

TEST_F(EngineTest, AnItemOfAPartnerRegionGoesToThatRegionsBackend) {
  backend::ReferenceBackend liunan({.regions = {"450204"}, .clock = &testing::test_clock()});
  ASSERT_TRUE(liunan.start());
  BackendClient liunan_client(liunan.base_url());
  auto liunan_key = certs::Sm2Key::from_pem(liunan.public_key_pem());
  ASSERT_TRUE(liunan_key);
  TransactionEngine engine(*journal_, *ledger_, *client_, *reader_, *printer_,
                           {.work_dir = dir_ / "w",
                            .clock = &testing::test_clock(),
                            .certificate_key = &terminal_->issuer_key,
                            .partners = {{"450204", {&liunan_client, &liunan_key.value(), {}}}},
                            .site = {.region_code = "440605", .partner_regions = {"450204"}}});
  reader_sim_->lay_card(card_);
  ASSERT_TRUE(engine.identify());
  auto cat = engine.catalogue();
  ASSERT_TRUE(cat) << cat.error().message;
  EXPECT_EQ(cat->find("XY-SB-0001"), nullptr);  // Xiangyin is no partner of this site
  const size_t before = backend_->application_count();
  Outcome outcome = engine.process(find_item(cat.value(), "LN-SB-0001"));
  ASSERT_EQ(outcome.status, OutcomeStatus::kPrinted) << outcome.reason;
  EXPECT_EQ(outcome.region_code, "450204");
  EXPECT_EQ(liunan.application_count(), 1u);
  EXPECT_EQ(backend_->application_count(), before);
}

}  // namespace
}  // namespace smzc::services

namespace smzc::services {
namespace {

// Start-up recovery, from the states a crash leaves behind.
TEST_F(EnginePrintTest, RecoveryFindsAJobWhoseIdWasNeverRecordedAndNeverPrintsItAgain) {
  const std::string app = approved_application();
  auto cert = client_->certificate(app, client_->keyring(terminal_->issuer_key).value());
  ASSERT_TRUE(cert);
  const std::string serial = cert->serial;
  // The crash: the ledger was claimed and the job sent (named after the serial, as the engine
  // names it), but the process died before recording the job id.
  ASSERT_TRUE(ledger_->claim(serial, "T-crashed", printer_->uri()));
  ASSERT_TRUE(ledger_->mark_sending(serial));
  ASSERT_TRUE(certs::render_pdf(cert.value(), dir_ / "crashed.pdf"));
  auto id = printer_->submit(dir_ / "crashed.pdf", serial);
  ASSERT_TRUE(id);
  ASSERT_TRUE(printer_->wait_for_job(id.value(), std::chrono::seconds(30)));

  auto report = engine_->recover();
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->prints_completed, 1);
  EXPECT_EQ(ledger_entry(serial)->state, PrintState::kCompleted);
  EXPECT_EQ(ledger_entry(serial)->job_id, id.value());
  Outcome again = engine_->print_certificate(app);
  EXPECT_EQ(again.status, OutcomeStatus::kFailed);
  EXPECT_EQ(printer_sim_->received_documents().size(), 1u);  // printed exactly once
}

TEST_F(EnginePrintTest, RecoveryReleasesAClaimThatNeverReachedThePrinter) {
  const std::string app = approved_application();
  auto cert = client_->certificate(app, client_->keyring(terminal_->issuer_key).value());
  ASSERT_TRUE(cert);
  ASSERT_TRUE(ledger_->claim(cert->serial, "T-crashed", printer_->uri()));
  auto report = engine_->recover();
  ASSERT_TRUE(report);
  EXPECT_EQ(report->prints_not_printed, 1);
  EXPECT_EQ(engine_->print_certificate(app).status, OutcomeStatus::kPrinted);
  EXPECT_EQ(printer_sim_->received_documents().size(), 1u);
}

// The last gap in exactly-once printing: a crash after Print-Job went out but before its job id was
// recorded, on a printer that has since lost its job list. The job was on its way ("sending"),
// so nobody can say it did not print: unknown, never printed again without a technician.
TEST_F(EnginePrintTest, RecoveryOfAJobOnItsWayThatThePrinterForgotIsUnknownNotNotPrinted) {
  const std::string app = approved_application();
  auto cert = client_->certificate(app, client_->keyring(terminal_->issuer_key).value());
  ASSERT_TRUE(cert);
  ASSERT_TRUE(ledger_->claim(cert->serial, "T-crashed", printer_->uri()));
  ASSERT_TRUE(ledger_->mark_sending(cert->serial));  // the printer restarted: no job by that name
  auto report = engine_->recover();
  ASSERT_TRUE(report);
  EXPECT_EQ(report->prints_unknown, 1);
  EXPECT_EQ(ledger_entry(cert->serial)->state, PrintState::kUnknown);
  EXPECT_EQ(engine_->print_certificate(app).status, OutcomeStatus::kFailed);
  EXPECT_TRUE(printer_sim_->received_documents().empty());
  ASSERT_TRUE(ledger_->authorise_reprint(cert->serial, "tech-007", "no page in the tray"));
  EXPECT_EQ(engine_->print_certificate(app).status, OutcomeStatus::kPrinted);
}

TEST_F(EngineTest, RecoveryLooksUpInterruptedApplicationsByTheirKey) {
  // Two crashes between "apply.begin" and its answer: one request reached the backend, one not.
  ASSERT_TRUE(client_->submit("NH-SB-0001", {card_.id_number, card_.name, card_.valid_to, "", {}},
                              "T-sent/apply"));
  ASSERT_TRUE(journal_->append("T-sent", "apply.begin",
                               R"({"idempotency_key":"T-sent/apply","region_code":"440605"})"));
  ASSERT_TRUE(journal_->append("T-lost", "apply.begin",
                               R"({"idempotency_key":"T-lost/apply","region_code":"440605"})"));
  auto report = engine_->recover();
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->applications_found, 1);
  EXPECT_EQ(report->applications_absent, 1);
  EXPECT_EQ(backend_->application_count(), 1u);  // nothing was sent again
  auto interrupted = journal_->interrupted_steps();
  ASSERT_TRUE(interrupted);
  EXPECT_TRUE(interrupted->empty());  // settled, and said so in the journal
  EXPECT_TRUE(journal_->verify_chain());
}

}  // namespace
}  // namespace smzc::services

namespace smzc::services {
namespace {

// Forms, materials, slow decisions and the store-and-forward queue.
class EngineApplicationTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    reader_sim_->lay_card(card_);
    ASSERT_TRUE(engine_->identify());
    auto cat = engine_->catalogue();
    ASSERT_TRUE(cat) << cat.error().message;
    catalogue_ = cat.value();
  }
  const ServiceItem& item(const std::string& code) { return find_item(catalogue_, code); }
  ApplicationInput phone() { return {.fields = {{"phone", "13812345678"}}}; }
  // An engine that waits for no decision: one still to come is "pending" at once.
  std::unique_ptr<TransactionEngine> impatient_engine() {
    return std::make_unique<TransactionEngine>(
        *journal_, *ledger_, *client_, *reader_, *printer_,
        TransactionEngine::Options{.work_dir = dir_ / "w",
                                   .clock = &testing::test_clock(),
                                   .certificate_key = &terminal_->issuer_key,
                                   .decision_timeout = std::chrono::milliseconds(0)});
  }
  Catalogue catalogue_;
};

TEST_F(EngineApplicationTest, AnIncompleteFormIsCorrectedAndSentOnce) {
  Outcome first = engine_->process(item("NH-GA-0003"));
  EXPECT_EQ(first.status, OutcomeStatus::kIncomplete);
  EXPECT_EQ(first.problems,
            (std::vector<Problem>{{Problem::Kind::kRequired, "phone", "联系电话"}}));
  EXPECT_EQ(engine_->state(), TxState::kIdentified);
  EXPECT_EQ(backend_->application_count(), 0u);
  Outcome second = engine_->process(item("NH-GA-0003"), phone());
  ASSERT_EQ(second.status, OutcomeStatus::kSubmitted) << second.reason;
  EXPECT_EQ(backend_->application_count(), 1u);
  // The form's values never reach the journal.
  auto entries = journal_->entries(second.transaction_id);
  ASSERT_TRUE(entries);
  for (const auto& e : entries.value())
    EXPECT_EQ(e.detail.find("13812345678"), std::string::npos) << e.step;
}

TEST_F(EngineApplicationTest, AFormIsPrefilledFromTheCard) {
  auto form = engine_->form_for(item("NH-MZ-0001"));
  ASSERT_EQ(form.size(), 2u);
  EXPECT_EQ(form[0].field.name, "phone");
  EXPECT_EQ(form[0].value, "");
  EXPECT_EQ(form[1].field.name, "mail_address");
  EXPECT_EQ(form[1].value, card_.address);
}

TEST_F(EngineApplicationTest, AnELicenceFromTheLibraryStandsForThePaper) {
  Outcome outcome = engine_->process(item("NH-SC-0001"));  // needs the business licence
  ASSERT_EQ(outcome.status, OutcomeStatus::kPrinted) << outcome.reason;
}

TEST_F(EngineApplicationTest, AMaterialTheLibraryLacksIsAskedForAsAScan) {
  // A permanent-residence card holder: the reference library has no licence for them.
  auto foreigner = idcard::load_card_json(testing::source_dir() /
                                          "drivers/idcard/sim/cards/foreigner-2023.json");
  ASSERT_TRUE(foreigner);
  engine_->end_session();
  reader_sim_->lay_card(foreigner.value());
  ASSERT_TRUE(engine_->identify());
  Outcome missing = engine_->process(item("NH-SC-0001"));
  EXPECT_EQ(missing.status, OutcomeStatus::kIncomplete);
  ASSERT_EQ(missing.problems.size(), 1u);
  EXPECT_EQ(missing.problems[0].kind, Problem::Kind::kNotInLibrary);
  EXPECT_EQ(missing.problems[0].label, "电子营业执照");
  EXPECT_EQ(backend_->application_count(), 0u);
  Outcome scanned =
      engine_->process(item("NH-SC-0001"), {.scans = {{"business_licence", "%PDF-scan"}}});
  EXPECT_EQ(scanned.status, OutcomeStatus::kPrinted) << scanned.reason;
}

TEST_F(EngineApplicationTest, APendingDecisionIsWaitedFor) {
  backend_->set_faults({.pending_polls = 2});
  Outcome outcome = engine_->process(item("NH-SB-0001"));
  ASSERT_EQ(outcome.status, OutcomeStatus::kPrinted) << outcome.reason;
}

TEST_F(EngineApplicationTest, ADecisionThatTakesTooLongEndsPendingAndPrintsLater) {
  auto engine = impatient_engine();
  TransactionEngine& impatient = *engine;
  reader_sim_->lay_card(card_);
  ASSERT_TRUE(impatient.identify());
  backend_->set_faults({.pending_polls = 1000});
  Outcome outcome = impatient.process(item("NH-SB-0001"));
  ASSERT_EQ(outcome.status, OutcomeStatus::kPending) << outcome.reason;
  EXPECT_EQ(impatient.state(), TxState::kPending);
  EXPECT_EQ(outcome.notice, Notice::kPendingBySms);
  EXPECT_TRUE(printer_sim_->received_documents().empty());
  // Decided later: the citizen collects the certificate on another visit.
  backend_->set_faults({});
  EXPECT_FALSE(impatient.print_certificate(outcome.application_id).status ==
               OutcomeStatus::kPrinted);
  impatient.end_session();
  EXPECT_EQ(impatient.print_certificate(outcome.application_id).status, OutcomeStatus::kPrinted);
}

// 办理进度 needs the person, not only the card: a terminal without a face camera can prove no
// one's presence to the platform, so nothing of a citizen's is listed or collected there (the
// whole journey with a camera:
// CameraJourneyTest.ACitizenFindsTheirApplicationsOnceTheirFaceIsVerified).
TEST_F(EngineApplicationTest, WithoutAFaceCheckNothingOfACitizensIsListedOrCollected) {
  const Applicant applicant{
      card_.id_number, card_.name, card_.valid_to, card_.birth_date, {}, {}, {}, {}};
  auto made = client_->submit("NH-SB-0001", applicant, "presence-collect");
  ASSERT_TRUE(made) << made.error().message;
  ASSERT_EQ(made->status, "approved");
  auto mine = engine_->my_applications();
  ASSERT_FALSE(mine);
  EXPECT_EQ(engine_->current().failed_step, Step::kFaceCheck);
  ApplicationSummary known;
  known.application_id = made->application_id;
  known.item_code = "NH-SB-0001";
  const Outcome outcome = engine_->collect_certificate(known);
  EXPECT_NE(outcome.status, OutcomeStatus::kPrinted);
  EXPECT_EQ(outcome.failed_step, Step::kFaceCheck) << outcome.reason;
  EXPECT_TRUE(printer_sim_->received_documents().empty());
}

TEST_F(EngineApplicationTest, WhileTheBackendIsDownAnApplicationWaitsSealedAndIsSentOnce) {
  backend_->set_faults({.fail_every = 1});  // every request answers 503
  Outcome outcome = engine_->process(item("NH-GA-0003"), phone());
  ASSERT_EQ(outcome.status, OutcomeStatus::kQueued) << outcome.reason;
  EXPECT_EQ(engine_->state(), TxState::kQueued);
  EXPECT_EQ(outcome.notice, Notice::kQueuedOffline);
  EXPECT_EQ(terminal_->queue->waiting(), 1u);
  const std::string at_rest = testing::sqlite_file_bytes(dir_ / "queue.db");
  for (const std::string& personal : {card_.id_number, card_.name, std::string("13812345678")})
    EXPECT_EQ(at_rest.find(personal), std::string::npos) << "in the clear: " << personal;

  auto still_down = engine_->drain_queue();
  ASSERT_TRUE(still_down);
  EXPECT_EQ(still_down->waiting, 1);
  EXPECT_EQ(still_down->sent, 0);

  backend_->set_faults({});
  auto drained = engine_->drain_queue();
  ASSERT_TRUE(drained) << drained.error().message;
  EXPECT_EQ(drained->sent, 1);
  EXPECT_EQ(backend_->application_count(), 1u);
  // The application sent later anchored the journal's head as it was then.
  auto anchor = client_->journal_anchor();
  ASSERT_TRUE(anchor && anchor->has_value());
  EXPECT_EQ(anchor->value().seq, journal_->head().first);
  EXPECT_EQ(journal_->hash_at(anchor->value().seq), anchor->value().hash);
  auto sent = terminal_->queue->list(QueueState::kSent);
  ASSERT_TRUE(sent);
  ASSERT_EQ(sent->size(), 1u);
  EXPECT_EQ(sent->front().status, "submitted");
  EXPECT_FALSE(terminal_->queue->request(sent->front().idempotency_key));  // wiped once sent
  EXPECT_EQ(engine_->drain_queue()->sent, 0);
  EXPECT_EQ(backend_->application_count(), 1u);
}

TEST_F(EngineApplicationTest, AnAnswerLostOnTheWayIsNotAppliedForTwice) {
  backend_->set_faults({.drop_connections = true});  // the request arrives, its answer does not
  Outcome outcome = engine_->process(item("NH-GA-0003"), phone());
  ASSERT_EQ(outcome.status, OutcomeStatus::kQueued) << outcome.reason;
  EXPECT_EQ(backend_->application_count(), 1u);
  backend_->set_faults({});
  auto drained = engine_->drain_queue();
  ASSERT_TRUE(drained);
  EXPECT_EQ(drained->sent, 1);
  EXPECT_EQ(backend_->application_count(), 1u);  // the first answer, by its idempotency key
}

TEST_F(EngineApplicationTest, AnItemThatCannotWaitFailsPlainlyWhileTheBackendIsDown) {
  backend_->set_faults({.fail_every = 1});
  Outcome outcome = engine_->process(item("NH-SB-0001"));
  EXPECT_EQ(outcome.status, OutcomeStatus::kFailed);
  EXPECT_EQ(outcome.failed_step, Step::kApply);
  EXPECT_EQ(outcome.notice, Notice::kNotSentOffline);
  EXPECT_EQ(terminal_->queue->waiting(), 0u);
}

TEST_F(EngineApplicationTest, AMalformedReplyIsToldPlainlyAndNothingIsQueuedOrPrinted) {
  backend_->set_faults({.corrupt_bodies = true});
  Outcome outcome = engine_->process(item("NH-GA-0003"), phone());
  EXPECT_EQ(outcome.status, OutcomeStatus::kFailed);
  EXPECT_EQ(outcome.failed_step, Step::kApply);
  EXPECT_NE(outcome.reason.find("malformed"), std::string::npos) << outcome.reason;
  EXPECT_EQ(outcome.notice, Notice::kPlatformError);
  EXPECT_EQ(terminal_->queue->waiting(), 0u);  // a backend that answers is not "down"
  EXPECT_TRUE(printer_sim_->received_documents().empty());
}

TEST_F(EngineApplicationTest, AnItemIsAppliedForOnlyWithinItsHours) {
  FakeClock late(FakeClock::local_time("2026-11-22 22:30:00"));
  auto night = std::make_unique<TransactionEngine>(
      *journal_, *ledger_, *client_, *reader_, *printer_,
      TransactionEngine::Options{
          .work_dir = dir_ / "w", .clock = &late, .certificate_key = &terminal_->issuer_key});
  reader_sim_->lay_card(card_);
  ASSERT_TRUE(night->identify());
  const ServiceItem& fund = item("NH-GJJ-0001");  // the housing fund: 07:00-22:00
  EXPECT_FALSE(night->open_now(fund));
  Outcome closed = night->process(fund);
  EXPECT_EQ(closed.status, OutcomeStatus::kClosed);
  EXPECT_EQ(closed.notice, Notice::kClosed);
  EXPECT_EQ(closed.hours, "07:00-22:00");
  EXPECT_EQ(night->state(), TxState::kIdentified);  // another item may still be chosen
  EXPECT_EQ(night->process(item("NH-SB-0001")).status, OutcomeStatus::kPrinted);
  EXPECT_EQ(backend_->application_count(), 1u);

  // The same engine the next morning: the clock is read on every use.
  late.set(FakeClock::local_time("2026-11-23 07:00:00"));
  night->end_session();
  reader_sim_->lay_card(card_);
  ASSERT_TRUE(night->identify());
  EXPECT_EQ(night->process(fund).status, OutcomeStatus::kPrinted);
}

TEST_F(EngineApplicationTest, TheHeartbeatReportsEveryDeviceAndTheQueue) {
  ASSERT_TRUE(Heartbeat(*terminal_->terminal, {}).beat("timer"));
  auto seen = backend_->terminals();
  ASSERT_EQ(seen.size(), 1u);
  auto report = nlohmann::json::parse(seen[0].report);
  EXPECT_EQ(report["queue_waiting"], 0) << seen[0].report;
  EXPECT_EQ(report["devices"]["printer"]["kind"], "printer") << seen[0].report;
  EXPECT_EQ(report["devices"]["printer"]["state"], "online");
  EXPECT_EQ(report["devices"]["printer"]["media"], "paperOk");
  EXPECT_EQ(report["devices"]["reader"]["kind"], "idcard");
  EXPECT_EQ(report["devices"]["reader"]["state"], "online");
  EXPECT_EQ(report["consumables"]["printer"]["supplies"].size(), 2u) << seen[0].report;

  // The toner runs low at the printer: the next report says so, naming the supply.
  ASSERT_TRUE(printer_sim_->set_supply_levels({25, 4}));
  ASSERT_TRUE(printer_->query());
  const auto low = nlohmann::json::parse(Heartbeat(*terminal_->terminal, {}).report("change"));
  bool alerted = false;
  for (const auto& a : low["alerts"])
    alerted = alerted || (a["code"] == "supply_low" && a["device"] == "printer" &&
                          a["supply"] == "Black Toner");
  EXPECT_TRUE(alerted) << low.dump();
}

}  // namespace
}  // namespace smzc::services

namespace smzc::services {
namespace {

// The queue when several drains run, keys go wrong, and the backend refuses or garbles.
class ForwardQueueTest : public EngineApplicationTest {
 protected:
  Status enqueue(const std::string& key, const std::string& body) {
    return terminal_->queue->enqueue({.idempotency_key = key,
                                      .transaction_id = key,
                                      .item_code = "NH-GA-0003",
                                      .region_code = "440605"},
                                     body);
  }
  std::string good_body() {
    Applicant a{card_.id_number, card_.name, card_.valid_to, card_.birth_date, {}, {}, {}, {}};
    a.form = {{"phone", "13812345678"}};
    return client_->application_body("NH-GA-0003", a);
  }
  Result<DrainReport> drain(ForwardQueue& q) {
    return q.drain([&](const std::string&) -> const BackendClient& { return *client_; });
  }
  std::optional<QueueState> state_of(const std::string& key) {
    auto entries = terminal_->queue->list();
    for (const auto& e : entries.value())
      if (e.idempotency_key == key) return e.state;
    return std::nullopt;
  }
};

TEST_F(ForwardQueueTest, AnEntryIsClaimedByOneDrainOnly) {
  ASSERT_TRUE(enqueue("K1", good_body()));
  // A second process's view of the same file (kioskctl beside the kiosk).
  auto other = ForwardQueue::open(dir_ / "queue.db", certs::DataKey::random().value());
  ASSERT_TRUE(other);
  ASSERT_EQ(terminal_->queue->claim("K1").value(), true);
  EXPECT_EQ(other.value()->claim("K1").value(), false);
  auto report = drain(*other.value());
  ASSERT_TRUE(report);
  EXPECT_EQ(report->sent + report->refused + report->parked + report->waiting, 0);
  EXPECT_EQ(state_of("K1"), QueueState::kSending);
  // The claim of a process that died is released when the queue is opened again.
  other->reset();
  auto reopened = ForwardQueue::open(dir_ / "queue.db", certs::DataKey::random().value());
  ASSERT_TRUE(reopened);
  EXPECT_EQ(state_of("K1"), QueueState::kQueued);
}

TEST_F(ForwardQueueTest, ASealThatDoesNotOpenIsParkedNeverWiped) {
  ASSERT_TRUE(enqueue("K2", good_body()));
  auto wrong = ForwardQueue::open(dir_ / "queue.db", certs::DataKey::random().value());
  ASSERT_TRUE(wrong);
  auto report = drain(*wrong.value());
  ASSERT_TRUE(report);
  EXPECT_EQ(report->parked, 1);
  EXPECT_EQ(state_of("K2"), QueueState::kParked);
  EXPECT_EQ(backend_->application_count(), 0u);
  // With its own key back, a technician queues it again and it goes.
  ASSERT_TRUE(terminal_->queue->requeue("K2"));
  auto sent = drain(*terminal_->queue);
  ASSERT_TRUE(sent);
  EXPECT_EQ(sent->sent, 1);
  EXPECT_EQ(backend_->application_count(), 1u);
}

TEST_F(ForwardQueueTest, OnlyARefusalTheBackendDoesNotHoldIsFinal) {
  ASSERT_TRUE(enqueue("K3", R"({"item_code":"NH-GA-0003"})"));  // no applicant: 400
  auto report = drain(*terminal_->queue);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->refused, 1);
  EXPECT_EQ(state_of("K3"), QueueState::kRefused);
}

TEST_F(ForwardQueueTest, AGarbledAnswerKeepsItQueuedAndItIsAppliedForOnce) {
  ASSERT_TRUE(enqueue("K4", good_body()));
  backend_->set_faults({.corrupt_bodies = true});
  auto garbled = drain(*terminal_->queue);
  ASSERT_TRUE(garbled);
  EXPECT_EQ(garbled->waiting, 1);
  EXPECT_EQ(state_of("K4"), QueueState::kQueued);
  EXPECT_EQ(backend_->application_count(), 1u);  // it did arrive
  backend_->set_faults({});
  auto sent = drain(*terminal_->queue);
  ASSERT_TRUE(sent);
  EXPECT_EQ(sent->sent, 1);
  EXPECT_EQ(backend_->application_count(), 1u);
}

TEST_F(EngineApplicationTest, AnELicenceItemWaitsTooWhenTheLibraryIsUnreachable) {
  backend_->set_faults({.fail_every = 1});
  Outcome outcome = engine_->process(item("NH-SB-0003"), phone());  // needs an e-licence
  ASSERT_EQ(outcome.status, OutcomeStatus::kQueued) << outcome.reason;
  backend_->set_faults({});
  auto drained = engine_->drain_queue();
  ASSERT_TRUE(drained);
  EXPECT_EQ(drained->sent, 1);
  auto sent = terminal_->queue->list(QueueState::kSent);
  ASSERT_TRUE(sent);
  ASSERT_EQ(sent->size(), 1u);
  EXPECT_EQ(sent->front().status,
            "submitted");  // the platform found the licence itself
}

TEST_F(EngineApplicationTest, AFailureAfterTheApplicationWasMadeSaysNotToApplyAgain) {
  // The backend goes down just as the decision is asked for.
  journal_->set_observer([&](const JournalEntry& e) {
    if (e.step == "approve.begin") backend_->set_faults({.fail_every = 1});
  });
  Outcome outcome = engine_->process(item("NH-SB-0001"));
  journal_->set_observer(nullptr);
  ASSERT_EQ(outcome.status, OutcomeStatus::kFailed);
  EXPECT_EQ(outcome.failed_step, Step::kApprove);
  EXPECT_EQ(outcome.notice, Notice::kAppliedNoDocument);
  EXPECT_FALSE(outcome.application_id.empty());
}

TEST_F(EngineTest, LeavingDuringTheIdentityCheckServesNobody) {
  auto cat = engine_->catalogue();
  ASSERT_TRUE(cat);
  const ServiceItem& by_mail = find_item(cat.value(), "NH-MZ-0001");  // prefills the address
  journal_->set_observer([&](const JournalEntry& e) {
    if (e.step == "identify.begin") engine_->cancel();
  });
  reader_sim_->lay_card(card_);
  auto citizen = engine_->identify();
  journal_->set_observer(nullptr);
  ASSERT_FALSE(citizen);
  EXPECT_EQ(citizen.code(), Completion::kCanceled);
  EXPECT_EQ(engine_->state(), TxState::kCanceled);
  EXPECT_EQ(engine_->current().status, OutcomeStatus::kCanceled);
  // The card is forgotten: nothing of it prefills a form any more.
  auto form = engine_->form_for(by_mail);
  ASSERT_EQ(form.size(), 2u);
  EXPECT_EQ(form[1].field.name, "mail_address");
  EXPECT_EQ(form[1].value, "");
  engine_->end_session();
  reader_sim_->lift_card();
  reader_sim_->lay_card(card_);
  EXPECT_TRUE(engine_->identify());  // the next citizen is served
}

}  // namespace
}  // namespace smzc::services

// Exactly once through crashes: the terminal dies after every single journal entry of a
// transaction in turn (crash_harness), restarts, recovers, and the citizen's certificate is then
// printed on request. Whatever the moment of death, the backend holds the application at most
// once and the certificate comes out of the printer at most once.
#include <gtest/gtest.h>

#include <fstream>

#include "backend/reference_backend.h"
#include "base/process.h"
#include "drivers/idcard/simulator.h"
#include "drivers/printer/ippeve.h"
#include "services/forward_queue.h"
#include "services/print_ledger.h"
#include "services/transaction_engine.h"
#include "tests/support/test_support.h"

namespace smzc::services {
namespace {

// The journal entries of one complete transaction: read_card, identify, form, materials, apply,
// approve, fetch_certificate, verify, render and print each begin and end, then "done".
constexpr int kEntriesPerTransaction = 21;
constexpr int kApplyBegin = 9;

// What both crash tests run against: the reference backend, ippeveprinter, and the backend's
// public key in a file for the harness.
class CrashAtEveryJournalEntry : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(backend.start());
    auto sim = printer::IppEvePrinter::start({.spool_dir = root / "spool"});
    ASSERT_TRUE(sim) << sim.error().message;
    printer_sim = std::move(sim.value());
    std::ofstream(root / "issuer.pem") << backend.public_key_pem();
  }
  testing::TempDir root;
  backend::ReferenceBackend backend{{.clock = &testing::test_clock()}};
  std::unique_ptr<printer::IppEvePrinter> printer_sim;
};

TEST_F(CrashAtEveryJournalEntry, NothingIsAppliedForOrPrintedTwice) {
  auto issuer = certs::Sm2Key::from_pem(backend.public_key_pem());
  ASSERT_TRUE(issuer);
  BackendClient client(backend.base_url());
  printer::IppPrinter printer(printer_sim->uri());
  auto reader_sim = idcard::ReaderSimulator::start({.paced = false});
  ASSERT_TRUE(reader_sim);
  idcard::SamCardReader reader("reader", {.port = reader_sim.value()->port_path()});

  int runs_with_an_application = 0;
  for (int n = 1; n <= kEntriesPerTransaction + 1; ++n) {
    SCOPED_TRACE("crash after journal entry " + std::to_string(n));
    const auto dir = root / ("run-" + std::to_string(n));
    const size_t apps_before = backend.application_count();
    const size_t docs_before = printer_sim->received_documents().size();

    auto run = ChildProcess::start(
        {.argv = {(testing::bin_dir() / "crash_harness").string(), dir.string(), backend.base_url(),
                  printer.uri(), (root / "issuer.pem").string(), std::to_string(n)},
         .log_path = dir.string() + ".log"});
    ASSERT_TRUE(run);
    auto waited = run->wait_for(std::chrono::minutes(2));
    ASSERT_TRUE(waited) << waited.error().message;
    const int rc = waited.value();
    ASSERT_EQ(rc, n <= kEntriesPerTransaction ? 9 : 0) << testing::read_file(dir.string() + ".log");

    // The terminal restarts over the same journal and ledger.
    auto journal = Journal::open(dir / "journal.db");
    auto ledger = PrintLedger::open(dir / "journal.db");
    ASSERT_TRUE(journal && ledger);
    ASSERT_TRUE(journal.value()->verify_chain());
    TransactionEngine engine(*journal.value(), *ledger.value(), client, reader, printer,
                             {.work_dir = dir / "work2",
                              .clock = &testing::test_clock(),
                              .certificate_key = &issuer.value()});
    auto report = engine.recover();
    ASSERT_TRUE(report) << report.error().message;

    const size_t apps = backend.application_count() - apps_before;
    ASSERT_LE(apps, 1u);
    // Dead between writing "apply.begin" and sending it: recovery finds no application.
    if (n == kApplyBegin) {
      EXPECT_EQ(report->applications_absent, 1);
      EXPECT_EQ(apps, 0u);
    }
    auto ids = journal.value()->transaction_ids();
    ASSERT_TRUE(ids);
    ASSERT_EQ(ids->size(), 1u);
    auto decision = client.application_by_key(ids->front() + "/apply");
    ASSERT_TRUE(decision) << decision.error().message;
    EXPECT_EQ(decision->has_value(), apps == 1);

    // The citizen asks for the certificate again; over both lives of the terminal it comes out
    // of the printer exactly once when the application exists, and never otherwise.
    if (decision->has_value()) engine.print_certificate(decision->value().application_id);
    const size_t docs = printer_sim->received_documents().size() - docs_before;
    EXPECT_EQ(docs, apps) << "documents printed for this transaction";
    runs_with_an_application += static_cast<int>(apps);
    ASSERT_TRUE(journal.value()->verify_chain());
  }
  // Deaths up to and including "apply.begin" leave no application; every later one does, and
  // each of those certificates was printed exactly once.
  EXPECT_EQ(runs_with_an_application, kEntriesPerTransaction + 1 - kApplyBegin);
  EXPECT_EQ(printer_sim->received_documents().size(),
            static_cast<size_t>(runs_with_an_application));
}

// The instant between Print-Job going out and its job id being recorded, on a printer that then
// loses its job list (restarted): the ledger says "sending", so recovery calls it unknown and
// nothing prints again until a technician says so.
TEST_F(CrashAtEveryJournalEntry, DyingAsTheJobGoesOutOnAPrinterThatForgetsIsUnknown) {
  const auto dir = root / "sending";
  auto run = ChildProcess::start(
      {.argv = {(testing::bin_dir() / "crash_harness").string(), dir.string(), backend.base_url(),
                printer_sim->uri(), (root / "issuer.pem").string(), "0"},
       .log_path = dir.string() + ".log"});
  ASSERT_TRUE(run);
  auto waited = run->wait_for(std::chrono::minutes(2));
  ASSERT_TRUE(waited) << waited.error().message;
  ASSERT_EQ(waited.value(), 9) << testing::read_file(dir.string() + ".log");

  auto restarted = printer::IppEvePrinter::start({.spool_dir = root / "spool-restarted"});
  ASSERT_TRUE(restarted) << restarted.error().message;
  auto issuer = certs::Sm2Key::from_pem(backend.public_key_pem());
  ASSERT_TRUE(issuer);
  BackendClient client(backend.base_url());
  printer::IppPrinter printer(restarted.value()->uri());
  idcard::SamCardReader reader("reader", {.port = "/dev/smzc-no-reader"});
  auto journal = Journal::open(dir / "journal.db");
  auto ledger = PrintLedger::open(dir / "journal.db");
  ASSERT_TRUE(journal && ledger);
  auto unfinished = ledger.value()->unfinished();
  ASSERT_TRUE(unfinished);
  ASSERT_EQ(unfinished->size(), 1u);
  EXPECT_EQ(unfinished->front().state, PrintState::kSending);
  const std::string serial = unfinished->front().serial;

  TransactionEngine engine(*journal.value(), *ledger.value(), client, reader, printer,
                           {.work_dir = dir / "work2",
                            .clock = &testing::test_clock(),
                            .certificate_key = &issuer.value()});
  auto report = engine.recover();
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->prints_unknown, 1);
  EXPECT_EQ(ledger.value()->find(serial).value()->state, PrintState::kUnknown);

  auto ids = journal.value()->transaction_ids();
  ASSERT_TRUE(ids);
  auto decision = client.application_by_key(ids->front() + "/apply");
  ASSERT_TRUE(decision && decision->has_value());
  Outcome again = engine.print_certificate(decision->value().application_id);
  EXPECT_EQ(again.status, OutcomeStatus::kFailed);
  EXPECT_EQ(again.notice, Notice::kAlreadyPrinted);
  EXPECT_TRUE(restarted.value()->received_documents().empty());
}

// The same for an application that waits in the store-and-forward queue because its region's
// backend is down: after each crash the terminal restarts, recovers and drains the queue (twice)
// with the backend back. The backend then holds the application exactly once if it was queued
// before the crash, and never otherwise.
TEST_F(CrashAtEveryJournalEntry, AQueuedApplicationIsSentExactlyOnce) {
  // read_card, identify, form and materials begin and end, then apply.begin, apply.failed and
  // apply.queued (the queue is written between the last two).
  constexpr int kEntries = 11, kQueuedBefore = 11;
  auto dead_port = find_free_loopback_port();
  ASSERT_TRUE(dead_port);
  const std::string dead = "http://127.0.0.1:" + std::to_string(dead_port.value());
  BackendClient client(backend.base_url());

  for (int n = 1; n <= kEntries + 1; ++n) {
    SCOPED_TRACE("crash after journal entry " + std::to_string(n));
    const auto dir = root / ("queued-" + std::to_string(n));
    const size_t apps_before = backend.application_count();
    auto run = ChildProcess::start(
        {.argv = {(testing::bin_dir() / "crash_harness").string(), dir.string(), backend.base_url(),
                  printer_sim->uri(), (root / "issuer.pem").string(), std::to_string(n), dead},
         .log_path = dir.string() + ".log"});
    ASSERT_TRUE(run);
    auto waited = run->wait_for(std::chrono::minutes(2));
    ASSERT_TRUE(waited) << waited.error().message;
    ASSERT_EQ(waited.value(), n <= kEntries ? 9 : 0) << testing::read_file(dir.string() + ".log");

    auto key = certs::DataKey::load_or_create(dir / "data.key");
    ASSERT_TRUE(key);
    auto queue = ForwardQueue::open(dir / "queue.db", key.value());
    ASSERT_TRUE(queue);
    for (int round = 0; round < 2; ++round) {
      auto report =
          queue.value()->drain([&](const std::string&) -> const BackendClient& { return client; });
      ASSERT_TRUE(report) << report.error().message;
      EXPECT_EQ(report->waiting, 0);
    }
    const size_t apps = backend.application_count() - apps_before;
    EXPECT_EQ(apps, n >= kQueuedBefore ? 1u : 0u);
    EXPECT_EQ(queue.value()->waiting(), 0u);
  }
  EXPECT_TRUE(printer_sim->received_documents().empty());  // a receipt needs the backend
}

}  // namespace
}  // namespace smzc::services

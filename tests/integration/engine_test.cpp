// The transaction engine through real parts: the reader simulator on a pty, ippeveprinter, the
// reference backend on loopback, and an SQLite journal.
#include <gtest/gtest.h>

#include "backend/reference_backend.h"
#include "drivers/idcard/simulator.h"
#include "drivers/printer/ippeve.h"
#include "services/transaction_engine.h"
#include "tests/support/test_support.h"

namespace smzc::services {
namespace {

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sim = idcard::ReaderSimulator::start({.paced = false});
    ASSERT_TRUE(sim) << sim.error().message;
    reader_sim_ = std::move(sim.value());
    auto transport = idcard::SerialTransport::open(reader_sim_->port_path());
    ASSERT_TRUE(transport);
    reader_ = std::make_unique<idcard::Reader>(std::move(transport.value()));
    auto printer_sim = printer::IppEvePrinter::start({.spool_dir = dir_ / "spool"});
    ASSERT_TRUE(printer_sim) << printer_sim.error().message;
    printer_sim_ = std::move(printer_sim.value());
    printer_ = std::make_unique<printer::IppPrinter>(printer_sim_->uri());
    ASSERT_TRUE(backend_.start());
    client_ = std::make_unique<BackendClient>(backend_.base_url());
    auto journal = Journal::open(dir_ / "journal.db");
    ASSERT_TRUE(journal);
    journal_ = std::move(journal.value());
    auto ledger = PrintLedger::open(dir_ / "journal.db");
    ASSERT_TRUE(ledger);
    ledger_ = std::move(ledger.value());
    engine_ = std::make_unique<TransactionEngine>(
        *journal_, *ledger_, *client_, *reader_, *printer_,
        TransactionEngine::Options{.work_dir = dir_ / "work",
                                   .card_timeout = std::chrono::seconds(10),
                                   .today = "20261122"});
    auto card =
        idcard::load_card_json(testing::source_dir() / "drivers/idcard/sim/cards/resident.json");
    ASSERT_TRUE(card);
    card_ = card.value();
  }

  ServiceItem item() {
    auto cat = engine_->catalogue();
    EXPECT_TRUE(cat);
    return cat->items.at(0);
  }

  testing::TempDir dir_;
  std::unique_ptr<idcard::ReaderSimulator> reader_sim_;
  std::unique_ptr<idcard::Reader> reader_;
  std::unique_ptr<printer::IppEvePrinter> printer_sim_;
  std::unique_ptr<printer::IppPrinter> printer_;
  backend::ReferenceBackend backend_{{.today = "20261122"}};
  std::unique_ptr<BackendClient> client_;
  std::unique_ptr<Journal> journal_;
  std::unique_ptr<PrintLedger> ledger_;
  std::unique_ptr<TransactionEngine> engine_;
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
  ASSERT_EQ(outcome.status, "printed") << outcome.reason;
  EXPECT_EQ(outcome.job_state, "completed");
  EXPECT_EQ(seen, (std::vector<Step>{Step::kApply, Step::kApprove, Step::kFetchCertificate,
                                     Step::kRender, Step::kPrint}));
  EXPECT_EQ(outcome.timings_ms.size(), 7u);

  auto docs = printer_sim_->received_documents();
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_NE(testing::pdf_text(docs[0]).find("社会保险参保缴费凭证"), std::string::npos);
}

TEST_F(EngineTest, JournalsEachStepBeforeItsEffectAndNeverTheFullIdNumber) {
  reader_sim_->lay_card(card_);
  ASSERT_TRUE(engine_->identify());
  Outcome outcome = engine_->process(item());
  ASSERT_EQ(outcome.status, "printed") << outcome.reason;
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
                                             "apply.begin",
                                             "apply.done",
                                             "approve.begin",
                                             "approve.done",
                                             "fetch_certificate.begin",
                                             "fetch_certificate.done",
                                             "render.begin",
                                             "render.done",
                                             "print.begin",
                                             "print.done",
                                             "done"};
  EXPECT_EQ(steps, expected);
  auto verified = journal_->verify_chain();
  ASSERT_TRUE(verified) << verified.error().message;
}

TEST_F(EngineTest, ExpiredCardStopsAtIdentify) {
  card_.valid_to = "20200101";
  reader_sim_->lay_card(card_);
  auto citizen = engine_->identify();
  ASSERT_FALSE(citizen);
  EXPECT_EQ(citizen.code(), Completion::kUserError);
  EXPECT_EQ(engine_->current().failed_step, Step::kIdentify);
  EXPECT_EQ(backend_.application_count(), 0u);
  EXPECT_TRUE(printer_sim_->received_documents().empty());
}

TEST_F(EngineTest, EndSessionForgetsTheCitizenAndTheDocument) {
  reader_sim_->lay_card(card_);
  ASSERT_TRUE(engine_->identify());
  Outcome outcome = engine_->process(item());
  ASSERT_EQ(outcome.status, "printed") << outcome.reason;
  ASSERT_TRUE(std::filesystem::exists(outcome.document));
  engine_->end_session();
  EXPECT_FALSE(std::filesystem::exists(outcome.document));
  Outcome again = engine_->process(item());
  EXPECT_EQ(again.status, "failed");
  EXPECT_EQ(backend_.application_count(), 1u);
}

}  // namespace
}  // namespace smzc::services

#include "services/print_ledger.h"

#include <gtest/gtest.h>

#include "tests/support/test_support.h"

namespace smzc::services {
namespace {

class LedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto l = PrintLedger::open(dir_ / "ledger.db");
    ASSERT_TRUE(l) << l.error().message;
    ledger_ = std::move(l.value());
  }
  PrintState state(const std::string& serial) { return ledger_->find(serial).value()->state; }
  testing::TempDir dir_;
  std::unique_ptr<PrintLedger> ledger_;
};

TEST_F(LedgerTest, ACertificatePrintsOnce) {
  ASSERT_TRUE(ledger_->claim("S1", "T1", "ipp://p"));
  ASSERT_TRUE(ledger_->record_job("S1", 7));
  ASSERT_TRUE(ledger_->finish("S1", PrintState::kCompleted, ""));
  EXPECT_EQ(state("S1"), PrintState::kCompleted);
  auto second = ledger_->claim("S1", "T2", "ipp://p");
  ASSERT_FALSE(second);
  EXPECT_EQ(second.code(), Completion::kUserError);
  EXPECT_EQ(ledger_->find("S1").value()->job_id, 7);
}

TEST_F(LedgerTest, ANotPrintedAttemptMayBeRetried) {
  ASSERT_TRUE(ledger_->claim("S2", "T1", "ipp://p"));
  ASSERT_TRUE(ledger_->finish("S2", PrintState::kNotPrinted, "paper out"));
  ASSERT_TRUE(ledger_->claim("S2", "T1", "ipp://p"));
  EXPECT_EQ(ledger_->find("S2").value()->attempts, 2);
}

TEST_F(LedgerTest, AnAttemptUnderWayBlocksAnother) {
  ASSERT_TRUE(ledger_->claim("S3", "T1", "ipp://p"));
  EXPECT_FALSE(ledger_->claim("S3", "T2", "ipp://p"));
  auto open = ledger_->unfinished();
  ASSERT_TRUE(open);
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ(open.value()[0].serial, "S3");
}

TEST_F(LedgerTest, UnknownOutcomeNeedsAnAuthorisedReprint) {
  ASSERT_TRUE(ledger_->claim("S4", "T1", "ipp://p"));
  ASSERT_TRUE(ledger_->record_job("S4", 3));
  ASSERT_TRUE(ledger_->finish("S4", PrintState::kUnknown, "printer vanished"));
  EXPECT_FALSE(ledger_->claim("S4", "T1", "ipp://p"));
  EXPECT_FALSE(ledger_->authorise_reprint("S4", "", "why"));
  ASSERT_TRUE(ledger_->authorise_reprint("S4", "tech-007", "no page came out"));
  ASSERT_TRUE(ledger_->claim("S4", "T1", "ipp://p"));
  EXPECT_EQ(state("S4"), PrintState::kClaimed);
}

TEST_F(LedgerTest, RefusesOutOfOrderTransitions) {
  EXPECT_FALSE(ledger_->record_job("nothing", 1));
  EXPECT_FALSE(ledger_->mark_sending("nothing"));
  EXPECT_FALSE(ledger_->finish("nothing", PrintState::kCompleted, ""));
  ASSERT_TRUE(ledger_->claim("S5", "T1", "ipp://p"));
  EXPECT_FALSE(ledger_->finish("S5", PrintState::kClaimed, ""));  // not a final state
  EXPECT_FALSE(ledger_->authorise_reprint("S5", "tech", "claimed is not printed"));
}

TEST_F(LedgerTest, SurvivesReopening) {
  ASSERT_TRUE(ledger_->claim("S6", "T1", "ipp://p"));
  ASSERT_TRUE(ledger_->finish("S6", PrintState::kCompleted, ""));
  ledger_.reset();
  auto reopened = PrintLedger::open(dir_ / "ledger.db");
  ASSERT_TRUE(reopened);
  EXPECT_FALSE(reopened.value()->claim("S6", "T9", "ipp://p"));
}

}  // namespace
}  // namespace smzc::services

#include "services/transaction_state.h"

#include <gtest/gtest.h>

namespace smzc::services {
namespace {

using S = TxState;

Status walk(TransactionStateMachine& m, std::initializer_list<S> states) {
  for (S s : states)
    if (auto r = m.advance(s); !r) return r;
  return ok_status();
}

TEST(TransactionState, AnInstantItemWalksToDone) {
  TransactionStateMachine m;
  EXPECT_TRUE(walk(m, {S::kIdentifying, S::kIdentified, S::kFilling, S::kGathering, S::kApplying,
                       S::kAwaitingDecision, S::kApproved, S::kFetching, S::kVerifying,
                       S::kRendering, S::kPrinting, S::kDone}));
  EXPECT_EQ(m.state(), S::kDone);
}

TEST(TransactionState, AManualItemPrintsItsReceipt) {
  TransactionStateMachine m;
  EXPECT_TRUE(walk(m, {S::kIdentifying, S::kIdentified, S::kFilling, S::kGathering, S::kApplying,
                       S::kAwaitingDecision, S::kSubmitted, S::kFetching, S::kVerifying,
                       S::kRendering, S::kPrinting, S::kDone}));
}

TEST(TransactionState, OutOfOrderCallsAreRefused) {
  TransactionStateMachine m;
  auto r = m.advance(S::kApplying);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.code(), Completion::kUnsupported);
  EXPECT_EQ(r.error().message, "refused: idle → applying");
  ASSERT_TRUE(walk(m, {S::kIdentifying, S::kIdentified}));
  EXPECT_FALSE(m.advance(S::kPrinting));  // no certificate verified yet
  EXPECT_FALSE(m.advance(S::kApproved));  // nobody applied
  EXPECT_FALSE(m.advance(S::kApplying));  // the form comes first
  ASSERT_TRUE(
      walk(m, {S::kFilling, S::kGathering, S::kApplying, S::kAwaitingDecision, S::kRejected}));
  EXPECT_FALSE(m.advance(S::kFetching));  // a rejected application has no document
  EXPECT_FALSE(m.advance(S::kApplying));  // nor is it applied for again in this transaction
  EXPECT_EQ(m.state(), S::kRejected);
}

TEST(TransactionState, FailuresAndCancelsAreReachableFromLiveStatesOnly) {
  EXPECT_TRUE(allowed(S::kPrinting, S::kFailed));
  EXPECT_TRUE(allowed(S::kIdentifying, S::kCanceled));
  EXPECT_FALSE(allowed(S::kDone, S::kFailed));
  // The citizen who leaves while it prints is not made to wait: the job is cancelled.
  EXPECT_TRUE(allowed(S::kPrinting, S::kCanceled));
  EXPECT_FALSE(allowed(S::kDone, S::kCanceled));
  EXPECT_TRUE(allowed(S::kFailed, S::kFetching));  // a failed print may be retried
  EXPECT_FALSE(allowed(S::kFailed, S::kPrinting));
}

TEST(TransactionState, AnIncompleteFormGoesBackForCorrection) {
  TransactionStateMachine m;
  ASSERT_TRUE(walk(m, {S::kIdentifying, S::kIdentified, S::kFilling, S::kIdentified, S::kFilling,
                       S::kGathering, S::kIdentified}));
  EXPECT_TRUE(m.advance(S::kCanceled));  // the citizen may still leave
}

TEST(TransactionState, PendingQueuedAndTimedOutEndTheSession) {
  TransactionStateMachine m;
  ASSERT_TRUE(walk(
      m, {S::kIdentifying, S::kIdentified, S::kFilling, S::kGathering, S::kApplying, S::kQueued}));
  EXPECT_FALSE(m.advance(S::kAwaitingDecision));  // a queued application is sent by the queue
  EXPECT_FALSE(m.advance(S::kFailed));
  ASSERT_TRUE(walk(m, {S::kIdentifying, S::kIdentified, S::kFilling, S::kGathering, S::kApplying,
                       S::kAwaitingDecision, S::kPending}));
  EXPECT_FALSE(m.advance(S::kFetching));  // nothing to print before the decision
  ASSERT_TRUE(walk(m, {S::kIdentifying, S::kTimedOut}));
  EXPECT_FALSE(allowed(S::kIdentified, S::kTimedOut));
  EXPECT_FALSE(allowed(S::kApplying, S::kCanceled));  // once sent, an application is not taken back
  EXPECT_TRUE(walk(m, {S::kIdentifying}));
}

}  // namespace
}  // namespace smzc::services

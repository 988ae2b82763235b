#include "services/transaction_state.h"

#include <initializer_list>

namespace smzc::services {

const char* to_string(TxState state) {
  switch (state) {
    case TxState::kIdle:
      return "idle";
    case TxState::kIdentifying:
      return "identifying";
    case TxState::kIdentified:
      return "identified";
    case TxState::kFilling:
      return "filling";
    case TxState::kGathering:
      return "gathering";
    case TxState::kApplying:
      return "applying";
    case TxState::kPending:
      return "pending";
    case TxState::kQueued:
      return "queued";
    case TxState::kTimedOut:
      return "timed_out";
    case TxState::kAwaitingDecision:
      return "awaiting_decision";
    case TxState::kApproved:
      return "approved";
    case TxState::kSubmitted:
      return "submitted";
    case TxState::kRejected:
      return "rejected";
    case TxState::kFetching:
      return "fetching";
    case TxState::kVerifying:
      return "verifying";
    case TxState::kRendering:
      return "rendering";
    case TxState::kPrinting:
      return "printing";
    case TxState::kDone:
      return "done";
    case TxState::kFailed:
      return "failed";
    case TxState::kCanceled:
      return "canceled";
  }
  return "unknown";
}

bool allowed(TxState from, TxState to) {
  using S = TxState;
  auto in = [from](std::initializer_list<S> states) {
    for (S s : states)
      if (s == from) return true;
    return false;
  };
  const std::initializer_list<S> finals = {S::kIdle,     S::kRejected, S::kDone,   S::kFailed,
                                           S::kCanceled, S::kPending,  S::kQueued, S::kTimedOut};
  // Every live state may fail. The citizen may leave at any point but while the application is
  // on its way (its answer says whether it exists); once it is, the waits for the decision and
  // the document end, and the certificate may be collected later.
  if (to == S::kFailed) return !in(finals);
  switch (to) {
    case S::kIdentifying:
      return in(finals);
    case S::kCanceled:
      return in({S::kIdentifying, S::kIdentified, S::kFilling, S::kGathering, S::kAwaitingDecision,
                 S::kApproved, S::kSubmitted, S::kFetching, S::kVerifying, S::kRendering,
                 S::kPrinting});
    case S::kTimedOut:
      return from == S::kIdentifying;
    // Back to identified when the form or materials are incomplete: the citizen corrects them.
    case S::kIdentified:
      return in({S::kIdentifying, S::kFilling, S::kGathering});
    case S::kFilling:
      return from == S::kIdentified;
    case S::kGathering:
      return from == S::kFilling;
    case S::kApplying:
      return from == S::kGathering;
    case S::kQueued:
      return from == S::kApplying;
    case S::kAwaitingDecision:
      return from == S::kApplying;
    case S::kApproved:
    case S::kSubmitted:
    case S::kRejected:
    case S::kPending:
      return from == S::kAwaitingDecision;
    // A print may start after a decision, be retried after a failure, or be asked for by a
    // technician or start-up recovery with no citizen at the terminal.
    // A citizen may also collect the document of an application made earlier; a second print of
    // a printed one gets as far as the print ledger, which refuses it unless authorised.
    case S::kFetching:
      return in({S::kApproved, S::kSubmitted, S::kFailed, S::kIdle, S::kIdentified, S::kDone});
    case S::kVerifying:
      return from == S::kFetching;
    case S::kRendering:
      return from == S::kVerifying;
    case S::kPrinting:
      return from == S::kRendering;
    case S::kDone:
      return from == S::kPrinting;
    default:
      return false;
  }
}

Status TransactionStateMachine::advance(TxState to) {
  if (!allowed(state_, to))
    return Error{Completion::kUnsupported,
                 std::string("refused: ") + to_string(state_) + " → " + to_string(to)};
  state_ = to;
  return ok_status();
}

}  // namespace smzc::services

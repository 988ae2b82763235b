// The states of one transaction and the transitions between them. Out-of-order calls are refused,
// so the engine cannot, say, print before a certificate was verified, or apply twice.
#pragma once

#include <string>

#include "base/status.h"

namespace smzc::services {

enum class TxState {
  kIdle,         ///< no citizen
  kIdentifying,  ///< waiting for and reading a card, checking it
  kIdentified,   ///< a citizen is known; an item may be chosen
  kFilling,      ///< the item's form is being checked
  kGathering,    ///< its materials are being found (e-licences) or checked (scans)
  kApplying,     ///< the application is on its way to the owning backend
  kAwaitingDecision,
  kPending,    ///< final for the session: the decision comes later (SMS)
  kQueued,     ///< final for the session: kept on the terminal, sent when the backend is back
  kApproved,   ///< instant item approved: its certificate is to be printed
  kSubmitted,  ///< manual item accepted: its receipt is to be printed
  kRejected,   ///< final: reasons were given
  kFetching,   ///< fetching the signed document
  kVerifying,  ///< checking its signature
  kRendering,
  kPrinting,
  kDone,      ///< final: printed
  kFailed,    ///< a step failed; a print may be retried from here
  kCanceled,  ///< final: the citizen left
  kTimedOut,  ///< final: no card was laid in time
};

const char* to_string(TxState state);
/// Whether a transaction may go from `from` to `to`.
bool allowed(TxState from, TxState to);

/// One transaction's state; advance() refuses transitions the table does not allow.
class TransactionStateMachine {
 public:
  TxState state() const { return state_; }
  Status advance(TxState to);
  /// Back to idle (a new citizen).
  void reset() { state_ = TxState::kIdle; }

 private:
  TxState state_ = TxState::kIdle;
};

}  // namespace smzc::services

#include "base/protocol_errors.h"

#include <array>

namespace smzc {
namespace {

constexpr std::array kErrors = {
    ProtocolErrorInfo{ProtocolError::kBadRequest, "bad-request", 400},
    ProtocolErrorInfo{ProtocolError::kBadJson, "bad-json", 400},
    ProtocolErrorInfo{ProtocolError::kTooDeep, "too-deep", 400},
    ProtocolErrorInfo{ProtocolError::kNoIdempotencyKey, "no-idempotency-key", 400},
    ProtocolErrorInfo{ProtocolError::kCitizenSessionRequired, "citizen-session-required", 401},
    ProtocolErrorInfo{ProtocolError::kTerminalMismatch, "terminal-mismatch", 403},
    ProtocolErrorInfo{ProtocolError::kCitizenSessionMismatch, "citizen-session-mismatch", 403},
    ProtocolErrorInfo{ProtocolError::kNotFound, "not-found", 404},
    ProtocolErrorInfo{ProtocolError::kNoSuchApplication, "no-such-application", 404},
    ProtocolErrorInfo{ProtocolError::kNoAnchor, "no-anchor", 404},
    ProtocolErrorInfo{ProtocolError::kNoElicense, "no-elicense", 404},
    ProtocolErrorInfo{ProtocolError::kNotApproved, "not-approved", 409},
    ProtocolErrorInfo{ProtocolError::kNotReviewable, "not-reviewable", 409},
    ProtocolErrorInfo{ProtocolError::kTooLarge, "too-large", 413},
    ProtocolErrorInfo{ProtocolError::kIdempotencyKeyReused, "idempotency-key-reused", 422},
    ProtocolErrorInfo{ProtocolError::kUnknownItem, "unknown-item", 422},
    ProtocolErrorInfo{ProtocolError::kStorage, "storage", 500},
    ProtocolErrorInfo{ProtocolError::kSigningFailed, "signing-failed", 500},
    ProtocolErrorInfo{ProtocolError::kUnavailable, "unavailable", 503},
};

}  // namespace

std::span<const ProtocolErrorInfo> protocol_errors() {
  return kErrors;
}

const ProtocolErrorInfo& info(ProtocolError error) {
  return kErrors[static_cast<size_t>(error)];
}

std::optional<ProtocolError> protocol_error_from_code(std::string_view code) {
  for (const auto& e : kErrors)
    if (e.code == code) return e.error;
  return std::nullopt;
}

}  // namespace smzc

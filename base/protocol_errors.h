// The backend protocol's error vocabulary (docs/backend-protocol.md, "Errors"; the ErrorCode enum
// of docs/backend-openapi.yaml). Every refusal a backend sends is
//   {"error": {"code": CODE, "message": TEXT}}
// with one of these codes, each always with the same HTTP status. The reference backend answers
// with them, the terminal reads them, and a test keeps this table and the description in step.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace smzc {

enum class ProtocolError {
  kBadRequest,              ///< 400: the request line, a header or the URL is malformed
  kBadJson,                 ///< 400: the body is not the JSON object the operation takes
  kTooDeep,                 ///< 400: the body nests deeper than 32 levels
  kNoIdempotencyKey,        ///< 400: a request that changes state came without its key
  kCitizenSessionRequired,  ///< 401: a citizen's records need a live citizen session (the
                            ///< platform's grant after it verified the person at the terminal)
  kTerminalMismatch,        ///< 403: X-Terminal-Id (or the path) names another terminal than the
                            ///<      client certificate does
  kCitizenSessionMismatch,  ///< 403: the session was granted to another terminal or for someone
                            ///< else
  kNotFound,                ///< 404: no such operation
  kNoSuchApplication,       ///< 404: unknown to this terminal (or to anyone)
  kNoAnchor,                ///< 404: this terminal anchored no journal head yet
  kNoElicense,              ///< 404: the e-licence library holds no such licence
  kNotApproved,             ///< 409: the application has no certificate (yet)
  kNotReviewable,           ///< 409: the application is not waiting for a reviewer
  kTooLarge,                ///< 413: the body is over its limit
  kIdempotencyKeyReused,    ///< 422: the key was used before with another body
  kUnknownItem,             ///< 422: the item is not in this backend's catalogue
  kStorage,                 ///< 500: the backend could not keep or read a record
  kSigningFailed,           ///< 500: the backend could not sign a document
  kUnavailable,             ///< 503: overloaded or in maintenance; try again later
};

struct ProtocolErrorInfo {
  ProtocolError error;
  std::string_view code;  ///< as sent: "idempotency-key-reused"
  int status;             ///< the HTTP status it always comes with
};

/// Every code, in the order of the enum.
std::span<const ProtocolErrorInfo> protocol_errors();
const ProtocolErrorInfo& info(ProtocolError error);
/// The code a backend sent, if it is one of the vocabulary.
std::optional<ProtocolError> protocol_error_from_code(std::string_view code);

}  // namespace smzc

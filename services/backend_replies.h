// What the terminal reads out of the backend's answers (docs/backend-protocol.md). Each parser
// takes the body as it came and returns the value or an invalid-data error naming what was wrong;
// none trusts the shape, the types or the depth of what the backend sent. Kept apart from the
// HTTP client so the fuzz target (tests/fuzz/backend_reply_fuzzer.cpp) reaches them directly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/protocol_errors.h"
#include "base/status.h"
#include "services/backend_client.h"

namespace smzc::services {

/// An application's state: the answer to POST /v1/applications and GET /v1/applications/{id}.
Result<Decision> parse_decision(const std::string& body);
/// The answer to POST /v1/identity/verify. `expect_holder`: an e-ID code was checked, so a
/// verified answer must say whom it identified.
Result<IdentityCheck> parse_identity_check(const std::string& body, bool expect_holder);
/// The reference of an e-licence found (POST /v1/elicenses/lookup).
Result<std::string> parse_elicense_reference(const std::string& body);
/// A citizen's applications (POST /v1/applicants/applications): at most kMaxListed, each with
/// an application id and item code of sensible length.
Result<std::vector<ApplicationSummary>> parse_applicant_applications(const std::string& body);
/// One application's progress (GET /v1/applications/{id}/progress), bounded the same way.
Result<ApplicationSummary> parse_application_progress(const std::string& body);
/// GET /v1/journal-anchor.
Result<BackendClient::JournalAnchor> parse_journal_anchor(const std::string& body);
/// The error code of a refusal's body ({"error": {"code": …}}), when it is one of the protocol's.
std::optional<ProtocolError> error_code_of(const std::string& body);
/// "HTTP 422 idempotency-key-reused: the message the backend gave", from an error answer's JSON
/// body as far as it has one.
std::string describe_http_error(int status, const std::string& body);

}  // namespace smzc::services

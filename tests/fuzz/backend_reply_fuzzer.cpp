// libFuzzer target: the backend's answers as the terminal reads them (services/backend_replies.h):
// decisions, identity checks, e-licence look-ups, a citizen's applications, journal anchors and
// error bodies. A backend that
// answers anything gets an invalid-data error, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "services/backend_replies.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  using namespace smzc::services;
  (void)parse_decision(body);
  (void)parse_identity_check(body, false);
  (void)parse_identity_check(body, true);
  (void)parse_elicense_reference(body);
  (void)parse_journal_anchor(body);
  (void)parse_applicant_applications(body);
  (void)parse_application_progress(body);
  (void)describe_http_error(422, body);
  return 0;
}

// The backend protocol's conformance suite: what a terminal relies on, checked against any
// backend (the reference one, or a province's) over its real transport. Run it with a terminal
// certificate kept for testing: it makes applications, sends a heartbeat and moves that
// terminal's journal anchor. `kioskctl backend conformance URL` prints the table.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "services/backend_client.h"

namespace smzc::services {

struct ConformanceCheck {
  std::string name;  ///< stable, e.g. "idempotent-retry"
  std::string rule;  ///< what the protocol asks, in a line
  bool passed = false;
  bool skipped = false;  ///< did not apply here (e.g. terminal-mismatch on plain HTTP)
  std::string detail;    ///< what was seen
};

struct ConformanceOptions {
  /// The key the backend's catalogue and keyring are signed with, as terminals are configured
  /// with it (PEM). Empty: the key the backend serves on /v1/keys (then only self-consistency is
  /// checked, and the report says so).
  std::string backend_key_pem;
  /// A citizen the backend's rules approve, and an instant item issuing a certificate; empty
  /// item: the first such item of the catalogue.
  Applicant citizen{"440605199003072315", "陈晓明", "20400101", "19900307", {}, {}, {}, {}};
  std::string item_code;
  /// A picture (JPEG or PNG) of `citizen`'s face, as the terminal crops it, that the backend's
  /// register photo of them should match; empty: only an unusable picture's refusal is checked.
  std::string citizen_face;
  /// Makes idempotency keys unique to this run.
  std::string run_id;
};

/// Runs every check in order against the backend `client` talks to (its terminal id and TLS
/// files are the ones used). A check that cannot run because an earlier one failed fails too.
std::vector<ConformanceCheck> run_conformance(const BackendClient& client,
                                              const BackendClient::Options& client_options,
                                              const ConformanceOptions& options);

}  // namespace smzc::services

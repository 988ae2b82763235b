// kioskctl backend conformance URL: checks a backend against what terminals rely on
// (services/conformance.h, docs/kioskctl.md).

#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/paths.h"
#include "kiosk/kioskctl.h"
#include "services/conformance.h"

namespace smzc::kioskctl {
namespace {

using nlohmann::json;

struct ConformanceArgs {
  std::string url;
  std::string config;  ///< take the terminal id, TLS files and backend key from here
  std::string terminal_id;
  std::string ca, cert, key;
  std::string backend_key;  ///< PEM file of the key terminals are configured with
  std::string item;
  std::string face;  ///< a picture of the test citizen's face the backend should match
  bool as_json = false;
};

int conformance(const ConformanceArgs& args) {
  services::BackendClient::Options client{.timeout = std::chrono::seconds(20), .attempts = 1};
  std::filesystem::path backend_key = args.backend_key;
  if (!args.config.empty()) {
    auto config = services::load_config(args.config);
    if (!config) return fail(2, config.error().message);
    client.terminal_id = config->terminal_id;
    client.ca_file = config->backend_ca;
    client.client_cert = config->terminal_cert;
    client.client_key = config->terminal_key;
    if (backend_key.empty()) backend_key = config->certificate_key;
  }
  if (!args.terminal_id.empty()) client.terminal_id = args.terminal_id;
  if (!args.ca.empty()) client.ca_file = args.ca;
  if (!args.cert.empty()) client.client_cert = args.cert;
  if (!args.key.empty()) client.client_key = args.key;
  services::ConformanceOptions options;
  options.item_code = args.item;
  if (!args.face.empty()) {
    auto face = read_file(args.face, 4 << 20);
    if (!face) return fail(2, face.error().message);
    options.citizen_face = std::move(face.value());
  }
  options.run_id =
      "conformance-" + std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
  if (!backend_key.empty()) {
    std::ifstream in(backend_key);
    std::stringstream pem;
    pem << in.rdbuf();
    if (!in) return fail(2, "cannot read the backend key " + backend_key.string());
    options.backend_key_pem = pem.str();
  }
  const services::BackendClient backend(args.url, client);
  const auto checks = services::run_conformance(backend, client, options);
  size_t failed = 0;
  for (const auto& c : checks) failed += c.passed ? 0 : 1;
  if (args.as_json) {
    json list = json::array();
    for (const auto& c : checks)
      list.push_back({{"check", c.name},
                      {"rule", c.rule},
                      {"result", c.skipped  ? "skipped"
                                 : c.passed ? "pass"
                                            : "fail"},
                      {"detail", c.detail}});
    std::cout << json{{"backend", args.url},
                      {"terminal_id", client.terminal_id},
                      {"backend_key", options.backend_key_pem.empty() ? "served" : "configured"},
                      {"checks", list},
                      {"failed", failed}}
                     .dump(2)
              << '\n';
  } else {
    for (const auto& c : checks)
      std::cout << (c.skipped  ? "skip"
                    : c.passed ? "pass"
                               : "FAIL")
                << "  " << c.name << "  " << (c.passed && !c.skipped ? c.rule : c.detail) << '\n';
    std::cout << checks.size() - failed << " of " << checks.size() << " checks pass"
              << (options.backend_key_pem.empty()
                      ? " (signatures checked against the key the backend serves, not a "
                        "configured one)"
                      : "")
              << '\n';
  }
  return failed == 0 ? 0 : 1;
}

}  // namespace

void add_backend_commands(CLI::App& app, int& rc) {
  static ConformanceArgs args;
  auto* backend = app.add_subcommand("backend", "a government backend")->require_subcommand(1);
  auto* check = backend->add_subcommand(
      "conformance",
      "check a backend against the protocol terminals rely on (makes test applications: use a "
      "terminal certificate kept for testing)");
  check->add_option("url", args.url, "the backend, http(s)://HOST:PORT")->required();
  check->add_option(
      "--config", args.config,
      "take the terminal id, TLS files and backend key from this kiosk configuration");
  check->add_option("--terminal-id", args.terminal_id, "X-Terminal-Id (the certificate's CN)");
  check->add_option("--ca", args.ca, "CA of the backend's certificate");
  check->add_option("--cert", args.cert, "terminal certificate (PEM) for mutual TLS");
  check->add_option("--key", args.key, "its private key (PEM)");
  check->add_option("--backend-key", args.backend_key,
                    "the backend's public key as terminals are configured with it (PEM); "
                    "default: the key it serves");
  check->add_option("--item", args.item,
                    "an instant item the test citizen qualifies for (default: the first such)");
  check->add_option("--face", args.face,
                    "a picture (JPEG, PNG) of the test citizen's face, as the terminal crops it, "
                    "that the backend's register photo should match");
  check->add_flag("--json", args.as_json, "print JSON");
  check->callback([&rc] { rc = conformance(args); });
}

}  // namespace smzc::kioskctl

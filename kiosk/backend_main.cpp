// smzc-backend: the reference government backend as a program.
#include <signal.h>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <vector>

#include "backend/reference_backend.h"
#include "base/privacy.h"

int main(int argc, char** argv) {
  // Logs go to stderr: stdout carries only the "listening on" line a parent may read, and
  // under systemd both reach the journal.
  spdlog::set_default_logger(spdlog::stderr_logger_mt("smzc-backend"));
  // Citizens' data lives in this process: a crash must not write it to disk.
  smzc::forbid_core_dumps();
  CLI::App app{"市民之窗 reference government backend (docs/backend-protocol.md)"};
  smzc::backend::ReferenceBackend::Options options;
  app.add_option("--host", options.host, "address to listen on")->capture_default_str();
  app.add_option("--port", options.port, "port; 0 picks a free one")->capture_default_str();
  app.add_option("--region", options.regions,
                 "行政区划代码 whose items this backend owns (repeatable; default: all)");
  app.add_option("--catalogue", options.catalogue_path, "catalogue file")->capture_default_str();
  app.add_option("--register", options.face_register.path,
                 "register photos faces are compared with (docs/backend-protocol.md)")
      ->capture_default_str();
  app.add_option("--face-models", options.face_register.models,
                 "the converted face models (default: the installed ones)");
  app.add_option("--face-threshold", options.face_register.threshold,
                 "distance at or under which a face is the register photo's (0: the shipped one)");
  std::string frozen_at;
  app.add_option("--frozen-clock", frozen_at,
                 "\"YYYY-MM-DD HH:MM:SS\": a clock standing still at this local time (tests)");
  std::string key_file, public_key_out;
  app.add_option("--key", key_file,
                 "SM2 private key (PEM) that signs the catalogue, the keyring and e-ID codes; "
                 "default: a fresh key for this run");
  std::vector<std::string> issuer_keys;
  app.add_option("--issuer-key", issuer_keys,
                 "REGION=FILE: the SM2 private key (PEM) that signs that region's certificates "
                 "(repeatable); a region without one gets a fresh key for this run");
  app.add_option("--public-key-out", public_key_out,
                 "write the signing key's public half (PEM) here, for the terminals");
  options.database = "smzc-backend.db";
  app.add_option("--database", options.database,
                 "SQLite file that keeps applications (\":memory:\" for none), or a PostgreSQL "
                 "URI (postgresql://USER@HOST:PORT/DB) shared by several backend instances")
      ->capture_default_str();
  app.add_option("--tls-cert", options.tls_cert, "server certificate (PEM): serve HTTPS");
  app.add_option("--tls-key", options.tls_key, "server private key (PEM)");
  app.add_option("--client-ca", options.client_ca,
                 "CA whose terminal certificates are required (mutual TLS)");
  app.add_option("--data-key", options.data_key,
                 "32-byte key sealing applicants' data at rest (made when missing); "
                 "default: DATABASE.key");
  app.add_option("--max-connections-per-peer", options.connection_limits.per_peer,
                 "connections one IP address may hold open at once; more are closed at accept")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--max-connections", options.connection_limits.total,
                 "connections open at once in all")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  int64_t request_deadline_ms = options.connection_limits.request_deadline.count();
  app.add_option("--request-deadline-ms", request_deadline_ms,
                 "a started request (or TLS handshake) unanswered for this long is cut")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{100}, int64_t{600000}));
  std::string eid_for, eid_out;
  app.add_option("--demo-eid-for", eid_for,
                 "ID_NUMBER:NAME:VALID_TO — issue an e-ID code for this citizen at start, as "
                 "their phone app would show it (demos)");
  app.add_option("--demo-eid-out", eid_out, "where that code is written");
  app.add_flag("--fault-switches", options.fault_switches,
               "serve POST /v1/_faults and /v1/_review to inject faults and decide manual "
               "applications (tests and demos only)");
  CLI11_PARSE(app, argc, argv);
  options.connection_limits.request_deadline = std::chrono::milliseconds(request_deadline_ms);
  std::optional<smzc::FakeClock> frozen;
  if (!frozen_at.empty()) {
    try {
      frozen.emplace(smzc::FakeClock::local_time(frozen_at));
    } catch (const std::exception& e) {
      std::fprintf(stderr, "smzc-backend: %s\n", e.what());
      return 2;
    }
    options.clock = &*frozen;
  }
  if (options.data_key.empty() && options.database != ":memory:")
    options.data_key = options.database.string() + ".key";

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // before the server thread starts

  for (const auto& spec : issuer_keys) {
    const auto eq = spec.find('=');
    std::ifstream in(eq == std::string::npos ? std::string() : spec.substr(eq + 1));
    std::stringstream pem;
    pem << in.rdbuf();
    if (eq == std::string::npos || !in) {
      std::fprintf(stderr, "smzc-backend: --issuer-key %s: want REGION=FILE, a readable file\n",
                   spec.c_str());
      return 2;
    }
    options.issuer_key_pems[spec.substr(0, eq)] = pem.str();
  }
  if (!key_file.empty()) {
    std::ifstream in(key_file);
    std::stringstream pem;
    pem << in.rdbuf();
    options.signing_key_pem = pem.str();
    if (!in) {
      std::fprintf(stderr, "smzc-backend: cannot read %s\n", key_file.c_str());
      return 2;
    }
  }
  smzc::backend::ReferenceBackend backend(options);
  if (!public_key_out.empty()) std::ofstream(public_key_out) << backend.public_key_pem();
  if (!eid_for.empty()) {
    const auto first = eid_for.find(':'), second = eid_for.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos || eid_out.empty()) {
      std::cerr << "smzc-backend: --demo-eid-for takes ID_NUMBER:NAME:VALID_TO, with "
                   "--demo-eid-out FILE\n";
      return 2;
    }
    auto code = backend.issue_eid({{"id_number", eid_for.substr(0, first)},
                                   {"name", eid_for.substr(first + 1, second - first - 1)},
                                   {"valid_to", eid_for.substr(second + 1)}},
                                  std::chrono::hours(1));
    if (!code) {
      std::cerr << "smzc-backend: " << code.error().message << '\n';
      return 1;
    }
    std::ofstream(eid_out) << code.value();
  }
  auto port = backend.start();
  if (!port) {
    std::fprintf(stderr, "smzc-backend: %s\n", port.error().message.c_str());
    return 1;
  }
  std::cout << "listening on " << backend.base_url() << std::endl;
  int sig = 0;
  sigwait(&signals, &sig);
  backend.stop();
  return 0;
}

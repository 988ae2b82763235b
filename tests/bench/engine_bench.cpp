// The backend round trips of one instant item, on loopback against the reference backend:
// submit → approved → certificate fetched → SM2 signature verified; and how many applications
// per second the reference backend takes.
#include <benchmark/benchmark.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>
#include <vector>

#include "backend/reference_backend.h"
#include "certs/certificate.h"
#include "services/backend_client.h"
#include "tests/support/postgres.h"
#include "tests/support/test_support.h"

namespace {

using namespace smzc;
using Clock = std::chrono::steady_clock;

const services::Applicant kCitizen{"440605199003072315", "陈晓明", "20400115", "19900307", {}};

backend::ReferenceBackend& shared_backend() {
  static backend::ReferenceBackend backend({.clock = &smzc::testing::test_clock()});
  static const bool started = backend.start().ok();
  (void)started;
  return backend;
}

// The same backend behind mutual TLS, with a development PKI made for this run.
const std::filesystem::path& pki_dir() {
  static const std::filesystem::path dir = [] {
    auto d =
        std::filesystem::temp_directory_path() / ("smzc-bench-pki-" + std::to_string(getpid()));
    const std::string make =
        (std::filesystem::path(SMZC_SOURCE_DIR) / "packaging/make-dev-pki.sh").string();
    (void)std::system(("'" + make + "' '" + d.string() + "' >/dev/null 2>&1").c_str());
    return d;
  }();
  return dir;
}

backend::ReferenceBackend& shared_tls_backend() {
  static backend::ReferenceBackend backend({.clock = &smzc::testing::test_clock(),
                                            .tls_cert = pki_dir() / "server.pem",
                                            .tls_key = pki_dir() / "server.key",
                                            .client_ca = pki_dir() / "ca.pem"});
  static const bool started = backend.start().ok();
  (void)started;
  return backend;
}

services::BackendClient client_for(bool tls) {
  if (!tls) return services::BackendClient(shared_backend().base_url());
  return services::BackendClient(shared_tls_backend().base_url(),
                                 {.ca_file = pki_dir() / "ca.pem",
                                  .client_cert = pki_dir() / "terminal.pem",
                                  .client_key = pki_dir() / "terminal.key"});
}

backend::ReferenceBackend& backend_for(bool tls) {
  return tls ? shared_tls_backend() : shared_backend();
}

// Arg 0: plain HTTP; 1: mutual TLS.
void BM_SubmitApproveFetchVerify_1000(benchmark::State& state) {
  const bool tls = state.range(0) == 1;
  auto& backend = backend_for(tls);
  services::BackendClient client = client_for(tls);
  auto issuer = certs::Sm2Key::from_pem(backend.public_key_pem());
  if (!issuer) return state.SkipWithError("no issuer key");
  static std::atomic<int> serial{0};
  // A terminal fetches the keyring once and keeps it; each certificate is checked against it.
  auto ring = client.keyring(issuer.value());
  if (!ring) return state.SkipWithError(ring.error().message.c_str());
  for (auto _ : state) {
    std::vector<double> ms;
    ms.reserve(1000);
    for (int i = 0; i < 1000; ++i) {
      const auto start = Clock::now();
      auto d = client.submit("NH-SB-0001", kCitizen, "bench-" + std::to_string(++serial));
      if (!d) return state.SkipWithError(d.error().message.c_str());
      auto status = client.application(d->application_id);
      if (!status || status->status != "approved") return state.SkipWithError("not approved");
      auto cert = client.certificate(d->application_id, ring.value());
      if (!cert) return state.SkipWithError(cert.error().message.c_str());
      ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
    std::sort(ms.begin(), ms.end());
    state.counters["median_ms"] = ms[ms.size() / 2];
    state.counters["p95_ms"] = ms[ms.size() * 95 / 100];
  }
}
BENCHMARK(BM_SubmitApproveFetchVerify_1000)
    ->ArgName("mtls")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

void BM_BackendApplications(benchmark::State& state) {
  const bool tls = state.range(0) == 1;
  services::BackendClient client = client_for(tls);
  static std::atomic<int> serial{0};
  for (auto _ : state) {
    auto d = client.submit("NH-SB-0001", kCitizen, "rate-" + std::to_string(++serial));
    if (!d) return state.SkipWithError(d.error().message.c_str());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BackendApplications)
    ->ArgName("mtls")
    ->Arg(0)
    ->Arg(1)
    ->Threads(1)
    ->Threads(2)
    ->UseRealTime()
    ->MinTime(2.0);

}  // namespace

namespace {

// Load: `honest` terminals at once, each from an address of its own, send five heartbeats each
// while `slow` peers from one address start a request and stop (they would hold a worker each
// until the read times out; the gate lets 64 of them in and cuts those at the request deadline).
// Reports what was served per second and the 50th and 99th percentile of an honest request's time.
void BM_BackendUnderLoad(benchmark::State& state) {
  const int slow = static_cast<int>(state.range(0));
  const int honest = static_cast<int>(state.range(1));
  backend::ReferenceBackend backend({.clock = &smzc::testing::test_clock()});
  if (!backend.start()) return state.SkipWithError("backend did not start");
  const int port = smzc::testing::port_of(backend.base_url());
  for (auto _ : state) {
    std::vector<int> trickling;
    for (int i = 0; i < slow; ++i)
      trickling.push_back(
          smzc::testing::connect_loopback(port, "POST /v1/applications HTTP/1.1\r\n", "127.0.0.2"));
    const int each = std::max(5, 1000 / honest);
    std::vector<std::vector<double>> times(honest);
    std::atomic<int> failed{0};
    const auto start = Clock::now();
    std::vector<std::thread> clients;
    for (int c = 0; c < honest; ++c)
      clients.emplace_back([&, c] {
        services::BackendClient client(
            backend.base_url(), {.timeout = std::chrono::seconds(30),
                                 .terminal_id = "LOAD-" + std::to_string(c),
                                 .source_address = "127.0." + std::to_string(10 + c / 200) + "." +
                                                   std::to_string(1 + c % 200)});
        for (int i = 0; i < each; ++i) {
          const auto t0 = Clock::now();
          if (!client.heartbeat(R"({"queue_waiting":0})")) ++failed;
          times[c].push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        }
      });
    for (auto& t : clients) t.join();
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    for (int fd : trickling)
      if (fd >= 0) ::close(fd);
    std::vector<double> all;
    for (auto& v : times) all.insert(all.end(), v.begin(), v.end());
    std::sort(all.begin(), all.end());
    state.counters["served_per_s"] = all.size() / seconds;
    state.counters["p50_ms"] = all[all.size() / 2];
    state.counters["p99_ms"] = all[all.size() * 99 / 100];
    state.counters["failed"] = failed.load();
    state.counters["slow_refused"] = backend.connection_counters().refused_per_peer;
  }
}
// Applications per second into one store: SQLite (a file, synchronous) or PostgreSQL (fsync on),
// behind one backend instance or two, from 8 or 32 terminals at once, 2,000 applications in all,
// each approved at once, its certificate issued and the terminal's journal head anchored. Args:
// store (0 SQLite, 1 PostgreSQL), instances, mutual TLS (0 or 1), terminals.
void BM_ApplicationsPerSecond(benchmark::State& state) {
  const bool postgres = state.range(0) == 1;
  const int instances = static_cast<int>(state.range(1));
  const bool tls = state.range(2) == 1;
  smzc::testing::TempDir dir;
  std::unique_ptr<smzc::testing::PostgresServer> server;
  std::string database = (dir / "applications.db").string();
  if (postgres) {
    auto started = smzc::testing::PostgresServer::start(dir / "pg", /*durable=*/true);
    if (!started) return state.SkipWithError(started.error().message.c_str());
    server = std::move(started.value());
    if (!server->create_database("bench")) return state.SkipWithError("no database");
    database = server->uri("bench");
  }
  const auto pem = backend::ReferenceBackend({}).signing_key().private_pem().value();
  std::vector<std::unique_ptr<backend::ReferenceBackend>> backends;
  for (int i = 0; i < instances; ++i) {
    backends.push_back(std::make_unique<backend::ReferenceBackend>(
        backend::ReferenceBackend::Options{.clock = &smzc::testing::test_clock(),
                                           .signing_key_pem = pem,
                                           .database = database,
                                           .data_key = dir / "data.key",
                                           .tls_cert = tls ? pki_dir() / "server.pem" : "",
                                           .tls_key = tls ? pki_dir() / "server.key" : "",
                                           .client_ca = tls ? pki_dir() / "ca.pem" : ""}));
    if (!backends.back()->start()) return state.SkipWithError("backend did not start");
  }
  const int terminals = static_cast<int>(state.range(3)), each = 2000 / terminals;
  std::atomic<int> failed{0};
  for (auto _ : state) {
    const auto start = Clock::now();
    std::vector<std::thread> clients;
    for (int c = 0; c < terminals; ++c)
      clients.emplace_back([&, c] {
        services::BackendClient client(backends[c % instances]->base_url(),
                                       {.timeout = std::chrono::seconds(30),
                                        .ca_file = tls ? pki_dir() / "ca.pem" : "",
                                        .client_cert = tls ? pki_dir() / "terminal.pem" : "",
                                        .client_key = tls ? pki_dir() / "terminal.key" : ""});
        for (int i = 0; i < each; ++i)
          // Like a terminal, each application carries its journal head for the backend to
          // anchor.
          if (!client.submit("NH-SB-0001", kCitizen,
                             "rate-" + std::to_string(c) + "-" + std::to_string(i),
                             std::to_string(i + 1) + ":" + std::string(64, 'a')))
            ++failed;
      });
    for (auto& t : clients) t.join();
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    state.counters["applications_per_s"] = terminals * each / seconds;
    state.counters["failed"] = failed.load();
  }
}
BENCHMARK(BM_ApplicationsPerSecond)
    ->ArgNames({"postgres", "instances", "mtls", "terminals"})
    ->Args({0, 1, 0, 8})
    ->Args({0, 1, 1, 8})
    ->Args({1, 1, 0, 8})
    ->Args({1, 2, 0, 8})
    ->Args({1, 2, 1, 8})
    ->Args({0, 1, 0, 32})
    ->Args({0, 1, 1, 32})
    ->Args({1, 1, 0, 32})
    ->Args({1, 2, 0, 32})
    ->Args({1, 2, 1, 32})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

BENCHMARK(BM_BackendUnderLoad)
    ->ArgNames({"slow", "honest"})
    ->Args({0, 20})
    ->Args({200, 20})
    ->Args({0, 1000})
    ->Args({200, 1000})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace

// The backend round trips of one instant item, on loopback against the reference backend:
// submit → approved → certificate fetched → SM2 signature verified; and how many applications
// per second the reference backend takes.
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include "backend/reference_backend.h"
#include "certs/certificate.h"
#include "services/backend_client.h"
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

// The device model's costs: how long a session's stop takes to end a backend request in flight
// and a print-job wait (from cancel() to the call's return), what one device status change costs
// to publish to its listeners, and a session on the fakes from card to printed certificate.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <vector>

#include "tests/support/simulated_terminal.h"

namespace {

using namespace smzc;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

void report(benchmark::State& state, std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  state.counters["median_ms"] = ms[ms.size() / 2];
  state.counters["max_ms"] = ms.back();
}

// "Back" while the reference backend sits on the identity check (60 s latency): from cancel()
// to identify() returning kCanceled.
void BM_StopEndsASlowBackendCall(benchmark::State& state) {
  smzc::testing::TempDir dir;
  auto t = smzc::testing::FakeTerminal::start(dir.path());
  if (!t) return state.SkipWithError(t.error().message.c_str());
  auto& terminal = *t.value();
  std::vector<double> ms;
  for (auto _ : state) {
    for (int i = 0; i < 6; ++i) {
      // The request given up on is answered (and its server thread freed) before the next.
      terminal.backend->set_faults({});
      terminal.backend->set_faults({.latency_ms = 60000});
      terminal.engine().end_session();
      terminal.reader->lay(terminal.card());
      const size_t before = terminal.backend->requests_received();
      Clock::time_point canceled_at;
      std::jthread back([&] {
        terminal.backend->wait_for_requests(before + 1, 30s);
        canceled_at = Clock::now();
        terminal.engine().cancel();
      });
      auto citizen = terminal.engine().identify();
      const double took = ms_since(canceled_at);
      if (citizen || citizen.code() != Completion::kCanceled)
        return state.SkipWithError(("identify was not canceled: " +
                                    (citizen ? std::string("identified") : citizen.error().message))
                                       .c_str());
      ms.push_back(took);
    }
  }
  terminal.backend->set_faults({});
  report(state, ms);
}
BENCHMARK(BM_StopEndsASlowBackendCall)->Iterations(1)->Unit(benchmark::kMillisecond);

// A job stalled in ippeveprinter: from the stop to wait_for_job() returning kCanceled.
void BM_StopEndsAPrintJobWait(benchmark::State& state) {
  smzc::testing::TempDir dir;
  auto sim = printer::IppEvePrinter::start({.spool_dir = dir / "spool"});
  if (!sim) return state.SkipWithError(sim.error().message.c_str());
  if (!sim.value()->set_fault("stall")) return state.SkipWithError("no stall fault");
  printer::IppPrinter printer(sim.value()->uri());
  auto id = printer.submit(smzc::testing::source_dir() / "tests/data/one-page.pdf", "stalled");
  if (!id) return state.SkipWithError(id.error().message.c_str());
  std::vector<double> ms;
  for (auto _ : state) {
    for (int i = 0; i < 20; ++i) {
      std::stop_source back;
      Clock::time_point stopped_at;
      std::jthread citizen([&] {
        std::this_thread::sleep_for(300ms);  // well into the wait's polling
        stopped_at = Clock::now();
        back.request_stop();
      });
      auto job = printer.wait_for_job(id.value(), after(60s), printer::FaultPolicy::kCancel,
                                      back.get_token());
      citizen.join();
      if (job || job.code() != Completion::kCanceled)
        return state.SkipWithError("the wait was not canceled");
      ms.push_back(ms_since(stopped_at));
    }
  }
  (void)printer.cancel_job(id.value());
  report(state, ms);
}
BENCHMARK(BM_StopEndsAPrintJobWait)->Iterations(1)->Unit(benchmark::kMillisecond);

// One status change published to a device manager's listener and the device's own.
void BM_PublishAStatusChange(benchmark::State& state) {
  services::DeviceManager manager;
  auto reader = std::make_unique<fakes::FakeCardReader>("reader");
  auto* fake = reader.get();
  (void)manager.add(std::move(reader));
  size_t heard = 0;
  manager.add_listener([&](const services::DeviceEntry&) { ++heard; });
  bool present = true;
  for (auto _ : state) {
    present = !present;
    present ? fake->plug() : fake->unplug();
  }
  benchmark::DoNotOptimize(heard);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PublishAStatusChange);

// A whole session on the fakes and the reference backend: card, identity, catalogue, apply,
// approve, fetch, verify, render, print.
void BM_SessionOnFakes(benchmark::State& state) {
  smzc::testing::TempDir dir;
  auto t = smzc::testing::FakeTerminal::start(dir.path());
  if (!t) return state.SkipWithError(t.error().message.c_str());
  auto& terminal = *t.value();
  for (auto _ : state) {
    terminal.engine().end_session();
    terminal.reader->lay(terminal.card());
    if (!terminal.engine().identify()) return state.SkipWithError("identify failed");
    auto cat = terminal.engine().catalogue();
    if (!cat) return state.SkipWithError(cat.error().message.c_str());
    auto outcome = terminal.engine().process(*cat->find("NH-SB-0001"));
    if (outcome.status != services::OutcomeStatus::kPrinted)
      return state.SkipWithError(outcome.reason.c_str());
  }
  terminal.engine().end_session();
}
BENCHMARK(BM_SessionOnFakes)->Unit(benchmark::kMillisecond)->MinTime(3.0);

}  // namespace

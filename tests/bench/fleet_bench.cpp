// Fleet health's costs: one heartbeat of a real terminal (gathering its facts, including the
// journal's counts, and rendering the report: its size and CPU), and the fleet service's state
// applying terminals' reports (messages per second, without the broker; tests/fleet/ measures
// through the broker with the page open).
#include <benchmark/benchmark.h>

#include <ctime>

#include "fleet/fleet_state.h"
#include "services/heartbeat.h"
#include "tests/support/simulated_terminal.h"
#include "tests/support/test_support.h"

namespace {

using namespace smzc;

double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

// A terminal on the fakes with 1,000 sessions in its journal; one report as the heartbeat makes
// it (no broker, no backend call: only what the terminal spends). The journal is counted once:
// a report counts it again only after it has grown (BM_CountJournal is that count).
void BM_HeartbeatReport(benchmark::State& state) {
  smzc::testing::TempDir dir;
  auto terminal = smzc::testing::FakeTerminal::start(dir.path());
  if (!terminal) return state.SkipWithError(terminal.error().message.c_str());
  services::Journal& journal = terminal.value()->parts.terminal->journal();
  for (int i = 0; i < 1000; ++i) {
    const std::string txn = journal.new_transaction_id();
    for (const char* step : {"read_card.begin", "read_card.done", "print.begin", "print.done"})
      (void)journal.append(txn, step, "{}");
  }
  services::Heartbeat heartbeat(*terminal.value()->parts.terminal, {.version = "bench"});
  size_t bytes = 0;
  const double cpu0 = cpu_seconds();
  for (auto _ : state) {
    const std::string report = heartbeat.report("timer");
    bytes = report.size();
    benchmark::DoNotOptimize(report);
  }
  state.counters["report_bytes"] = static_cast<double>(bytes);
  state.counters["cpu_us_per_report"] =
      (cpu_seconds() - cpu0) * 1e6 / static_cast<double>(state.iterations());
}
BENCHMARK(BM_HeartbeatReport)->Unit(benchmark::kMicrosecond);

// Counting a journal of 1,000 sessions (4,000 entries) over a connection of its own: what a
// report costs once the journal has grown since the last one.
void BM_CountJournal(benchmark::State& state) {
  smzc::testing::TempDir dir;
  {
    auto journal = services::Journal::open(dir / "journal.db");
    if (!journal) return state.SkipWithError(journal.error().message.c_str());
    for (int i = 0; i < 1000; ++i) {
      const std::string txn = journal.value()->new_transaction_id();
      for (const char* step : {"read_card.begin", "read_card.done", "print.begin", "print.done"})
        (void)journal.value()->append(txn, step, "{}");
    }
  }
  for (auto _ : state) {
    auto counts = services::count_journal(dir / "journal.db");
    if (!counts || counts->transactions != 1000) return state.SkipWithError("miscounted");
    benchmark::DoNotOptimize(counts);
  }
}
BENCHMARK(BM_CountJournal)->Unit(benchmark::kMicrosecond);

// 300 terminals' reports, round robin, into the fleet's state (what each broker message costs).
void BM_FleetApply(benchmark::State& state) {
  fleet::FleetState fleet("smzc/v1");
  std::vector<std::pair<std::string, std::string>> messages;
  for (int i = 0; i < 300; ++i) {
    services::ReportFacts f{
        .terminal_id = "SMZC-SIM-" + std::to_string(1000 + i),
        .version = "bench",
        .reason = "timer",
        .sent_at_ms = 1,
        .devices = {
            {"reader",
             DeviceKind::kCardReader,
             "",
             {DeviceState::kOnline, MediaState::kCardAbsent}},
            {"printer", DeviceKind::kPrinter, "", {DeviceState::kOnline, MediaState::kPaperOk}}}};
    messages.emplace_back("smzc/v1/440605/" + f.terminal_id + "/state",
                          services::render_report(f).first);
  }
  size_t n = 0;
  for (auto _ : state) {
    const auto& [topic, payload] = messages[n++ % messages.size()];
    auto applied = fleet.apply(topic, payload, static_cast<int64_t>(n));
    if (!applied) return state.SkipWithError(applied.error().message.c_str());
    benchmark::DoNotOptimize(fleet.row(applied.value())->dump());  // as the page's event
  }
  state.counters["messages_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_FleetApply)->Unit(benchmark::kMicrosecond);

}  // namespace

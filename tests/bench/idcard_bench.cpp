// How close a full card read comes to the wire floor: find + select + read over a pty whose far
// end is the reader simulator, paced like a UART at 115200 baud.
#include <benchmark/benchmark.h>

#include <cstdio>

#include "drivers/idcard/frame.h"
#include "drivers/idcard/reader.h"
#include "drivers/idcard/simulator.h"

namespace {

using namespace smzc::idcard;

void BM_ReadCardAt115200(benchmark::State& state) {
  auto sim = ReaderSimulator::start({.baud = 115200, .paced = true});
  if (!sim) return state.SkipWithError(sim.error().message.c_str());
  auto transport = SerialTransport::open(sim.value()->port_path());
  if (!transport) return state.SkipWithError(transport.error().message.c_str());
  Reader reader(std::move(transport.value()));
  IdentityCard card;
  card.name = "陈晓明";
  card.id_number = "440605199003072315";
  for (auto _ : state) {
    state.PauseTiming();
    sim.value()->lift_card();
    sim.value()->lay_card(card);
    state.ResumeTiming();
    auto read = reader.read_card();
    if (!read) return state.SkipWithError(read.error().message.c_str());
  }
  // Wire floor: every byte of the three exchanges at 10 bits per byte.
  const double bytes = encode(commands::find_card()).size() + 15 +
                       encode(commands::select_card()).size() + 19 +
                       encode(commands::read_base()).size() + 1295;
  state.counters["wire_floor_ms"] = bytes * 10.0 / 115200 * 1000;
}
BENCHMARK(BM_ReadCardAt115200)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(20)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);

void BM_DecodeBaseMessageFrame(benchmark::State& state) {
  IdentityCard card;
  card.name = "陈晓明";
  card.id_number = "440605199003072315";
  auto frame = encode(Response{0, 0, sw3::kOk, encode_base_message(card)});
  for (auto _ : state) {
    auto r = decode_response(frame);
    auto c = decode_base_message(r->data);
    benchmark::DoNotOptimize(c);
  }
}
BENCHMARK(BM_DecodeBaseMessageFrame);

}  // namespace

// Submit → completed for a one-page certificate on a real IPP Everywhere printer (ippeveprinter
// on loopback): the time the kiosk waits for the printer's word that a job is done.
#include <benchmark/benchmark.h>

#include "certs/certificate.h"
#include "certs/render.h"
#include "drivers/printer/ippeve.h"
#include "drivers/printer/printer.h"
#include "tests/support/sample_certificate.h"
#include "tests/support/test_support.h"

namespace {

using namespace smzc;

void BM_PrintCertificateToCompleted(benchmark::State& state) {
  static smzc::testing::TempDir dir;
  static auto sim = printer::IppEvePrinter::start({.spool_dir = dir / "spool"});
  if (!sim) return state.SkipWithError(sim.error().message.c_str());
  const auto pdf = smzc::testing::source_dir() / "tests/data/one-page.pdf";
  printer::IppPrinter printer(sim.value()->uri());
  for (auto _ : state) {
    auto id = printer.submit(pdf, "bench");
    if (!id) return state.SkipWithError(id.error().message.c_str());
    auto job = printer.wait_for_job(id.value(), std::chrono::seconds(30));
    if (!job || job->state != printer::JobState::kCompleted)
      return state.SkipWithError("job did not complete");
  }
}
BENCHMARK(BM_PrintCertificateToCompleted)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->Repetitions(50)
    ->ReportAggregatesOnly(true);

void BM_RenderCertificatePdf(benchmark::State& state) {
  const certs::Certificate c = smzc::testing::sample_certificate();
  smzc::testing::TempDir dir;
  for (auto _ : state) {
    if (!certs::render_pdf(c, dir / "c.pdf")) return state.SkipWithError("render failed");
  }
}
BENCHMARK(BM_RenderCertificatePdf)->Unit(benchmark::kMillisecond);

}  // namespace

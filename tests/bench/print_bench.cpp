// Submit → completed for a one-page certificate on a real IPP Everywhere printer (ippeveprinter
// on loopback): the time the kiosk waits for the printer's word that a job is done.
#include <benchmark/benchmark.h>

#include "certs/certificate.h"
#include "drivers/printer/ippeve.h"
#include "drivers/printer/printer.h"
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
    if (!job || job->state != "completed") return state.SkipWithError("job did not complete");
  }
}
BENCHMARK(BM_PrintCertificateToCompleted)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->Repetitions(50)
    ->ReportAggregatesOnly(true);

void BM_RenderCertificatePdf(benchmark::State& state) {
  certs::Certificate c;
  c.serial = "NH-SB-20261122-000001";
  c.title = "社会保险参保缴费凭证";
  c.issuer = "佛山市南海区社会保险基金管理局";
  c.issued_at = "2026-11-22";
  c.holder_name = "陈晓明";
  c.holder_id_number = "440605199003072315";
  c.table_columns = {"缴费年月", "险种", "缴费基数", "个人缴纳", "单位缴纳"};
  for (int i = 0; i < 12; ++i)
    c.table_rows.push_back({"2026xx", "职工养老保险", "5,284.00", "422.72", "739.76"});
  c.verify_payload = "SMZC1|NH-SB-20261122-000001|440605";
  smzc::testing::TempDir dir;
  for (auto _ : state) {
    if (!certs::render_pdf(c, dir / "c.pdf")) return state.SkipWithError("render failed");
  }
}
BENCHMARK(BM_RenderCertificatePdf)->Unit(benchmark::kMillisecond);

}  // namespace

// Submit → completed for a one-page certificate on a real IPP Everywhere printer (ippeveprinter
// on loopback): the time the kiosk waits for the printer's word that a job is done.
#include <benchmark/benchmark.h>

#include "certs/certificate.h"
#include "certs/render.h"
#include "certs/verify_code.h"
#include "drivers/printer/ippeve.h"
#include "drivers/printer/printer.h"
#include "drivers/printer/raster.h"
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

// The certificates a terminal prints most, laid out by their templates: the demo's one-page
// contribution certificate (12 rows), and a three-page one (80 rows).
certs::Certificate bench_certificate(int rows) {
  certs::Certificate c = smzc::testing::sample_certificate();
  c.table_rows.resize(rows, c.table_rows.front());
  return c;
}

const certs::Template& contributions_template() {
  static const certs::Template t = certs::load_template("social-insurance-contributions").value();
  return t;
}

// Arg: table rows (12: one page; 80: three pages). The signed data is embedded, as the engine does.
void BM_RenderCertificatePdf(benchmark::State& state) {
  const certs::Certificate c = bench_certificate(static_cast<int>(state.range(0)));
  const std::string data = certs::to_json(c);
  smzc::testing::TempDir dir;
  for (auto _ : state) {
    auto pages = certs::render_pdf(c, contributions_template(), dir / "c.pdf", data);
    if (!pages) return state.SkipWithError(pages.error().message.c_str());
    state.counters["pages"] = pages.value();
  }
}
BENCHMARK(BM_RenderCertificatePdf)->Arg(12)->Arg(80)->Unit(benchmark::kMillisecond);

// The same layout as gray pixels at a raster printer's 300 dpi (A4: 2480 x 3508).
void BM_RenderCertificateRaster300(benchmark::State& state) {
  const certs::Certificate c = bench_certificate(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto pages = certs::render_gray(c, contributions_template(), 300);
    if (!pages) return state.SkipWithError(pages.error().message.c_str());
    benchmark::DoNotOptimize(pages->front().pixels.data());
  }
}
BENCHMARK(BM_RenderCertificateRaster300)->Arg(12)->Unit(benchmark::kMillisecond);

// The printer driver's path for printers that take no PDF: the PDF rasterised by poppler into a
// PWG raster stream at 300 dpi.
void BM_PdfToPwgRaster300(benchmark::State& state) {
  smzc::testing::TempDir dir;
  const certs::Certificate c = bench_certificate(12);
  if (!certs::render_pdf(c, contributions_template(), dir / "c.pdf"))
    return state.SkipWithError("render failed");
  for (auto _ : state) {
    auto pages = printer::pdf_to_pwg_raster(dir / "c.pdf", dir / "c.pwg", {.dpi = 300});
    if (!pages) return state.SkipWithError(pages.error().message.c_str());
  }
}
BENCHMARK(BM_PdfToPwgRaster300)->Unit(benchmark::kMillisecond);

// Checking a code (parse, keyring lookup, SM2 verify) and a certificate's data (plus the digest
// of its canonical content and the document signature).
void BM_VerifyCode(benchmark::State& state) {
  auto issuer = certs::Sm2Key::generate().value();
  auto anchor = certs::Sm2Key::generate().value();
  certs::Certificate c = bench_certificate(12);
  c.verify_payload = certs::make_verify_code(c, issuer, {"参保状态"}).value();
  const std::string signed_json = certs::sign_json(certs::to_json(c), issuer).value();
  const certs::IssuerKey key{
      "440605", "佛山市南海区", issuer.key_id(), issuer.public_pem().value(), false, ""};
  const auto ring = certs::Keyring::from_signed_json(
      certs::sign_json(certs::Keyring::to_json({key}, "1", "now"), anchor).value(), anchor);
  const bool whole = state.range(0) == 1;
  for (auto _ : state) {
    const auto v = whole ? certs::verify_certificate_json(signed_json, ring.value())
                         : certs::verify_code(c.verify_payload, ring.value());
    if (!v.genuine) return state.SkipWithError(v.message.c_str());
  }
}
BENCHMARK(BM_VerifyCode)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

}  // namespace

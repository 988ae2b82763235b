// The printer driver against a real IPP Everywhere printer: CUPS's ippeveprinter.
#include <cups/raster.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "certs/certificate.h"
#include "certs/render.h"
#include "drivers/printer/ippeve.h"
#include "drivers/printer/printer.h"
#include "tests/support/cupsd.h"
#include "tests/support/sample_certificate.h"
#include "tests/support/test_support.h"

namespace smzc::printer {
namespace {

class PrinterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sim = IppEvePrinter::start({.spool_dir = dir_ / "spool"});
    ASSERT_TRUE(sim) << sim.error().message;
    sim_ = std::move(sim.value());
    ASSERT_TRUE(certs::render_pdf(testing::sample_certificate(), dir_ / "doc.pdf"));
  }

  testing::TempDir dir_;
  std::unique_ptr<IppEvePrinter> sim_;
};

// The simulated printer behind a queue of a private cupsd, and a certificate to print.
class CupsQueue : public ::testing::Test {
 protected:
  void SetUp() override {
    auto started = IppEvePrinter::start({.spool_dir = dir / "printer"});
    ASSERT_TRUE(started) << started.error().message;
    sim = std::move(started.value());
    auto scheduler = testing::CupsDaemon::start(dir / "cups");
    ASSERT_TRUE(scheduler) << scheduler.error().message;
    cupsd = std::move(scheduler.value());
    ASSERT_TRUE(cupsd->add_queue("SMZC", sim->uri()));
    ASSERT_TRUE(certs::render_pdf(testing::sample_certificate(), dir / "doc.pdf"));
  }
  testing::TempDir dir;
  std::unique_ptr<IppEvePrinter> sim;
  std::unique_ptr<testing::CupsDaemon> cupsd;
};

// The driver through a CUPS queue (ipp://HOST/printers/QUEUE): the real scheduler, its spool and
// its ipp backend in front of the simulated printer. CUPS keeps a finished job's document for a
// day unless told (PreserveJobFiles), and here that document is a citizen's certificate: once
// the job has ended, the purge leaves nothing of it in the spool or the job history.
TEST_F(CupsQueue, AJobPrintsThroughTheQueueAndItsPurgeLeavesNothingBehind) {
  const std::string document = testing::read_file(dir / "doc.pdf");

  IppPrinter printer(cupsd->queue_uri("SMZC"));
  auto status = printer.query();
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_TRUE(status->can_print()) << status->technician_message();
  auto id = printer.submit(dir / "doc.pdf", "SMZC-CUPS-0001");
  ASSERT_TRUE(id) << id.error().message;
  auto job = printer.wait_for_job(id.value(), std::chrono::seconds(60));
  ASSERT_TRUE(job) << job.error().message;
  EXPECT_EQ(job->state, JobState::kCompleted);
  auto docs = sim->received_documents();
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(testing::read_file(docs[0]), document);

  // Ended, the job and its document are still kept by the scheduler...
  auto kept = cupsd->spooled_files();
  EXPECT_TRUE(std::any_of(kept.begin(), kept.end(),
                          [&](const auto& f) { return testing::read_file(f) == document; }));
  auto named = printer.jobs_named("SMZC-CUPS-0001");
  ASSERT_TRUE(named) << named.error().message;
  EXPECT_EQ(named->size(), 1u);
  // ...until the purge, which leaves neither.
  ASSERT_TRUE(printer.purge_job(id.value()));
  EXPECT_TRUE(cupsd->spooled_files().empty());
  named = printer.jobs_named("SMZC-CUPS-0001");
  ASSERT_TRUE(named) << named.error().message;
  EXPECT_TRUE(named->empty());
}

// An idle CUPS queue keeps what its last job heard from the printer (media-jam-report) after
// the jam is cleared: shown as that job's, it does not stop the terminal from printing again.
TEST_F(CupsQueue, AJamReportTheQueueKeptFromItsLastJobDoesNotStopPrinting) {
  IppPrinter printer(cupsd->queue_uri("SMZC"));
  ASSERT_TRUE(sim->set_fault("abort:media-jam"));
  auto id = printer.submit(dir / "doc.pdf", "SMZC-CUPS-JAM");
  ASSERT_TRUE(id) << id.error().message;
  // The job ends aborted, or (as CUPS sometimes has it) completed with the jam reported meanwhile,
  // which the driver calls unknown: either way it ended, with the jam on record.
  auto jammed = printer.wait_for_job(id.value(), std::chrono::seconds(60), FaultPolicy::kWait);
  ASSERT_TRUE(jammed || jammed.error().message.find("media-jam") != std::string::npos)
      << jammed.error().message;
  ASSERT_TRUE(sim->set_fault(""));

  auto status = printer.query();
  ASSERT_TRUE(status) << status.error().message;
  const auto jam = std::find_if(status->reasons.begin(), status->reasons.end(),
                                [](const Reason& r) { return r.keyword == "media-jam"; });
  ASSERT_NE(jam, status->reasons.end()) << "the queue no longer keeps its last job's report";
  EXPECT_TRUE(jam->from_last_job);
  EXPECT_FALSE(jam->stops_printing);
  EXPECT_TRUE(status->can_print()) << status->technician_message();
  EXPECT_EQ(status->media, MediaState::kPaperOk);
  auto again = printer.submit(dir / "doc.pdf", "SMZC-CUPS-AFTER");
  ASSERT_TRUE(again) << again.error().message;
  // Until the queue's backend reaches the printer, the running job still shows the old report;
  // waiting through it (rather than cancelling on it) prints.
  auto job = printer.wait_for_job(again.value(), std::chrono::seconds(60), FaultPolicy::kWait);
  ASSERT_TRUE(job) << job.error().message;
  EXPECT_EQ(job->state, JobState::kCompleted);
}

// Paper runs out mid-job behind the queue: the queue passes the printer's media-empty on while
// the job runs, the job is cancelled and names it, and once paper is loaded the next job prints.
TEST_F(CupsQueue, PaperOutMidJobIsCancelledAndNamedThenTheNextJobPrints) {
  IppPrinter printer(cupsd->queue_uri("SMZC"));
  ASSERT_TRUE(sim->set_fault("media-empty"));
  auto id = printer.submit(dir / "doc.pdf", "SMZC-CUPS-EMPTY");
  ASSERT_TRUE(id) << id.error().message;
  auto job = printer.wait_for_job(id.value(), std::chrono::seconds(60), FaultPolicy::kCancel);
  ASSERT_TRUE(job) << job.error().message;
  EXPECT_NE(job->state, JobState::kCompleted);
  ASSERT_FALSE(job->printer_reasons.empty());
  EXPECT_EQ(job->printer_reasons.front().keyword, "media-empty");
  EXPECT_TRUE(job->printer_reasons.front().stops_printing);

  ASSERT_TRUE(sim->set_fault(""));
  auto next = printer.submit(dir / "doc.pdf", "SMZC-CUPS-REFILLED");
  ASSERT_TRUE(next) << next.error().message;
  auto printed = printer.wait_for_job(next.value(), std::chrono::seconds(60), FaultPolicy::kWait);
  ASSERT_TRUE(printed) << printed.error().message;
  EXPECT_EQ(printed->state, JobState::kCompleted);
  auto status = printer.query();
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(status->media, MediaState::kPaperOk);
}

// A job the printer aborts (a jam that ends it) is never reported printed through the queue,
// whichever fault policy the terminal waits with: the queue's ipp backend sometimes learns of the
// abort too late and ends the job "completed" (about one run in three here), and then the
// outcome is unknown rather than printed.
TEST_F(CupsQueue, AJobThePrinterAbortsIsNeverReportedPrinted) {
  IppPrinter printer(cupsd->queue_uri("SMZC"));
  ASSERT_TRUE(sim->set_fault("abort:media-jam"));
  for (int attempt = 0; attempt < 6; ++attempt) {
    const auto policy = attempt % 2 ? FaultPolicy::kWait : FaultPolicy::kCancel;
    SCOPED_TRACE("attempt " + std::to_string(attempt));
    auto id = printer.submit(dir / "doc.pdf", "SMZC-CUPS-ABORTED");
    ASSERT_TRUE(id) << id.error().message;
    auto job = printer.wait_for_job(id.value(), std::chrono::seconds(60), policy);
    if (job) {
      EXPECT_NE(job->state, JobState::kCompleted);
    } else {
      EXPECT_EQ(job.code(), Completion::kHardwareError);
      EXPECT_NE(
          job.error().message.find("media-jam meanwhile: whether the page came out is unknown"),
          std::string::npos)
          << job.error().message;
    }
  }
  // A job the printer completed while it reported a jam: the queue says "completed" every time,
  // and whether the sheet came out is unknown.
  ASSERT_TRUE(sim->set_fault("late:media-jam"));
  auto late = printer.submit(dir / "doc.pdf", "SMZC-CUPS-LATE");
  ASSERT_TRUE(late) << late.error().message;
  auto unknown = printer.wait_for_job(late.value(), std::chrono::seconds(60), FaultPolicy::kWait);
  ASSERT_FALSE(unknown) << to_string(unknown->state);
  EXPECT_NE(unknown.error().message.find("media-jam meanwhile"), std::string::npos)
      << unknown.error().message;

  // Cleared, the next job completes, and the queue's report of the jam goes with it.
  ASSERT_TRUE(sim->set_fault(""));
  auto id = printer.submit(dir / "doc.pdf", "SMZC-CUPS-CLEARED");
  ASSERT_TRUE(id) << id.error().message;
  auto job = printer.wait_for_job(id.value(), std::chrono::seconds(60), FaultPolicy::kWait);
  ASSERT_TRUE(job) << job.error().message;
  EXPECT_EQ(job->state, JobState::kCompleted);
}

TEST_F(PrinterTest, ReportsAnIdlePrinterThatTakesPdf) {
  auto status = IppPrinter(sim_->uri()).query();
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(status->state, DeviceState::kOnline);
  EXPECT_EQ(status->ipp_state, "idle");
  EXPECT_TRUE(status->reasons.empty());
  EXPECT_NE(std::find(status->formats.begin(), status->formats.end(), "application/pdf"),
            status->formats.end());
}

TEST_F(PrinterTest, PrintsAJobToCompletedAndTheSpooledDocumentIsOurs) {
  IppPrinter printer(sim_->uri());
  auto id = printer.submit(dir_ / "doc.pdf", "TEST-0001");
  ASSERT_TRUE(id) << id.error().message;
  auto job = printer.wait_for_job(id.value(), std::chrono::seconds(30));
  ASSERT_TRUE(job) << job.error().message;
  EXPECT_EQ(job->state, printer::JobState::kCompleted);
  auto docs = sim_->received_documents();
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(testing::read_file(docs[0]), testing::read_file(dir_ / "doc.pdf"));
}

TEST_F(PrinterTest, MissingDocumentIsRefusedBeforeAnyJob) {
  auto id = IppPrinter(sim_->uri()).submit(dir_ / "nope.pdf", "x");
  ASSERT_FALSE(id);
  EXPECT_EQ(id.code(), Completion::kInvalidData);
  EXPECT_TRUE(sim_->received_documents().empty());
}

TEST(PrinterUnreachable, ClosedPortIsDeviceNotReady) {
  auto port = find_free_loopback_port();
  ASSERT_TRUE(port);
  auto status =
      IppPrinter("ipp://127.0.0.1:" + std::to_string(port.value()) + "/ipp/print").query();
  ASSERT_FALSE(status);
  EXPECT_EQ(status.code(), Completion::kDeviceNotReady);
}

TEST(PrinterUnreachable, NonIppUriIsInvalidData) {
  auto status = IppPrinter("http://127.0.0.1/printer").query();
  ASSERT_FALSE(status);
  EXPECT_EQ(status.code(), Completion::kInvalidData);
}

}  // namespace
}  // namespace smzc::printer

namespace smzc::printer {
namespace {

bool has_reason(const std::vector<Reason>& reasons, const std::string& keyword) {
  return std::any_of(reasons.begin(), reasons.end(),
                     [&](const Reason& r) { return r.keyword == keyword; });
}

TEST_F(PrinterTest, PaperOutThroughTheMediaFormStopsPrinting) {
  ASSERT_TRUE(sim_->set_paper_level(0));
  auto status = IppPrinter(sim_->uri()).query();
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(status->media, MediaState::kPaperOut);
  EXPECT_FALSE(status->can_print());
  EXPECT_EQ(status->state, DeviceState::kHardwareError);
  EXPECT_EQ(status->blocking_keyword(), "media-empty");
  ASSERT_TRUE(sim_->set_paper_level(250));
  auto refilled = IppPrinter(sim_->uri()).query();
  ASSERT_TRUE(refilled);
  EXPECT_TRUE(refilled->can_print()) << refilled->technician_message();
  EXPECT_EQ(refilled->media, MediaState::kPaperOk);
}

// The printer's consumables, as IPP Everywhere reports them (printer-supply): read with every
// query, and a toner running low through the printer's own /supplies form shows in its level
// and raises no fault that stops printing.
TEST_F(PrinterTest, SuppliesAreReadAndALowTonerShows) {
  IppPrinter printer(sim_->uri());
  ASSERT_TRUE(printer.query());
  auto supplies = printer.supplies();
  ASSERT_EQ(supplies.size(), 2u);
  EXPECT_EQ(supplies[0].type, "wasteToner");
  EXPECT_TRUE(supplies[0].fills_up);
  EXPECT_EQ(supplies[1].name, "Black Toner");
  EXPECT_EQ(supplies[1].type, "toner");
  EXPECT_FALSE(supplies[1].fills_up);
  EXPECT_FALSE(supplies[1].is_low());
  ASSERT_TRUE(sim_->set_supply_levels({25, 5}));
  auto status = printer.query();
  ASSERT_TRUE(status);
  EXPECT_TRUE(status->can_print()) << status->technician_message();
  supplies = printer.supplies();
  ASSERT_EQ(supplies.size(), 2u);
  EXPECT_EQ(supplies[1].level, 5);
  EXPECT_TRUE(supplies[1].is_low());
  EXPECT_FALSE(supplies[1].is_out());
  ASSERT_TRUE(sim_->set_supply_levels({100, 60}));
  ASSERT_TRUE(printer.query());
  EXPECT_TRUE(printer.supplies()[0].is_out()) << "a full waste tank is out";
  EXPECT_FALSE(printer.supplies()[1].is_low());
}

TEST_F(PrinterTest, JamMidJobIsCancelledAndReported) {
  IppPrinter printer(sim_->uri());
  ASSERT_TRUE(sim_->set_fault("media-jam"));
  auto id = printer.submit(dir_ / "doc.pdf", "jam");
  ASSERT_TRUE(id) << id.error().message;
  auto job = printer.wait_for_job(id.value(), std::chrono::seconds(30), FaultPolicy::kCancel);
  ASSERT_TRUE(job) << job.error().message;
  EXPECT_NE(job->state, printer::JobState::kCompleted);
  EXPECT_TRUE(has_reason(job->printer_reasons, "media-jam"));
  auto status = printer.query();
  ASSERT_TRUE(status);
  EXPECT_EQ(status->media, MediaState::kPaperJammed);
  EXPECT_EQ(status->blocking_keyword(), "media-jam");
  // The technician clears the jam: the cancelled job ends without printing, the printer is ready.
  ASSERT_TRUE(sim_->set_fault(""));
  auto final_state = printer.wait_for_job(id.value(), std::chrono::seconds(30), FaultPolicy::kWait);
  ASSERT_TRUE(final_state) << final_state.error().message;
  EXPECT_EQ(final_state->state, printer::JobState::kCanceled);
  EXPECT_EQ(sim_->received_documents().size(), 1u);  // one job, not a duplicate
}

TEST_F(PrinterTest, CoverOpenWithHoldPolicyLeavesTheJobWithThePrinter) {
  IppPrinter printer(sim_->uri());
  ASSERT_TRUE(sim_->set_fault("cover-open"));
  auto id = printer.submit(dir_ / "doc.pdf", "cover");
  ASSERT_TRUE(id);
  auto job = printer.wait_for_job(id.value(), std::chrono::seconds(30), FaultPolicy::kHold);
  ASSERT_TRUE(job) << job.error().message;
  EXPECT_FALSE(job->final());
  EXPECT_TRUE(has_reason(job->printer_reasons, "cover-open"));
  auto status = printer.query();
  ASSERT_TRUE(status);
  EXPECT_TRUE(status->cover_open);
  ASSERT_TRUE(sim_->set_fault(""));
  auto final_state = printer.wait_for_job(id.value(), std::chrono::seconds(30), FaultPolicy::kWait);
  ASSERT_TRUE(final_state);
  EXPECT_EQ(final_state->state, printer::JobState::kAborted);
}

// A jam that aborts the job at once: the job only says "aborted", the printer says why.
TEST_F(PrinterTest, AJobAbortedByAJamNamesTheJam) {
  IppPrinter printer(sim_->uri());
  ASSERT_TRUE(sim_->set_fault("abort:media-jam"));
  auto id = printer.submit(dir_ / "doc.pdf", "jammed");
  ASSERT_TRUE(id);
  auto job = printer.wait_for_job(id.value(), std::chrono::seconds(30));
  ASSERT_TRUE(job) << job.error().message;
  EXPECT_TRUE(job->final());
  EXPECT_NE(job->state, printer::JobState::kCompleted);
  EXPECT_TRUE(has_reason(job->printer_reasons, "media-jam")) << printer::to_string(job->state);
  ASSERT_TRUE(sim_->set_fault(""));
}

TEST_F(PrinterTest, PrinterKilledMidJobIsDeviceNotReady) {
  IppPrinter printer(sim_->uri());
  ASSERT_TRUE(sim_->set_fault("stall"));
  auto id = printer.submit(dir_ / "doc.pdf", "stall");
  ASSERT_TRUE(id);
  sim_->kill();
  auto job = printer.wait_for_job(id.value(), std::chrono::seconds(30));
  ASSERT_FALSE(job);
  EXPECT_EQ(job.code(), Completion::kDeviceNotReady) << job.error().message;
}

// Copies, orientation and media go out as job attributes the printer accepts; that it honours
// them on paper is the printer's part and is not observable here.
TEST_F(PrinterTest, PrintOptionsAreAcceptedAndBadOnesRefused) {
  IppPrinter printer(sim_->uri());
  auto id = printer.submit(dir_ / "doc.pdf", "opts", {.copies = 2, .landscape = true});
  ASSERT_TRUE(id) << id.error().message;
  auto job = printer.wait_for_job(id.value(), std::chrono::seconds(30));
  ASSERT_TRUE(job);
  EXPECT_EQ(job->state, printer::JobState::kCompleted);
  EXPECT_FALSE(printer.submit(dir_ / "doc.pdf", "bad", {.copies = 0}));
}

TEST(PrinterWithoutPdf, GetsPwgRasterRenderedFromThePdf) {
  testing::TempDir dir;
  auto sim = IppEvePrinter::start({.spool_dir = dir / "spool", .formats = "image/pwg-raster"});
  ASSERT_TRUE(sim) << sim.error().message;
  const auto pdf = dir / "doc.pdf";
  std::filesystem::copy_file(testing::source_dir() / "tests/data/one-page.pdf", pdf);
  IppPrinter printer(sim.value()->uri());
  auto id = printer.submit(pdf, "raster");
  ASSERT_TRUE(id) << id.error().message;
  auto job = printer.wait_for_job(id.value(), std::chrono::seconds(30));
  ASSERT_TRUE(job);
  EXPECT_EQ(job->state, printer::JobState::kCompleted);
  EXPECT_FALSE(std::filesystem::exists(dir / "doc.pwg"));  // the rendering is not left behind
  auto docs = sim.value()->received_documents();
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0].extension(), ".pwg");
  // One A4 page at 300 dpi, 8-bit grey, with ink on it.
  int fd = ::open(docs[0].c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  cups_raster_t* r = cupsRasterOpen(fd, CUPS_RASTER_READ);
  cups_page_header2_t header;
  ASSERT_TRUE(cupsRasterReadHeader2(r, &header));
  EXPECT_EQ(header.cupsWidth, 2480u);
  EXPECT_EQ(header.cupsHeight, 3507u);
  EXPECT_EQ(header.cupsBitsPerPixel, 8u);
  std::vector<unsigned char> line(header.cupsBytesPerLine);
  size_t dark = 0;
  for (unsigned y = 0; y < header.cupsHeight; ++y) {
    cupsRasterReadPixels(r, line.data(), header.cupsBytesPerLine);
    dark += static_cast<size_t>(
        std::count_if(line.begin(), line.end(), [](unsigned char v) { return v < 128; }));
  }
  EXPECT_GT(dark, 10000u);
  EXPECT_FALSE(cupsRasterReadHeader2(r, &header));  // exactly one page
  cupsRasterClose(r);
  ::close(fd);
}

TEST(PrinterWithoutPdf, ThatTakesNoRasterEitherIsRefusedBeforeAnyJob) {
  testing::TempDir dir;
  auto sim = IppEvePrinter::start({.spool_dir = dir / "spool", .formats = "image/jpeg"});
  ASSERT_TRUE(sim) << sim.error().message;
  auto id =
      IppPrinter(sim.value()->uri()).submit(testing::source_dir() / "tests/data/one-page.pdf", "x");
  ASSERT_FALSE(id);
  EXPECT_EQ(id.code(), Completion::kUnsupported);
  EXPECT_NE(id.error().message.find("image/jpeg"), std::string::npos);
  EXPECT_TRUE(sim.value()->received_documents().empty());
}

TEST(Reasons, SuffixesBecomeSeverities) {
  Reason r = understand_reason("media-jam-warning");
  EXPECT_EQ(r.keyword, "media-jam");
  EXPECT_EQ(r.severity, Severity::kWarning);
  EXPECT_TRUE(r.stops_printing);
  Reason low = understand_reason("media-low-report");
  EXPECT_FALSE(low.stops_printing);
  EXPECT_EQ(media_state({low}), MediaState::kPaperLow);
  Reason odd = understand_reason("com.vendor-thing-error");
  EXPECT_EQ(odd.keyword, "com.vendor-thing");
  EXPECT_FALSE(odd.stops_printing);
}

}  // namespace
}  // namespace smzc::printer

// kioskctl as a technician runs it: the real binary, its exit codes and its output.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/resource.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "backend/reference_backend.h"
#include "base/process.h"
#include "certs/render.h"
#include "certs/sealing.h"
#include "drivers/camera/scenes.h"
#include "drivers/printer/ippeve.h"
#include "drivers/printer/printer.h"
#include "drivers/usb_ids.h"
#include "services/backend_client.h"
#include "services/forward_queue.h"
#include "services/journal.h"
#include "tests/support/cupsd.h"
#include "tests/support/face_support.h"
#include "tests/support/sample_certificate.h"
#include "tests/support/simulated_terminal.h"
#include "tests/support/test_support.h"

namespace smzc {
namespace {

struct CliRun {
  int rc;
  std::string out;
};

CliRun kioskctl(const std::string& args) {
  testing::TempDir dir;
  const auto out = dir / "out";
  int status = std::system(("'" + (testing::bin_dir() / "kioskctl").string() + "' " + args + " >'" +
                            out.string() + "' 2>&1")
                               .c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, testing::read_file(out)};
}

const std::filesystem::path kFrame =
    testing::source_dir() / "tests/fuzz/corpus/frame/read-resident.bin";

TEST(KioskctlIdcard, DecodeMasksPersonalDataByDefault) {
  CliRun r = kioskctl("idcard decode --json '" + kFrame.string() + "'");
  ASSERT_EQ(r.rc, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["id_number"], "440605********2315");
  EXPECT_EQ(j["name"], "陈**");
  EXPECT_EQ(j["address"], "广东省佛山市****");
  EXPECT_EQ(j["id_number_valid"], true);
  EXPECT_EQ(j["nation"], "汉");
}

TEST(KioskctlIdcard, DecodeRevealsOnRequest) {
  CliRun r = kioskctl("idcard decode --json --reveal '" + kFrame.string() + "'");
  ASSERT_EQ(r.rc, 0) << r.out;
  EXPECT_EQ(nlohmann::json::parse(r.out)["id_number"], "440605199003072315");
}

TEST(KioskctlIdcard, TruncatedFrameExitsTwoWithOneLine) {
  testing::TempDir dir;
  std::string bytes = testing::read_file(kFrame).substr(0, 600);
  std::ofstream(dir / "cut.bin", std::ios::binary) << bytes;
  CliRun r = kioskctl("idcard decode '" + (dir / "cut.bin").string() + "'");
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.out, "kioskctl: truncated frame: 600 of 1295 bytes\n");
}

TEST(KioskctlIdcard, CorruptFrameExitsTwoWithOneLine) {
  testing::TempDir dir;
  std::string bytes = testing::read_file(kFrame);
  bytes[500] ^= 0x01;
  std::ofstream(dir / "bad.bin", std::ios::binary) << bytes;
  CliRun r = kioskctl("idcard decode '" + (dir / "bad.bin").string() + "'");
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.out, "kioskctl: checksum mismatch\n");
}

TEST(KioskctlIdcard, ReadsACardFromTheSimulatorTool) {
  auto sim = ChildProcess::start(
      {.argv = {(testing::bin_dir() / "smzc-sim").string(), "idcard", "--card",
                (testing::source_dir() / "drivers/idcard/sim/cards/permit-hk.json").string()},
       .capture_stdout = true});
  ASSERT_TRUE(sim) << sim.error().message;
  auto line = sim->read_line(std::chrono::seconds(10));
  ASSERT_TRUE(line) << line.error().message;
  ASSERT_EQ(line->rfind("port: ", 0), 0u) << line.value();
  CliRun r = kioskctl("idcard read --json --port " + line->substr(6));
  ASSERT_EQ(r.rc, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["type"], "hk-mo-tw-residence-permit");
  EXPECT_EQ(j["id_number"], "810000********4519");
  EXPECT_EQ(j["pass_number"], "*********");  // too short to keep any of it
  EXPECT_EQ(j["birth_date"], "********");    // the hidden digits of the ID number
}

// Without a flag, kioskctl reads the reader the terminal's configuration names.
TEST(KioskctlIdcard, ReadsTheReaderTheConfigurationNames) {
  testing::TempDir dir;
  auto sim = ChildProcess::start(
      {.argv = {(testing::bin_dir() / "smzc-sim").string(), "idcard", "--link",
                (dir / "reader-tty").string(), "--card",
                (testing::source_dir() / "drivers/idcard/sim/cards/resident.json").string()},
       .capture_stdout = true});
  ASSERT_TRUE(sim) << sim.error().message;
  ASSERT_TRUE(sim->read_line(std::chrono::seconds(10)));
  std::ofstream(dir / "kiosk.json")
      << nlohmann::json{{"devices",
                         {{{"id", "front-reader"},
                           {"kind", "idcard"},
                           {"driver", "sam"},
                           {"address", (dir / "reader-tty").string()}},
                          {{"id", "printer"},
                           {"kind", "printer"},
                           {"driver", "ipp"},
                           {"address", "ipp://127.0.0.1:1/ipp/print"}}}}}
             .dump();
  CliRun r = kioskctl("idcard read --json --config '" + (dir / "kiosk.json").string() + "'");
  ASSERT_EQ(r.rc, 0) << r.out;
  EXPECT_EQ(nlohmann::json::parse(r.out)["id_number"], "440605********2315");
  CliRun missing =
      kioskctl("idcard read --device back-reader --config '" + (dir / "kiosk.json").string() + "'");
  EXPECT_EQ(missing.rc, 2);
  EXPECT_NE(missing.out.find("no idcard device \"back-reader\""), std::string::npos) << missing.out;
}

// kioskctl printer setup adds the queue the kiosk prints to, on a real scheduler (a private
// cupsd) in front of the printer simulator; then a document prints through it.
TEST(KioskctlPrinterSetup, AddsTheQueueTheKioskPrintsThrough) {
  testing::TempDir dir;
  auto sim = printer::IppEvePrinter::start({.spool_dir = dir / "printer"});
  ASSERT_TRUE(sim) << sim.error().message;
  auto cupsd = testing::CupsDaemon::start(dir / "cups");
  ASSERT_TRUE(cupsd) << cupsd.error().message;
  const std::string server = "127.0.0.1:" + std::to_string(cupsd.value()->port());
  CliRun setup = kioskctl("printer setup --json --server " + server + " --certificate '" +
                          sim.value()->uri() + "'");
  ASSERT_EQ(setup.rc, 0) << setup.out;
  const auto queues = nlohmann::json::parse(setup.out)["queues"];
  ASSERT_EQ(queues.size(), 1u);
  const std::string queue = "ipp://" + server + "/printers/certificate";
  EXPECT_EQ(queues[0]["queue_uri"], queue);
  EXPECT_EQ(queues[0]["status"]["can_print"], true) << setup.out;

  ASSERT_TRUE(certs::render_pdf(testing::sample_certificate(), dir / "doc.pdf"));
  CliRun printed =
      kioskctl("print --json --printer " + queue + " '" + (dir / "doc.pdf").string() + "'");
  ASSERT_EQ(printed.rc, 0) << printed.out;
  EXPECT_EQ(nlohmann::json::parse(printed.out)["state"], "completed");
  ASSERT_EQ(sim.value()->received_documents().size(), 1u);

  // Setup run again changes the queue in place rather than failing.
  CliRun again = kioskctl("printer setup --json --server " + server + " --certificate '" +
                          sim.value()->uri() + "'");
  EXPECT_EQ(again.rc, 0) << again.out;
}

// The configuration's devices for a SAM reader at `reader_tty` and the IPP printer `printer_uri`.
nlohmann::json reader_and_printer(const std::filesystem::path& reader_tty,
                                  const std::string& printer_uri) {
  return nlohmann::json::array(
      {{{"id", "reader"}, {"kind", "idcard"}, {"driver", "sam"}, {"address", reader_tty.string()}},
       {{"id", "printer"}, {"kind", "printer"}, {"driver", "ipp"}, {"address", printer_uri}}});
}

// The reader simulator as `smzc-sim idcard` runs it, linked at DIR/reader-tty, and ippeveprinter
// spooling into DIR/printer; nothing (the test fails) when either does not start.
struct ReaderAndPrinter {
  ChildProcess reader;
  Result<std::unique_ptr<printer::IppEvePrinter>> printer;
  static std::optional<ReaderAndPrinter> start(const std::filesystem::path& dir) {
    auto reader = ChildProcess::start({.argv = {(testing::bin_dir() / "smzc-sim").string(),
                                                "idcard", "--link", (dir / "reader-tty").string()},
                                       .capture_stdout = true});
    if (!reader || !reader->read_line(std::chrono::seconds(10))) {
      ADD_FAILURE() << "the reader simulator did not start";
      return std::nullopt;
    }
    auto printer = printer::IppEvePrinter::start({.spool_dir = dir / "printer"});
    if (!printer) {
      ADD_FAILURE() << printer.error().message;
      return std::nullopt;
    }
    return ReaderAndPrinter{std::move(reader.value()), std::move(printer)};
  }
};

// kioskctl status on a terminal whose reader, printer and backend are all up: healthy, exit 0;
// with the printer gone, it names the printer and exits 1.
TEST(KioskctlStatus, ShowsEveryDeviceTheBackendAndTheJournal) {
  testing::TempDir dir;
  auto parts = ReaderAndPrinter::start(dir.path());
  ASSERT_TRUE(parts);
  auto& printer = parts->printer;
  backend::ReferenceBackend backend({.clock = &testing::test_clock()});
  ASSERT_TRUE(backend.start());
  const auto write_config = [&](const std::string& printer_uri) {
    std::ofstream(dir / "kiosk.json", std::ios::trunc) << nlohmann::json{
        {"terminal_id", "SMZC-STATUS-01"},
        {"backend_url", backend.base_url()},
        {"devices", reader_and_printer(dir / "reader-tty", printer_uri)},
        {"journal", (dir / "journal.db").string()},
        {"forward_queue", (dir / "queue.db").string()},
        {"data_key", (dir / "data.key").string()}}.dump();
  };
  write_config(printer.value()->uri());
  ASSERT_TRUE(certs::DataKey::load_or_create(dir / "data.key"));
  CliRun up = kioskctl("status --json --config '" + (dir / "kiosk.json").string() + "'");
  ASSERT_EQ(up.rc, 0) << up.out;
  const auto status = nlohmann::json::parse(up.out);
  EXPECT_EQ(status["terminal_id"], "SMZC-STATUS-01");
  EXPECT_TRUE(status["healthy"]);
  ASSERT_EQ(status["devices"].size(), 2u);
  for (const auto& d : status["devices"]) EXPECT_TRUE(d["usable"]) << d.dump();
  EXPECT_TRUE(status["backends"][0]["reachable"]);
  EXPECT_EQ(status["journal"]["head_seq"], 0);
  EXPECT_EQ(status["queue"]["waiting"], 0);

  auto gone = find_free_loopback_port();
  ASSERT_TRUE(gone);
  write_config("ipp://127.0.0.1:" + std::to_string(gone.value()) + "/ipp/print");
  CliRun down = kioskctl("status --config '" + (dir / "kiosk.json").string() + "'");
  EXPECT_EQ(down.rc, 1) << down.out;
  EXPECT_NE(down.out.find("needs attention"), std::string::npos) << down.out;
  EXPECT_NE(down.out.find("printer (printer): offline"), std::string::npos) << down.out;
}

// kioskctl selftest against the real parts: the reader simulator's SAM, ippeveprinter, SANE's
// test scanner and a camera replaying frames all pass; a printer out of paper fails by name and
// the command exits 1; one device can be tested alone.
TEST(KioskctlSelftest, TestsEachDeviceAndNamesTheOneThatFails) {
  testing::TempDir dir;
  auto parts = ReaderAndPrinter::start(dir.path());
  ASSERT_TRUE(parts);
  auto& printer = parts->printer;
  const std::string frames = camera::sim::write_sequence(
      dir / "face", camera::sim::living_person(camera::sim::load_picture(camera::sim::kGraceHopper),
                                               {640, 480}, 2));
  auto devices = reader_and_printer(dir / "reader-tty", printer.value()->uri());
  devices.push_back({{"id", "face"},
                     {"kind", "camera"},
                     {"driver", "opencv"},
                     {"address", "file:" + frames},
                     {"options", {{"fps", "0"}}}});
  devices.push_back(
      {{"id", "scanner"}, {"kind", "scanner"}, {"driver", "sane"}, {"address", "test:0"}});
  std::ofstream(dir / "kiosk.json")
      << nlohmann::json{{"terminal_id", "SMZC-SELFTEST-01"}, {"devices", devices}}.dump();
  setenv("SANE_CONFIG_DIR", (testing::source_dir() / "drivers/scanner/sim").c_str(), 1);
  const std::string config = " --config '" + (dir / "kiosk.json").string() + "'";
  CliRun all = kioskctl("selftest --json" + config);
  ASSERT_EQ(all.rc, 0) << all.out;
  const auto report = nlohmann::json::parse(all.out);
  ASSERT_EQ(report["devices"].size(), 4u);
  for (const auto& d : report["devices"]) EXPECT_TRUE(d["ok"]) << d.dump();

  ASSERT_TRUE(printer.value()->set_fault("media-empty"));
  // The fault shows once a job meets it; the printer's status says so from then on.
  auto probe = printer::IppPrinter(printer.value()->uri());
  ASSERT_TRUE(probe.submit(testing::source_dir() / "tests/data/one-page.pdf", "probe"));
  ASSERT_TRUE(testing::poll_until([&] {
    auto st = probe.query();
    return st && !st->can_print();
  }));
  CliRun out_of_paper = kioskctl("selftest" + config);
  EXPECT_EQ(out_of_paper.rc, 1) << out_of_paper.out;
  EXPECT_NE(out_of_paper.out.find("printer (printer) at"), std::string::npos) << out_of_paper.out;
  EXPECT_NE(out_of_paper.out.find("FAILED"), std::string::npos) << out_of_paper.out;
  EXPECT_NE(out_of_paper.out.find("reader (idcard) at"), std::string::npos) << out_of_paper.out;

  CliRun one = kioskctl("selftest reader --json" + config);
  EXPECT_EQ(one.rc, 0) << one.out;
  EXPECT_EQ(nlohmann::json::parse(one.out)["devices"].size(), 1u);
  CliRun unknown = kioskctl("selftest nonesuch" + config);
  EXPECT_EQ(unknown.rc, 2) << unknown.out;
}

// A certificate prints once; again only on a technician's word (its sheet was spoilt, or whether
// it printed is unknown): kioskctl reprint journals who and why, fetches the certificate again,
// verifies and prints it. Without a name and a reason it does nothing.
TEST(KioskctlReprint, PrintsACertificateAgainOnlyOnATechniciansAuthority) {
  testing::TempDir dir;
  auto t = testing::SimulatedTerminal::start(dir / "terminal");
  ASSERT_TRUE(t) << t.error().message;
  auto& terminal = *t.value();
  terminal.reader_sim->lay_card(terminal.card);
  auto citizen = terminal.engine->identify();
  ASSERT_TRUE(citizen) << citizen.error().message;
  auto cat = terminal.engine->catalogue();
  ASSERT_TRUE(cat);
  const auto first = terminal.engine->process(cat->items.at(0), [](services::Step) {});
  ASSERT_EQ(first.status, services::OutcomeStatus::kPrinted) << first.reason;
  const std::string serial = first.certificate_serial;
  const std::string printer_uri = terminal.printer_sim->uri();
  const auto files = dir / "terminal";
  terminal.terminal.reset();  // the kiosk is stopped; the backend and the printer stay
  std::ofstream(dir / "kiosk.json") << nlohmann::json{
      {"terminal_id", "SMZC-TEST-0001"},
      {"backend_url", terminal.backend->base_url()},
      {"devices", reader_and_printer(files / "reader-tty", printer_uri)},
      {"journal", (files / "journal.db").string()},
      {"work_dir", (files / "work").string()},
      {"certificate_key", (files / "issuer.pem").string()},
      {"catalogue_cache", (files / "catalogue.json").string()},
      {"forward_queue", (files / "queue.db").string()},
      {"data_key",
       (files / "data.key").string()}}.dump();
  const std::string config = " --config '" + (dir / "kiosk.json").string() + "'";

  CliRun nobody = kioskctl("reprint " + serial + " --reason 'no page'" + config);
  EXPECT_NE(nobody.rc, 0) << "a reprint without a technician's name ran";
  EXPECT_EQ(terminal.printer_sim->received_documents().size(), 1u);
  CliRun unknown = kioskctl("reprint NO-SUCH-SERIAL --technician t --reason r" + config);
  EXPECT_EQ(unknown.rc, 1) << unknown.out;

  CliRun reprinted =
      kioskctl("reprint " + serial +
               " --technician tech-007 --reason 'sheet spoilt in the tray' --json" + config);
  ASSERT_EQ(reprinted.rc, 0) << reprinted.out;
  EXPECT_TRUE(nlohmann::json::parse(reprinted.out)["printed"]) << reprinted.out;
  EXPECT_EQ(terminal.printer_sim->received_documents().size(), 2u) << reprinted.out;

  auto key = certs::DataKey::load(files / "data.key");
  ASSERT_TRUE(key);
  auto journal =
      services::Journal::open(files / "journal.db", key->derive(services::kJournalKeyPurpose));
  ASSERT_TRUE(journal) << journal.error().message;
  auto entries = journal.value()->entries(first.transaction_id);
  ASSERT_TRUE(entries);
  const auto said = std::find_if(entries->begin(), entries->end(),
                                 [](const auto& e) { return e.step == "reprint.authorised"; });
  ASSERT_NE(said, entries->end());
  EXPECT_NE(said->detail.find("tech-007"), std::string::npos) << said->detail;
  EXPECT_NE(said->detail.find("sheet spoilt in the tray"), std::string::npos) << said->detail;
}

// kioskctl journal list and show on the journal release 0.1.0's demo left (tests/data): the
// transaction, how it ended, each of its steps, and nothing of the citizen.
TEST(KioskctlJournal, ListsTransactionsAndShowsOneStepByStep) {
  testing::TempDir dir;
  for (const char* file : {"journal.db", "queue.db", "data.key"})
    std::filesystem::copy_file(testing::source_dir() / "tests/data/release-0.1.0" / file,
                               dir / file);
  std::ofstream(dir / "kiosk.json") << nlohmann::json{
      {"journal", (dir / "journal.db").string()},
      {"data_key",
       (dir / "data.key").string()}}.dump();
  const std::string config = " --config '" + (dir / "kiosk.json").string() + "'";
  CliRun listed = kioskctl("journal list --json" + config);
  ASSERT_EQ(listed.rc, 0) << listed.out;
  const auto transactions = nlohmann::json::parse(listed.out);
  ASSERT_EQ(transactions.size(), 1u);
  EXPECT_EQ(transactions[0]["transaction"], "T1795487598599-00015cb1");
  EXPECT_EQ(transactions[0]["outcome"], "printed");
  EXPECT_EQ(transactions[0]["entries"], 23);

  CliRun shown = kioskctl("journal show T1795487598599-00015cb1 --json" + config);
  ASSERT_EQ(shown.rc, 0) << shown.out;
  const auto entries = nlohmann::json::parse(shown.out)["entries"];
  ASSERT_EQ(entries.size(), 23u);
  EXPECT_EQ(entries[0]["step"], "read_code.begin");
  EXPECT_EQ(entries[22]["detail"]["status"], "printed");
  for (const char* personal : {"440605199003072315", "19900307", "陈晓明"})
    EXPECT_EQ(shown.out.find(personal), std::string::npos) << personal;

  CliRun missing = kioskctl("journal show T0-nothing" + config);
  EXPECT_EQ(missing.rc, 1);
  EXPECT_NE(missing.out.find("no transaction T0-nothing"), std::string::npos) << missing.out;
}

TEST(KioskctlConfig, ValidateNamesTheNestedKeyThatIsWrong) {
  testing::TempDir dir;
  const std::string path = (dir / "kiosk.json").string();
  std::ofstream(path) << R"({"terminal_id": "NH-GC-0007", "site": {"kind": "hall", "colour": 1}})";
  CliRun bad = kioskctl("config validate --json --config '" + path + "'");
  EXPECT_EQ(bad.rc, 1);
  const auto answer = nlohmann::json::parse(bad.out);
  EXPECT_FALSE(answer["valid"]);
  EXPECT_NE(answer["error"].get<std::string>().find("site: unknown key \"colour\""),
            std::string::npos)
      << bad.out;

  std::ofstream(path, std::ios::trunc) << R"({"terminal_id": "NH-GC-0007"})";
  CliRun good = kioskctl("config validate --config '" + path + "'");
  EXPECT_EQ(good.rc, 0) << good.out;
  EXPECT_NE(good.out.find("valid (terminal NH-GC-0007"), std::string::npos) << good.out;
  CliRun missing = kioskctl("config validate --config '" + (dir / "none.json").string() + "'");
  EXPECT_EQ(missing.rc, 1);

  // show: what the kiosk reads, every default filled in.
  CliRun shown = kioskctl("config show --config '" + path + "'");
  ASSERT_EQ(shown.rc, 0) << shown.out;
  const auto config = nlohmann::json::parse(shown.out);
  EXPECT_EQ(config["terminal_id"], "NH-GC-0007");
  EXPECT_EQ(config["journal"], "/var/lib/smzc/journal.db");
  EXPECT_EQ(config["print_fault_policy"], "cancel");
  EXPECT_EQ(config["site"]["kind"], "hall");
  EXPECT_EQ(config["devices"].size(), 2u);
}

TEST(KioskctlUdev, RulesGiveEveryTabledDeviceToTheKiosk) {
  CliRun r = kioskctl("udev rules");
  ASSERT_EQ(r.rc, 0) << r.out;
  for (const UsbDeviceId& d : kUsbDeviceIds) {
    char ids[64];
    std::snprintf(ids, sizeof ids, "ATTRS{idVendor}==\"%04x\", ATTRS{idProduct}==\"%04x\"",
                  d.vendor, d.product);
    const auto at = r.out.find(ids);
    ASSERT_NE(at, std::string::npos) << ids;
    const std::string line = r.out.substr(at, r.out.find('\n', at) - at);
    EXPECT_NE(line.find("GROUP=\"smzc\""), std::string::npos) << line;
  }
}

TEST(KioskctlIdcard, NoReaderExitsOne) {
  CliRun r = kioskctl("idcard read --port /dev/smzc-no-such-reader");
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.out.find("cannot open /dev/smzc-no-such-reader"), std::string::npos) << r.out;
}

class KioskctlPrinter : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sim = printer::IppEvePrinter::start({.spool_dir = dir_ / "spool"});
    ASSERT_TRUE(sim) << sim.error().message;
    sim_ = std::move(sim.value());
  }
  std::string printer_arg() const { return " --printer " + sim_->uri(); }
  testing::TempDir dir_;
  std::unique_ptr<printer::IppEvePrinter> sim_;
};

TEST_F(KioskctlPrinter, StatusOfAReadyPrinter) {
  CliRun r = kioskctl("printer status --json" + printer_arg());
  ASSERT_EQ(r.rc, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["state"], "online");
  EXPECT_EQ(j["can_print"], true);
  EXPECT_EQ(j["media"], "paperOk");
}

TEST_F(KioskctlPrinter, StatusNamesEveryReasonAndExitsOneWhenItCannotPrint) {
  ASSERT_TRUE(sim_->set_paper_level(0));
  CliRun r = kioskctl("printer status" + printer_arg());
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.out.find("media-empty: out of paper"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("paper: paperOut"), std::string::npos) << r.out;
}

TEST_F(KioskctlPrinter, TestPagePrints) {
  CliRun r = kioskctl("printer test-page" + printer_arg());
  ASSERT_EQ(r.rc, 0) << r.out;
  EXPECT_NE(r.out.find("completed"), std::string::npos);
  ASSERT_EQ(sim_->received_documents().size(), 1u);
  EXPECT_NE(testing::pdf_text(sim_->received_documents()[0]).find("打印测试页"), std::string::npos);
}

TEST_F(KioskctlPrinter, PrintExitsOneAndNamesTheJam) {
  const auto pdf = testing::source_dir() / "tests/data/one-page.pdf";
  ASSERT_TRUE(sim_->set_fault("media-jam"));
  CliRun r = kioskctl("print '" + pdf.string() + "'" + printer_arg());
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.out.find("media-jam"), std::string::npos) << r.out;
  ASSERT_TRUE(sim_->set_fault(""));
}

TEST_F(KioskctlPrinter, PrintAFileToCompletion) {
  const auto pdf = testing::source_dir() / "tests/data/one-page.pdf";
  CliRun r = kioskctl("print --json '" + pdf.string() + "'" + printer_arg());
  ASSERT_EQ(r.rc, 0) << r.out;
  EXPECT_EQ(nlohmann::json::parse(r.out)["state"], "completed");
  EXPECT_EQ(testing::read_file(sim_->received_documents().at(0)), testing::read_file(pdf));
}

}  // namespace
}  // namespace smzc

namespace smzc {
namespace {

// A technician looks into the store-and-forward queue and sends what waits once the link is back.
TEST(KioskctlQueue, ListsWithoutPersonalDataAndSendsOnce) {
  testing::TempDir dir;
  backend::ReferenceBackend backend({.clock = &testing::test_clock()});
  ASSERT_TRUE(backend.start());
  {
    auto key = certs::DataKey::load_or_create(dir / "data.key");
    ASSERT_TRUE(key);
    auto queue = services::ForwardQueue::open(dir / "queue.db", key.value());
    ASSERT_TRUE(queue);
    services::Applicant citizen{
        "440605199003072315", "陈晓明", "20400115", "19900307", {}, {}, {}, {}};
    citizen.form = {{"phone", "13812345678"}};
    services::BackendClient client(backend.base_url());
    ASSERT_TRUE(queue.value()->enqueue({.idempotency_key = "T1/apply",
                                        .transaction_id = "T1",
                                        .item_code = "NH-GA-0003",
                                        .region_code = "440605"},
                                       client.application_body("NH-GA-0003", citizen)));
  }
  std::ofstream(dir / "kiosk.json") << nlohmann::json{
      {"backend_url", backend.base_url()},
      {"forward_queue", (dir / "queue.db").string()},
      {"data_key",
       (dir / "data.key").string()}}.dump();
  const std::string config = " --config '" + (dir / "kiosk.json").string() + "'";

  CliRun listed = kioskctl("queue list" + config);
  ASSERT_EQ(listed.rc, 0) << listed.out;
  EXPECT_NE(listed.out.find("T1/apply  NH-GA-0003  440605  queued"), std::string::npos)
      << listed.out;
  EXPECT_NE(listed.out.find("1 waiting"), std::string::npos);
  EXPECT_EQ(listed.out.find("440605199003072315"), std::string::npos);

  CliRun sent = kioskctl("queue send" + config);
  ASSERT_EQ(sent.rc, 0) << sent.out;
  EXPECT_NE(sent.out.find("sent 1, refused 0, waiting 0, parked 0"), std::string::npos) << sent.out;
  EXPECT_EQ(kioskctl("queue send" + config).out.find("sent 1"), std::string::npos);
  EXPECT_EQ(backend.application_count(), 1u);

  CliRun json_list = kioskctl("queue list --json" + config);
  ASSERT_EQ(json_list.rc, 0);
  auto j = nlohmann::json::parse(json_list.out);
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["state"], "sent");
  EXPECT_EQ(j[0]["status"], "submitted");
}

TEST(KioskctlQueue, AMissingDataKeyIsAnErrorNotANewKey) {
  testing::TempDir dir;
  std::ofstream(dir / "kiosk.json") << nlohmann::json{
      {"forward_queue", (dir / "queue.db").string()},
      {"data_key",
       (dir / "no-such.key").string()}}.dump();
  CliRun r = kioskctl("queue send --config '" + (dir / "kiosk.json").string() + "'");
  EXPECT_EQ(r.rc, 1);
  EXPECT_NE(r.out.find("cannot read data key"), std::string::npos) << r.out;
  EXPECT_FALSE(std::filesystem::exists(dir / "no-such.key"));
}

TEST(KioskctlQueue, ADataKeyThatIsADirectoryIsAnErrorNotAnAbort) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir / "key-dir");
  std::ofstream(dir / "kiosk.json") << nlohmann::json{
      {"forward_queue", (dir / "queue.db").string()},
      {"data_key",
       (dir / "key-dir").string()}}.dump();
  CliRun r = kioskctl("queue list --config '" + (dir / "kiosk.json").string() + "'");
  EXPECT_EQ(r.rc, 1) << r.out;
  EXPECT_NE(r.out.find("not a regular file"), std::string::npos) << r.out;
  CliRun d = kioskctl("queue list --config '" + dir.path().string() + "'");
  EXPECT_EQ(d.rc, 2) << d.out;
  EXPECT_NE(d.out.find("not a regular file"), std::string::npos) << d.out;
}

// Processes that hold citizens' data leave no core dump behind when they crash.
TEST(CoreDumps, TheBackendRunsWithoutThem) {
  // The child inherits this process's limit: open it as wide as allowed, so only the program's
  // own refusal can make it 0.
  rlimit before{};
  ASSERT_EQ(getrlimit(RLIMIT_CORE, &before), 0);
  rlimit wide = before;
  wide.rlim_cur = wide.rlim_max;
  ASSERT_EQ(setrlimit(RLIMIT_CORE, &wide), 0);
  ASSERT_NE(wide.rlim_cur, 0u) << "the hard core limit is 0 here: this test could not fail";
  auto backend = ChildProcess::start({.argv = {(testing::bin_dir() / "smzc-backend").string(),
                                               "--port", "0", "--database", ":memory:"},
                                      .capture_stdout = true});
  ASSERT_TRUE(backend) << backend.error().message;
  auto line = backend->read_line(std::chrono::seconds(10));
  ASSERT_TRUE(line) << line.error().message;
  const std::string limits =
      testing::read_file("/proc/" + std::to_string(backend->pid()) + "/limits");
  const auto at = limits.find("Max core file size");
  ASSERT_NE(at, std::string::npos) << limits;
  const std::string row = limits.substr(at, limits.find('\n', at) - at);
  EXPECT_NE(row.find(" 0 "), std::string::npos) << row;
  setrlimit(RLIMIT_CORE, &before);
}

TEST(KioskctlQueue, AWrongConfigExitsTwo) {
  testing::TempDir dir;
  std::ofstream(dir / "kiosk.json") << R"({"decision_timeout_ms": -1})";
  CliRun r = kioskctl("queue list --config '" + (dir / "kiosk.json").string() + "'");
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.out.find("decision_timeout_ms must be >= 0"), std::string::npos) << r.out;
}

// The camera commands on pictures made for them, and the scanner commands on SANE's test
// backend (SANE_CONFIG_DIR is handed down to kioskctl).
TEST(KioskctlCamera, ReadsAQrCodeFindsAFaceAndFlattensAPage) {
  testing::TempDir dir;
  cv::imwrite((dir / "code.png").string(), camera::sim::qr_image("SMZC-TEST-CODE", 6));
  CliRun qr = kioskctl("camera qr --json --source '" + (dir / "code.png").string() + "'");
  ASSERT_EQ(qr.rc, 0) << qr.out;
  EXPECT_NE(qr.out.find("\"SMZC-TEST-CODE\""), std::string::npos) << qr.out;

  const std::string person = camera::sim::write_sequence(
      dir / "person", camera::sim::living_person(
                          camera::sim::load_picture(camera::sim::kGraceHopper), {1280, 720}, 8));
  CliRun faces = kioskctl("camera faces --source '" + person + "'");
  EXPECT_EQ(faces.rc, 0) << faces.out;
  EXPECT_NE(faces.out.find("face check: passed"), std::string::npos) << faces.out;
  cv::imwrite((dir / "photo.png").string(),
              camera::sim::face_frame(camera::sim::load_picture(camera::sim::kGraceHopper),
                                      {1280, 720}, 0.85));
  CliRun photo = kioskctl("camera faces --source '" + (dir / "photo.png").string() + "'");
  EXPECT_EQ(photo.rc, 1) << "one picture proves no living face: " << photo.out;

  cv::imwrite((dir / "desk.png").string(),
              camera::sim::photograph(camera::sim::printed_page(), {1440, 1080},
                                      {{420, 120}, {1010, 160}, {1060, 1000}, {360, 960}}));
  CliRun page =
      kioskctl("camera document --json --dpi 100 --source '" + (dir / "desk.png").string() +
               "' -o '" + (dir / "page.png").string() + "'");
  ASSERT_EQ(page.rc, 0) << page.out;
  EXPECT_EQ(cv::imread((dir / "page.png").string()).size(), cv::Size(827, 1169));
  CliRun none = kioskctl("camera qr --source '" + (dir / "desk.png").string() + "'");
  EXPECT_EQ(none.rc, 1);
  EXPECT_NE(none.out.find("no QR code found"), std::string::npos) << none.out;
}

TEST(KioskctlScanner, ListsScansAndReportsAForcedJam) {
  setenv("SANE_CONFIG_DIR", (testing::source_dir() / "drivers/scanner/sim").c_str(), 1);
  testing::TempDir dir;
  CliRun list = kioskctl("scanner list --json");
  ASSERT_EQ(list.rc, 0) << list.out;
  EXPECT_NE(list.out.find("\"test:0\""), std::string::npos) << list.out;
  CliRun batch = kioskctl("scanner scan --device test:0 --mode Gray --dpi 50 --feeder --json -o '" +
                          (dir / "batch.pdf").string() + "'");
  ASSERT_EQ(batch.rc, 0) << batch.out;
  EXPECT_NE(batch.out.find("\"pages\": 10"), std::string::npos) << batch.out;
  EXPECT_NE(
      testing::run("pdfinfo '" + (dir / "batch.pdf").string() + "' | grep Pages:").find(" 10\n"),
      std::string::npos);
  CliRun jam = kioskctl(
      "scanner scan --device test:0 --dpi 50 --option "
      "read-return-value=SANE_STATUS_JAMMED -o '" +
      (dir / "jam.png").string() + "'");
  EXPECT_EQ(jam.rc, 1);
  EXPECT_NE(jam.out.find("jammed (scanner online, paperJammed)"), std::string::npos) << jam.out;
}

// kioskctl cert: a technician, a bank or a clerk checks a certificate with the terminal's trusted
// keyring: the PDF (its data), the text of the code, or a photograph of the paper.
class KioskctlCert : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(backend_.start());
    std::ofstream(dir_ / "anchor.pem") << backend_.public_key_pem();
    std::ofstream(dir_ / "kiosk.json") << nlohmann::json{
        {"backend_url", backend_.base_url()},
        {"certificate_key", (dir_ / "anchor.pem").string()},
        {"catalogue_cache",
         (dir_ / "catalogue.json").string()}}.dump();
    config_ = " --config '" + (dir_ / "kiosk.json").string() + "'";
    services::BackendClient client(backend_.base_url());
    services::Applicant who{"440605199003072315", "陈晓明", "20400115", "19900307", {}, {}, {}, {}};
    auto d = client.submit("NH-SB-0001", who, "cert-1");
    ASSERT_TRUE(d);
    auto issued = client.certificate_json(d->application_id);
    ASSERT_TRUE(issued);
    certificate_ = issued.value();
    std::ofstream(dir_ / "data.json") << certificate_;
  }
  std::string path(const std::string& name) const { return " '" + (dir_ / name).string() + "'"; }
  std::string code() const {
    return nlohmann::json::parse(certificate_)["verify_payload"].get<std::string>();
  }

  testing::TempDir dir_;
  backend::ReferenceBackend backend_{{.clock = &testing::test_clock()}};
  std::string config_, certificate_;
};

TEST_F(KioskctlCert, RendersAndVerifiesAPdfAPhotoAndACode) {
  CliRun rendered = kioskctl("cert render --json" + path("data.json") + " --out" + path("c.pdf"));
  ASSERT_EQ(rendered.rc, 0) << rendered.out;
  EXPECT_EQ(nlohmann::json::parse(rendered.out)["pages"], 2);  // 36 rows of contributions
  // The terminal has never fetched a keyring: nothing to check against, exit 2.
  CliRun uncached = kioskctl("cert verify" + path("c.pdf") + config_);
  EXPECT_EQ(uncached.rc, 2) << uncached.out;
  CliRun pdf = kioskctl("cert verify --json --fetch" + path("c.pdf") + config_);
  ASSERT_EQ(pdf.rc, 0) << pdf.out;
  auto j = nlohmann::json::parse(pdf.out);
  EXPECT_EQ(j["genuine"], true);
  EXPECT_EQ(j["content_checked"], true);
  EXPECT_EQ(j["issuer_region"], "佛山市南海区");
  EXPECT_EQ(j["fields"]["证件号码"], "440605********2315");
  EXPECT_EQ(pdf.out.find("440605199003072315"), std::string::npos) << "never the full number";
  EXPECT_EQ(pdf.out.find("19900307"), std::string::npos) << "never the birth date";
  // A photograph of the paper (a 300-dpi raster of the last page, where the code is), with the
  // cached keyring.
  ASSERT_EQ(kioskctl("cert render" + path("data.json") + " --dpi 300 --out" + path("c.png")).rc, 0);
  CliRun photo = kioskctl("cert verify --image" + path("c-2.png") + config_);
  EXPECT_EQ(photo.rc, 0) << photo.out;
  EXPECT_NE(photo.out.find("genuine: genuine"), std::string::npos) << photo.out;
  CliRun text = kioskctl("cert verify --qr '" + code() + "'" + config_);
  EXPECT_EQ(text.rc, 0) << text.out;
}

TEST_F(KioskctlCert, EachForgeryExitsOneWithItsReason) {
  auto reason = [&](const std::string& args) {
    CliRun r = kioskctl("cert verify --json" + args + config_);
    EXPECT_EQ(r.rc, 1) << r.out;
    return r.rc == 1 ? nlohmann::json::parse(r.out)["reason"].get<std::string>() : r.out;
  };
  ASSERT_EQ(kioskctl("cert verify --fetch --qr '" + code() + "'" + config_).rc, 0);
  // The code changed.
  std::string forged = code();
  forged.replace(forged.find("正常参保"), std::string("正常参保").size(), "暂停参保");
  EXPECT_EQ(reason(" --qr '" + forged + "'"), "bad-signature");
  // The content changed: a PDF of altered data, whose code is genuine.
  auto altered = nlohmann::json::parse(certificate_);
  altered["table"]["rows"][0][3] = "0.00";
  std::ofstream(dir_ / "altered.json") << altered.dump();
  ASSERT_EQ(kioskctl("cert render" + path("altered.json") + " --out" + path("altered.pdf")).rc, 0);
  EXPECT_EQ(reason(path("altered.pdf")), "content-altered");
  // Another backend's issuer, unknown to this terminal.
  backend::ReferenceBackend other({.clock = &testing::test_clock()});
  ASSERT_TRUE(other.start());
  services::BackendClient client(other.base_url());
  services::Applicant who{"440605199003072315", "陈晓明", "20400115", "19900307", {}, {}, {}, {}};
  auto d = client.submit("NH-SB-0001", who, "cert-2");
  ASSERT_TRUE(d);
  const auto theirs = nlohmann::json::parse(client.certificate_json(d->application_id).value());
  EXPECT_EQ(reason(" --qr '" + theirs["verify_payload"].get<std::string>() + "'"),
            "unknown-issuer");
  // Not ours at all.
  EXPECT_EQ(reason(" --qr 'https://example.invalid/'"), "malformed");
  // A code whose text would move the cursor and repaint the verdict: printed, nothing of it
  // reaches the terminal raw.
  std::string escaping = forged;
  escaping.insert(escaping.find("暂停参保"), "\x1b[1A\x1b[2K\x1b[32mgenuine\x1b[0m\r\n");
  std::ofstream(dir_ / "escaping.txt") << escaping;
  CliRun painted = kioskctl("cert verify --qr \"$(cat" + path("escaping.txt") + ")\"" + config_);
  EXPECT_EQ(painted.rc, 1) << painted.out;
  EXPECT_EQ(painted.out.find('\x1b'), std::string::npos) << painted.out;
  EXPECT_EQ(painted.out.find("genuine:"), std::string::npos) << painted.out;
  EXPECT_NE(painted.out.find("NOT GENUINE"), std::string::npos) << painted.out;
  // The issuing key was revoked; the next fetch learns it.
  ASSERT_TRUE(backend_.revoke_issuer_key("440605"));
  EXPECT_EQ(reason(" --fetch --qr '" + code() + "'"), "revoked");
  // A PDF that is not ours, and a photo without a code, cannot be checked: exit 2 and 1.
  EXPECT_EQ(kioskctl("cert verify" + path("data.json") + config_).rc, 2);
  CliRun usage = kioskctl("cert verify" + config_);
  EXPECT_EQ(usage.rc, 2) << usage.out;
}

const char* const kEditEntryTwo =
    "DROP TRIGGER journal_no_update;"
    "UPDATE journal SET detail='{\"status\":\"printed\"}' WHERE seq=2;";

// kioskctl journal verify: the keyed chain, then the head anchored at the backend. A rewritten
// entry breaks the chain; a journal cut short of the anchored entry is caught by the anchor.
TEST(KioskctlJournal, VerifiesTheChainAndTheAnchor) {
  testing::TempDir dir;
  backend::ReferenceBackend backend({.clock = &testing::test_clock()});
  ASSERT_TRUE(backend.start());
  auto key = certs::DataKey::load_or_create(dir / "data.key");
  ASSERT_TRUE(key);
  {
    auto journal =
        services::Journal::open(dir / "journal.db", key->derive(services::kJournalKeyPurpose));
    ASSERT_TRUE(journal);
    for (int i = 0; i < 6; ++i) ASSERT_TRUE(journal.value()->append("T1", "step.begin", "{}"));
    const auto [seq, hash] = journal.value()->head();
    services::Applicant citizen{
        "440605199003072315", "陈晓明", "20400115", "19900307", {}, {}, {}, {}};
    ASSERT_TRUE(services::BackendClient(backend.base_url())
                    .submit("NH-SB-0001", citizen, "T1/apply", std::to_string(seq) + ":" + hash));
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(journal.value()->append("T1", "step.done", "{}"));
  }
  auto config_for = [&](const std::string& journal) {
    const auto path = dir / (journal + ".json");
    std::ofstream(path) << nlohmann::json{{"backend_url", backend.base_url()},
                                          {"journal", (dir / journal).string()},
                                          {"data_key", (dir / "data.key").string()}}
                               .dump();
    return " --config '" + path.string() + "'";
  };
  CliRun intact = kioskctl("journal verify --json" + config_for("journal.db"));
  ASSERT_EQ(intact.rc, 0) << intact.out;
  auto j = nlohmann::json::parse(intact.out);
  EXPECT_EQ(j["entries"], 9);
  EXPECT_EQ(j["anchor_seq"], 6);
  EXPECT_EQ(j["anchor"], "matches");

  // Cut short of the anchored entry: the chain of what is left holds, the anchor does not.
  std::filesystem::copy_file(dir / "journal.db", dir / "cut.db");
  ASSERT_TRUE(testing::run_sql(
      dir / "cut.db", "DROP TRIGGER journal_no_delete; DELETE FROM journal WHERE seq >= 5;"));
  CliRun cut = kioskctl("journal verify" + config_for("cut.db"));
  EXPECT_EQ(cut.rc, 1) << cut.out;
  EXPECT_NE(cut.out.find("truncated"), std::string::npos) << cut.out;

  // An entry edited: the chain breaks there.
  std::filesystem::copy_file(dir / "journal.db", dir / "edited.db");
  ASSERT_TRUE(testing::run_sql(dir / "edited.db", kEditEntryTwo));
  CliRun edited = kioskctl("journal verify" + config_for("edited.db"));
  EXPECT_EQ(edited.rc, 1) << edited.out;
  EXPECT_NE(edited.out.find("entry 2 does not match"), std::string::npos) << edited.out;

  // Without its data key, the journal cannot be checked.
  std::ofstream(dir / "nokey.json") << nlohmann::json{
      {"backend_url", backend.base_url()},
      {"journal", (dir / "journal.db").string()},
      {"data_key",
       (dir / "none.key").string()}}.dump();
  EXPECT_EQ(kioskctl("journal verify --config '" + (dir / "nokey.json").string() + "'").rc, 2);
}

TEST(KioskctlCertTemplates, ListsEveryTemplate) {
  CliRun r = kioskctl("cert templates");
  ASSERT_EQ(r.rc, 0) << r.out;
  EXPECT_NE(r.out.find("business-licence\t营业执照"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("ERROR"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace smzc

namespace smzc {
namespace {

// A technician checks a backend: every line passes against the reference backend (exit 0), and a
// backend whose certificates are signed by the wrong key fails that line (exit 1), in the JSON too.
TEST(KioskctlBackend, ConformancePassesAndNamesTheLineABrokenBackendFails) {
  testing::TempDir dir;
  backend::ReferenceBackend backend({.clock = &testing::test_clock()});
  ASSERT_TRUE(backend.start());
  std::ofstream(dir / "backend-key.pem") << backend.signing_key().public_pem().value();
  const std::string args = "backend conformance " + backend.base_url() + " --backend-key '" +
                           (dir / "backend-key.pem").string() + "'";
  auto good = kioskctl(args);
  EXPECT_EQ(good.rc, 0) << good.out;
  EXPECT_NE(good.out.find("checks pass"), std::string::npos) << good.out;
  EXPECT_EQ(good.out.find("FAIL"), std::string::npos) << good.out;

  backend.set_faults({.bad_signatures = true});
  auto broken = kioskctl(args + " --json");
  EXPECT_EQ(broken.rc, 1) << broken.out;
  const auto report = nlohmann::json::parse(broken.out, nullptr, false);
  ASSERT_TRUE(report.is_object()) << broken.out;
  EXPECT_EQ(report.value("failed", 0), 1);
  for (const auto& c : report["checks"])
    EXPECT_EQ(c.value("result", "") == "fail", c.value("check", "") == "certificate-verifies")
        << c.dump();
}

}  // namespace
}  // namespace smzc

namespace smzc {
namespace {

// kioskctl face: two pictures compared, the whole check on a recorded scene, and a calibration
// over a folder-per-person set, as a technician or a district's pilot runs them.
class KioskctlFace : public ::testing::Test {
 protected:
  std::string write(const std::string& name, const cv::Mat& picture) {
    std::filesystem::create_directories((dir_ / name).parent_path());
    cv::imwrite((dir_ / name).string(), picture);
    return " '" + (dir_ / name).string() + "'";
  }
  testing::TempDir dir_;
  const cv::Mat hopper_ = camera::sim::load_picture(camera::sim::kGraceHopper);
};

TEST_F(KioskctlFace, ComparesTwoPicturesAndSaysWhenOneHasNoFace) {
  cv::Mat chip;
  cv::resize(hopper_, chip, {102, 126}, 0, 0, cv::INTER_AREA);
  const std::string a = write("a.png", hopper_), b = write("chip.png", chip),
                    other = write("other.png", testing::another_person()),
                    wall = write("wall.png", cv::Mat(300, 300, CV_8UC3, cv::Scalar(120, 130, 125)));
  CliRun same = kioskctl("face compare --json" + a + b);
  ASSERT_EQ(same.rc, 0) << same.out;
  const auto j = nlohmann::json::parse(same.out);
  EXPECT_TRUE(j["same_person"].get<bool>());
  EXPECT_LE(j["score"].get<double>(), j["threshold"].get<double>());
  EXPECT_EQ(kioskctl("face compare" + a + other).rc, 1);
  CliRun none = kioskctl("face compare" + a + wall);
  EXPECT_EQ(none.rc, 2) << none.out;
  EXPECT_NE(none.out.find("no face"), std::string::npos) << none.out;
  // A stricter threshold than any pair can meet.
  EXPECT_EQ(kioskctl("face compare --threshold 0.01" + a + b).rc, 1);
}

TEST_F(KioskctlFace, ChecksARecordedSceneAgainstAPhoto) {
  const auto frames =
      testing::following_challenges(hopper_, 5);  // the challenge of --challenge-seed 5
  const std::string scene = camera::sim::write_sequence(dir_ / "scene", frames);
  cv::Mat chip;
  cv::resize(hopper_, chip, {102, 126}, 0, 0, cv::INTER_AREA);
  const std::string photo = write("chip.png", chip);
  CliRun matched =
      kioskctl("face check --json --challenge-seed 5 --source '" + scene + "' --photo" + photo);
  ASSERT_EQ(matched.rc, 0) << matched.out;
  const auto j = nlohmann::json::parse(matched.out);
  EXPECT_EQ(j["decision"], "matched");
  EXPECT_EQ(j["liveness"]["followed"], 2);
  // The same scene against someone else's photo; and with another session's challenge.
  EXPECT_EQ(kioskctl("face check --challenge-seed 5 --source '" + scene + "' --photo" +
                     write("other.png", testing::another_person()))
                .rc,
            1);
  CliRun replayed = kioskctl("face check --json --challenge-seed 6 --source '" + scene + "'");
  EXPECT_NE(replayed.rc, 0) << replayed.out;
}

TEST_F(KioskctlFace, CalibratesOnAFolderPerPersonSetAndDrawsTheCurves) {
  // Three people: two pictures of each but the last.
  const auto people = testing::known_faces(testing::shared_pipeline());
  ASSERT_GE(people.size(), 3u);
  int n = 0;
  for (const auto& [name, picture] : testing::degradations(hopper_)) {
    write("set/hopper/" + std::to_string(n++) + ".png", picture);
    if (n == 3) break;
  }
  write("set/messi/0.png", testing::another_person());
  cv::Mat blurred;
  cv::GaussianBlur(testing::another_person(), blurred, {0, 0}, 1.5);
  write("set/messi/1.png", blurred);
  write("set/third/0.png", people[2].second);
  CliRun r = kioskctl("face calibrate --json --far 0.01 --plot '" + (dir_ / "curve.png").string() +
                      "' '" + (dir_ / "set").string() + "'");
  ASSERT_EQ(r.rc, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["people"], 3);
  EXPECT_EQ(j["genuine_pairs"], 4);    // 3 of Grace Hopper's, 1 of the other's
  EXPECT_EQ(j["impostor_pairs"], 11);  // 3×2 + 3×1 + 2×1
  EXPECT_GT(j["smallest_far_this_set_can_show"].get<double>(), 0.01);
  EXPECT_LT(j["genuine_max"].get<double>(), j["impostor_min"].get<double>());
  EXPECT_GE(j["threshold"].get<double>(), j["genuine_max"].get<double>() - 0.01);
  const cv::Mat curve = cv::imread((dir_ / "curve.png").string());
  EXPECT_EQ(curve.size(), cv::Size(900, 560));
  CliRun lonely = kioskctl("face calibrate '" + (dir_ / "set/hopper").string() + "'");
  EXPECT_EQ(lonely.rc, 2) << lonely.out;
}

}  // namespace
}  // namespace smzc

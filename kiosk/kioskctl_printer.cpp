// kioskctl printer / print: printer status, a test page, printing a file.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "base/process.h"
#include "certs/render.h"
#include "drivers/printer/printer.h"
#include "kiosk/kioskctl.h"
#include "services/device_checks.h"
#include "services/device_manager.h"

namespace smzc::kioskctl {
namespace {

using nlohmann::json;

json status_json(const printer::PrinterStatus& st) {
  json reasons = json::array();
  for (const auto& r : st.reasons)
    reasons.push_back({{"keyword", r.keyword},
                       {"severity", r.severity == printer::Severity::kError     ? "error"
                                    : r.severity == printer::Severity::kWarning ? "warning"
                                                                                : "report"},
                       {"stops_printing", r.stops_printing},
                       {"technician", r.technician_en}});
  return {{"state", to_string(st.state)}, {"ipp_state", st.ipp_state},
          {"can_print", st.can_print()},  {"media", smzc::to_string(st.media)},
          {"cover_open", st.cover_open},  {"reasons", reasons},
          {"formats", st.formats},        {"media_ready", st.media_ready},
          {"message", st.message}};
}

// The printer a command means (see DeviceArgs).
Result<std::unique_ptr<printer::Printer>> open_printer(const DeviceArgs& args) {
  auto spec = device_spec(DeviceKind::kPrinter, args);
  if (!spec) return spec.error();
  auto device = services::DeviceManager::make_device(spec.value());
  if (!device) return device.error();
  return std::unique_ptr<printer::Printer>(static_cast<printer::Printer*>(device->release()));
}

// Says how a job ended; 0 only when it completed.
int report_job(const printer::JobStatus& job, bool as_json) {
  const std::string why = job.problems();
  if (as_json) {
    std::cout << json{{"job_id", job.job_id},
                      {"state", printer::to_string(job.state)},
                      {"reasons", why}}
                     .dump(2)
              << '\n';
  } else {
    std::cout << "job " << job.job_id << " " << printer::to_string(job.state)
              << (why.empty() ? "" : ": " + why) << '\n';
  }
  return job.state == printer::JobState::kCompleted ? 0 : 1;
}

struct SetupArgs {
  std::string certificate;  ///< device URI of the certificate printer
  std::string receipt;      ///< and of the receipt printer, if there is one
  std::string server;       ///< CUPS scheduler (HOST[:PORT]); empty: this machine's
  bool as_json = false;
};

// Adds (or changes) the CUPS queue `name` for the printer at `device_uri` with lpadmin, the
// scheduler's own tool: enabled, accepting, and passing the kiosk's PDFs to the printer as they
// are (driverless IPP printers take PDF). A job the scheduler cannot deliver is aborted rather
// than stopping the queue for good, so that the terminal sees it end and a retry can print.
Status add_queue(const SetupArgs& args, const std::string& name, const std::string& device_uri,
                 const std::string& description) {
  std::vector<std::string> argv = {"lpadmin"};
  if (!args.server.empty()) argv.insert(argv.end(), {"-h", args.server});
  argv.insert(argv.end(), {"-p", name, "-E", "-v", device_uri, "-D", description, "-o",
                           "printer-error-policy=abort-job"});
  const auto log = std::filesystem::temp_directory_path() /
                   ("kioskctl-lpadmin-" + std::to_string(::getpid()) + ".log");
  auto lpadmin = ChildProcess::start({.argv = argv, .log_path = log});
  if (!lpadmin) return Error{Completion::kUnsupported, "cannot run lpadmin (cups-client)"};
  auto rc = lpadmin->wait_for(std::chrono::seconds(60));
  std::ifstream in(log);
  std::string said((std::istreambuf_iterator<char>(in)), {});
  std::filesystem::remove(log);
  if (!rc) return Error{Completion::kTimeout, "lpadmin did not finish within 60 s"};
  if (rc.value() != 0)
    return Error{Completion::kDeviceNotReady, "lpadmin could not add queue " + name + ": " + said};
  return ok_status();
}

int setup(const SetupArgs& args) {
  std::vector<std::pair<std::string, std::string>> queues = {{"certificate", args.certificate}};
  if (!args.receipt.empty()) queues.emplace_back("receipt", args.receipt);
  json out = json::array();
  int rc = 0;
  for (const auto& [name, device_uri] : queues) {
    const std::string queue_uri = "ipp://" +
                                  (args.server.empty() ? std::string("localhost") : args.server) +
                                  "/printers/" + name;
    json entry = {{"queue", name}, {"device_uri", device_uri}, {"queue_uri", queue_uri}};
    if (auto added = add_queue(args, name, device_uri, "市民之窗 " + name + " printer"); !added) {
      entry["error"] = added.error().message;
      rc = std::max(rc, 2);
    } else if (auto st = printer::IppPrinter(queue_uri).query(); !st) {
      entry["error"] = st.error().message;
      rc = std::max(rc, 1);
    } else {
      entry["status"] = status_json(st.value());
      if (!st->can_print()) rc = std::max(rc, 1);
    }
    out.push_back(entry);
  }
  if (args.as_json) {
    std::cout << json{{"queues", out}}.dump(2) << '\n';
  } else {
    for (const auto& q : out) {
      std::cout << q["queue"].get<std::string>() << ": " << q["queue_uri"].get<std::string>()
                << " -> " << q["device_uri"].get<std::string>() << ": ";
      if (q.contains("error"))
        std::cout << q["error"].get<std::string>() << '\n';
      else
        std::cout << q["status"]["state"].get<std::string>()
                  << (q["status"]["can_print"].get<bool>() ? ", can print" : ", cannot print")
                  << '\n';
    }
  }
  return rc;
}

}  // namespace

void add_printer_commands(CLI::App& app, int& rc) {
  static DeviceArgs device;
  static std::string pdf;
  static bool as_json = false;
  const std::string uri_help = "printer URI (instead of the config's)";
  auto* printer = app.add_subcommand("printer", "certificate printer")->require_subcommand(1);
  auto* status = printer->add_subcommand("status", "printer state and every reason");
  add_device_options(status, device, "--printer", uri_help);
  status->add_flag("--json", as_json, "print JSON");
  status->callback([&rc] {
    auto p = open_printer(device);
    if (!p) {
      rc = fail(2, p.error().message);
      return;
    }
    auto st = p.value()->query();
    if (!st) {
      rc = fail(1, st.error().message);
      return;
    }
    if (as_json) {
      std::cout << status_json(st.value()).dump(2) << '\n';
    } else {
      std::cout << "state: " << to_string(st->state) << " (" << st->technician_message() << ")\n"
                << "paper: " << smzc::to_string(st->media) << (st->cover_open ? ", cover open" : "")
                << '\n'
                << "can print: " << (st->can_print() ? "yes" : "no: " + st->blocking_keyword())
                << '\n';
    }
    rc = st->can_print() ? 0 : 1;
  });

  static SetupArgs setup_args;
  auto* setup_command = printer->add_subcommand(
      "setup", "add the CUPS queues the kiosk prints to (certificate, receipt)");
  setup_command
      ->add_option("--certificate", setup_args.certificate,
                   "device URI of the certificate printer (ipp://PRINTER/ipp/print)")
      ->required();
  setup_command->add_option("--receipt", setup_args.receipt,
                            "device URI of the receipt printer, if there is one");
  setup_command->add_option("--server", setup_args.server,
                            "CUPS scheduler HOST[:PORT] (default: this machine's)");
  setup_command->add_flag("--json", setup_args.as_json, "print JSON");
  setup_command->callback([&rc] { rc = setup(setup_args); });

  auto* test_page = printer->add_subcommand("test-page", "print a test page and wait for it");
  add_device_options(test_page, device, "--printer", uri_help);
  test_page->add_flag("--json", as_json, "print JSON");
  test_page->callback([&rc] {
    auto p = open_printer(device);
    if (!p) {
      rc = fail(2, p.error().message);
      return;
    }
    auto job = services::print_test_page(*p.value(), after(std::chrono::minutes(2)));
    if (!job) {
      rc = fail(1, job.error().message);
      return;
    }
    rc = report_job(job.value(), as_json);
  });

  auto* print = app.add_subcommand("print", "print a PDF and wait for the job to finish");
  print->add_option("file", pdf, "PDF file")->required();
  add_device_options(print, device, "--printer", uri_help);
  print->add_flag("--json", as_json, "print JSON");
  print->callback([&rc] {
    auto p = open_printer(device);
    if (!p) {
      rc = fail(2, p.error().message);
      return;
    }
    auto job =
        services::print_and_follow(*p.value(), pdf, "kioskctl", after(std::chrono::minutes(2)));
    rc = job ? report_job(job.value(), as_json) : fail(1, job.error().message);
  });
}

}  // namespace smzc::kioskctl

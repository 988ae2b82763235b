#include "drivers/printer/ippeve.h"

#include "base/paths.h"

#include <cups/cups.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace smzc::printer {
namespace {

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

Result<std::unique_ptr<IppEvePrinter>> IppEvePrinter::start(const Options& options) {
  std::error_code ec;
  std::filesystem::create_directories(options.spool_dir, ec);
  if (ec) return Error{Completion::kHardwareError, "cannot create " + options.spool_dir.string()};
  auto port = find_free_loopback_port();
  if (!port) return port.error();
  const auto log = options.spool_dir / "ippeveprinter.log";
  const std::string command =
      options.command.empty() ? default_print_command().string() : options.command;
  std::filesystem::remove(options.spool_dir / "fault", ec);
  // -r off: no DNS-SD advertisement of a test printer on the site network.
  auto process = ChildProcess::start(
      {.argv = {"ippeveprinter", "-v", "-r", "off", "-n", "localhost", "-p",
                std::to_string(port.value()), "-d", options.spool_dir.string(), "-k", "-c", command,
                "-f", options.formats, options.name},
       .log_path = log,
       .env = {"SMZC_PRINTER_FAULT=" + (options.spool_dir / "fault").string()}});
  if (!process)
    return Error{
        Completion::kDeviceNotReady,
        "cannot start ippeveprinter (Debian package cups-ipp-utils): " + process.error().message};
  // Up when it accepts connections; given up on when it exits first (it says why in its log).
  Status up = Error{Completion::kTimeout, "ippeveprinter did not listen within 10 s"};
  for (int tries = 0; tries < 500 && process->running(); ++tries) {
    up = wait_for_loopback_port(port.value(), std::chrono::milliseconds(20));
    if (up) break;
  }
  if (!up || !process->running()) {
    std::string why = read_text(log);
    if (why.find("DNS-SD") != std::string::npos)
      why +=
          " (ippeveprinter needs `dbus-daemon --system` and `avahi-daemon` running; "
          "`./dev test` starts them)";
    return Error{Completion::kDeviceNotReady, "ippeveprinter did not come up: " + why};
  }
  return std::unique_ptr<IppEvePrinter>(
      new IppEvePrinter(std::move(process.value()), port.value(), options));
}

std::filesystem::path default_print_command() {
  return data_file("drivers/printer/sim/ippeve-command.sh");
}

Status IppEvePrinter::set_fault(const std::string& reason) {
  // Written whole and renamed, so the print command never reads half a keyword.
  const auto tmp = fault_file().string() + ".new";
  {
    std::ofstream out(tmp);
    out << reason;
    if (!out) return Error{Completion::kHardwareError, "cannot write " + tmp};
  }
  std::error_code ec;
  std::filesystem::rename(tmp, fault_file(), ec);
  if (ec) return Error{Completion::kHardwareError, "cannot write " + fault_file().string()};
  return ok_status();
}

Status IppEvePrinter::set_paper_level(int sheets) {
  // The form sets every tray at once; the envelope tray (3) keeps its stock, or the printer
  // reports it empty too.
  return web_form(
      "/media?size1=iso_a4_210x297mm&type1=stationery&level1=" + std::to_string(sheets) +
      "&size3=na_number-10_4.125x9.5in&type3=envelope&level3=25");
}

Status IppEvePrinter::set_supply_levels(const std::vector<int>& levels) {
  std::string resource = "/supplies?";
  for (size_t i = 0; i < levels.size(); ++i)
    resource += (i ? "&supply" : "supply") + std::to_string(i) + "=" + std::to_string(levels[i]);
  return web_form(resource);
}

Status IppEvePrinter::web_form(const std::string& resource) {
  http_t* http = httpConnect2("127.0.0.1", port_, nullptr, AF_INET, HTTP_ENCRYPTION_IF_REQUESTED, 1,
                              5000, nullptr);
  if (!http) return Error{Completion::kDeviceNotReady, "the printer's web form is unreachable"};
  httpClearFields(http);
  http_status_t status = HTTP_STATUS_ERROR;
  if (httpGet(http, resource.c_str()) == 0) {
    while ((status = httpUpdate(http)) == HTTP_STATUS_CONTINUE) {
    }
    httpFlush(http);
  }
  httpClose(http);
  if (status != HTTP_STATUS_OK)
    return Error{Completion::kHardwareError, resource.substr(0, resource.find('?')) +
                                                 " form answered HTTP " +
                                                 std::to_string(static_cast<int>(status))};
  return ok_status();
}

void IppEvePrinter::kill() {
  process_.stop(std::chrono::milliseconds(0));
}

std::string IppEvePrinter::uri() const {
  return "ipp://127.0.0.1:" + std::to_string(port_) + "/ipp/print";
}

std::vector<std::filesystem::path> IppEvePrinter::received_documents() const {
  std::vector<std::pair<int, std::filesystem::path>> jobs;
  for (const auto& entry : std::filesystem::directory_iterator(options_.spool_dir)) {
    const auto name = entry.path().filename().string();
    const auto dash = name.find('-');
    if (dash == std::string::npos || entry.path().extension() == ".prn" ||
        entry.path().extension() == ".log")
      continue;
    try {
      jobs.emplace_back(std::stoi(name.substr(0, dash)), entry.path());
    } catch (const std::exception&) {
    }
  }
  std::sort(jobs.begin(), jobs.end());
  std::vector<std::filesystem::path> out;
  for (auto& [id, path] : jobs) out.push_back(path);
  return out;
}

}  // namespace smzc::printer

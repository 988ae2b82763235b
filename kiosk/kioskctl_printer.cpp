// kioskctl printer / print: printer status, a test page, printing a file.
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "certs/certificate.h"
#include "drivers/printer/printer.h"
#include "kiosk/kioskctl.h"

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
          {"can_print", st.can_print()},  {"media", printer::to_string(st.media)},
          {"cover_open", st.cover_open},  {"reasons", reasons},
          {"formats", st.formats},        {"media_ready", st.media_ready},
          {"message", st.message}};
}

// Prints `pdf`, waits for the final state; 0 only when the job completed.
int print_and_wait(const std::string& uri, const std::filesystem::path& pdf,
                   const std::string& job_name, bool as_json) {
  printer::IppPrinter p(uri);
  auto id = p.submit(pdf, job_name);
  if (!id) return fail(1, id.error().message);
  auto job = p.wait_for_job(id.value(), std::chrono::minutes(2));
  if (!job) return fail(1, job.error().message);
  std::string why;
  for (const auto& r : job->printer_reasons) why += (why.empty() ? "" : ", ") + r.keyword;
  for (const auto& r : job->reasons)
    if (r != "none" && r != "job-completed-successfully") why += (why.empty() ? "" : ", ") + r;
  if (as_json) {
    std::cout << json{{"job_id", job->job_id}, {"state", job->state}, {"reasons", why}}.dump(2)
              << '\n';
  } else {
    std::cout << "job " << job->job_id << " " << job->state << (why.empty() ? "" : ": " + why)
              << '\n';
  }
  return job->state == "completed" ? 0 : 1;
}

}  // namespace

void add_printer_commands(CLI::App& app, int& rc) {
  static std::string printer_uri = "ipp://localhost/printers/certificate", pdf;
  static bool as_json = false;
  auto* printer = app.add_subcommand("printer", "certificate printer")->require_subcommand(1);
  auto* status = printer->add_subcommand("status", "printer state and every reason");
  status->add_option("--printer", printer_uri, "printer URI")->capture_default_str();
  status->add_flag("--json", as_json, "print JSON");
  status->callback([&rc] {
    auto st = printer::IppPrinter(printer_uri).status();
    if (!st) {
      rc = fail(1, st.error().message);
      return;
    }
    if (as_json) {
      std::cout << status_json(st.value()).dump(2) << '\n';
    } else {
      std::cout << "state: " << to_string(st->state) << " (" << st->technician_message() << ")\n"
                << "paper: " << printer::to_string(st->media)
                << (st->cover_open ? ", cover open" : "") << '\n'
                << "can print: " << (st->can_print() ? "yes" : "no: " + st->citizen_message())
                << '\n';
    }
    rc = st->can_print() ? 0 : 1;
  });

  auto* test_page = printer->add_subcommand("test-page", "print a test page and wait for it");
  test_page->add_option("--printer", printer_uri, "printer URI")->capture_default_str();
  test_page->add_flag("--json", as_json, "print JSON");
  test_page->callback([&rc] {
    certs::Certificate page;
    page.serial = "TEST-" + std::to_string(::getpid());
    page.title = "市民之窗 打印测试页";
    page.issuer = "市民之窗 kioskctl";
    page.issued_at = "";
    page.fields = {{"打印机", printer_uri}, {"说明", "本页用于检查打印质量与中文字体"}};
    page.table_columns = {"灰度", "0%", "25%", "50%", "100%"};
    page.table_rows = {{"样例", "永", "永", "永", "永"}};
    page.verify_payload = page.serial;
    const auto path = std::filesystem::temp_directory_path() / (page.serial + ".pdf");
    if (auto s = certs::render_pdf(page, path); !s) {
      rc = fail(1, s.error().message);
      return;
    }
    rc = print_and_wait(printer_uri, path, "test-page", as_json);
    std::filesystem::remove(path);
  });

  auto* print = app.add_subcommand("print", "print a PDF and wait for the job to finish");
  print->add_option("file", pdf, "PDF file")->required();
  print->add_option("--printer", printer_uri, "printer URI")->capture_default_str();
  print->add_flag("--json", as_json, "print JSON");
  print->callback([&rc] { rc = print_and_wait(printer_uri, pdf, "kioskctl", as_json); });
}

}  // namespace smzc::kioskctl

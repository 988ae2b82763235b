// kioskctl printer / print: printer status and printing a file.
#include <iostream>
#include <nlohmann/json.hpp>

#include "drivers/printer/printer.h"
#include "kiosk/kioskctl.h"

namespace smzc::kioskctl {

void add_printer_commands(CLI::App& app, int& rc) {
  static std::string printer_uri, pdf;
  static bool as_json = false;
  auto* printer = app.add_subcommand("printer", "certificate printer")->require_subcommand(1);
  auto* status = printer->add_subcommand("status", "printer state and reasons");
  status->add_option("--printer", printer_uri, "ipp:// URI")->required();
  status->add_flag("--json", as_json, "print JSON");
  status->callback([&rc] {
    auto st = printer::IppPrinter(printer_uri).status();
    if (!st) {
      rc = fail(1, st.error().message);
      return;
    }
    nlohmann::json j = {{"state", to_string(st->state)},
                        {"ipp_state", st->ipp_state},
                        {"reasons", st->reasons},
                        {"formats", st->formats},
                        {"message", st->message}};
    std::cout << (as_json ? j.dump(2) : j.dump()) << '\n';
  });

  auto* print = app.add_subcommand("print", "print a PDF and wait for the job to finish");
  print->add_option("file", pdf, "PDF file")->required();
  print->add_option("--printer", printer_uri, "ipp:// URI")->required();
  print->callback([&rc] {
    printer::IppPrinter p(printer_uri);
    auto id = p.submit(pdf, "kioskctl");
    if (!id) {
      rc = fail(1, id.error().message);
      return;
    }
    auto job = p.wait_for_job(id.value(), std::chrono::minutes(2));
    if (!job) {
      rc = fail(1, job.error().message);
      return;
    }
    std::cout << "job " << job->job_id << " " << job->state << '\n';
    rc = job->state == "completed" ? 0 : 1;
  });
}

}  // namespace smzc::kioskctl

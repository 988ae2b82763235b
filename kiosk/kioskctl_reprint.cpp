// kioskctl reprint SERIAL --technician NAME --reason TEXT: prints once more a certificate whose
// print is unknown (or that printed, and was lost), as the print ledger allows only on a named
// technician's authority; the authority is journaled, then the certificate is fetched from the
// backend again, verified and printed (docs/kioskctl.md).

#include <spdlog/spdlog.h>
#include <iostream>
#include <nlohmann/json.hpp>

#include "kiosk/kioskctl.h"
#include "services/technician.h"

namespace smzc::kioskctl {
namespace {

using nlohmann::json;

struct ReprintArgs {
  std::string config = "/etc/smzc/kiosk.json";
  std::string serial;
  std::string technician;
  std::string reason;
  bool as_json = false;
};

int reprint(const ReprintArgs& args) {
  spdlog::set_level(spdlog::level::warn);
  auto config = services::load_config(args.config);
  if (!config) return fail(2, config.error().message);
  auto terminal = services::Terminal::open(config.value());
  if (!terminal) return fail(2, terminal.error().message);
  terminal.value()->devices().poll_all();
  auto outcome =
      services::authorised_reprint(*terminal.value(), args.serial, args.technician, args.reason);
  if (!outcome)
    return fail(outcome.code() == Completion::kInvalidData ? 1 : 2, outcome.error().message);
  const bool printed = outcome->status == services::OutcomeStatus::kPrinted;
  if (args.as_json) {
    std::cout << json{{"serial", args.serial},
                      {"application_id", outcome->application_id},
                      {"printed", printed},
                      {"transaction_id", outcome->transaction_id},
                      {"reason", outcome->reason}}
                     .dump(2)
              << '\n';
  } else if (printed) {
    std::cout << args.serial << ": reprinted (authorised by " << args.technician << ")\n";
  } else {
    std::cout << args.serial << ": not reprinted: " << outcome->reason << '\n';
  }
  return printed ? 0 : 1;
}

}  // namespace

void add_reprint_commands(CLI::App& app, int& rc) {
  static ReprintArgs args;
  auto* command = app.add_subcommand(
      "reprint",
      "print once more a certificate whose print is unknown, on a technician's authority");
  command->add_option("serial", args.serial, "the certificate's serial")->required();
  command->add_option("--technician", args.technician, "who authorises it")->required();
  command->add_option("--reason", args.reason, "why (journaled with the name)")->required();
  command->add_option("--config", args.config, "configuration file")->capture_default_str();
  command->add_flag("--json", args.as_json, "print JSON");
  command->callback([&rc] { rc = reprint(args); });
}

}  // namespace smzc::kioskctl

// kioskctl reprint SERIAL --technician NAME --reason TEXT: prints once more a certificate whose
// print is unknown (or that printed, and was lost), as the print ledger allows only on a named
// technician's authority; the authority is journaled, then the certificate is fetched from the
// backend again, verified and printed (docs/kioskctl.md).

#include <spdlog/spdlog.h>
#include <iostream>
#include <nlohmann/json.hpp>

#include "kiosk/kioskctl.h"
#include "services/terminal.h"

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

// The application a transaction applied for, as its journal says (the fetch and verify steps
// name it), with its region when a partner's backend made it.
std::optional<std::pair<std::string, std::string>> application_of(services::Journal& journal,
                                                                  const std::string& txn) {
  auto entries = journal.entries(txn);
  if (!entries) return std::nullopt;
  for (const auto& e : entries.value()) {
    const json detail = json::parse(e.detail, nullptr, false);
    if (detail.is_object() && detail.contains("application_id") &&
        detail["application_id"].is_string() &&
        !detail["application_id"].get<std::string>().empty())
      return std::pair{detail["application_id"].get<std::string>(),
                       detail.value("region_code", std::string())};
  }
  return std::nullopt;
}

int reprint(const ReprintArgs& args) {
  spdlog::set_level(spdlog::level::warn);
  auto config = services::load_config(args.config);
  if (!config) return fail(2, config.error().message);
  auto terminal = services::Terminal::open(config.value());
  if (!terminal) return fail(2, terminal.error().message);
  auto& t = *terminal.value();
  t.devices().poll_all();
  auto entry = t.ledger().find(args.serial);
  if (!entry) return fail(2, entry.error().message);
  if (!entry.value()) return fail(1, "no certificate " + args.serial + " in the print ledger");
  const auto application = application_of(t.journal(), entry.value()->transaction_id);
  if (!application)
    return fail(1, "the journal does not say which application transaction " +
                       entry.value()->transaction_id + " made");
  // The authority first, on disk in the journal and the ledger, then the print.
  const json authority = {{"serial", args.serial},
                          {"technician", args.technician},
                          {"reason", args.reason},
                          {"was", to_string(entry.value()->state)}};
  if (auto s = t.ledger().authorise_reprint(args.serial, args.technician, args.reason); !s)
    return fail(1, s.error().message);
  if (auto s =
          t.journal().append(entry.value()->transaction_id, "reprint.authorised", authority.dump());
      !s)
    spdlog::error("journal: {}", s.error().message);
  const auto outcome = t.engine().print_certificate(application->first, {}, application->second);
  const bool printed = outcome.status == services::OutcomeStatus::kPrinted;
  if (args.as_json) {
    std::cout << json{{"serial", args.serial},
                      {"application_id", application->first},
                      {"printed", printed},
                      {"transaction_id", outcome.transaction_id},
                      {"reason", outcome.reason}}
                     .dump(2)
              << '\n';
  } else if (printed) {
    std::cout << args.serial << ": reprinted (authorised by " << args.technician << ")\n";
  } else {
    std::cout << args.serial << ": not reprinted: " << outcome.reason << '\n';
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

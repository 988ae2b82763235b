// kioskctl logs: the kiosk's recent log lines from its rotated files (config `log_dir`), with the
// fields each one names — transaction, device, error — to filter by. The lines hold masked
// numbers only (docs/kioskctl.md).

#include <iostream>
#include <nlohmann/json.hpp>

#include "kiosk/kioskctl.h"
#include "services/logging.h"

namespace smzc::kioskctl {
namespace {

using nlohmann::json;

struct LogsArgs {
  std::string config = "/etc/smzc/kiosk.json";
  size_t lines = 100;
  std::string level;
  std::string transaction;
  std::string device;
  bool as_json = false;
};

int rank(const std::string& level) {
  for (int i = 0; const char* name : {"trace", "debug", "info", "warning", "error", "critical"}) {
    if (level == name) return i;
    ++i;
  }
  return 0;
}

int logs(const LogsArgs& args) {
  auto config = services::load_config(args.config);
  if (!config) return fail(2, config.error().message);
  // Filtering reads further back than it shows: the last `lines` that match, within the files.
  const bool filtered = !args.level.empty() || !args.transaction.empty() || !args.device.empty();
  const auto all = services::read_logs(config->log_dir, "kiosk",
                                       filtered ? services::kLogFilesKept * 100000 : args.lines);
  std::vector<const services::LogLine*> shown;
  for (const auto& line : all) {
    if (!args.level.empty() && rank(line.level) < rank(args.level)) continue;
    if (!args.transaction.empty() && line.fields.transaction != args.transaction) continue;
    if (!args.device.empty() && line.fields.device != args.device) continue;
    shown.push_back(&line);
  }
  if (shown.size() > args.lines) shown.erase(shown.begin(), shown.end() - args.lines);
  if (args.as_json) {
    json out = json::array();
    for (const auto* l : shown) {
      json j = {{"at", l->at}, {"level", l->level}, {"message", l->message}};
      if (!l->fields.transaction.empty()) j["transaction"] = l->fields.transaction;
      if (!l->fields.device.empty()) j["device"] = l->fields.device;
      if (!l->fields.error.empty()) j["error"] = l->fields.error;
      out.push_back(std::move(j));
    }
    std::cout << out.dump(2) << '\n';
    return 0;
  }
  if (all.empty())
    std::cerr << "no log lines in " << config->log_dir.string()
              << " (the kiosk writes kiosk.log there once it runs)\n";
  for (const auto* l : shown) std::cout << l->at << " [" << l->level << "] " << l->message << '\n';
  return 0;
}

}  // namespace

void add_logs_commands(CLI::App& app, int& rc) {
  static LogsArgs args;
  auto* command = app.add_subcommand("logs", "the kiosk's recent log lines (masked)");
  command->add_option("--config", args.config, "configuration file")->capture_default_str();
  command->add_option("-n,--lines", args.lines, "how many of the last lines")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  command->add_option("--level", args.level, "this level and above")
      ->check(CLI::IsMember({"debug", "info", "warning", "error", "critical"}));
  command->add_option("--transaction", args.transaction, "only lines naming this transaction");
  command->add_option("--device", args.device, "only lines naming this device id");
  command->add_flag("--json", args.as_json, "print JSON");
  command->callback([&rc] { rc = logs(args); });
}

}  // namespace smzc::kioskctl

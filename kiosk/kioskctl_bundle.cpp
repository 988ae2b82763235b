// kioskctl bundle -o FILE.tar.gz: what a technician sends to the vendor when a terminal
// misbehaves — the configuration, the terminal's status, the journal's recent transactions, the
// queue's entries, versions, and the kiosk's recent logs — with nothing of any citizen in it
// (docs/kioskctl.md). The journal and the queue's listing hold no personal data by design; the
// logs hold only masked numbers; the queue's sealed requests and every key stay out.

#include <sys/utsname.h>
#include <unistd.h>

#include <spdlog/spdlog.h>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "base/process.h"
#include "certs/sealing.h"
#include "kiosk/kioskctl.h"
#include "services/forward_queue.h"
#include "services/journal.h"
#include "services/logging.h"

namespace smzc::kioskctl {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

struct BundleArgs {
  std::string config = "/etc/smzc/kiosk.json";
  std::string out;
  size_t transactions = 200;
};

// The latest transactions with every entry.
json journal_json(const TerminalStores& stores, size_t limit) {
  if (!stores.journal) return {{"error", stores.journal_error}};
  const auto& journal = stores.journal;
  json out = json::object();
  if (auto chain = journal->verify())
    out["chain"] = {{"entries", chain->entries}, {"head_seq", chain->head_seq}, {"intact", true}};
  else
    out["chain"] = {{"intact", false}, {"error", chain.error().message}};
  auto ids = journal->transaction_ids();
  if (!ids) return {{"error", ids.error().message}};
  json transactions = json::array();
  const size_t from = ids->size() > limit ? ids->size() - limit : 0;
  for (size_t i = from; i < ids->size(); ++i) {
    auto entries = journal->entries(ids.value()[i]);
    if (!entries) continue;
    json steps = json::array();
    for (const auto& e : entries.value()) steps.push_back(journal_entry_json(e));
    transactions.push_back({{"transaction", ids.value()[i]}, {"entries", steps}});
  }
  out["transactions"] = transactions;
  return out;
}

// The queue's entries as listed: item, state, attempts, the last error; never the sealed request.
json queue_json(const TerminalStores& stores) {
  if (!stores.queue) return {{"error", stores.queue_error}};
  auto entries = stores.queue->list();
  if (!entries) return {{"error", entries.error().message}};
  json out = json::array();
  for (const auto& e : entries.value()) out.push_back(queue_entry_json(e));
  return out;
}

json versions_json() {
  utsname u{};
  ::uname(&u);
  std::ifstream os("/etc/os-release");
  std::string line, pretty;
  while (std::getline(os, line))
    if (line.rfind("PRETTY_NAME=", 0) == 0) pretty = line.substr(12);
  return {{"smzc", SMZC_VERSION},
          {"os", pretty},
          {"kernel", std::string(u.release)},
          {"machine", std::string(u.machine)}};
}

// Runs `argv` and keeps its output in `file` (stderr too); false if it could not run.
bool capture(const std::vector<std::string>& argv, const fs::path& file) {
  auto child = ChildProcess::start({.argv = argv, .log_path = file});
  if (!child) return false;
  auto rc = child->wait_for(std::chrono::seconds(60));
  return rc && rc.value() == 0;
}

int bundle(const BundleArgs& args) {
  spdlog::set_level(spdlog::level::warn);
  auto config = services::load_config(args.config);
  if (!config) return fail(2, config.error().message);
  const fs::path staging =
      fs::temp_directory_path() / ("smzc-bundle-" + std::to_string(::getpid()));
  const fs::path dir = staging / "smzc-bundle";
  std::error_code ec;
  fs::remove_all(staging, ec);
  fs::create_directories(dir, ec);
  if (ec) return fail(2, "cannot make " + dir.string() + ": " + ec.message());
  const auto write = [&dir](const std::string& name, const json& j) {
    std::ofstream(dir / name) << j.dump(2) << '\n';
  };
  // The configuration as written: paths and addresses, no keys (they are files it names).
  std::ifstream config_file(args.config);
  std::ofstream(dir / "kiosk.json") << config_file.rdbuf();
  const TerminalStores stores = open_stores(config.value());
  write("status.json", terminal_status(config.value(), stores));
  write("journal.json", journal_json(stores, args.transactions));
  write("queue.json", queue_json(stores));
  write("versions.json", versions_json());
  // The kiosk's logs of the last two days from journald, where the service logs; already masked.
  if (!capture({"journalctl", "--no-pager", "-u", "smzc-kiosk.service", "--since", "-2d", "-o",
                "short-iso"},
               dir / "kiosk.log"))
    std::ofstream(dir / "kiosk.log", std::ios::app) << "(journalctl gave no logs here)\n";
  // And the rotated file's last lines, which a terminal without journald has alone.
  {
    std::ofstream recent(dir / "kiosk-file.log");
    for (const auto& l : services::read_logs(config->log_dir, "kiosk", 20000))
      recent << l.at << " [" << l.level << "] " << l.message << '\n';
  }

  const fs::path out = fs::absolute(args.out);
  const bool packed = capture({"tar", "-czf", out.string(), "-C", staging.string(), "smzc-bundle"},
                              staging / "tar.log");
  fs::remove_all(staging, ec);
  if (!packed) return fail(2, "cannot write " + out.string());
  std::cout << out.string() << '\n';
  return 0;
}

}  // namespace

void add_bundle_commands(CLI::App& app, int& rc) {
  static BundleArgs args;
  auto* command = app.add_subcommand(
      "bundle",
      "a diagnostics bundle for the vendor: configuration, status, journal, queue, "
      "versions, logs; nothing of any citizen");
  command->add_option("-o,--out", args.out, "the .tar.gz to write")->required();
  command->add_option("--config", args.config, "configuration file")->capture_default_str();
  command->add_option("--transactions", args.transactions, "the latest transactions to include")
      ->capture_default_str();
  command->callback([&rc] { rc = bundle(args); });
}

}  // namespace smzc::kioskctl

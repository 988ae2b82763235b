// smzc-fleet-sim: hundreds of simulated terminals on an MQTT broker, each with its own
// connection and last will, reporting in the terminal's own format (services::render_report).
// For the fleet page's tests, its benchmark and demos. Commands on stdin, one per line:
//   jam ID | paper-out ID | paper-low ID | cover-open ID | reader-gone ID | clear ID
//                     change that terminal's devices and report at once
//   silence ID        stop that terminal's reports (it stays connected: the fleet sees silence)
//   flood N           N timer reports, round the terminals, as fast as the links take them
//                     (the fleet service's throughput)
//   quit              goodbye from every terminal, then exit
// Each command is answered "ok COMMAND ID" once the broker has the report, or "error ...".
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "base/deadline.h"
#include "base/mqtt.h"
#include "services/heartbeat.h"

namespace {

using smzc::DeviceKind;
using smzc::DeviceState;
using smzc::MediaState;
using smzc::services::DeviceEntry;

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct SimTerminal {
  smzc::services::ReportFacts facts;
  std::unique_ptr<smzc::mqtt::Client> link;
  bool silent = false;
};

std::string topic(const std::string& prefix, const SimTerminal& t, const char* leaf) {
  return prefix + "/" + t.facts.site.region_code + "/" + t.facts.terminal_id + "/" + leaf;
}

smzc::Status report(const std::string& prefix, SimTerminal& t, const char* reason) {
  t.facts.reason = reason;
  t.facts.sent_at_ms = now_ms();
  const auto [text, alerts] = smzc::services::render_report(t.facts);
  if (auto s = t.link->keep(topic(prefix, t, "state"), text); !s) return s;
  return t.link->keep(topic(prefix, t, "alerts"), alerts);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"市民之窗 fleet simulator: N terminals reporting to an MQTT broker"};
  int count = 300, interval_s = 60, broker_port = 1883;
  std::string broker = "127.0.0.1", prefix = "smzc/v1", id_prefix = "SMZC-SIM-";
  app.add_option("--terminals", count, "how many")
      ->check(CLI::Range(1, 5000))
      ->capture_default_str();
  app.add_option("--interval", interval_s, "seconds between reports")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  app.add_option("--broker", broker, "the MQTT broker's host")->capture_default_str();
  app.add_option("--broker-port", broker_port, "the MQTT broker's port")->capture_default_str();
  app.add_option("--prefix", prefix, "topic prefix")->capture_default_str();
  app.add_option("--id-prefix", id_prefix, "terminal ids are this and a number")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  // The seeds' district and its partners: 桂城 and Foshan's districts, Guangzhou, a GBA point.
  const char* regions[] = {"440605", "440604", "440606", "440607", "440608", "440105"};
  const char* kinds[] = {"hall", "hall", "bank", "partner"};
  smzc::mqtt::Options options{.host = broker, .port = broker_port};
  std::map<std::string, SimTerminal> terminals;
  std::mutex mutex;
  for (int i = 1; i <= count; ++i) {
    char number[16];
    std::snprintf(number, sizeof number, "%04d", i);
    SimTerminal t;
    auto& f = t.facts;
    f.terminal_id = id_prefix + number;
    f.site.region_code = regions[i % std::size(regions)];
    f.site.kind = kinds[i % std::size(kinds)];
    if (f.site.kind == "bank") f.site.branding = "农商银行";
    f.version = "sim";
    f.interval_s = interval_s;
    f.devices = {
        {"reader",
         DeviceKind::kCardReader,
         "/dev/smzc-idcard",
         {DeviceState::kOnline, MediaState::kCardAbsent}},
        {"printer",
         DeviceKind::kPrinter,
         "ipp://localhost/printers/certificate",
         {DeviceState::kOnline, MediaState::kPaperOk}},
    };
    f.counts.transactions = i * 7;
    f.counts.steps = {{"read_card.done", i * 7}, {"print.done", i * 5}};
    const nlohmann::json lost = {
        {"terminal", f.terminal_id}, {"online", false}, {"reason", "lost"}};
    auto link =
        smzc::mqtt::Client::start("smzc-" + f.terminal_id, options,
                                  smzc::mqtt::Will{topic(prefix, t, "online"), lost.dump()});
    if (!link) {
      std::cerr << "smzc-fleet-sim: " << link.error().message << "\n";
      return 1;
    }
    t.link = std::move(link.value());
    terminals.emplace(f.terminal_id, std::move(t));
  }
  for (auto& [id, t] : terminals) {
    if (auto s = t.link->wait_connected(std::chrono::seconds(30)); !s) {
      std::cerr << "smzc-fleet-sim: " << id << ": " << s.error().message << "\n";
      return 1;
    }
    const nlohmann::json online = {{"terminal", id}, {"online", true}};
    (void)t.link->keep(topic(prefix, t, "online"), online.dump());
    (void)report(prefix, t, "start");
  }
  for (auto& [id, t] : terminals) (void)t.link->flush(std::chrono::seconds(30));
  std::cout << "ready " << terminals.size() << std::endl;

  std::jthread timer([&](std::stop_token stop) {
    while (smzc::sleep_until(smzc::after(std::chrono::seconds(interval_s)), stop)) {
      std::lock_guard lock(mutex);
      for (auto& [id, t] : terminals)
        if (!t.silent) (void)report(prefix, t, "timer");
    }
  });

  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream in(line);
    std::string command, id;
    in >> command >> id;
    if (command == "quit") break;
    std::lock_guard lock(mutex);
    if (command == "flood") {
      const long n = std::strtol(id.c_str(), nullptr, 10);
      auto it = terminals.begin();
      smzc::Status s = smzc::ok_status();
      for (long i = 0; i < n && s; ++i) {
        it->second.facts.reason = "timer";
        it->second.facts.sent_at_ms = now_ms();
        s = it->second.link->publish(topic(prefix, it->second, "state"),
                                     smzc::services::render_report(it->second.facts).first, true);
        if (++it == terminals.end()) it = terminals.begin();
      }
      for (auto& [tid, t] : terminals)
        if (s) s = t.link->flush(std::chrono::seconds(60));
      if (s)
        std::cout << "ok flood " << n << std::endl;
      else
        std::cout << "error " << s.error().message << std::endl;
      continue;
    }
    auto it = terminals.find(id);
    if (it == terminals.end()) {
      std::cout << "error no terminal " << id << std::endl;
      continue;
    }
    SimTerminal& t = it->second;
    auto& printer = t.facts.devices[1].status;
    auto& reader = t.facts.devices[0].status;
    if (command == "jam")
      printer.media = MediaState::kPaperJammed;
    else if (command == "paper-out")
      printer.media = MediaState::kPaperOut;
    else if (command == "paper-low")
      printer.media = MediaState::kPaperLow;
    else if (command == "cover-open")
      printer.cover_open = true;
    else if (command == "reader-gone")
      reader.state = DeviceState::kNoDevice;
    else if (command == "clear") {
      printer = {DeviceState::kOnline, MediaState::kPaperOk};
      reader = {DeviceState::kOnline, MediaState::kCardAbsent};
    } else if (command == "silence") {
      t.silent = true;
      std::cout << "ok " << command << " " << id << std::endl;
      continue;
    } else {
      std::cout << "error unknown command " << command << std::endl;
      continue;
    }
    if (command == "jam") ++t.facts.jams_since_start;
    auto s = report(prefix, t, "change");
    if (s) s = t.link->flush(std::chrono::seconds(10));
    if (s)
      std::cout << "ok " << command << " " << id << std::endl;
    else
      std::cout << "error " << s.error().message << std::endl;
  }
  timer.request_stop();
  timer.join();
  for (auto& [id, t] : terminals) {
    const nlohmann::json stopped = {{"terminal", id}, {"online", false}, {"reason", "stopped"}};
    (void)t.link->publish(topic(prefix, t, "online"), stopped.dump(), true);
  }
  for (auto& [id, t] : terminals) (void)t.link->flush(std::chrono::seconds(5));
  return 0;
}

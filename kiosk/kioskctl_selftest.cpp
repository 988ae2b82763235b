// kioskctl selftest [DEVICE]: each configured device checked end to end without a citizen's
// data — the reader's SAM answers, the printer is ready to print, the camera gives a frame, the
// scanner opens — with how long each took (docs/kioskctl.md).

#include <spdlog/spdlog.h>
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "kiosk/kioskctl.h"
#include "services/device_manager.h"

namespace smzc::kioskctl {
namespace {

using nlohmann::json;

struct SelftestArgs {
  std::string config = "/etc/smzc/kiosk.json";
  std::string id;
  bool as_json = false;
  int timeout_s = 30;
};

// One device made from its specification and tested; what it found.
json test_device(const services::DeviceSpec& spec, std::chrono::seconds timeout) {
  json out = {{"id", spec.id}, {"kind", to_string(spec.kind)}, {"address", spec.address}};
  const auto started = std::chrono::steady_clock::now();
  auto device = services::DeviceManager::make_device(spec);
  // Looked at once first, as the kiosk's supervisor does: that is how a device is found.
  if (device) device.value()->poll(after(timeout));
  Status result = device ? device.value()->self_test(after(timeout), {}) : Status(device.error());
  out["ms"] = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::steady_clock::now() - started)
                  .count();
  out["ok"] = static_cast<bool>(result);
  if (!result) {
    out["error"] = result.error().message;
    out["completion"] = to_string(result.code());
  }
  if (device) {
    const DeviceStatus st = device.value()->status();
    out["state"] = to_string(st.state);
    out["media"] = to_string(st.media);
  }
  return out;
}

int selftest(const SelftestArgs& args) {
  // The devices' own status lines would only repeat what this command prints.
  spdlog::set_level(spdlog::level::warn);
  auto config = services::load_config(args.config);
  if (!config) return fail(2, config.error().message);
  json results = json::array();
  for (const auto& spec : config->devices)
    if (args.id.empty() || spec.id == args.id)
      results.push_back(test_device(spec, std::chrono::seconds(args.timeout_s)));
  if (results.empty())
    return fail(2, args.id.empty() ? "the configuration has no devices"
                                   : "no device \"" + args.id + "\" in " + args.config);
  bool all_ok = true;
  for (const auto& r : results) all_ok = all_ok && r["ok"].get<bool>();
  if (args.as_json) {
    std::cout << json{{"ok", all_ok}, {"devices", results}}.dump(2) << '\n';
    return all_ok ? 0 : 1;
  }
  for (const auto& r : results) {
    std::cout << r["id"].get<std::string>() << " (" << r["kind"].get<std::string>() << ") at "
              << r["address"].get<std::string>() << ": ";
    if (r["ok"].get<bool>())
      std::cout << "passed in " << r["ms"].get<int64_t>() << " ms\n";
    else
      std::cout << "FAILED in " << r["ms"].get<int64_t>()
                << " ms: " << r["error"].get<std::string>() << '\n';
  }
  return all_ok ? 0 : 1;
}

}  // namespace

void add_selftest_commands(CLI::App& app, int& rc) {
  static SelftestArgs args;
  auto* command = app.add_subcommand(
      "selftest", "test each configured device (or the one named) end to end, without a citizen");
  command->add_option("device", args.id, "a device id from the configuration");
  command->add_option("--config", args.config, "configuration file")->capture_default_str();
  command->add_option("--timeout", args.timeout_s, "seconds each device is given")
      ->capture_default_str()
      ->check(CLI::Range(1, 600));
  command->add_flag("--json", args.as_json, "print JSON");
  command->callback([&rc] { rc = selftest(args); });
}

}  // namespace smzc::kioskctl

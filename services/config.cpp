#include "services/config.h"
#include "base/json.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

namespace smzc::services {

namespace {

// A configuration is small; anything larger is not one.
constexpr size_t kMaxConfigBytes = 1 << 20;

Result<std::vector<DeviceSpec>> parse_devices(const nlohmann::json& list,
                                              const std::string& where) {
  if (!list.is_array())
    return Error{Completion::kInvalidData, where + ": devices must be a list of objects"};
  static const std::set<std::string> kKnown = {"id", "kind", "driver", "address", "options"};
  std::vector<DeviceSpec> out;
  std::set<std::string> ids;
  for (const auto& d : list) {
    if (!d.is_object())
      return Error{Completion::kInvalidData, where + ": a device is not an object"};
    for (const auto& [key, value] : d.items())
      if (!kKnown.count(key))
        return Error{Completion::kInvalidData, where + ": devices: unknown key \"" + key + "\""};
    DeviceSpec spec;
    spec.id = d.at("id").get<std::string>();
    auto kind = device_kind_from_string(d.at("kind").get<std::string>());
    if (!kind)
      return Error{Completion::kInvalidData,
                   where + ": device " + spec.id + ": " + kind.error().message};
    spec.kind = kind.value();
    spec.driver = d.at("driver").get<std::string>();
    spec.address = d.value("address", "");
    if (d.contains("options")) {
      const nlohmann::json& options = d.at("options");
      if (!options.is_object())
        return Error{Completion::kInvalidData,
                     where + ": device " + spec.id + ": options must be an object"};
      for (const auto& [name, value] : options.items())
        spec.options[name] = value.is_string() ? value.get<std::string>() : value.dump();
    }
    if (!ids.insert(spec.id).second)
      return Error{Completion::kInvalidData, where + ": two devices with the id " + spec.id};
    // A spec whose driver cannot be made is refused now, not when the kiosk starts.
    if (auto made = DeviceManager::make_device(spec); !made)
      return Error{Completion::kInvalidData, where + ": " + made.error().message};
    out.push_back(std::move(spec));
  }
  return out;
}

}  // namespace

Result<Config> load_config(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{Completion::kInvalidData, "cannot read config " + path.string()};
  std::string text;
  text.resize(kMaxConfigBytes + 1);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > kMaxConfigBytes)
    return Error{Completion::kInvalidData, path.string() + " is larger than 1 MiB"};
  return parse_config(text, path.string());
}

Result<Config> parse_config(const std::string& text, const std::string& where) {
  const std::filesystem::path path = where;
  auto j = parse_json(text);
  if (j.is_discarded() || !j.is_object())
    return Error{Completion::kInvalidData, path.string() + " is not a JSON object"};
  static const std::set<std::string> kKnown = {
      "terminal_id",  "backend_url",        "devices",         "journal",
      "work_dir",     "print_fault_policy", "certificate_key", "catalogue_cache",
      "site",         "partners",           "backend_ca",      "terminal_cert",
      "terminal_key", "forward_queue",      "data_key",        "decision_timeout_ms"};
  for (const auto& [key, value] : j.items())
    if (!kKnown.count(key))
      return Error{Completion::kInvalidData, path.string() + ": unknown key \"" + key + "\""};
  Config c;
  try {
    c.terminal_id = j.value("terminal_id", c.terminal_id);
    c.backend_url = j.value("backend_url", c.backend_url);
    if (j.contains("devices")) {
      auto devices = parse_devices(j.at("devices"), path.string());
      if (!devices) return devices.error();
      c.devices = std::move(devices.value());
    }
    c.journal = j.value("journal", c.journal.string());
    c.work_dir = j.value("work_dir", c.work_dir.string());
    c.print_fault_policy = j.value("print_fault_policy", c.print_fault_policy);
    c.certificate_key = j.value("certificate_key", c.certificate_key.string());
    c.catalogue_cache = j.value("catalogue_cache", c.catalogue_cache.string());
    c.forward_queue = j.value("forward_queue", c.forward_queue.string());
    c.data_key = j.value("data_key", c.data_key.string());
    c.decision_timeout_ms = j.value("decision_timeout_ms", c.decision_timeout_ms);
    c.backend_ca = j.value("backend_ca", std::string());
    c.terminal_cert = j.value("terminal_cert", std::string());
    c.terminal_key = j.value("terminal_key", std::string());
    if (j.contains("site")) {
      const auto& s = j.at("site");
      c.site.kind = s.value("kind", c.site.kind);
      c.site.region_code = s.value("region_code", c.site.region_code);
      c.site.partner_regions = s.value("partner_regions", std::vector<std::string>{});
      c.site.only_items = s.value("only_items", std::vector<std::string>{});
      c.site.hidden_items = s.value("hidden_items", std::vector<std::string>{});
      c.site.branding = s.value("branding", "");
      if (s.contains("devices"))
        return Error{Completion::kInvalidData,
                     path.string() +
                         ": site.devices is gone: the terminal's devices are the "
                         "top-level \"devices\" list"};
    }
    const auto partners = j.value("partners", nlohmann::json::object());  // outlives the loop
    for (const auto& [region, p] : partners.items())
      c.partners[region] = {p.at("backend_url").get<std::string>(),
                            p.at("certificate_key").get<std::string>()};
  } catch (const nlohmann::json::exception& e) {
    return Error{Completion::kInvalidData, path.string() + ": " + e.what()};
  }
  if (c.print_fault_policy != "cancel" && c.print_fault_policy != "hold")
    return Error{Completion::kInvalidData,
                 path.string() + ": print_fault_policy must be \"cancel\" or \"hold\""};
  for (const auto& [region, p] : c.partners)
    if (std::find(c.site.partner_regions.begin(), c.site.partner_regions.end(), region) ==
        c.site.partner_regions.end())
      return Error{Completion::kInvalidData,
                   path.string() + ": partner " + region + " is not in site.partner_regions"};
  if (c.decision_timeout_ms < 0)
    return Error{Completion::kInvalidData, path.string() + ": decision_timeout_ms must be >= 0"};
  c.site.devices.clear();
  for (const auto& d : c.devices) c.site.devices.push_back(to_string(d.kind));
  return c;
}

}  // namespace smzc::services

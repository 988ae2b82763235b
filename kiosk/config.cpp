#include "kiosk/config.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

namespace smzc::kiosk {

Result<Config> load_config(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return Error{Completion::kInvalidData, "cannot read config " + path.string()};
  auto j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return Error{Completion::kInvalidData, path.string() + " is not a JSON object"};
  static const std::set<std::string> kKnown = {
      "terminal_id",   "backend_url", "printer_uri",        "reader_port",     "reader_baud",
      "journal",       "work_dir",    "print_fault_policy", "certificate_key", "catalogue_cache",
      "site",          "partners",    "backend_ca",         "terminal_cert",   "terminal_key",
      "forward_queue", "data_key",    "decision_timeout_ms"};
  for (const auto& [key, value] : j.items())
    if (!kKnown.count(key))
      return Error{Completion::kInvalidData, path.string() + ": unknown key \"" + key + "\""};
  Config c;
  try {
    c.terminal_id = j.value("terminal_id", c.terminal_id);
    c.backend_url = j.value("backend_url", c.backend_url);
    c.printer_uri = j.value("printer_uri", c.printer_uri);
    c.reader_port = j.value("reader_port", c.reader_port);
    c.reader_baud = j.value("reader_baud", c.reader_baud);
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
      c.site.devices = s.value("devices", c.site.devices);
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
  if (c.reader_baud <= 0)
    return Error{Completion::kInvalidData, path.string() + ": reader_baud must be positive"};
  return c;
}

}  // namespace smzc::kiosk

#include "services/config.h"
#include "certs/pin_hash.h"

#include "base/json.h"
#include "base/paths.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string_view>
#include <type_traits>

namespace smzc::services {

namespace {

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
  // A configuration is small; anything larger, or not a plain file, is not one.
  auto text = read_file(path, kMaxConfigBytes);
  if (!text) return Error{Completion::kInvalidData, "configuration: " + text.error().message};
  return parse_config(text.value(), path.string());
}

namespace {

using nlohmann::json;

template <typename T>
const char* kind_of() {
  if constexpr (std::is_same_v<T, std::string>) return "a string";
  if constexpr (std::is_same_v<T, int>) return "a whole number";
  if constexpr (std::is_same_v<T, double>) return "a number";
  if constexpr (std::is_same_v<T, bool>) return "true or false";
  if constexpr (std::is_same_v<T, std::vector<std::string>>) return "a list of strings";
  return "of another type";
}

// Reads `key` of `obj` into `out` when it is there; a value of the wrong type names the key.
template <typename T>
Status read(const json& obj, const std::string& prefix, const char* key, T& out) {
  auto it = obj.find(key);
  if (it == obj.end()) return ok_status();
  // A number that is not whole, or beyond the type, is refused: converting it would be undefined
  // (found by the configuration fuzzer: "decision_timeout_ms": 2e92).
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    if (!whole_number<T>(*it))
      return Error{Completion::kInvalidData, prefix + key + " must be " + kind_of<T>()};
  }
  try {
    out = it->get<T>();
  } catch (const json::exception&) {
    return Error{Completion::kInvalidData, prefix + key + " must be " + kind_of<T>()};
  }
  return ok_status();
}

Status read_path(const json& obj, const std::string& prefix, const char* key,
                 std::filesystem::path& out) {
  std::string text = out.string();
  if (auto s = read(obj, prefix, key, text); !s) return s;
  out = text;
  return ok_status();
}

// A key systemd hands the service ("credential:NAME", from LoadCredentialEncrypted=NAME:FILE):
// the file NAME in $CREDENTIALS_DIRECTORY. Run outside the service (kioskctl over SSH, as root),
// the running kiosk unit's directory is used, whichever of the two units runs it.
Status read_secret_path(const json& obj, const std::string& prefix, const char* key,
                        std::filesystem::path& out) {
  if (auto s = read_path(obj, prefix, key, out); !s) return s;
  constexpr std::string_view kScheme = "credential:";
  const std::string text = out.string();
  if (text.rfind(kScheme, 0) != 0) return ok_status();
  const std::string name = text.substr(kScheme.size());
  if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos)
    return Error{Completion::kInvalidData,
                 prefix + key + ": \"" + text + "\" must name a credential: credential:NAME"};
  if (const char* dir = std::getenv("CREDENTIALS_DIRECTORY"); dir && *dir) {
    out = std::filesystem::path(dir) / name;
    return ok_status();
  }
  out = std::filesystem::path("/run/credentials/smzc-kiosk.service") / name;
  std::error_code ec;
  if (const auto x11 = std::filesystem::path("/run/credentials/smzc-kiosk-x11.service") / name;
      !std::filesystem::exists(out, ec) && std::filesystem::exists(x11, ec))
    out = x11;
  return ok_status();
}

Status known_keys(const json& obj, const std::string& prefix, const std::set<std::string>& known) {
  if (!obj.is_object()) return Error{Completion::kInvalidData, prefix + " must be an object"};
  for (const auto& [key, value] : obj.items())
    if (!known.count(key))
      return Error{Completion::kInvalidData, prefix + ": unknown key \"" + key + "\""};
  return ok_status();
}

bool http_url(const std::string& url) {
  return (url.rfind("http://", 0) == 0 && url.size() > 7) ||
         (url.rfind("https://", 0) == 0 && url.size() > 8);
}

bool region_code(const std::string& code) {
  return code.size() == 6 &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

Result<Config> parse_config(const std::string& text, const std::string& where) {
  auto j = parse_json(text);
  if (j.is_discarded() || !j.is_object())
    return Error{Completion::kInvalidData, where + " is not a JSON object"};
  const std::string at = where + ": ";
  if (auto s = known_keys(j, where,
                          {"terminal_id",
                           "backend_url",
                           "devices",
                           "journal",
                           "work_dir",
                           "print_fault_policy",
                           "certificate_key",
                           "catalogue_cache",
                           "site",
                           "partners",
                           "backend_ca",
                           "terminal_cert",
                           "terminal_key",
                           "forward_queue",
                           "data_key",
                           "decision_timeout_ms",
                           "heartbeat_s",
                           "mqtt",
                           "log_dir",
                           "technicians",
                           "face"});
      !s)
    return s.error();
  Config c;
  for (Status s :
       {read(j, at, "terminal_id", c.terminal_id), read(j, at, "backend_url", c.backend_url),
        read_path(j, at, "journal", c.journal), read_path(j, at, "work_dir", c.work_dir),
        read(j, at, "print_fault_policy", c.print_fault_policy),
        read_path(j, at, "certificate_key", c.certificate_key),
        read_path(j, at, "catalogue_cache", c.catalogue_cache),
        read_path(j, at, "forward_queue", c.forward_queue),
        read_secret_path(j, at, "data_key", c.data_key),
        read(j, at, "decision_timeout_ms", c.decision_timeout_ms),
        read_path(j, at, "backend_ca", c.backend_ca),
        read_path(j, at, "terminal_cert", c.terminal_cert),
        read_secret_path(j, at, "terminal_key", c.terminal_key),
        read(j, at, "heartbeat_s", c.heartbeat_s), read_path(j, at, "log_dir", c.log_dir)})
    if (!s) return s.error();
  if (j.contains("technicians")) {
    const auto& list = j.at("technicians");
    if (!list.is_array() || list.size() > 100)
      return Error{Completion::kInvalidData, at + "technicians must be a list (at most 100)"};
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string in_tech = at + "technicians[" + std::to_string(i) + "].";
      if (auto s =
              known_keys(list[i], at + "technicians[" + std::to_string(i) + "]", {"name", "pin"});
          !s)
        return s.error();
      Config::Technician t;
      for (Status s :
           {read(list[i], in_tech, "name", t.name), read(list[i], in_tech, "pin", t.pin)})
        if (!s) return s.error();
      if (t.name.empty() || t.name.size() > 64)
        return Error{Completion::kInvalidData, in_tech + "name must be 1 to 64 bytes"};
      if (!certs::pin_hash_well_formed(t.pin))
        return Error{Completion::kInvalidData,
                     in_tech +
                         "pin must be a PIN hash from `kioskctl technician hash-pin` "
                         "(pbkdf2-sha256$ITERATIONS$SALT$HASH), never the PIN itself"};
      c.technicians.push_back(std::move(t));
    }
  }
  if (j.contains("face")) {
    const auto& f = j.at("face");
    if (auto s = known_keys(f, at + "face",
                            {"policy", "models", "threshold", "challenge_actions", "photo_decoder",
                             "matcher_plugin", "liveness_plugin"});
        !s)
      return s.error();
    const std::string in_face = at + "face.";
    for (Status s :
         {read(f, in_face, "policy", c.face.policy), read_path(f, in_face, "models", c.face.models),
          read(f, in_face, "threshold", c.face.threshold),
          read(f, in_face, "challenge_actions", c.face.challenge_actions),
          read_path(f, in_face, "matcher_plugin", c.face.matcher_plugin),
          read_path(f, in_face, "liveness_plugin", c.face.liveness_plugin)})
      if (!s) return s.error();
    if (c.face.policy != "local" && c.face.policy != "platform" && c.face.policy != "both")
      return Error{Completion::kInvalidData, in_face + "policy must be local, platform or both"};
    if (c.face.threshold < 0 || c.face.threshold > 2)
      return Error{Completion::kInvalidData,
                   in_face + "threshold must be 0 to 2 (0: the shipped one)"};
    if (c.face.challenge_actions < 0 || c.face.challenge_actions > 3)
      return Error{Completion::kInvalidData, in_face + "challenge_actions must be 0 to 3"};
    if (f.contains("photo_decoder")) {
      const auto& d = f.at("photo_decoder");
      if (auto s =
              known_keys(d, in_face + "photo_decoder", {"library", "symbol", "bgr", "bottom_up"});
          !s)
        return s.error();
      const std::string in_decoder = in_face + "photo_decoder.";
      for (Status s : {read_path(d, in_decoder, "library", c.face.photo_library),
                       read(d, in_decoder, "symbol", c.face.photo_symbol),
                       read(d, in_decoder, "bgr", c.face.photo_bgr),
                       read(d, in_decoder, "bottom_up", c.face.photo_bottom_up)})
        if (!s) return s.error();
      if (c.face.photo_symbol.empty() || c.face.photo_symbol.size() > 64)
        return Error{Completion::kInvalidData, in_decoder + "symbol must be 1 to 64 bytes"};
    }
  }
  if (c.heartbeat_s < 5 || c.heartbeat_s > 3600)
    return Error{Completion::kInvalidData, at + "heartbeat_s must be 5 to 3600 seconds"};
  if (j.contains("mqtt")) {
    const auto& m = j.at("mqtt");
    if (auto s = known_keys(m, at + "mqtt",
                            {"host", "port", "keepalive_s", "topic_prefix", "ca", "cert", "key"});
        !s)
      return s.error();
    const std::string in_mqtt = at + "mqtt.";
    auto& broker = c.mqtt.broker;
    int keepalive_s = static_cast<int>(broker.keepalive.count());
    for (Status s :
         {read(m, in_mqtt, "host", broker.host), read(m, in_mqtt, "port", broker.port),
          read(m, in_mqtt, "keepalive_s", keepalive_s),
          read(m, in_mqtt, "topic_prefix", c.mqtt.topic_prefix),
          read_path(m, in_mqtt, "ca", broker.ca), read_path(m, in_mqtt, "cert", broker.cert),
          read_secret_path(m, in_mqtt, "key", broker.key)})
      if (!s) return s.error();
    if (broker.port < 1 || broker.port > 65535)
      return Error{Completion::kInvalidData, in_mqtt + "port must be 1 to 65535"};
    if (keepalive_s < 5 || keepalive_s > 3600)
      return Error{Completion::kInvalidData, in_mqtt + "keepalive_s must be 5 to 3600 seconds"};
    broker.keepalive = std::chrono::seconds(keepalive_s);
    // Topic levels are split on '/', and '+' and '#' are wildcards: none may be in a name.
    if (c.mqtt.topic_prefix.empty() ||
        c.mqtt.topic_prefix.find_first_of("+#") != std::string::npos ||
        c.mqtt.topic_prefix.back() == '/')
      return Error{Completion::kInvalidData,
                   in_mqtt + "topic_prefix must be topic levels without + or # or a trailing /"};
  }
  if (!c.mqtt.broker.host.empty() && c.terminal_id.find_first_of("/+#") != std::string::npos)
    return Error{Completion::kInvalidData,
                 at + "terminal_id may not hold /, + or #: it names the terminal's MQTT topics"};
  try {
    if (j.contains("devices")) {
      auto devices = parse_devices(j.at("devices"), where);
      if (!devices) return devices.error();
      c.devices = std::move(devices.value());
    }
  } catch (const json::exception&) {
    return Error{Completion::kInvalidData,
                 at + "devices: each needs an id, a kind and a driver, all strings"};
  }
  if (j.contains("site")) {
    const auto& site = j.at("site");
    if (site.is_object() && site.contains("devices"))
      return Error{Completion::kInvalidData,
                   at + "site.devices is gone: the terminal's devices are the top-level "
                        "\"devices\" list"};
    if (auto s = known_keys(
            site, at + "site",
            {"kind", "region_code", "partner_regions", "only_items", "hidden_items", "branding"});
        !s)
      return s.error();
    const std::string in_site = at + "site.";
    for (Status s : {read(site, in_site, "kind", c.site.kind),
                     read(site, in_site, "region_code", c.site.region_code),
                     read(site, in_site, "partner_regions", c.site.partner_regions),
                     read(site, in_site, "only_items", c.site.only_items),
                     read(site, in_site, "hidden_items", c.site.hidden_items),
                     read(site, in_site, "branding", c.site.branding)})
      if (!s) return s.error();
  }
  if (j.contains("partners")) {
    const auto& partners = j.at("partners");
    if (!partners.is_object())
      return Error{Completion::kInvalidData, at + "partners must be an object by region code"};
    for (const auto& [region, p] : partners.items()) {
      const std::string in_partner = at + "partners." + region + ".";
      if (auto s = known_keys(p, at + "partners." + region, {"backend_url", "certificate_key"}); !s)
        return s.error();
      Config::Partner partner;
      for (Status s : {read(p, in_partner, "backend_url", partner.backend_url),
                       read_path(p, in_partner, "certificate_key", partner.certificate_key)})
        if (!s) return s.error();
      if (!http_url(partner.backend_url))
        return Error{Completion::kInvalidData,
                     in_partner + "backend_url must be an http(s):// URL"};
      if (partner.certificate_key.empty())
        return Error{Completion::kInvalidData, in_partner + "certificate_key is required"};
      c.partners[region] = partner;
    }
  }
  if (!http_url(c.backend_url))
    return Error{Completion::kInvalidData, at + "backend_url must be an http(s):// URL"};
  if (c.site.kind != "hall" && c.site.kind != "bank" && c.site.kind != "partner")
    return Error{Completion::kInvalidData,
                 at + "site.kind must be \"hall\", \"bank\" or \"partner\""};
  if (!region_code(c.site.region_code))
    return Error{Completion::kInvalidData, at + "site.region_code must be six digits"};
  for (const auto& r : c.site.partner_regions)
    if (!region_code(r))
      return Error{Completion::kInvalidData,
                   at + "site.partner_regions: " + r + " is not six digits"};
  if (c.print_fault_policy != "cancel" && c.print_fault_policy != "hold")
    return Error{Completion::kInvalidData,
                 at + "print_fault_policy must be \"cancel\" or \"hold\""};
  for (const auto& [region, p] : c.partners)
    if (std::find(c.site.partner_regions.begin(), c.site.partner_regions.end(), region) ==
        c.site.partner_regions.end())
      return Error{Completion::kInvalidData,
                   at + "partner " + region + " is not in site.partner_regions"};
  if (c.decision_timeout_ms < 0)
    return Error{Completion::kInvalidData, at + "decision_timeout_ms must be >= 0"};
  c.site.devices.clear();
  for (const auto& d : c.devices) c.site.devices.push_back(to_string(d.kind));
  return c;
}

}  // namespace smzc::services

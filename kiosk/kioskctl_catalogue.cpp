// kioskctl catalogue show: the service items this terminal offers, from the catalogue it keeps
// (the backend's signed copy, checked against the issuing key the configuration names), so a
// technician sees what the screen lists without touching it (docs/kioskctl.md).

#include <iostream>
#include <nlohmann/json.hpp>

#include "base/paths.h"
#include "certs/signing.h"
#include "kiosk/kioskctl.h"
#include "services/catalogue.h"

namespace smzc::kioskctl {
namespace {

using nlohmann::json;

struct CatalogueArgs {
  std::string config = "/etc/smzc/kiosk.json";
  std::string item;
  std::string language = "zh-CN";
  bool as_json = false;
};

// A kept catalogue is a few hundred kilobytes; anything far larger is not one.
constexpr size_t kMaxCatalogueBytes = 16 << 20;

json item_json(const services::ServiceItem& item, const std::string& language) {
  json fields = json::array(), materials = json::array();
  for (const auto& f : item.form)
    fields.push_back({{"name", f.name},
                      {"label", f.label_in(language)},
                      {"type", f.type},
                      {"required", f.required},
                      {"prefill", f.prefill}});
  for (const auto& m : item.materials)
    materials.push_back({{"name", m.name},
                         {"label", m.label_in(language)},
                         {"source", m.source},
                         {"required", m.required}});
  return {{"code", item.code},
          {"name", item.name(language)},
          {"scope", item.scope},
          {"region_code", item.region_code},
          {"approval", item.approval},
          {"output", item.output},
          {"devices", item.devices},
          {"hours", item.hours},
          {"form", fields},
          {"materials", materials}};
}

int show(const CatalogueArgs& args) {
  auto config = services::load_config(args.config);
  if (!config) return fail(2, config.error().message);
  auto issuer = certs::Sm2Key::from_pem_file(config->certificate_key.string());
  if (!issuer) return fail(2, "issuing key: " + issuer.error().message);
  auto text = read_file(config->catalogue_cache, kMaxCatalogueBytes);
  if (!text)
    return fail(1, "no catalogue kept yet (" + text.error().message +
                       "): the kiosk fetches it from the backend when it starts");
  auto catalogue = services::verified_catalogue(text.value(), issuer.value());
  if (!catalogue)
    return fail(1, config->catalogue_cache.string() + ": " + catalogue.error().message);
  json items = json::array();
  for (const auto& item : catalogue->items)
    if (args.item.empty() || item.code == args.item)
      items.push_back(item_json(item, args.language));
  if (!args.item.empty() && items.empty())
    return fail(1, "no item " + args.item + " in the catalogue");
  if (args.as_json) {
    std::cout << json{{"version", catalogue->version},
                      {"expires_at_ms", catalogue->expires_at_ms},
                      {"items", items}}
                     .dump(2)
              << '\n';
    return 0;
  }
  std::cout << "catalogue " << catalogue->version << ", " << items.size() << " items\n";
  for (const auto& i : items) {
    std::cout << i["code"].get<std::string>() << "  " << i["name"].get<std::string>() << "  ["
              << i["scope"].get<std::string>() << ", " << i["approval"].get<std::string>() << ", "
              << i["hours"].get<std::string>() << "]\n";
    if (!args.item.empty()) {
      for (const auto& f : i["form"])
        std::cout << "  field " << f["name"].get<std::string>() << " ("
                  << f["label"].get<std::string>() << ", " << f["type"].get<std::string>()
                  << (f["required"].get<bool>() ? ", required" : "") << ")\n";
      for (const auto& m : i["materials"])
        std::cout << "  material " << m["name"].get<std::string>() << " ("
                  << m["label"].get<std::string>() << ", " << m["source"].get<std::string>()
                  << ")\n";
    }
  }
  return 0;
}

}  // namespace

void add_catalogue_commands(CLI::App& app, int& rc) {
  static CatalogueArgs args;
  auto* catalogue = app.add_subcommand("catalogue", "the service items this terminal offers");
  catalogue->require_subcommand(1);
  auto* show_command =
      catalogue->add_subcommand("show", "the kept catalogue's items, or one item in full");
  show_command->add_option("item", args.item, "an item code: its form and materials too");
  show_command->add_option("--config", args.config, "configuration file")->capture_default_str();
  show_command->add_option("--language", args.language, "zh-CN, zh-HK or en")
      ->capture_default_str()
      ->check(CLI::IsMember({"zh-CN", "zh-HK", "en"}));
  show_command->add_flag("--json", args.as_json, "print JSON");
  show_command->callback([&rc] { rc = show(args); });
}

}  // namespace smzc::kioskctl

#include "services/catalogue.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>

#include "base/identity.h"
#include "base/json.h"

namespace smzc::services {
namespace {

using nlohmann::json;

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

namespace {
std::string label_for(const std::map<std::string, std::string>& labels, const std::string& label,
                      const std::string& name, const std::string& locale) {
  if (auto it = labels.find(locale); it != labels.end() && !it->second.empty()) return it->second;
  return label.empty() ? name : label;
}
}  // namespace

std::string FormField::label_in(const std::string& locale) const {
  return label_for(labels, label, name, locale);
}

std::string Material::label_in(const std::string& locale) const {
  return label_for(labels, label, name, locale);
}

std::string ServiceItem::name(const std::string& locale) const {
  if (auto it = names.find(locale); it != names.end()) return it->second;
  if (auto it = names.find("zh-CN"); it != names.end()) return it->second;
  return code;
}

std::string Catalogue::category_name(const std::string& category, const std::string& locale) const {
  if (auto names = categories.find(category); names != categories.end())
    if (auto it = names->second.find(locale); it != names->second.end()) return it->second;
  return category;
}

bool ServiceItem::needs(const std::string& device) const {
  return contains(devices, device);
}

bool ServiceItem::accepts(const std::string& card_type) const {
  return identity_documents.empty() || contains(identity_documents, card_type);
}

bool ServiceItem::open_at(const std::string& hhmm) const {
  if (hours.size() != 11) return false;
  const std::string start = hours.substr(0, 5), end = hours.substr(6, 5);
  if (start < end) return hhmm >= start && hhmm < end;
  return hhmm >= start || hhmm < end;  // past midnight, as "22:00-06:00"
}

const ServiceItem* Catalogue::find(const std::string& code) const {
  auto it = std::find_if(items.begin(), items.end(),
                         [&](const ServiceItem& i) { return i.code == code; });
  return it == items.end() ? nullptr : &*it;
}

namespace {

// A form field's pattern is compiled by every terminal: it must be short, and no counted
// repetition may exceed 1,000 (std::regex overflows on {99999999999999999999} and builds a huge
// automaton for large counts; found by the catalogue fuzzer).
std::optional<std::string> pattern_problem(const std::string& pattern) {
  if (pattern.size() > 256) return "is longer than 256 characters";
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '{' || (i > 0 && pattern[i - 1] == '\\')) continue;
    size_t digits = 0;
    long count = 0;
    for (size_t j = i + 1; j < pattern.size() && pattern[j] != '}'; ++j) {
      if (pattern[j] == ',') {
        digits = 0;
        count = 0;
      } else if (pattern[j] >= '0' && pattern[j] <= '9') {
        if (++digits > 4) return "repeats more than 1,000 times";
        count = count * 10 + (pattern[j] - '0');
        if (count > 1000) return "repeats more than 1,000 times";
      } else {
        break;  // not a counted repetition
      }
    }
  }
  return std::nullopt;
}

}  // namespace

Result<Catalogue> verified_catalogue(const std::string& signed_json, const certs::Sm2Key& issuer) {
  auto document = certs::verify_signed_json(signed_json, issuer);
  if (!document) return Error{document.code(), "catalogue: " + document.error().message};
  return parse_catalogue(document.value());
}

Result<Catalogue> parse_catalogue(const std::string& text) {
  json j = parse_json(text);
  if (j.is_discarded() || !j.is_object())
    return Error{Completion::kInvalidData, "catalogue is not a JSON object"};
  try {
    Catalogue cat;
    cat.version = j.at("version").get<std::string>();
    const auto expires = whole_number<int64_t>(j, "expires_at_ms", 0);
    if (!expires)
      return Error{Completion::kInvalidData, "catalogue: expires_at_ms must be a whole number"};
    cat.expires_at_ms = *expires;
    const json regions = j.value("regions", json::object());  // outlives the loop below
    for (const auto& [code, region] : regions.items())
      cat.regions[code] = region.value("name", code);
    cat.categories = j.value("categories", decltype(cat.categories){});
    for (const auto& it : j.at("items")) {
      ServiceItem item;
      item.code = it.at("code").get<std::string>();
      item.names = it.at("names").get<std::map<std::string, std::string>>();
      item.department = it.value("department", "");
      item.category = it.value("category", "");
      item.region_code = it.at("region_code").get<std::string>();
      item.scope = it.value("scope", "local");
      item.identity_documents = it.value("identity_documents", std::vector<std::string>{});
      for (const auto& f : it.value("form", json::array())) {
        item.form.push_back({f.at("name").get<std::string>(), f.value("label", ""),
                             f.value("type", "text"), f.value("required", false),
                             f.value("pattern", ""), f.value("prefill", ""),
                             f.value("labels", std::map<std::string, std::string>{})});
        if (auto problem = pattern_problem(item.form.back().pattern))
          return Error{Completion::kInvalidData, "catalogue: item " + item.code + ", field " +
                                                     item.form.back().name + ": the pattern " +
                                                     *problem};
      }
      for (const auto& m : it.value("materials", json::array()))
        item.materials.push_back({m.at("name").get<std::string>(), m.value("label", ""),
                                  m.value("source", "scan"), m.value("required", false),
                                  m.value("labels", std::map<std::string, std::string>{})});
      item.approval = it.value("approval", "instant");
      item.output =
          it.contains("output") ? it["output"].value("kind", "certificate") : "certificate";
      item.devices = it.value("devices", std::vector<std::string>{});
      item.hours = it.value("hours", "00:00-24:00");
      static const std::regex kHours(
          "([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]|"
          "([01][0-9]|2[0-3]):[0-5][0-9]-24:00");
      if (!std::regex_match(item.hours, kHours))
        return Error{Completion::kInvalidData, "catalogue: item " + item.code + " has hours \"" +
                                                   item.hours + "\", not HH:MM-HH:MM"};
      item.store_and_forward = it.value("store_and_forward", false);
      item.face_check = it.value("face_check", false);
      if (it.contains("face_policy")) {
        item.face_policy = face_policy_from_string(it["face_policy"].get<std::string>());
        if (!item.face_policy)
          return Error{
              Completion::kInvalidData,
              "catalogue: item " + item.code + ": face_policy must be local, platform or both"};
      }
      // A face check needs the face camera, whatever the item's device list forgot.
      if (item.face_check && !item.needs("camera")) item.devices.push_back("camera");
      cat.items.push_back(std::move(item));
    }
    return cat;
  } catch (const json::exception& e) {
    return Error{Completion::kInvalidData, std::string("catalogue: ") + e.what()};
  }
}

const char* to_string(FacePolicy policy) {
  switch (policy) {
    case FacePolicy::kLocal:
      return "local";
    case FacePolicy::kPlatform:
      return "platform";
    case FacePolicy::kBoth:
      return "both";
  }
  return "?";
}

std::optional<FacePolicy> face_policy_from_string(std::string_view name) {
  static const FacePolicy kAll[] = {FacePolicy::kLocal, FacePolicy::kPlatform, FacePolicy::kBoth};
  return from_string(name, kAll);
}

int compare_versions(const std::string& a, const std::string& b) {
  auto numbers = [](const std::string& v) {
    std::vector<long> out;
    long n = 0;
    bool any = false;
    for (char c : v) {
      if (c >= '0' && c <= '9') {
        n = std::min(n * 10 + (c - '0'), 1000000000L);
        any = true;
      } else if (c == '.') {
        out.push_back(n);
        n = 0;
        any = false;
      }
    }
    if (any || !out.empty()) out.push_back(n);
    return out;
  };
  const auto x = numbers(a), y = numbers(b);
  for (size_t i = 0; i < std::max(x.size(), y.size()); ++i) {
    const long p = i < x.size() ? x[i] : 0, q = i < y.size() ? y[i] : 0;
    if (p != q) return p < q ? -1 : 1;
  }
  return 0;
}

const char* to_string(Problem::Kind kind) {
  switch (kind) {
    case Problem::Kind::kRequired:
      return "required";
    case Problem::Kind::kMalformed:
      return "malformed";
    case Problem::Kind::kNotInLibrary:
      return "not_in_library";
    case Problem::Kind::kScanMissing:
      return "scan_missing";
  }
  return "unknown";
}

std::vector<Problem> check_form(const ServiceItem& item,
                                const std::map<std::string, std::string>& values) {
  std::vector<Problem> problems;
  for (const auto& f : item.form) {
    const auto it = values.find(f.name);
    const std::string value = it == values.end() ? "" : it->second;
    const std::string label = f.label.empty() ? f.name : f.label;
    if (value.empty()) {
      if (f.required) problems.push_back({Problem::Kind::kRequired, f.name, label});
      continue;
    }
    std::string pattern = f.pattern;
    if (pattern.empty() && f.type == "phone") pattern = "1[3-9][0-9]{9}";
    bool ok = true;
    if (!pattern.empty()) {
      try {
        ok = std::regex_match(value, std::regex(pattern, std::regex::ECMAScript));
      } catch (const std::regex_error&) {
        ok = false;  // a catalogue with a broken pattern accepts nothing rather than anything
      }
    }
    if (ok && f.type == "id_number") {
      IdentityCard card;
      card.id_number = value;
      card.type = card_type_of_number(value);
      ok = valid_id_number(card);
    }
    if (!ok) problems.push_back({Problem::Kind::kMalformed, f.name, label});
  }
  return problems;
}

bool offered_at(const ServiceItem& item, const SiteProfile& site) {
  const bool own = item.region_code == site.region_code;
  const bool partner = contains(site.partner_regions, item.region_code) && item.scope != "local";
  if (!own && !partner) return false;
  if (!site.only_items.empty() && !contains(site.only_items, item.code)) return false;
  if (contains(site.hidden_items, item.code)) return false;
  return std::all_of(item.devices.begin(), item.devices.end(),
                     [&](const std::string& d) { return contains(site.devices, d); });
}

Catalogue offered_at(const Catalogue& catalogue, const SiteProfile& site) {
  Catalogue out = catalogue;
  out.items.clear();
  for (const auto& item : catalogue.items)
    if (offered_at(item, site)) out.items.push_back(item);
  return out;
}

}  // namespace smzc::services

#include "certs/template.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "base/json.h"
#include "base/paths.h"

namespace smzc::certs {

using nlohmann::json;

namespace {

constexpr size_t kMaxTemplateBytes = 64 * 1024;

// Reads the members of one object, refusing keys it does not know; errors name the key by its
// path ("table.widths").
class Reader {
 public:
  Reader(const json& object, std::string path) : object_(object), path_(std::move(path)) {}

  Status check_known(std::initializer_list<const char*> known) const {
    if (!object_.is_object())
      return Error{Completion::kInvalidData, where("") + "is not an object"};
    const std::set<std::string> names(known.begin(), known.end());
    for (const auto& [key, value] : object_.items())
      if (!names.count(key)) return Error{Completion::kInvalidData, "unknown key " + where(key)};
    return ok_status();
  }
  template <typename T>
  Status get(const char* key, T& out) const {
    if (!object_.contains(key)) return ok_status();
    try {
      out = object_.at(key).get<T>();
    } catch (const json::exception&) {
      return Error{Completion::kInvalidData, where(key) + " has the wrong type"};
    }
    return ok_status();
  }
  Reader child(const char* key) const { return {object_.value(key, json::object()), where(key)}; }
  bool has(const char* key) const { return object_.contains(key); }
  const json& at(const char* key) const { return object_.at(key); }

 private:
  std::string where(const std::string& key) const {
    if (key.empty()) return path_.empty() ? "the template " : path_ + " ";
    return path_.empty() ? key : path_ + "." + key;
  }
  json object_;  // a copy: child() hands out members of a temporary
  std::string path_;
};

Status first_error(std::initializer_list<Status> statuses) {
  for (const auto& s : statuses)
    if (!s) return s;
  return ok_status();
}

bool valid_name(const std::string& name) {
  static const std::regex pattern("[a-z0-9][a-z0-9-]{0,63}");
  return std::regex_match(name, pattern);
}

Result<json> read_template_json(const std::string& name, const std::filesystem::path& dir) {
  if (!valid_name(name))
    return Error{Completion::kInvalidData, "template name \"" + name + "\" is not [a-z0-9-]"};
  auto text = read_file(dir / (name + ".json"), kMaxTemplateBytes);
  if (!text) return Error{text.code(), "template " + name + ": " + text.error().message};
  json j = parse_json(text.value());
  if (j.is_discarded() || !j.is_object())
    return Error{Completion::kInvalidData, "template " + name + " is not a JSON object"};
  return j;
}

Result<Template> from_json(const json& j) {
  Template t;
  Reader top(j, "");
  auto page = top.child("page");
  auto fonts = top.child("fonts");
  auto fields = top.child("fields");
  auto table = top.child("table");
  auto qr = top.child("qr");
  std::vector<double> margins;
  Status s =
      first_error({top.check_known({"format", "name", "extends", "document", "page", "fonts",
                                    "subtitle", "holder", "fields", "table", "notes", "date_label",
                                    "seal", "qr", "key_fields", "footer", "page_numbers"}),
                   top.get("name", t.name),
                   top.get("document", t.document),
                   top.get("subtitle", t.subtitle),
                   top.get("notes", t.notes),
                   top.get("date_label", t.date_label),
                   top.get("key_fields", t.key_fields),
                   top.get("footer", t.footer),
                   top.get("page_numbers", t.page_numbers),
                   page.check_known({"size", "landscape", "margins_mm"}),
                   page.get("size", t.page_size),
                   page.get("landscape", t.landscape),
                   page.get("margins_mm", margins),
                   fonts.check_known({"title", "body", "label", "table", "table_header", "small"}),
                   fonts.get("title", t.title_font),
                   fonts.get("body", t.body_font),
                   fonts.get("label", t.label_font),
                   fonts.get("table", t.table_font),
                   fonts.get("table_header", t.table_header_font),
                   fonts.get("small", t.small_font),
                   fields.check_known({"columns", "label_width_mm", "rules"}),
                   fields.get("columns", t.field_columns),
                   fields.get("label_width_mm", t.label_width_mm),
                   fields.get("rules", t.field_rules),
                   table.check_known({"caption", "widths", "align", "repeat_header", "empty"}),
                   table.get("caption", t.table_caption),
                   table.get("widths", t.table_widths),
                   table.get("align", t.table_align),
                   table.get("repeat_header", t.repeat_table_header),
                   table.get("empty", t.table_empty),
                   qr.check_known({"size_mm", "caption"}),
                   qr.get("size_mm", t.qr_mm),
                   qr.get("caption", t.qr_caption)});
  if (!s) return s.error();
  // "holder": null names no holder; an object renames its rows.
  if (top.has("holder")) {
    if (top.at("holder").is_null()) {
      t.holder_name_label.clear();
      t.holder_id_label.clear();
    } else {
      auto holder = top.child("holder");
      if (auto h = first_error({holder.check_known({"name_label", "id_label"}),
                                holder.get("name_label", t.holder_name_label),
                                holder.get("id_label", t.holder_id_label)});
          !h)
        return h.error();
    }
  }
  // "seal": false prints none (a receipt); an object describes it.
  if (top.has("seal")) {
    if (top.at("seal").is_boolean()) {
      t.seal.present = top.at("seal").get<bool>();
    } else {
      auto seal = top.child("seal");
      if (auto h = first_error({seal.check_known({"text", "label", "code", "diameter_mm", "color"}),
                                seal.get("text", t.seal.text), seal.get("label", t.seal.label),
                                seal.get("code", t.seal.code),
                                seal.get("diameter_mm", t.seal.diameter_mm),
                                seal.get("color", t.seal.color)});
          !h)
        return h.error();
    }
  }
  if (!margins.empty()) {
    if (margins.size() != 4)
      return Error{Completion::kInvalidData,
                   "page.margins_mm needs 4 numbers (top right bottom left)"};
    t.margin_top_mm = margins[0];
    t.margin_right_mm = margins[1];
    t.margin_bottom_mm = margins[2];
    t.margin_left_mm = margins[3];
  }
  if (t.page_size != "A4" && t.page_size != "A5")
    return Error{Completion::kInvalidData, "page.size must be A4 or A5"};
  if (t.field_columns != 1 && t.field_columns != 2)
    return Error{Completion::kInvalidData, "fields.columns must be 1 or 2"};
  for (double m : {t.margin_top_mm, t.margin_right_mm, t.margin_bottom_mm, t.margin_left_mm})
    if (m < 5 || m > 40) return Error{Completion::kInvalidData, "page.margins_mm out of 5..40"};
  if (t.label_width_mm < 10 || t.label_width_mm > 80)
    return Error{Completion::kInvalidData, "fields.label_width_mm out of 10..80"};
  if (t.qr_mm < 18 || t.qr_mm > 60)
    return Error{Completion::kInvalidData, "qr.size_mm out of 18..60 (smaller does not scan)"};
  if (t.seal.diameter_mm < 20 || t.seal.diameter_mm > 60)
    return Error{Completion::kInvalidData, "seal.diameter_mm out of 20..60"};
  for (double w : t.table_widths)
    if (!(w > 0 && w < 100)) return Error{Completion::kInvalidData, "table.widths must be > 0"};
  for (const auto& a : t.table_align)
    if (a != "left" && a != "center" && a != "right")
      return Error{Completion::kInvalidData, "table.align: \"" + a + "\" is not left|center|right"};
  if (t.name.empty()) return Error{Completion::kInvalidData, "the template has no name"};
  return t;
}

}  // namespace

Result<Template> parse_template(const std::string& text, const std::filesystem::path& dir) {
  if (text.size() > kMaxTemplateBytes)
    return Error{Completion::kInvalidData, "template larger than 64 KiB"};
  json j = parse_json(text);
  if (j.is_discarded() || !j.is_object())
    return Error{Completion::kInvalidData, "template is not a JSON object"};
  if (j.contains("format") && j["format"] != "smzc-template/1")
    return Error{Completion::kInvalidData, "template format is not smzc-template/1"};
  if (j.contains("extends")) {
    if (!j["extends"].is_string())
      return Error{Completion::kInvalidData, "extends has the wrong type"};
    auto base = read_template_json(j["extends"].get<std::string>(), dir);
    if (!base) return base.error();
    if (base->contains("extends"))
      return Error{Completion::kInvalidData, "template " + j["extends"].get<std::string>() +
                                                 " extends another; one level only"};
    json merged = base.value();
    merged.merge_patch(j);
    // merge_patch drops members set to null; "holder": null means "no holder" here.
    if (j.contains("holder") && j["holder"].is_null()) merged["holder"] = nullptr;
    merged.erase("extends");
    return from_json(merged);
  }
  return from_json(j);
}

std::filesystem::path default_template_dir() {
  return data_file("certs/templates");
}

Result<Template> load_template(const std::string& name, const std::filesystem::path& dir) {
  auto j = read_template_json(name, dir);
  if (!j) return j.error();
  auto t = parse_template(j->dump(), dir);
  if (!t) return Error{t.code(), "template " + name + ": " + t.error().message};
  if (t->name != name)
    return Error{Completion::kInvalidData, "template " + name + " calls itself " + t->name};
  return t;
}

std::vector<std::string> template_names(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
    if (entry.path().extension() == ".json") names.push_back(entry.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace smzc::certs

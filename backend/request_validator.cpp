#include "backend/request_validator.h"

#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "base/json.h"
#include "base/paths.h"

namespace smzc::backend {
namespace {

using nlohmann::json;

// YAML as JSON: plain scalars are read as the booleans and numbers they spell, quoted ones stay
// text (a schema's "200" or "^[0-9]{6}$" must not become something else).
json to_json(const YAML::Node& node, int depth = 0) {
  if (depth > 64) throw std::runtime_error("the description nests too deep");
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      json out = json::object();
      for (const auto& entry : node)
        out[entry.first.as<std::string>()] = to_json(entry.second, depth + 1);
      return out;
    }
    case YAML::NodeType::Sequence: {
      json out = json::array();
      for (const auto& item : node) out.push_back(to_json(item, depth + 1));
      return out;
    }
    case YAML::NodeType::Scalar: {
      const std::string text = node.Scalar();
      if (node.Tag() == "!") return text;  // quoted
      if (text == "true") return true;
      if (text == "false") return false;
      static const std::regex kInteger("-?[0-9]+"), kDecimal("-?[0-9]+\\.[0-9]+");
      if (std::regex_match(text, kInteger)) return std::stoll(text);
      if (std::regex_match(text, kDecimal)) return std::stod(text);
      return text;
    }
    default:
      return nullptr;
  }
}

}  // namespace

struct RequestValidator::Operation {
  std::string method;
  std::string path_template;  // /v1/applications/{id}/reprint
  std::regex path;            // the template with each {name} as one segment
  valijson::Schema schema;
};

Result<std::shared_ptr<const RequestValidator>> RequestValidator::load(
    const std::filesystem::path& yaml) {
  std::shared_ptr<RequestValidator> validator(new RequestValidator());
  try {
    const json description = to_json(YAML::LoadFile(yaml.string()));
    const json components = description.at("components");
    for (const auto& [path, item] : description.at("paths").items())
      for (const auto& [method, operation] : item.items()) {
        if (!operation.is_object() || !operation.contains("requestBody")) continue;
        const json& schema =
            operation["requestBody"].at("content").at("application/json").at("schema");
        // The operation's schema as the root of a document that carries the components, so its
        // $refs (#/components/schemas/…) resolve as they do in the description.
        const json document = {{"allOf", json::array({schema})}, {"components", components}};
        auto op = std::make_unique<Operation>();
        op->method = method;
        for (auto& c : op->method) c = static_cast<char>(std::toupper(c));
        op->path_template = path;
        op->path = std::regex(std::regex_replace(path, std::regex("\\{[^}]+\\}"), "[^/]+"));
        valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
        valijson::adapters::NlohmannJsonAdapter adapter(document);
        parser.populateSchema(adapter, op->schema);
        validator->operations_.push_back(std::move(op));
      }
  } catch (const std::exception& e) {
    return Error{Completion::kInvalidData,
                 "the protocol description " + yaml.string() + " cannot be used: " + e.what()};
  }
  return std::shared_ptr<const RequestValidator>(std::move(validator));
}

RequestValidator::~RequestValidator() = default;

std::optional<std::string> RequestValidator::problem(const std::string& method,
                                                     const std::string& path,
                                                     const std::string& body) const {
  for (const auto& op : operations_) {
    if (op->method != method || !std::regex_match(path, op->path)) continue;
    const json document = parse_json(body);
    if (document.is_discarded()) return "the body is not JSON (or nests deeper than 32)";
    // One validator per worker thread: it keeps the patterns it has compiled (std::regex is slow
    // to build, and every application carries a few).
    thread_local valijson::Validator validator;
    valijson::ValidationResults results;
    valijson::adapters::NlohmannJsonAdapter target(document);
    if (validator.validate(op->schema, target, &results)) return std::nullopt;
    // The deepest error says most: "applicant.id_number: …".
    valijson::ValidationResults::Error error, deepest;
    while (results.popError(error))
      if (error.context.size() >= deepest.context.size()) deepest = error;
    std::string where;
    for (const auto& step : deepest.context) {
      if (step == "<root>") continue;
      std::string name = step;
      if (name.size() > 2 && name.front() == '[' && name.back() == ']')
        name = name.substr(1, name.size() - 2);
      where += (where.empty() ? "" : ".") + name;
    }
    return (where.empty() ? "the body" : where) + ": " + deepest.description;
  }
  return std::nullopt;
}

std::vector<std::string> RequestValidator::operations() const {
  std::vector<std::string> out;
  for (const auto& op : operations_) out.push_back(op->method + " " + op->path_template);
  return out;
}

std::filesystem::path default_description_path() {
  return data_file("docs/backend-openapi.yaml");
}

}  // namespace smzc::backend

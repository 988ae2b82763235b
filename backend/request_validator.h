// Requests checked against the protocol's own description: the JSON schema of each operation's
// request body in docs/backend-openapi.yaml, applied in one place before any route reads a body.
// What the description says and what the reference backend accepts cannot drift apart.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace smzc::backend {

class RequestValidator {
 public:
  /// Reads the description (OpenAPI 3.1, YAML) and prepares a schema per operation that takes a
  /// JSON body. A description that cannot be read or whose schemas do not parse is an error.
  static Result<std::shared_ptr<const RequestValidator>> load(const std::filesystem::path& yaml);
  ~RequestValidator();

  /// Why `body` is not what the operation (`method` on the concrete `path`) takes, naming where
  /// ("applicant.id_number: …"); nothing when it is, or when the operation takes no JSON body.
  /// `body` is parsed with the protocol's depth limit first.
  std::optional<std::string> problem(const std::string& method, const std::string& path,
                                     const std::string& body) const;
  /// Operations with a request schema ("POST /v1/applications", …).
  std::vector<std::string> operations() const;

 private:
  struct Operation;
  RequestValidator() = default;
  std::vector<std::unique_ptr<Operation>> operations_;
};

/// docs/backend-openapi.yaml below the data folder (the source tree, or SMZC_DATA_DIR).
std::filesystem::path default_description_path();

}  // namespace smzc::backend

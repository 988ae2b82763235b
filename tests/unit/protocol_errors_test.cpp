// The protocol's error vocabulary: one table in code, the same list in the description, and the
// terminal reads what a backend sends.
#include <gtest/gtest.h>

#include <set>

#include "base/protocol_errors.h"
#include "services/backend_replies.h"
#include "tests/support/test_support.h"

namespace smzc {
namespace {

// The ErrorCode enum of docs/backend-openapi.yaml, in its order.
std::vector<std::string> described_codes() {
  const std::string yaml = testing::read_file(testing::source_dir() / "docs/backend-openapi.yaml");
  const auto schema = yaml.find("    ErrorCode:");
  const auto list = yaml.find("enum: [", schema);
  std::vector<std::string> codes;
  if (schema == std::string::npos || list == std::string::npos) return codes;
  std::string item;
  for (size_t i = list + 7; i < yaml.size() && yaml[i] != ']'; ++i) {
    if (yaml[i] == ',') {
      codes.push_back(item);
      item.clear();
    } else if (yaml[i] != ' ') {
      item += yaml[i];
    }
  }
  if (!item.empty()) codes.push_back(item);
  return codes;
}

TEST(ProtocolErrors, TheDescriptionListsExactlyTheCodesInTheTable) {
  std::vector<std::string> table;
  for (const auto& e : protocol_errors()) table.emplace_back(e.code);
  EXPECT_EQ(described_codes(), table);
}

TEST(ProtocolErrors, EachCodeHasOneStatusAndIsFoundByName) {
  std::set<std::string_view> seen;
  for (const auto& e : protocol_errors()) {
    EXPECT_TRUE(seen.insert(e.code).second) << e.code;
    EXPECT_GE(e.status, 400);
    EXPECT_LT(e.status, 600);
    EXPECT_EQ(protocol_error_from_code(e.code), e.error);
    EXPECT_EQ(info(e.error).code, e.code);
  }
  EXPECT_FALSE(protocol_error_from_code("invalid_json"));
}

TEST(ProtocolErrors, TheTerminalNamesTheCodeAndOnlyAKnownOne) {
  using services::describe_http_error;
  EXPECT_EQ(describe_http_error(
                422, R"({"error":{"code":"idempotency-key-reused","message":"used before"}})"),
            "HTTP 422 idempotency-key-reused: used before");
  EXPECT_EQ(describe_http_error(400, R"({"error":{"code":"<script>","message":"m"}})"),
            "HTTP 400: m");
  EXPECT_EQ(describe_http_error(502, "<html>bad gateway</html>"), "HTTP 502");
  EXPECT_EQ(services::error_code_of(R"({"error":{"code":"unknown-item","message":""}})"),
            ProtocolError::kUnknownItem);
}

}  // namespace
}  // namespace smzc

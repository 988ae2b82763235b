// Instant-approval rules (秒批) of the reference backend: what a service item's "rules" demand of
// an applicant, and the reasons it gives when they are not met. Pure functions, no I/O.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace smzc::backend {

struct RuleReason {
  std::string code;     ///< e.g. "expired-id", "too-young", "not-resident", "missing-material"
  std::string message;  ///< for the citizen, in Chinese
};

/// Checks `applicant` ({"id_number", "name", "valid_to", "birth_date"?, "materials"?: [names],
/// "form"?: {...}}) against `item` (a catalogue item) on `today` (YYYYMMDD). A member of the wrong
/// type throws nlohmann::json::exception, which the backend answers with 400.
std::vector<RuleReason> check_rules(const nlohmann::json& item, const nlohmann::json& applicant,
                                    const std::string& today);

/// The reference e-licence library (免证办): the reference of `material` for this ID number, or
/// nothing when the library holds none (it holds licences for mainland resident ID holders).
std::optional<std::string> elicense_reference(const std::string& id_number,
                                              const std::string& material);

/// Whole years between `birth` and `today`, both YYYYMMDD; -1 when either is malformed.
int age_on(const std::string& birth, const std::string& today);

}  // namespace smzc::backend

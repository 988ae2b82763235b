// libFuzzer target: the service catalogue as a terminal parses it (after its signature holds, but
// a backend may still send anything), and the instant-approval rules as the reference backend
// applies an item's rules to an applicant's request. Anything gives an answer or a clear error,
// never a crash.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "backend/rules.h"
#include "base/json.h"
#include "services/catalogue.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  auto catalogue = smzc::services::parse_catalogue(input);
  if (catalogue) {
    for (const auto& item : catalogue->items) {
      (void)item.name("en");
      (void)item.open_at("12:00");
      std::map<std::string, std::string> form;
      for (const auto& field : item.form) form[field.name] = "440605199003072315";
      (void)smzc::services::check_form(item, form);
    }
  }
  // The same text as a catalogue item's rules applied to a fixed applicant, and as an applicant
  // against a fixed item.
  const nlohmann::json j = smzc::parse_json(input);
  if (j.is_object()) {
    const nlohmann::json applicant = {{"id_number", "440605199003072315"},
                                      {"name", "陈晓明"},
                                      {"valid_to", "20400101"},
                                      {"birth_date", "19900307"},
                                      {"form", {{"phone", "13812345678"}}}};
    const nlohmann::json item = {
        {"code", "NH-SB-0001"},
        {"rules",
         {{"id_valid", true}, {"not_expired", true}, {"min_age", 18}, {"resident_of", "4406"}}},
        {"materials", nlohmann::json::array()}};
    // A badly typed request or rule throws (the JSON library's exception, or invalid_argument for
    // an age that is not a whole number), which the backend's route answers with 400 as every
    // route does; anything else escaping is a bug.
    for (const auto& [it, who] : {std::pair{&j, &applicant}, std::pair{&item, &j}}) {
      try {
        (void)smzc::backend::check_rules(*it, *who, "20261123");
      } catch (const nlohmann::json::exception&) {
      } catch (const std::invalid_argument&) {
      }
    }
  }
  return 0;
}

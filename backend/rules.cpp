#include "backend/rules.h"

#include <stdexcept>

#include "base/json.h"

#include <algorithm>

#include "base/identity.h"
#include "certs/signing.h"

namespace smzc::backend {
namespace {

bool digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::optional<std::string> elicense_reference(const std::string& id_number,
                                              const std::string& material) {
  if (card_type_of_number(id_number) != CardType::kResident) return std::nullopt;
  return "EL-" + material + "-" + certs::sm3_hex(id_number + material).substr(0, 12);
}

int age_on(const std::string& birth, const std::string& today) {
  if (birth.size() != 8 || today.size() != 8 || !digits(birth) || !digits(today)) return -1;
  int age = std::stoi(today.substr(0, 4)) - std::stoi(birth.substr(0, 4));
  if (today.substr(4) < birth.substr(4)) --age;  // birthday not reached yet this year
  return age;
}

std::vector<RuleReason> check_rules(const nlohmann::json& item, const nlohmann::json& applicant,
                                    const std::string& today) {
  std::vector<RuleReason> reasons;
  const nlohmann::json rules = item.value("rules", nlohmann::json::object());
  IdentityCard card;
  card.id_number = applicant.value("id_number", "");
  card.type = card_type_of_number(card.id_number);
  card.valid_to = applicant.value("valid_to", "");

  const auto docs = item.value("identity_documents", std::vector<std::string>{"resident"});
  if (std::find(docs.begin(), docs.end(), to_string(card.type)) == docs.end())
    reasons.push_back({"document-not-accepted", "该事项不受理此类证件"});
  if (rules.value("id_valid", true) && !valid_id_number(card))
    reasons.push_back({"invalid-id", "证件号码校验不通过"});
  if (rules.value("not_expired", true) && expired(card, today))
    reasons.push_back({"expired-id", "证件已过有效期"});

  // Birth date: given by the terminal from the card, or read from an 18-character number.
  std::string birth = applicant.value("birth_date", "");
  if (birth.empty() && card.id_number.size() == 18) birth = card.id_number.substr(6, 8);
  const int age = age_on(birth, today);
  // Ages are whole numbers of years; anything else in a rule is a broken catalogue, refused like a
  // badly shaped request.
  const auto min_age = whole_number<int>(rules, "min_age", -1);
  const auto max_age = whole_number<int>(rules, "max_age", -1);
  if (!min_age || !max_age)
    throw std::invalid_argument("min_age and max_age must be whole numbers");
  if (*min_age >= 0 && (age < 0 || age < *min_age))
    reasons.push_back({"too-young", "申请人未满" + std::to_string(*min_age) + "周岁"});
  if (*max_age >= 0 && (age < 0 || age > *max_age))
    reasons.push_back({"too-old", "申请人已超过" + std::to_string(*max_age) + "周岁"});
  // Residence: the registered region is the first digits of a resident ID number.
  if (rules.contains("residence_prefix")) {
    const std::string prefix = rules["residence_prefix"].get<std::string>();
    if (card.type != CardType::kResident || card.id_number.rfind(prefix, 0) != 0)
      reasons.push_back({"not-resident", "申请人户籍不在本辖区"});
  }
  // The form: every required field filled in (the terminal checks too; the backend decides).
  const nlohmann::json form = applicant.value("form", nlohmann::json::object());
  for (const auto& f : item.value("form", nlohmann::json::array())) {
    if (!f.value("required", false)) continue;
    const auto it = form.find(f.value("name", ""));
    if (it == form.end() || !it->is_string() || it->get<std::string>().empty())
      reasons.push_back({"missing-field", "未填写：" + f.value("label", f.value("name", ""))});
  }
  // Materials: an e-licence is found by the platform (免证办) and referred to by its number; a
  // scan comes along with the application. Either satisfies a required material.
  const auto scanned = applicant.value("materials", std::vector<std::string>{});
  const nlohmann::json elicenses = applicant.value("elicenses", nlohmann::json::object());
  for (const auto& m : item.value("materials", nlohmann::json::array())) {
    if (!m.value("required", false)) continue;
    const std::string name = m.value("name", "");
    const bool has_scan = std::find(scanned.begin(), scanned.end(), name) != scanned.end();
    // A reference the terminal found must be the library's own; without one, the platform
    // looks the licence up itself (a terminal that sent the application while offline).
    const auto in_library = m.value("source", "") == "elicense"
                                ? elicense_reference(card.id_number, name)
                                : std::nullopt;
    const bool has_licence =
        in_library && (!elicenses.contains(name) ||
                       (elicenses[name].is_string() && elicenses[name] == *in_library));
    if (!has_scan && !has_licence)
      reasons.push_back({"missing-material", "缺少材料：" + m.value("label", name)});
  }
  return reasons;
}

}  // namespace smzc::backend

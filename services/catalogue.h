// The service-item catalogue (事项目录) as terminals see it, and the site profile that decides
// which items a terminal offers where it stands.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "certs/signing.h"

namespace smzc::services {

/// A field of an item's application form.
struct FormField {
  std::string name;
  std::string label;
  std::string type;  ///< text | phone | id_number | date | ...
  bool required = false;
  std::string pattern;  ///< ECMAScript regular expression the value must match, if any
  std::string
      prefill;  ///< where the value comes from: "card.name", "card.address", ...; empty: asked
  std::map<std::string, std::string> labels;  ///< the label in "zh-HK", "en"
  /// The label in `locale`, else the zh-CN one, else the name.
  std::string label_in(const std::string& locale) const;
};

/// A document the application needs.
struct Material {
  std::string name;
  std::string label;
  std::string source;  ///< elicense (fetched by the platform, 免证办) | scan (laid on the scanner)
  bool required = false;
  std::map<std::string, std::string> labels;  ///< the label in "zh-HK", "en"
  /// The label in `locale`, else the zh-CN one, else the name.
  std::string label_in(const std::string& locale) const;
};

/// Who compares the face in a face check (docs/cameras.md).
enum class FacePolicy {
  kLocal,     ///< the terminal, against the card's chip photo
  kPlatform,  ///< the platform, against the register photo
  kBoth,      ///< the terminal refuses a clear mismatch first; the platform decides
};
const char* to_string(FacePolicy policy);
std::optional<FacePolicy> face_policy_from_string(std::string_view name);

/// A service item (事项).
struct ServiceItem {
  std::string code;
  std::map<std::string, std::string> names;  ///< "zh-CN", "zh-HK", "en"
  std::string department;
  std::string category;
  std::string region_code;  ///< the owning region (行政区划代码); routes the application
  std::string scope;        ///< local | cross-city | cross-province | gba
  std::vector<std::string> identity_documents;  ///< card types accepted (idcard::to_string)
  std::vector<FormField> form;
  std::vector<Material> materials;
  std::string approval;              ///< instant (秒批) | manual
  std::string output;                ///< certificate | receipt | mail
  std::vector<std::string> devices;  ///< idcard, printer, scanner, camera
  std::string hours;                 ///< "HH:MM-HH:MM"
  /// While the backend cannot be reached, the application may wait on the terminal and be sent
  /// when the link returns (items whose result comes later anyway: manual, by SMS or mail).
  bool store_and_forward = false;
  /// 人证核验: only the card's holder may apply, checked face to camera before anything is sent.
  bool face_check = false;
  /// Who compares the face for this item; none: the site's configured policy.
  std::optional<FacePolicy> face_policy;

  std::string name(const std::string& locale = "zh-CN") const;
  bool needs(const std::string& device) const;
  bool accepts(const std::string& card_type) const;
  /// Whether `hhmm` ("HH:MM") falls within the item's opening hours (start inclusive, end
  /// exclusive; "00:00-24:00" is always; "22:00-06:00" runs past midnight).
  bool open_at(const std::string& hhmm) const;
};

struct Catalogue {
  std::string version;        ///< dotted numbers, e.g. "2026.11.3"; never goes backwards
  int64_t expires_at_ms = 0;  ///< after this (Unix ms) the terminal refuses it; 0: no expiry
  std::map<std::string, std::string> regions;  ///< code → name
  /// A category's names in other languages: category (as items give it, zh-CN) → locale → name.
  std::map<std::string, std::map<std::string, std::string>> categories;
  std::vector<ServiceItem> items;
  bool offline = false;  ///< the last good copy, used because the backend could not be reached

  const ServiceItem* find(const std::string& code) const;
  /// `category`'s name in `locale`; the category as items give it when it has no such name.
  std::string category_name(const std::string& category, const std::string& locale) const;
};

/// Something the citizen must put right before an application can go: a code and what it
/// concerns. The UI words it in the citizen's language.
struct Problem {
  enum class Kind {
    kRequired,      ///< a required field is empty
    kMalformed,     ///< a field does not match its pattern or type
    kNotInLibrary,  ///< the e-licence library has no such licence: scan the paper one
    kScanMissing,   ///< a material that must be scanned was not
  };
  Kind kind;
  std::string subject;  ///< the field's or material's name
  std::string label;    ///< its label in the catalogue (the name when it has none)
  bool operator==(const Problem&) const = default;
};
const char* to_string(Problem::Kind kind);

/// What is wrong with `values` as `item`'s form: one problem per field, none when it may be
/// sent. Required fields must be filled; a field's pattern, or its type's (phone: a mainland
/// mobile number; id_number: a valid ID number), must match.
std::vector<Problem> check_form(const ServiceItem& item,
                                const std::map<std::string, std::string>& values);

/// Compares dotted versions number by number ("2026.11.10" is newer than "2026.11.9"): negative,
/// zero or positive.
int compare_versions(const std::string& a, const std::string& b);

/// Parses a catalogue document (signature already checked); a mistyped field is named.
Result<Catalogue> parse_catalogue(const std::string& json);
/// Checks a signed catalogue (as the backend serves it and the terminal keeps it) against the
/// issuing key, then parses it; a changed byte is refused, never parsed.
Result<Catalogue> verified_catalogue(const std::string& signed_json, const certs::Sm2Key& issuer);

/// Where a terminal stands and what it offers there.
struct SiteProfile {
  std::string kind = "hall";           ///< hall (24-hour hall) | bank (政银合作) | partner
  std::string region_code = "440605";  ///< where the terminal stands
  std::vector<std::string> partner_regions;  ///< other regions whose non-local items it offers
  std::vector<std::string> only_items;       ///< a bank point's subset; empty: every item
  std::vector<std::string> hidden_items;
  std::string branding;  ///< shown in the banner, e.g. the bank's name
  /// The device kinds this terminal has (the device manager's: the configuration's `devices`);
  /// items needing another are not offered here.
  std::vector<std::string> devices = {"idcard", "printer"};
};

/// Whether `site` offers `item`: items of its own region always; a partner region's items when
/// they are not local-only; then the site's subset and exclusions, and only items whose devices
/// the terminal has.
bool offered_at(const ServiceItem& item, const SiteProfile& site);
Catalogue offered_at(const Catalogue& catalogue, const SiteProfile& site);

}  // namespace smzc::services

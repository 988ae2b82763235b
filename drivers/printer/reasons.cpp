#include "drivers/printer/reasons.h"

#include <algorithm>

namespace smzc::printer {
namespace {

struct Known {
  const char* keyword;
  bool stops_printing;
  const char* technician_en;
};

// The IPP keywords a certificate or receipt printer reports (RFC 8011 §5.4.12, PWG 5100.9).
constexpr Known kKnown[] = {
    {"media-empty", true, "out of paper: load paper"},
    {"media-needed", true, "paper needed: load paper"},
    {"media-low", false, "paper running low"},
    {"media-jam", true, "paper jam: open the printer and clear it"},
    {"cover-open", true, "cover open: close the printer cover"},
    {"door-open", true, "door open: close the printer door"},
    {"input-tray-missing", true, "input tray missing"},
    {"output-area-full", true, "output tray full: empty it"},
    {"marker-supply-empty", true, "ink or toner empty: replace it"},
    {"toner-empty", true, "toner empty: replace the cartridge"},
    {"marker-supply-low", false, "ink or toner low"},
    {"toner-low", false, "toner low"},
    {"offline", true, "printer offline: check power and cable"},
    {"paused", true, "printer paused: resume it"},
    {"shutdown", true, "printer shut down"},
    {"connecting-to-device", false, "connecting to the printer"},
    {"moving-to-paused", true, "printer pausing"},
    {"stopped-partly", false, "some printer functions stopped"},
    {"other", false, "the printer reports another condition"},
};

}  // namespace

Reason understand_reason(std::string_view keyword) {
  Reason r;
  r.severity = Severity::kError;
  for (auto [suffix, severity] :
       {std::pair{"-report", Severity::kReport}, std::pair{"-warning", Severity::kWarning},
        std::pair{"-error", Severity::kError}}) {
    const std::string_view s = suffix;
    if (keyword.size() > s.size() && keyword.substr(keyword.size() - s.size()) == s) {
      keyword.remove_suffix(s.size());
      r.severity = severity;
      break;
    }
  }
  r.keyword = std::string(keyword);
  r.technician_en = "unrecognised printer condition";
  for (const auto& k : kKnown) {
    if (keyword == k.keyword) {
      r.stops_printing = k.stops_printing;
      r.technician_en = k.technician_en;
    }
  }
  return r;
}

MediaState media_state(const std::vector<Reason>& reasons) {
  auto has = [&reasons](std::string_view k) {
    return std::any_of(reasons.begin(), reasons.end(),
                       [k](const Reason& r) { return r.keyword == k; });
  };
  if (has("media-jam")) return MediaState::kPaperJammed;
  if (has("media-empty") || has("media-needed")) return MediaState::kPaperOut;
  if (has("media-low")) return MediaState::kPaperLow;
  return MediaState::kPaperOk;
}

bool cover_open(const std::vector<Reason>& reasons) {
  return std::any_of(reasons.begin(), reasons.end(), [](const Reason& r) {
    return r.keyword == "cover-open" || r.keyword == "door-open";
  });
}

const Reason* blocking_reason(const std::vector<Reason>& reasons) {
  auto it = std::find_if(reasons.begin(), reasons.end(),
                         [](const Reason& r) { return r.stops_printing; });
  return it == reasons.end() ? nullptr : &*it;
}

}  // namespace smzc::printer

#include "drivers/printer/reasons.h"

#include <algorithm>

namespace smzc::printer {
namespace {

struct Known {
  const char* keyword;
  bool stops_printing;
  const char* citizen_zh;
  const char* technician_en;
};

// The IPP keywords a certificate or receipt printer reports (RFC 8011 §5.4.12, PWG 5100.9).
constexpr Known kKnown[] = {
    {"media-empty", true, "打印纸已用完，暂时无法打印", "out of paper: load paper"},
    {"media-needed", true, "打印纸已用完，暂时无法打印", "paper needed: load paper"},
    {"media-low", false, "", "paper running low"},
    {"media-jam", true, "打印机卡纸，暂时无法打印", "paper jam: open the printer and clear it"},
    {"cover-open", true, "打印机盖未关好，暂时无法打印", "cover open: close the printer cover"},
    {"door-open", true, "打印机门未关好，暂时无法打印", "door open: close the printer door"},
    {"input-tray-missing", true, "打印机纸盒缺失，暂时无法打印", "input tray missing"},
    {"output-area-full", true, "出证口已满，请先取走证照", "output tray full: empty it"},
    {"marker-supply-empty", true, "打印机耗材已用完，暂时无法打印",
     "ink or toner empty: replace it"},
    {"toner-empty", true, "打印机耗材已用完，暂时无法打印", "toner empty: replace the cartridge"},
    {"marker-supply-low", false, "", "ink or toner low"},
    {"toner-low", false, "", "toner low"},
    {"offline", true, "打印机离线，暂时无法打印", "printer offline: check power and cable"},
    {"paused", true, "打印机已暂停，暂时无法打印", "printer paused: resume it"},
    {"shutdown", true, "打印机已关闭，暂时无法打印", "printer shut down"},
    {"connecting-to-device", false, "", "connecting to the printer"},
    {"moving-to-paused", true, "打印机正在暂停，暂时无法打印", "printer pausing"},
    {"stopped-partly", false, "", "some printer functions stopped"},
    {"other", false, "", "the printer reports another condition"},
};

}  // namespace

const char* to_string(MediaState state) {
  switch (state) {
    case MediaState::kOk:
      return "ok";
    case MediaState::kLow:
      return "low";
    case MediaState::kOut:
      return "out";
    case MediaState::kJammed:
      return "jammed";
  }
  return "unknown";
}

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
      r.citizen_zh = k.citizen_zh;
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
  if (has("media-jam")) return MediaState::kJammed;
  if (has("media-empty") || has("media-needed")) return MediaState::kOut;
  if (has("media-low")) return MediaState::kLow;
  return MediaState::kOk;
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

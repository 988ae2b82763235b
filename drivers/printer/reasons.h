// printer-state-reasons and job-state-reasons in the device vocabulary, with plain messages for
// technicians (English). The citizen's words for a reason are the UI's (ui/messages.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "drivers/device.h"

namespace smzc::printer {

enum class Severity { kReport, kWarning, kError };

/// One reason keyword, understood.
struct Reason {
  std::string keyword;  ///< without its -report/-warning/-error suffix, e.g. "media-jam"
  Severity severity = Severity::kError;
  bool stops_printing = false;  ///< nothing prints until someone fixes it
  /// A reason an idle CUPS queue kept from its last job (it hears from the printer only while a
  /// job runs): it may already be fixed, so it does not stop printing, but it is why that job
  /// ended.
  bool from_last_job = false;
  const char* technician_en = "";
};

/// Parses "media-jam-warning" into {media-jam, warning, ...}. Unknown keywords are kept as they
/// are, with a generic message; "none" is not a reason.
Reason understand_reason(std::string_view keyword);

/// The state of paper (kPaperOk, kPaperLow, kPaperOut, kPaperJammed) and cover among `reasons`.
MediaState media_state(const std::vector<Reason>& reasons);
bool cover_open(const std::vector<Reason>& reasons);
/// The first reason that stops printing, if any.
const Reason* blocking_reason(const std::vector<Reason>& reasons);

}  // namespace smzc::printer

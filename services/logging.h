// The terminal's logs: to journald with structured fields, and to a rotated file that
// `kioskctl logs` and diagnostics bundles read. Messages never hold personal data (masked
// numbers only), and they follow one convention so that their fields can be read back out:
// a transaction is written "transaction ID", a device "device ID", an error by its completion
// code's spelling ("hardwareError", "timeout", ...).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smzc::services {

/// What a message says about itself, by the convention above; empty where it says nothing.
struct LogFields {
  std::string transaction;
  std::string device;
  std::string error;
  bool operator==(const LogFields&) const = default;
};
LogFields log_fields(std::string_view message);

/// The fields one message is sent to journald with: MESSAGE, PRIORITY (syslog's 0–7),
/// SYSLOG_IDENTIFIER, SMZC_TERMINAL, and SMZC_TRANSACTION, SMZC_DEVICE, SMZC_ERROR when the
/// message names them. `level` is spdlog's name ("info", "warning", ...).
std::vector<std::string> journal_fields(std::string_view level, std::string_view message,
                                        const std::string& program, const std::string& terminal);

/// Where a program's rotated log lives: DIR/PROGRAM.log, then PROGRAM.1.log ... (older).
inline constexpr size_t kLogFileBytes = 4 * 1024 * 1024;
inline constexpr size_t kLogFilesKept = 5;

/// Sends the process's logs (spdlog's default logger) to journald when it runs (with the fields
/// above), to `log_dir`/`program`.log rotated at kLogFileBytes with kLogFilesKept files, and to
/// stderr (when `echo` and stderr does not already go to the journal). A log folder that cannot
/// be written is reported and skipped: logging never stops the kiosk.
void start_logging(const std::filesystem::path& log_dir, const std::string& program,
                   const std::string& terminal, bool echo = true);

/// One line of the rotated file.
struct LogLine {
  std::string at;     ///< "2026-11-24 07:40:13.627", local time
  std::string level;  ///< spdlog's: trace, debug, info, warning, error, critical
  std::string message;
  LogFields fields;
};
std::optional<LogLine> parse_log_line(std::string_view line);
/// The last `limit` lines of the program's rotated files, oldest first (lines that are not log
/// lines, such as a torn last line, are skipped). No files: none.
std::vector<LogLine> read_logs(const std::filesystem::path& log_dir, const std::string& program,
                               size_t limit);

}  // namespace smzc::services

#include "services/logging.h"

#include <sys/stat.h>
#include <systemd/sd-journal.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <memory>
#include <mutex>
#include <regex>

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "base/status.h"

namespace smzc::services {
namespace {

// The lines the rotated file holds: "[2026-11-24 07:40:13.627] [info] message".
constexpr const char* kFilePattern = "[%Y-%m-%d %H:%M:%S.%e] [%l] %v";

std::string_view word_after(std::string_view message, std::string_view marker) {
  for (size_t at = message.find(marker); at != std::string_view::npos;
       at = message.find(marker, at + 1)) {
    if (at > 0 && message[at - 1] != ' ' && message[at - 1] != '(') continue;  // a whole word
    const size_t start = at + marker.size();
    size_t end = start;
    while (end < message.size() &&
           (std::isalnum(static_cast<unsigned char>(message[end])) || message[end] == '-' ||
            message[end] == '_' || message[end] == '.'))
      ++end;
    if (end > start) return message.substr(start, end - start);
  }
  return {};
}

int syslog_priority(std::string_view level) {
  if (level == "critical") return 2;
  if (level == "error") return 3;
  if (level == "warning") return 4;
  if (level == "info") return 6;
  return 7;  // debug, trace
}

// journald, a message at a time, with the fields journal_fields() names.
class JournalSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  JournalSink(std::string program, std::string terminal)
      : program_(std::move(program)), terminal_(std::move(terminal)) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    const auto level = spdlog::level::to_string_view(msg.level);
    const auto fields = journal_fields(std::string_view(level.data(), level.size()),
                                       std::string_view(msg.payload.data(), msg.payload.size()),
                                       program_, terminal_);
    std::vector<iovec> iov;
    iov.reserve(fields.size());
    for (const auto& f : fields)
      iov.push_back({const_cast<char*>(f.data()), f.size()});  // NOLINT: sd_journal_sendv's API
    sd_journal_sendv(iov.data(), static_cast<int>(iov.size()));
  }
  void flush_() override {}

 private:
  std::string program_, terminal_;
};

}  // namespace

LogFields log_fields(std::string_view message) {
  LogFields f;
  f.transaction = std::string(word_after(message, "transaction "));
  f.device = std::string(word_after(message, "device "));
  for (Completion c : {Completion::kCanceled, Completion::kTimeout, Completion::kDeviceNotReady,
                       Completion::kHardwareError, Completion::kInvalidData, Completion::kUserError,
                       Completion::kUnsupported}) {
    const std::string_view name = to_string(c);
    for (size_t at = message.find(name); at != std::string_view::npos;
         at = message.find(name, at + 1)) {
      const bool starts = at == 0 || !std::isalnum(static_cast<unsigned char>(message[at - 1]));
      const size_t end = at + name.size();
      const bool ends =
          end == message.size() || !std::isalnum(static_cast<unsigned char>(message[end]));
      if (starts && ends) {
        f.error = std::string(name);
        return f;
      }
    }
  }
  return f;
}

std::vector<std::string> journal_fields(std::string_view level, std::string_view message,
                                        const std::string& program, const std::string& terminal) {
  std::vector<std::string> fields = {
      "MESSAGE=" + std::string(message),
      "PRIORITY=" + std::to_string(syslog_priority(level)),
      "SYSLOG_IDENTIFIER=" + program,
      "SMZC_TERMINAL=" + terminal,
  };
  const LogFields f = log_fields(message);
  if (!f.transaction.empty()) fields.push_back("SMZC_TRANSACTION=" + f.transaction);
  if (!f.device.empty()) fields.push_back("SMZC_DEVICE=" + f.device);
  if (!f.error.empty()) fields.push_back("SMZC_ERROR=" + f.error);
  return fields;
}

void start_logging(const std::filesystem::path& log_dir, const std::string& program,
                   const std::string& terminal, bool echo) {
  std::vector<spdlog::sink_ptr> sinks;
  struct stat st {};
  const bool journald = ::stat("/run/systemd/journal/socket", &st) == 0;
  // Under systemd, stderr is the journal already: the same line twice, once without fields.
  const bool stderr_is_journal = journald && std::getenv("JOURNAL_STREAM") != nullptr;
  if (journald) sinks.push_back(std::make_shared<JournalSink>(program, terminal));
  if (echo && !stderr_is_journal)
    sinks.push_back(std::make_shared<spdlog::sinks::stderr_sink_mt>());
  std::string file_error;
  try {
    std::error_code ec;
    std::filesystem::create_directories(log_dir, ec);
    auto file = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
        (log_dir / (program + ".log")).string(), kLogFileBytes, kLogFilesKept - 1);
    file->set_pattern(kFilePattern);
    sinks.push_back(std::move(file));
  } catch (const spdlog::spdlog_ex& e) {
    file_error = e.what();
  }
  auto logger = std::make_shared<spdlog::logger>(program, sinks.begin(), sinks.end());
  logger->set_level(spdlog::level::info);
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(std::move(logger));
  // A crash loses at most a few seconds of info lines.
  spdlog::flush_every(std::chrono::seconds(2));
  if (!file_error.empty())
    spdlog::warn("no log file in {}: {} (logging to {} only)", log_dir.string(), file_error,
                 journald ? "the journal" : "stderr");
}

std::optional<LogLine> parse_log_line(std::string_view line) {
  static const std::regex pattern(
      R"(^\[(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3})\] \[([a-z]+)\] (.*)$)");
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_match(line.begin(), line.end(), m, pattern)) return std::nullopt;
  LogLine out{m[1].str(), m[2].str(), m[3].str(), {}};
  out.fields = log_fields(out.message);
  return out;
}

std::vector<LogLine> read_logs(const std::filesystem::path& log_dir, const std::string& program,
                               size_t limit) {
  // spdlog's rotation: PROGRAM.log is the newest, PROGRAM.1.log the one before, and so on.
  std::vector<std::filesystem::path> files;
  for (size_t i = kLogFilesKept; i-- > 1;)
    files.push_back(log_dir / (program + "." + std::to_string(i) + ".log"));
  files.push_back(log_dir / (program + ".log"));
  std::deque<LogLine> kept;
  for (const auto& path : files) {
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
      auto parsed = parse_log_line(line);
      if (!parsed) continue;
      kept.push_back(std::move(*parsed));
      if (kept.size() > limit) kept.pop_front();
    }
  }
  return {kept.begin(), kept.end()};
}

}  // namespace smzc::services

// Small helpers shared by the test suites.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>

#include "base/clock.h"

namespace smzc::testing {

/// A fresh folder for one test, removed when the object goes away.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "smzc-test-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

/// Runs a shell command and returns its standard output.
inline std::string run(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  pclose(pipe);
  return out;
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

/// Every byte SQLite wrote for the database `db`: the file and its write-ahead log (to show that
/// personal data is not in either in the clear).
inline std::string sqlite_file_bytes(const std::filesystem::path& db) {
  std::string all;
  for (const char* suffix : {"", "-wal"})
    if (std::filesystem::exists(db.string() + suffix)) all += read_file(db.string() + suffix);
  return all;
}

/// The text of a PDF, through poppler's pdftotext.
inline std::string pdf_text(const std::filesystem::path& pdf) {
  return run("pdftotext -q '" + pdf.string() + "' - 2>/dev/null");
}

/// The day the tests' cards and rules are written for: 22 November 2026, 10:00 local time. A
/// clock standing still there; tests that cross midnight make their own FakeClock.
/// Polls `done` until it holds; false once `limit` passed first (the caller fails then). For waits
/// on another thread or process that offers no event to wait on: never a hang.
template <typename Pred>
bool poll_until(Pred done, std::chrono::seconds limit = std::chrono::seconds(30)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

inline const FakeClock& test_clock() {
  static const FakeClock clock(FakeClock::local_time("2026-11-22 10:00:00"));
  return clock;
}

inline std::filesystem::path source_dir() {
  return SMZC_SOURCE_DIR;
}
inline std::filesystem::path bin_dir() {
  return SMZC_BIN_DIR;
}

}  // namespace smzc::testing

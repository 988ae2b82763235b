// Small helpers shared by the test suites.
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <thread>

#include "base/clock.h"

namespace smzc::testing {

/// This process's resident memory (VmRSS), KiB: what the benchmarks' memory figures read.
inline long rss_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return 0;
}

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
/// Opens a TCP connection to `port` on loopback, from the loopback address `from` (all of
/// 127.0.0.0/8 is this machine: several peers on one host), and, when `first_line` is given, sends
/// it and nothing more: a silent or trickling peer. Returns the socket (the caller closes it), or
/// -1.
inline int connect_loopback(int port, const std::string& first_line = {},
                            const char* from = "127.0.0.1") {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in source{};
  source.sin_family = AF_INET;
  ::inet_pton(AF_INET, from, &source.sin_addr);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&source), sizeof source) != 0 ||
      ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      (!first_line.empty() && ::write(fd, first_line.data(), first_line.size()) !=
                                  static_cast<ssize_t>(first_line.size()))) {
    ::close(fd);
    return -1;
  }
  return fd;
}

/// Reads from `fd` until the peer closes it; nothing once `limit` passes first (the caller fails
/// then).
inline std::optional<std::string> read_until_closed(
    int fd, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  std::string all;
  char buf[4096];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        give_up - std::chrono::steady_clock::now());
    pollfd p{.fd = fd, .events = POLLIN, .revents = 0};
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) return {};
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) return all;  // closed (a reset counts too)
    all.append(buf, static_cast<size_t>(n));
  }
}

/// The port of an http(s)://HOST:PORT address.
inline int port_of(const std::string& url) {
  return std::stoi(url.substr(url.rfind(':') + 1));
}

/// Runs SQL on a database file directly, as someone holding the file would (dropping the
/// journal's guards, rewriting rows). True when every statement ran.
inline bool run_sql(const std::filesystem::path& db_path, const std::string& statements) {
  sqlite3* db = nullptr;
  const bool ok = sqlite3_open(db_path.c_str(), &db) == SQLITE_OK &&
                  sqlite3_exec(db, statements.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
  sqlite3_close(db);
  return ok;
}

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

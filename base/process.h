// Child processes and loopback ports, for the simulators and fixtures that start real parts
// (ippeveprinter, the reference backend, the kiosk itself in end-to-end tests).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace smzc {

/// A child process that is stopped (SIGTERM, then SIGKILL) when this object goes away.
/// Move-only; the owner of the object owns the process.
class ChildProcess {
 public:
  struct Options {
    std::vector<std::string> argv;  ///< argv[0] is looked up in PATH when it has no slash.
    std::filesystem::path
        log_path;                  ///< stderr (and stdout unless captured) go here; empty: inherit.
    bool capture_stdout = false;   ///< make stdout readable through read_line().
    std::vector<std::string> env;  ///< extra NAME=VALUE entries on top of this environment.
  };

  static Result<ChildProcess> start(const Options& options);

  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  /// True while the process has not exited. Reaps it when it has.
  bool running();
  /// Reads one line of captured stdout, waiting at most `timeout`.
  Result<std::string> read_line(std::chrono::milliseconds timeout);
  /// SIGTERM, then SIGKILL after `grace`; returns the exit status as from waitpid.
  int stop(std::chrono::milliseconds grace = std::chrono::seconds(3));
  /// Waits for the process to exit by itself; returns its exit code (128+signal if killed).
  int wait();
  /// The same, giving up (kTimeout, the process left running) after `timeout`.
  Result<int> wait_for(std::chrono::milliseconds timeout);

 private:
  ChildProcess() = default;
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::optional<int> exit_status_;
  std::string pending_;
};

/// A TCP port on 127.0.0.1 that was free a moment ago (for programs that want a number, not a
/// socket, such as ippeveprinter).
Result<int> find_free_loopback_port();
/// Waits until something accepts TCP connections on 127.0.0.1:`port`.
Status wait_for_loopback_port(int port, std::chrono::milliseconds timeout);
/// The folder of the running executable, to find the programs built beside it.
std::filesystem::path executable_dir();

}  // namespace smzc

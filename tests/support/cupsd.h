// A private CUPS scheduler for tests: cupsd with its own configuration, spool and logs in a
// folder, on a free loopback port, as CUPS's own test suite runs it. Queues are added with
// lpadmin, pointing at a printer simulator; what a terminal reaches as
// ipp://localhost/printers/QUEUE is then the real scheduler, its spool and its ipp backend.
#pragma once
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "base/process.h"
#include "base/status.h"

namespace smzc::testing {

class CupsDaemon {
 public:
  /// Starts cupsd under `root` (made readable by the scheduler's `lp` children when it runs as
  /// root) and waits until it listens. Fails saying what is missing (Debian's cups-daemon).
  static Result<std::unique_ptr<CupsDaemon>> start(const std::filesystem::path& root) {
    std::error_code ec;
    for (const char* dir : {"spool/temp", "log", "cache", "state"})
      std::filesystem::create_directories(root / dir, ec);
    // The ipp backend runs as lp and reads the job's file through these folders.
    for (const auto& dir : {root, root.parent_path()})
      std::filesystem::permissions(dir, std::filesystem::perms(0755), ec);
    auto port = find_free_loopback_port();
    if (!port) return port.error();
    std::ofstream(root / "cups-files.conf")
        << "ServerRoot " << root.string() << "\nRequestRoot " << (root / "spool").string()
        << "\nTempDir " << (root / "spool/temp").string() << "\nCacheDir "
        << (root / "cache").string() << "\nStateDir " << (root / "state").string() << "\nErrorLog "
        << (root / "log/error_log").string() << "\nAccessLog " << (root / "log/access_log").string()
        << "\nPageLog " << (root / "log/page_log").string() << "\nFileDevice No\n";
    // Everything allowed from loopback: the tests' own scheduler, nobody else's.
    std::ofstream(root / "cupsd.conf")
        << "Listen 127.0.0.1:" << port.value()
        << "\nLogLevel info\nBrowsing No\nWebInterface No\nDefaultAuthType None\n"
           "<Location />\nOrder allow,deny\nAllow 127.0.0.1\n</Location>\n"
           "<Policy default>\n<Limit All>\nOrder deny,allow\n</Limit>\n</Policy>\n";
    auto process =
        ChildProcess::start({.argv = {"cupsd", "-f", "-c", (root / "cupsd.conf").string(), "-s",
                                      (root / "cups-files.conf").string()},
                             .log_path = root / "log/cupsd.out"});
    if (!process)
      return Error{Completion::kDeviceNotReady,
                   "cannot start cupsd (Debian package cups-daemon; `./dev test` installs it): " +
                       process.error().message};
    Status up = Error{Completion::kTimeout, "cupsd did not listen within 10 s"};
    for (int tries = 0; tries < 500 && process->running(); ++tries) {
      up = wait_for_loopback_port(port.value(), std::chrono::milliseconds(20));
      if (up) break;
    }
    if (!up || !process->running())
      return Error{Completion::kDeviceNotReady,
                   "cupsd did not come up; see " + (root / "log").string()};
    return std::unique_ptr<CupsDaemon>(
        new CupsDaemon(std::move(process.value()), port.value(), root));
  }

  int port() const { return port_; }
  /// ipp://127.0.0.1:PORT/printers/QUEUE
  std::string queue_uri(const std::string& queue) const {
    return "ipp://127.0.0.1:" + std::to_string(port_) + "/printers/" + queue;
  }
  /// Adds an enabled queue that passes documents as they are to `device_uri`.
  Status add_queue(const std::string& queue, const std::string& device_uri) {
    const std::string command = "lpadmin -h 127.0.0.1:" + std::to_string(port_) + " -p '" + queue +
                                "' -E -v '" + device_uri + "' 2>&1";
    const int rc = std::system(command.c_str());
    if (rc != 0)
      return Error{Completion::kDeviceNotReady,
                   "lpadmin could not add " + queue + " (Debian package cups-client)"};
    return ok_status();
  }
  /// Files the scheduler keeps for jobs: control files (cNNNNN) and documents (dNNNNN-NNN).
  std::vector<std::filesystem::path> spooled_files() const {
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(root_ / "spool", ec))
      if (e.is_regular_file()) files.push_back(e.path());
    return files;
  }

 private:
  CupsDaemon(ChildProcess process, int port, std::filesystem::path root)
      : process_(std::move(process)), port_(port), root_(std::move(root)) {}
  ChildProcess process_;
  int port_;
  std::filesystem::path root_;
};

}  // namespace smzc::testing

// The printer simulator: CUPS's own IPP Everywhere printer, ippeveprinter, on a loopback port.
// It is a real IPP server, so the driver under test is the driver that ships.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "drivers/common/process.h"

namespace smzc::printer {

class IppEvePrinter {
 public:
  struct Options {
    std::filesystem::path spool_dir;  ///< received documents are kept here (ippeveprinter -k)
    std::string name = "SMZC-Sim";
    std::string command = "/bin/true";  ///< ippeveprinter -c: "prints" a document; exit 0 = done
  };

  /// Starts ippeveprinter and waits until it accepts connections. Fails with a message that says
  /// what is missing (the program, or the dbus and avahi daemons it needs).
  static Result<std::unique_ptr<IppEvePrinter>> start(const Options& options);
  ~IppEvePrinter() = default;

  /// ipp://127.0.0.1:PORT/ipp/print
  std::string uri() const;
  int port() const { return port_; }
  /// Documents received so far, oldest first (ippeveprinter names them JOBID-NAME.EXT).
  std::vector<std::filesystem::path> received_documents() const;
  std::filesystem::path log_path() const { return options_.spool_dir / "ippeveprinter.log"; }

 private:
  IppEvePrinter(ChildProcess process, int port, Options options)
      : process_(std::move(process)), port_(port), options_(std::move(options)) {}
  ChildProcess process_;
  int port_;
  Options options_;
};

}  // namespace smzc::printer

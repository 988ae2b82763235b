// The printer simulator: CUPS's own IPP Everywhere printer, ippeveprinter, on a loopback port.
// It is a real IPP server, so the driver under test is the driver that ships. Faults come the
// ways the real printer's come: STATE: lines from its print command (sim/ippeve-command.sh) for a
// jam or an open cover mid-job, its /media web form for paper levels, and a kill for a printer
// that dies mid-job.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "base/process.h"

namespace smzc::printer {

class IppEvePrinter {
 public:
  struct Options {
    std::filesystem::path spool_dir;  ///< received documents are kept here (ippeveprinter -k)
    std::string name = "SMZC-Sim";
    /// The print command (ippeveprinter -c); empty: sim/ippeve-command.sh from the data folder.
    std::string command;
    std::string formats = "application/pdf";  ///< document-format-supported
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

  /// From the next job on, the mechanism fails mid-job with `reason` (an IPP keyword such as
  /// media-jam or cover-open), or stalls silently with "stall". Empty clears it: a job that is
  /// waiting on the fault then ends unprinted, and later jobs print.
  Status set_fault(const std::string& reason);
  /// Sets the sheets in the main tray through the printer's /media form; 0 is media-empty.
  Status set_paper_level(int sheets);
  /// Sets the supplies' levels (percent) through the printer's /supplies form, in the order the
  /// printer lists them (ippeveprinter: the waste toner tank, then the black toner). A low
  /// toner makes the printer report toner-low.
  Status set_supply_levels(const std::vector<int>& levels);
  /// Kills the printer process (power cut).
  void kill();

 private:
  // Submits one of ippeveprinter's web forms (a GET with the fields in the query).
  Status web_form(const std::string& resource);
  IppEvePrinter(ChildProcess process, int port, Options options)
      : process_(std::move(process)), port_(port), options_(std::move(options)) {}
  std::filesystem::path fault_file() const { return options_.spool_dir / "fault"; }
  ChildProcess process_;
  int port_;
  Options options_;
};

/// sim/ippeve-command.sh below the data folder (see base/paths.h).
std::filesystem::path default_print_command();

}  // namespace smzc::printer

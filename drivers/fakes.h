// Fakes of every device class: the same interfaces the real drivers implement (as Chromium's
// device service fakes its managers), driven by the test or demo — add and remove the device,
// lay cards, run out of paper, inject faults. They serve tests about flow (engine, UI); every
// real driver is still tested against its real part (simulator, ippeveprinter, umockdev).
// Linked only into tests and the demo (the smzc_simulators library).
#pragma once

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

#include "drivers/idcard/card_reader.h"
#include "drivers/printer/printer.h"

namespace smzc::fakes {

/// A card reader that reads whatever card the test lays on it.
class FakeCardReader final : public idcard::CardReader {
 public:
  explicit FakeCardReader(std::string id = "reader", bool present = true);

  /// The reader is plugged in (online) or pulled out (noDevice); a wait in progress on a reader
  /// pulled out ends with kDeviceNotReady.
  void plug();
  void unplug();
  /// Lays a card: the current or next wait reads it (once; lift it and lay it again to re-read).
  void lay(IdentityCard card);
  void lift();
  /// The next read fails with `error` (a card moved mid-read, an unreadable card).
  void fail_next_read(Error error);
  /// How many waits began (a test checks a cancelled session never reached the reader).
  int waits() const;

  std::vector<std::string> capabilities() const override { return {"read", "fake"}; }
  std::string address() const override { return "fake:" + id(); }
  Status self_test(Deadline deadline, std::stop_token stop) override;
  void poll(Deadline) override {}
  Result<IdentityCard> wait_for_card(Deadline deadline, std::stop_token stop) override;

 private:
  void change(const std::function<void()>& edit);
  mutable std::mutex mutex_;
  std::condition_variable_any changed_;
  bool present_;
  std::optional<IdentityCard> card_;
  bool card_read_ = false;
  std::optional<Error> next_error_;
  int waits_ = 0;
};

/// A printer that takes jobs into memory. Jobs complete at once unless held.
class FakePrinter final : public printer::Printer {
 public:
  explicit FakePrinter(std::string id = "printer", bool present = true);

  void plug();
  void unplug();
  /// Paper state (kPaperOk, kPaperLow, kPaperOut, kPaperJammed) and the cover.
  void set_media(MediaState media, bool cover_open = false);
  /// Held jobs stay "processing" until release_jobs() (a slow printer; a citizen may leave).
  void hold_jobs(bool hold);
  void release_jobs();
  /// Names of the jobs received, in order.
  std::vector<std::string> jobs() const;
  /// Names of the jobs purged (forgotten once finished), in order.
  std::vector<std::string> purged_jobs() const;
  /// Called (on the submitting thread) after each job is taken, e.g. to wake a test's loop.
  void on_submit(std::function<void()> hook);

  std::vector<std::string> capabilities() const override { return {"pdf", "fake"}; }
  std::string address() const override { return "fake:" + id(); }
  Status self_test(Deadline deadline, std::stop_token stop) override;
  void poll(Deadline) override { (void)query(); }
  Result<printer::PrinterStatus> query() override;
  Result<int> submit(const std::filesystem::path& pdf, const std::string& job_name,
                     const printer::PrintOptions& options = {},
                     const printer::PrinterStatus* known = nullptr) override;
  Result<printer::JobStatus> job_status(int job_id) override;
  Status cancel_job(int job_id) override;
  Status purge_job(int job_id) override;
  Result<std::vector<printer::JobStatus>> jobs_named(const std::string& name) override;
  Result<printer::JobStatus> wait_for_job(int job_id, Deadline deadline,
                                          printer::FaultPolicy policy,
                                          std::stop_token stop) override;

 private:
  struct Job {
    int id;
    std::string name;
    printer::JobState state;
    bool purged = false;
  };
  printer::PrinterStatus status_locked() const;
  Job* find_locked(int job_id);
  mutable std::mutex mutex_;
  std::condition_variable_any changed_;
  bool present_;
  MediaState media_ = MediaState::kPaperOk;
  bool cover_open_ = false;
  bool hold_ = false;
  std::vector<Job> jobs_;
  std::function<void()> on_submit_;
};

}  // namespace smzc::fakes

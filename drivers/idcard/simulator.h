// A reader simulator that speaks the SAM frame protocol on a pseudo-terminal, so the driver under
// test is the driver that ships. Tests, the demo and technicians (`kioskctl idcard sim`) lay and
// lift cards through it and inject the faults a real reader shows.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "drivers/idcard/card.h"

namespace smzc::idcard {

/// Faults a real reader shows. One-shot faults hit the next response only.
enum class Fault {
  kPullMidRead,      ///< one-shot: the next read sends part of its answer, then the card is gone
  kCorruptChecksum,  ///< one-shot: the next answer has a wrong CHK
  kGarbage,          ///< one-shot: the next answer is noise without a preamble
  kSilent,           ///< lasting: commands get no answer until clear_faults()
  kUnplug,           ///< the device disappears (the pty's far end closes) until replug()
};

const char* to_string(Fault fault);
Result<Fault> fault_from_string(std::string_view name);

class ReaderSimulator {
 public:
  struct Options {
    int baud = 115200;  ///< simulated line rate: every byte each way takes 10 bits / baud
    bool paced = true;  ///< false: as fast as the pty goes (unit-speed tests)
    /// When set, a symlink here points at the port while the reader is plugged in, as a udev
    /// rule's symlink does for a real one: a driver configured with it finds the reader again
    /// after replug(), whose pty has a new name.
    std::filesystem::path link;
  };

  /// Opens a pty and starts answering on it. The driver opens port_path().
  static Result<std::unique_ptr<ReaderSimulator>> start(Options options);
  static Result<std::unique_ptr<ReaderSimulator>> start() { return start(Options{}); }
  ~ReaderSimulator();
  ReaderSimulator(const ReaderSimulator&) = delete;
  ReaderSimulator& operator=(const ReaderSimulator&) = delete;

  /// The serial device path of the far end (a /dev/pts/N; a new one after replug()).
  std::string port_path() const;
  /// Plugs an unplugged reader back in (Fault::kUnplug): a new port, the link pointed at it.
  Status replug();
  /// Lays `card` on the reader (replacing any card there).
  void lay_card(IdentityCard card);
  void lift_card();
  bool card_present();
  void inject(Fault fault);
  void clear_faults();
  /// Answers every command this much later (a slow or busy reader).
  void set_answer_delay(std::chrono::milliseconds delay);
  /// Commands received so far (answered or not).
  size_t commands_received() const { return commands_received_.load(); }

 private:
  ReaderSimulator(int master, int slave, int stop_fd, std::string path, Options options);
  void run();
  void update_link();
  // The bytes to send for one command, and whether to send them all.
  struct Answer {
    std::vector<uint8_t> bytes;
    size_t send_only = SIZE_MAX;  // pull mid-read: the card leaves after this many bytes
  };
  std::optional<Answer> answer(const std::vector<uint8_t>& request);
  void send(const Answer& answer, size_t request_size);
  Answer apply_one_shot_faults(Answer answer, bool is_read);

  int master_fd_, slave_fd_, stop_fd_;
  std::string port_path_;
  Options options_;
  mutable std::mutex mutex_;  // guards everything below, and port_path_ and the fds on replug
  std::optional<IdentityCard> card_;
  bool found_since_laid_ = false;  // a reader refuses a second find until the card is lifted
  std::optional<Fault> one_shot_;
  bool silent_ = false;
  bool unplugged_ = false;
  std::chrono::milliseconds delay_{0};
  std::atomic<size_t> commands_received_{0};
  std::thread thread_;
};

/// Reads a card from a JSON file of fields (see drivers/idcard/sim/cards/).
Result<IdentityCard> load_card_json(const std::filesystem::path& path);

}  // namespace smzc::idcard

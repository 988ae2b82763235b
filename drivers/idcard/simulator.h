// A reader simulator that speaks the SAM frame protocol on a pseudo-terminal, so the driver under
// test is the driver that ships. Tests and the demo lay and lift cards through it.
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "drivers/idcard/card.h"

namespace smzc::idcard {

class ReaderSimulator {
 public:
  struct Options {
    int baud = 115200;  ///< simulated line rate: responses take bytes × 10 / baud to arrive
    bool paced = true;  ///< false sends at pty speed (for codec-level tests)
  };

  /// Opens a pty and starts answering on it. The driver opens port_path().
  static Result<std::unique_ptr<ReaderSimulator>> start(Options options);
  static Result<std::unique_ptr<ReaderSimulator>> start() { return start(Options{}); }
  ~ReaderSimulator();
  ReaderSimulator(const ReaderSimulator&) = delete;
  ReaderSimulator& operator=(const ReaderSimulator&) = delete;

  /// The serial device path of the far end (a /dev/pts/N).
  const std::string& port_path() const { return port_path_; }
  /// Lays `card` on the reader (replacing any card there).
  void lay_card(IdentityCard card);
  void lift_card();
  /// Commands answered so far.
  size_t commands_answered() const { return commands_answered_.load(); }

 private:
  ReaderSimulator(int master, int slave, int stop_fd, std::string path, Options options);
  void run();
  std::vector<uint8_t> answer(const std::vector<uint8_t>& request);
  void send(const std::vector<uint8_t>& bytes);

  int master_fd_, slave_fd_, stop_fd_;
  std::string port_path_;
  Options options_;
  std::mutex card_mutex_;
  std::optional<IdentityCard> card_;
  bool found_since_laid_ = false;  // a reader refuses a second find until the card is lifted
  std::atomic<size_t> commands_answered_{0};
  std::thread thread_;
};

/// Reads a card from a JSON file of fields (see drivers/idcard/sim/cards/).
Result<IdentityCard> load_card_json(const std::filesystem::path& path);

}  // namespace smzc::idcard

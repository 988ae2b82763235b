// The ID-card reader device: find, select and read over any Transport.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>

#include "drivers/idcard/card.h"
#include "drivers/idcard/frame.h"
#include "drivers/idcard/transport.h"

namespace smzc::idcard {

/// A SAM reader. Owns its transport. One command at a time: calls from several threads are
/// serialised; cancel() may be called from any thread and ends the current wait.
class Reader {
 public:
  struct Options {
    std::chrono::milliseconds command_timeout{1000};  ///< per command, incl. a 2 kB read
    std::chrono::milliseconds poll_interval{100};     ///< between find-card attempts
  };

  explicit Reader(std::unique_ptr<Transport> transport) : Reader(std::move(transport), Options{}) {}
  Reader(std::unique_ptr<Transport> transport, Options options);

  /// Sends one command and returns the reader's response frame, whatever its SW3.
  Result<Response> transact(const Command& command);
  /// true when a card lies on the reader and answered; false when none is there (SW3 80).
  Result<bool> find_card();
  Status select_card();
  /// Reads the base message (text + photo) of the selected card.
  Result<IdentityCard> read_base();
  /// find + select + read, once.
  Result<IdentityCard> read_card();
  /// Polls for a card until one is laid or `timeout` passes, then reads it.
  Result<IdentityCard> wait_and_read(std::chrono::milliseconds timeout);
  void cancel();

  DeviceState state() const { return state_.load(); }
  const std::string& port() const { return port_; }

 private:
  Result<std::vector<uint8_t>> read_frame(Transport::Clock::time_point deadline);
  Status expect_ok(const Result<Response>& response, uint8_t ok_sw3);

  std::unique_ptr<Transport> transport_;
  Options options_;
  std::string port_;
  std::mutex command_mutex_;
  std::atomic<DeviceState> state_{DeviceState::kOnline};
  std::atomic<bool> canceled_{false};
  std::mutex wait_mutex_;
  std::condition_variable wait_cv_;
};

}  // namespace smzc::idcard

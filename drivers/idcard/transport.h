// Byte transports between the host and an ID-card reader.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "base/status.h"

namespace smzc::idcard {

/// A byte pipe to a reader. Implementations: SerialTransport (termios); USB bulk comes with the
/// USB issue. Every read waits at most until its deadline, and cancel() from another thread ends
/// a wait early with Completion::kCanceled.
class Transport {
 public:
  using Clock = std::chrono::steady_clock;
  virtual ~Transport() = default;
  virtual Status write(std::span<const uint8_t> bytes, Clock::time_point deadline) = 0;
  /// Reads at least one byte into `buffer`; returns how many.
  virtual Result<size_t> read_some(std::span<uint8_t> buffer, Clock::time_point deadline) = 0;
  /// Drops bytes already received (after a corrupt frame, before a new command).
  virtual void discard_input() = 0;
  virtual void cancel() = 0;
  /// Forgets a cancel() that arrived while nothing was waiting; called as an operation begins.
  virtual void clear_cancel() = 0;
  virtual std::string describe() const = 0;
};

/// A serial line in raw mode (termios), 8N1.
class SerialTransport final : public Transport {
 public:
  /// Opens `path` (e.g. /dev/ttyUSB0, or a pty's far end) at `baud`.
  static Result<std::unique_ptr<SerialTransport>> open(const std::string& path, int baud = 115200);
  ~SerialTransport() override;

  Status write(std::span<const uint8_t> bytes, Clock::time_point deadline) override;
  Result<size_t> read_some(std::span<uint8_t> buffer, Clock::time_point deadline) override;
  void discard_input() override;
  void cancel() override;
  void clear_cancel() override;
  std::string describe() const override { return path_; }

 private:
  SerialTransport(int fd, int cancel_fd, std::string path)
      : fd_(fd), cancel_fd_(cancel_fd), path_(std::move(path)) {}
  // Waits for `events` on the port or a cancel; kSuccess when the port is ready.
  Status wait(short events, Clock::time_point deadline);
  int fd_;
  int cancel_fd_;  // eventfd: a write from cancel() wakes every wait
  std::string path_;
};

}  // namespace smzc::idcard

// The ID-card reader device: find, select and read over any Transport, and a monitor that
// notices cards as they are laid, read and lifted.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "drivers/idcard/card.h"
#include "drivers/idcard/frame.h"
#include "drivers/idcard/transport.h"

namespace smzc::idcard {

/// Where the card stands, as far as the reader can tell.
enum class CardState {
  kAbsent,   ///< no card answered
  kPresent,  ///< a card was read and still lies on the reader (the reader refuses a new find)
};

/// What the monitor reports.
struct ReaderEvent {
  enum class Kind {
    kStatusChanged,  ///< `state` changed (online, offline, noDevice, ...)
    kCardLaid,       ///< a card was found on the reader
    kCardRead,       ///< `card` holds what was read
    kReadFailed,     ///< `error` says why (card moved, unreadable card, ...)
    kCardLifted,     ///< the card that was read is gone
  };
  Kind kind;
  DeviceState state = DeviceState::kOnline;
  std::optional<IdentityCard> card;
  std::optional<Error> error;
};

const char* to_string(ReaderEvent::Kind kind);

/// A SAM reader. Owns its transport. Commands from several threads are serialised; cancel() may
/// be called from any thread and ends the current wait. A running monitor owns the card cycle, so
/// wait_and_read() refuses to run beside it.
class Reader {
 public:
  struct Options {
    std::chrono::milliseconds command_timeout{1000};  ///< per command, incl. a 2 kB read
    std::chrono::milliseconds poll_interval{100};     ///< between find-card attempts
    bool read_fingerprint = false;                    ///< read with 30 10 instead of 30 01
  };
  using Listener = std::function<void(const ReaderEvent&)>;

  explicit Reader(std::unique_ptr<Transport> transport) : Reader(std::move(transport), Options{}) {}
  Reader(std::unique_ptr<Transport> transport, Options options);
  ~Reader();
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  /// Sends one command and returns the reader's response frame, whatever its SW3.
  Result<Response> transact(const Command& command);
  Status reset();
  /// The SAM's id, as "05.01-00012345-0000001234-0000005678".
  Result<std::string> sam_id();
  /// true when a new card lies on the reader; false when none is there, or when the card there
  /// was already read (readers refuse a second find until it is lifted: a state, not an error).
  Result<bool> find_card();
  Status select_card();
  /// Reads the selected card: text and photo (and fingerprint data, which is discarded, when
  /// Options::read_fingerprint is set).
  Result<IdentityCard> read_base();
  /// find + select + read, once.
  Result<IdentityCard> read_card();
  /// Polls for a card until one is laid or `timeout` passes, then reads it. Refused with
  /// kDeviceNotReady while the monitor runs.
  Result<IdentityCard> wait_and_read(std::chrono::milliseconds timeout);
  /// Ends a wait from another thread. The cancel stays in force, refusing waits, until
  /// reset_cancel(): a citizen's "back" that comes before the wait began is not lost.
  void cancel();
  void reset_cancel();
  /// Whether a cancel is in force (the citizen asked to leave).
  bool cancel_requested() const { return canceled_; }

  /// Starts a thread that polls every poll_interval and reports to `listener` (on that thread):
  /// status changes, cards laid, read (with their data) and lifted.
  void start_monitor(Listener listener);
  void stop_monitor();

  DeviceState state() const { return state_.load(); }
  CardState card_state() const { return card_state_.load(); }
  const std::string& port() const { return port_; }

 private:
  // Reads one response frame; `answered` says whether any byte at all came back.
  Result<std::vector<uint8_t>> read_frame(Transport::Clock::time_point deadline, bool& answered);
  Status expect_ok(const Result<Response>& response, uint8_t ok_sw3);
  void set_state(DeviceState state);
  void monitor_loop();
  // Waits one poll interval, or less when cancelled; false when cancelled.
  bool pause(std::chrono::steady_clock::time_point until);

  std::unique_ptr<Transport> transport_;
  Options options_;
  std::string port_;
  std::mutex command_mutex_;
  std::atomic<DeviceState> state_{DeviceState::kOnline};
  std::atomic<CardState> card_state_{CardState::kAbsent};
  std::atomic<bool> canceled_{false};
  std::mutex wait_mutex_;
  std::condition_variable wait_cv_;
  Listener listener_;
  std::atomic<bool> monitoring_{false};
  std::thread monitor_;
};

}  // namespace smzc::idcard

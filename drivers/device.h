// The one shape every device class has (after XFS4IoT and libcamera): an id, a kind, a status
// made of the common device state, a per-class media state and the last error, capabilities, a
// self-test, and status-change events. Per-class interfaces build on it (idcard::CardReader,
// printer::Printer; cameras and scanners follow). The engine, the UI and the diagnostics depend
// on these interfaces, never on a driver class.
#pragma once

#include <functional>
#include <mutex>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "base/deadline.h"
#include "base/listeners.h"
#include "base/status.h"

namespace smzc {

enum class DeviceKind { kCardReader, kPrinter, kCamera, kScanner };
const char* to_string(DeviceKind kind);
/// "idcard", "printer", "camera", "scanner": the names the catalogue's items list as the devices
/// they need, and the configuration's `kind`.
Result<DeviceKind> device_kind_from_string(std::string_view name);

/// The medium a device handles, one vocabulary for every class (XFS4IoT's media and paper
/// states). A class uses the values that fit it; kNotApplicable for none.
enum class MediaState {
  kNotApplicable,
  kUnknown,
  kCardAbsent,
  kCardPresent,
  kPaperOk,
  kPaperLow,
  kPaperOut,
  kPaperJammed,
  kDocumentAbsent,  ///< a scanner's feeder is empty
};
const char* to_string(MediaState state);

/// What a device is doing and can do now.
struct DeviceStatus {
  DeviceState state = DeviceState::kNoDevice;
  MediaState media = MediaState::kUnknown;
  bool cover_open = false;
  Completion last_error = Completion::kSuccess;  ///< of the last command that failed, or success
  std::string detail;                            ///< English, for a technician's log; never shown
                                                 ///< to a citizen, never personal data

  /// Whether a citizen's transaction may count on the device now.
  bool usable() const {
    return (state == DeviceState::kOnline || state == DeviceState::kBusy) &&
           media != MediaState::kPaperOut && media != MediaState::kPaperJammed && !cover_open;
  }
  bool operator==(const DeviceStatus&) const = default;
};

/// One device. Implementations keep their status current and publish every change; status()
/// never blocks on I/O. Commands run in the order they arrive (one at a time per device); every
/// blocking call takes a deadline and a stop token.
///
/// Listeners are called on the thread that noticed the change (a driver's monitor, the device
/// manager's supervisor, or the caller of a command), after the status was stored and with no
/// lock but the one that orders the calls held, so a listener may call status() but must not
/// block for long, nor add or remove listeners. Once remove_listener() returns, that listener is
/// not called again.
class Device {
 public:
  using Listener = std::function<void(const Device&, const DeviceStatus&)>;

  Device(std::string id, DeviceKind kind) : id_(std::move(id)), kind_(kind) {}
  virtual ~Device() = default;
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;

  /// The configuration's id of the device ("reader", "printer", ...).
  const std::string& id() const { return id_; }
  DeviceKind kind() const { return kind_; }
  /// The last status the device published.
  DeviceStatus status() const;
  /// What the device can do (e.g. "read", "usb", "pdf", "pwg-raster"), for diagnostics.
  virtual std::vector<std::string> capabilities() const = 0;
  /// Where the device is reached (a port, a URI), for technicians.
  virtual std::string address() const = 0;
  /// Checks the device end to end without a citizen's data (the reader's SAM answers, the printer
  /// answers its status); publishes what it found.
  virtual Status self_test(Deadline deadline, std::stop_token stop) = 0;
  /// Looks at the device once: notices that it appeared, disappeared or came back, and publishes
  /// the result. The device manager calls it from its supervisor; commands may run beside it.
  virtual void poll(Deadline deadline) = 0;

  /// Adds a listener for status changes; returns its handle for remove_listener().
  int add_listener(Listener listener) { return listeners_.add(std::move(listener)); }
  void remove_listener(int handle) { listeners_.remove(handle); }

 protected:
  /// Stores `status` and, when it differs from the last one, tells the listeners.
  void publish(DeviceStatus status);

 private:
  const std::string id_;
  const DeviceKind kind_;
  std::mutex publish_mutex_;  // one change at a time: stored and told in the same order
  mutable std::mutex mutex_;  // guards status_
  DeviceStatus status_;
  Listeners<Device, DeviceStatus> listeners_;
};

}  // namespace smzc

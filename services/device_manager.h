// The device manager: the terminal's devices as the configuration's `devices` section names
// them, supervised — a device absent at start is fine, one that appears, disappears or comes
// back is noticed — and one status picture that the UI, the heartbeat and diagnostics all read.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "base/listeners.h"
#include "drivers/camera/camera.h"
#include "drivers/device.h"
#include "drivers/idcard/card_reader.h"
#include "drivers/printer/printer.h"
#include "drivers/scanner/scanner.h"

namespace smzc::services {

/// One entry of the configuration's `devices` section.
struct DeviceSpec {
  std::string id;  ///< unique on the terminal, e.g. "reader"
  DeviceKind kind = DeviceKind::kCardReader;
  std::string driver;  ///< idcard: "sam"; printer: "ipp"; camera: "opencv"; scanner: "sane"
  /// A serial port or "usb[:VVVV:PPPP]"; an ipp:// or ipps:// URI; a camera's "/dev/videoN" or
  /// "file:PATH"; a SANE device name.
  std::string address;
  std::map<std::string, std::string> options;  ///< driver options, e.g. {"baud": "115200"}
};

/// One device as the status picture shows it.
struct DeviceEntry {
  std::string id;
  DeviceKind kind;
  std::string address;
  DeviceStatus status;
};

/// Owns the terminal's devices. A supervisor thread polls each one every poll_interval (opening
/// what appeared, dropping what went). Listeners hear every status change of every device, on
/// the thread that noticed it (see Device), never under the manager's lock; once
/// remove_listener() returns, that listener is not called again (so it must not be called from
/// inside a listener).
class DeviceManager {
 public:
  struct Options {
    std::chrono::milliseconds poll_interval{1000};
  };
  using Listener = std::function<void(const DeviceEntry&)>;

  explicit DeviceManager(Options options) : options_(options) {}
  DeviceManager() : DeviceManager(Options{}) {}
  ~DeviceManager();
  DeviceManager(const DeviceManager&) = delete;
  DeviceManager& operator=(const DeviceManager&) = delete;

  /// Makes the device a spec names (nothing is opened yet); an unknown driver is an error.
  static Result<std::unique_ptr<Device>> make_device(const DeviceSpec& spec);
  /// Adds a device (made by make_device(), or a fake); before start(). Ids are unique.
  Status add(std::unique_ptr<Device> device, std::string role = {});
  /// Polls every device once now, then every poll_interval on the supervisor thread.
  void start();
  void stop();
  /// Polls every device once on the calling thread (start-up, and tests that step it).
  void poll_all();

  Device* find(const std::string& id) const;
  /// The first device of a kind, or nullptr when the terminal has none.
  Device* first(DeviceKind kind) const;
  idcard::CardReader* card_reader() const;
  printer::Printer* printer() const;
  /// The camera whose `role` option is "face" (the default) or "document", or nullptr.
  camera::Camera* camera(const std::string& role = "face") const;
  scanner::Scanner* scanner() const;
  /// Every device and its last status, in the order they were added.
  std::vector<DeviceEntry> snapshot() const;
  /// The device kinds this terminal has (whether usable now or not): items needing another kind
  /// are not offered here.
  std::set<std::string> kinds() const;

  int add_listener(Listener listener) { return listeners_.add(std::move(listener)); }
  void remove_listener(int handle) { listeners_.remove(handle); }

 private:
  struct Slot {
    std::unique_ptr<Device> device;
    std::string role;  // a camera's: face | document
    int listener = 0;
  };
  void on_change(const Device& device, const DeviceStatus& status);

  Options options_;
  std::vector<Slot> slots_;  // fixed once started
  Listeners<DeviceEntry> listeners_;
  std::jthread supervisor_;
};

}  // namespace smzc::services

// The card-reader device class: the interface the engine and the UI use, and the SAM reader that
// implements it over a serial port or USB, reopened when it is unplugged and comes back.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "drivers/device.h"
#include "drivers/idcard/reader.h"
#include "drivers/idcard/usb_transport.h"

namespace smzc::idcard {

/// A reader of identity cards. Media state: kCardAbsent or kCardPresent.
class CardReader : public Device {
 public:
  explicit CardReader(std::string id) : Device(std::move(id), DeviceKind::kCardReader) {}
  /// Waits until a card is laid, then reads it. kTimeout at `deadline` (no card was laid),
  /// kCanceled as soon as `stop` is requested (also when it was before the call),
  /// kDeviceNotReady when there is no reader, kInvalidData / kUserError for a card that could
  /// not be read. One wait at a time per reader.
  virtual Result<IdentityCard> wait_for_card(Deadline deadline, std::stop_token stop) = 0;
};

/// A second-generation ID-card reader (SAM) at a port: a serial device path (a udev symlink
/// keeps it stable across replugging) or "usb" / "usb:VVVV:PPPP". Absent at start is fine: poll()
/// opens it once it is there, and notices when it goes (then opens it again when it is back).
class SamCardReader final : public CardReader {
 public:
  struct Options {
    std::string port;
    int baud = 115200;
    Reader::Options reader;
  };
  SamCardReader(std::string id, Options options);
  ~SamCardReader() override;

  std::vector<std::string> capabilities() const override;
  std::string address() const override { return options_.port; }
  Status self_test(Deadline deadline, std::stop_token stop) override;
  void poll(Deadline deadline) override;
  Result<IdentityCard> wait_for_card(Deadline deadline, std::stop_token stop) override;

 private:
  std::shared_ptr<Reader> current();
  // Opens the port and asks the SAM for its id; publishes what it found.
  void open_reader();
  // After a command: publishes the reader's state, and forgets a reader that is gone.
  void settle(const std::shared_ptr<Reader>& reader, Completion last);

  Options options_;
  std::mutex mutex_;  // guards reader_
  std::shared_ptr<Reader> reader_;
  std::atomic<int> waits_{0};  // a citizen's wait owns the reader: poll() only looks on
  std::unique_ptr<UsbHotplugWatch> hotplug_;
  std::atomic<bool> usb_left_{false};
};

}  // namespace smzc::idcard

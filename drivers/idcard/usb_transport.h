// The USB path to a reader: bulk transfers through libusb (iDR200-style readers, 0400:c35a).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "drivers/idcard/transport.h"
#include "drivers/usb_ids.h"

struct libusb_context;
struct libusb_device_handle;

namespace smzc::idcard {

struct UsbOptions {
  uint16_t vendor_id = kIdcardUsbReader.vendor;
  uint16_t product_id = kIdcardUsbReader.product;
  int interface = 0;
  uint8_t out_endpoint = 0x02;
  uint8_t in_endpoint = 0x81;
};

/// A reader on USB. Commands go out as one bulk OUT transfer; answers come back in bulk IN
/// packets that this transport reassembles into the byte stream the frame codec reads.
class UsbTransport final : public Transport {
 public:
  static Result<std::unique_ptr<UsbTransport>> open(const UsbOptions& options = {});
  ~UsbTransport() override;

  Status write(std::span<const uint8_t> bytes, Clock::time_point deadline) override;
  Result<size_t> read_some(std::span<uint8_t> buffer, Clock::time_point deadline) override;
  void discard_input() override { pending_.clear(); }
  void cancel() override { canceled_ = true; }
  void clear_cancel() override { canceled_ = false; }
  std::string describe() const override;

 private:
  UsbTransport(libusb_context* ctx, libusb_device_handle* handle, UsbOptions options,
               int max_packet);
  // One transfer on `endpoint`, in slices short enough to notice cancel() and the deadline.
  Result<size_t> transfer(uint8_t endpoint, uint8_t* data, int length, Clock::time_point deadline);

  libusb_context* ctx_;
  libusb_device_handle* handle_;
  UsbOptions options_;
  int max_packet_;
  std::vector<uint8_t> pending_;  // bytes of an IN packet not yet handed out
  std::atomic<bool> canceled_{false};
};

/// The USB reader `port` names ("usb", or "usb:VVVV:PPPP"); nothing for a serial port.
Result<std::optional<UsbOptions>> usb_port(const std::string& port);
/// Opens the reader named by `port`: "usb" for the USB reader (UsbOptions defaults),
/// "usb:VVVV:PPPP" for another VID:PID, anything else a serial device at `baud`.
Result<std::unique_ptr<Transport>> open_transport(const std::string& port, int baud = 115200);

/// Calls back when a reader with the given VID:PID arrives or leaves (libusb hotplug), on a
/// thread of its own. Readers already plugged in are reported as arrivals at start.
class UsbHotplugWatch {
 public:
  using Listener = std::function<void(bool arrived)>;
  /// kUnsupported where libusb has no hotplug (then poll with UsbTransport::open instead).
  static Result<std::unique_ptr<UsbHotplugWatch>> start(const UsbOptions& options,
                                                        Listener listener);
  ~UsbHotplugWatch();

 private:
  UsbHotplugWatch() = default;
  libusb_context* ctx_ = nullptr;
  int handle_ = 0;
  Listener listener_;
  std::atomic<bool> running_{true};
  std::thread events_;
  friend struct HotplugTrampoline;
};

}  // namespace smzc::idcard

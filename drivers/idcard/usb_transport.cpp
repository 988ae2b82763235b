#include "drivers/idcard/usb_transport.h"

#include <libusb-1.0/libusb.h>

#include <algorithm>
#include <cstdio>

namespace smzc::idcard {
namespace {

constexpr auto kSlice = std::chrono::milliseconds(50);

Error usb_error(int rc, const std::string& what) {
  const Completion code = rc == LIBUSB_ERROR_NO_DEVICE || rc == LIBUSB_ERROR_NOT_FOUND
                              ? Completion::kDeviceNotReady
                          : rc == LIBUSB_ERROR_TIMEOUT ? Completion::kTimeout
                                                       : Completion::kHardwareError;
  return Error{code, what + ": " + libusb_strerror(static_cast<libusb_error>(rc))};
}

}  // namespace

Result<std::unique_ptr<UsbTransport>> UsbTransport::open(const UsbOptions& options) {
  libusb_context* ctx = nullptr;
  if (int rc = libusb_init(&ctx); rc != 0) return usb_error(rc, "libusb_init");
  char id[16];
  std::snprintf(id, sizeof id, "%04x:%04x", options.vendor_id, options.product_id);
  libusb_device_handle* handle =
      libusb_open_device_with_vid_pid(ctx, options.vendor_id, options.product_id);
  if (!handle) {
    libusb_exit(ctx);
    return Error{Completion::kDeviceNotReady, std::string("no USB reader ") + id};
  }
  // A kernel driver (rare for these readers) would hold the interface.
  if (libusb_kernel_driver_active(handle, options.interface) == 1)
    libusb_detach_kernel_driver(handle, options.interface);
  if (int rc = libusb_claim_interface(handle, options.interface); rc != 0) {
    libusb_close(handle);
    libusb_exit(ctx);
    return usb_error(rc, std::string("cannot claim the reader ") + id);
  }
  int max_packet = libusb_get_max_packet_size(libusb_get_device(handle), options.in_endpoint);
  if (max_packet <= 0) max_packet = 64;
  return std::unique_ptr<UsbTransport>(new UsbTransport(ctx, handle, options, max_packet));
}

UsbTransport::UsbTransport(libusb_context* ctx, libusb_device_handle* handle, UsbOptions options,
                           int max_packet)
    : ctx_(ctx), handle_(handle), options_(options), max_packet_(max_packet) {}

UsbTransport::~UsbTransport() {
  libusb_release_interface(handle_, options_.interface);
  libusb_close(handle_);
  libusb_exit(ctx_);
}

std::string UsbTransport::describe() const {
  char text[32];
  std::snprintf(text, sizeof text, "usb:%04x:%04x", options_.vendor_id, options_.product_id);
  return text;
}

Result<size_t> UsbTransport::transfer(uint8_t endpoint, uint8_t* data, int length,
                                      Clock::time_point deadline) {
  for (;;) {
    if (canceled_) return Error{Completion::kCanceled, "canceled"};
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return Error{Completion::kTimeout, "the reader did not answer in time"};
    int done = 0;
    const auto slice = std::min<std::chrono::milliseconds>(left, kSlice);
    int rc = libusb_bulk_transfer(handle_, endpoint, data, length, &done,
                                  static_cast<unsigned>(slice.count()));
    if (rc == 0 || (rc == LIBUSB_ERROR_TIMEOUT && done > 0)) return static_cast<size_t>(done);
    if (rc != LIBUSB_ERROR_TIMEOUT) return usb_error(rc, describe());
  }
}

Status UsbTransport::write(std::span<const uint8_t> bytes, Clock::time_point deadline) {
  std::vector<uint8_t> out(bytes.begin(), bytes.end());
  auto sent = transfer(options_.out_endpoint, out.data(), static_cast<int>(out.size()), deadline);
  if (!sent) return sent.error();
  if (sent.value() != out.size())
    return Error{Completion::kHardwareError, "the reader took a partial command"};
  return ok_status();
}

Result<size_t> UsbTransport::read_some(std::span<uint8_t> buffer, Clock::time_point deadline) {
  // IN transfers always ask for whole packets, or a longer packet would overflow.
  while (pending_.empty()) {
    std::vector<uint8_t> packet(static_cast<size_t>(max_packet_));
    auto got = transfer(options_.in_endpoint, packet.data(), max_packet_, deadline);
    if (!got) return got.error();
    pending_.assign(packet.begin(), packet.begin() + static_cast<long>(got.value()));
  }
  const size_t n = std::min(buffer.size(), pending_.size());
  std::copy_n(pending_.begin(), n, buffer.begin());
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<long>(n));
  return n;
}

Result<std::optional<UsbOptions>> usb_port(const std::string& port) {
  if (port != "usb" && port.rfind("usb:", 0) != 0) return std::optional<UsbOptions>();
  UsbOptions options;
  unsigned vid = 0, pid = 0;
  if (port != "usb") {
    if (std::sscanf(port.c_str(), "usb:%4x:%4x", &vid, &pid) != 2)
      return Error{Completion::kInvalidData, "expected usb:VVVV:PPPP, got " + port};
    options.vendor_id = static_cast<uint16_t>(vid);
    options.product_id = static_cast<uint16_t>(pid);
  }
  return std::optional<UsbOptions>(options);
}

Result<std::unique_ptr<Transport>> open_transport(const std::string& port, int baud) {
  auto usb_options = usb_port(port);
  if (!usb_options) return usb_options.error();
  if (usb_options.value()) {
    auto usb = UsbTransport::open(*usb_options.value());
    if (!usb) return usb.error();
    return std::unique_ptr<Transport>(std::move(usb.value()));
  }
  auto serial = SerialTransport::open(port, baud);
  if (!serial) return serial.error();
  return std::unique_ptr<Transport>(std::move(serial.value()));
}

struct HotplugTrampoline {
  static int callback(libusb_context*, libusb_device*, libusb_hotplug_event event, void* user) {
    auto* watch = static_cast<UsbHotplugWatch*>(user);
    watch->listener_(event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED);
    return 0;
  }
};

Result<std::unique_ptr<UsbHotplugWatch>> UsbHotplugWatch::start(const UsbOptions& options,
                                                                Listener listener) {
  if (!libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG))
    return Error{Completion::kUnsupported, "libusb has no hotplug support here"};
  std::unique_ptr<UsbHotplugWatch> watch(new UsbHotplugWatch());
  watch->listener_ = std::move(listener);
  if (int rc = libusb_init(&watch->ctx_); rc != 0) return usb_error(rc, "libusb_init");
  int rc = libusb_hotplug_register_callback(
      watch->ctx_,
      static_cast<libusb_hotplug_event>(LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED |
                                        LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT),
      LIBUSB_HOTPLUG_ENUMERATE, options.vendor_id, options.product_id, LIBUSB_HOTPLUG_MATCH_ANY,
      &HotplugTrampoline::callback, watch.get(), &watch->handle_);
  if (rc != 0) {
    libusb_exit(watch->ctx_);
    watch->ctx_ = nullptr;
    return usb_error(rc, "libusb_hotplug_register_callback");
  }
  watch->events_ = std::thread([w = watch.get()] {
    while (w->running_) {
      timeval tv{0, 100000};
      libusb_handle_events_timeout_completed(w->ctx_, &tv, nullptr);
    }
  });
  return watch;
}

UsbHotplugWatch::~UsbHotplugWatch() {
  running_ = false;
  if (events_.joinable()) events_.join();
  if (ctx_) {
    libusb_hotplug_deregister_callback(ctx_, handle_);
    libusb_exit(ctx_);
  }
}

}  // namespace smzc::idcard

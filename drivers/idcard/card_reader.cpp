#include "drivers/idcard/card_reader.h"

namespace smzc::idcard {

SamCardReader::SamCardReader(std::string id, Options options)
    : CardReader(std::move(id)), options_(std::move(options)) {
  // USB readers are announced by libusb as they come and go; a serial one is found by poll().
  if (auto usb = usb_port(options_.port); usb && usb.value()) {
    auto watch = UsbHotplugWatch::start(*usb.value(), [this](bool arrived) {
      // No libusb call may be made from its hotplug callback: note it, poll() acts on it.
      if (!arrived) usb_left_ = true;
    });
    if (watch) hotplug_ = std::move(watch.value());
  }
  publish({DeviceState::kNoDevice, MediaState::kUnknown, false, Completion::kSuccess,
           "not opened yet"});
}

SamCardReader::~SamCardReader() {
  hotplug_.reset();
}

std::vector<std::string> SamCardReader::capabilities() const {
  auto usb = usb_port(options_.port);
  return {"read", usb && usb.value() ? "usb" : "serial",
          options_.reader.read_fingerprint ? "fingerprint" : "text-and-photo"};
}

std::shared_ptr<Reader> SamCardReader::current() {
  std::lock_guard lock(mutex_);
  return reader_;
}

void SamCardReader::open_reader() {
  auto transport = open_transport(options_.port, options_.baud);
  if (!transport) {
    publish({DeviceState::kNoDevice, MediaState::kUnknown, false, transport.code(),
             transport.error().message});
    return;
  }
  auto reader = std::make_shared<Reader>(std::move(transport.value()), options_.reader);
  auto sam = reader->sam_id();
  {
    std::lock_guard lock(mutex_);
    reader_ = reader;
  }
  settle(reader, sam.code());
}

void SamCardReader::settle(const std::shared_ptr<Reader>& reader, Completion last) {
  const DeviceState state = reader->state();
  if (state == DeviceState::kNoDevice) {
    // The port is gone (unplugged): forget it, so the next poll opens it afresh.
    std::lock_guard lock(mutex_);
    if (reader_ == reader) reader_.reset();
  }
  const MediaState media = state == DeviceState::kNoDevice               ? MediaState::kUnknown
                           : reader->card_state() == CardState::kPresent ? MediaState::kCardPresent
                                                                         : MediaState::kCardAbsent;
  const bool failed =
      last != Completion::kSuccess && last != Completion::kCanceled && last != Completion::kTimeout;
  publish({state, media, false, failed ? last : Completion::kSuccess,
           state == DeviceState::kOnline ? "" : std::string("reader ") + to_string(state)});
}

void SamCardReader::poll(Deadline) {
  if (usb_left_.exchange(false)) {
    std::lock_guard lock(mutex_);
    reader_.reset();
  }
  auto reader = current();
  if (!reader) return open_reader();
  // A citizen's wait is polling the reader already; it reports what it finds.
  if (waits_ > 0) return;
  auto sam = reader->sam_id();
  settle(reader, sam.code());
}

Status SamCardReader::self_test(Deadline, std::stop_token stop) {
  auto reader = current();
  if (!reader) return Error{Completion::kDeviceNotReady, "no reader at " + options_.port};
  std::stop_callback on_stop(stop, [&reader] { reader->cancel(); });
  auto sam = reader->sam_id();
  reader->reset_cancel();
  settle(reader, sam.code());
  if (!sam) return sam.error();
  return ok_status();
}

Result<IdentityCard> SamCardReader::wait_for_card(Deadline deadline, std::stop_token stop) {
  if (stop.stop_requested()) return Error{Completion::kCanceled, "canceled"};
  auto reader = current();
  if (!reader) return Error{Completion::kDeviceNotReady, "no card reader at " + options_.port};
  ++waits_;
  Result<IdentityCard> card = Error{Completion::kCanceled, "canceled"};
  {
    std::stop_callback on_stop(stop, [&reader] { reader->cancel(); });
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
    if (!stop.stop_requested())
      card = reader->wait_and_read(std::max(left, std::chrono::milliseconds(0)));
  }
  reader->reset_cancel();
  --waits_;
  settle(reader, card.code());
  return card;
}

}  // namespace smzc::idcard

#include "drivers/device.h"

namespace smzc {

const char* to_string(DeviceKind kind) {
  switch (kind) {
    case DeviceKind::kCardReader:
      return "idcard";
    case DeviceKind::kPrinter:
      return "printer";
    case DeviceKind::kCamera:
      return "camera";
    case DeviceKind::kScanner:
      return "scanner";
  }
  return "unknown";
}

Result<DeviceKind> device_kind_from_string(std::string_view name) {
  for (auto k :
       {DeviceKind::kCardReader, DeviceKind::kPrinter, DeviceKind::kCamera, DeviceKind::kScanner})
    if (name == to_string(k)) return k;
  return Error{Completion::kInvalidData, "unknown device kind \"" + std::string(name) + "\""};
}

const char* to_string(MediaState state) {
  switch (state) {
    case MediaState::kNotApplicable:
      return "notApplicable";
    case MediaState::kUnknown:
      return "unknown";
    case MediaState::kCardAbsent:
      return "cardAbsent";
    case MediaState::kCardPresent:
      return "cardPresent";
    case MediaState::kPaperOk:
      return "paperOk";
    case MediaState::kPaperLow:
      return "paperLow";
    case MediaState::kPaperOut:
      return "paperOut";
    case MediaState::kPaperJammed:
      return "paperJammed";
  }
  return "unknown";
}

DeviceStatus Device::status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

int Device::add_listener(Listener listener) {
  std::lock_guard lock(mutex_);
  listeners_.emplace(next_handle_, std::move(listener));
  return next_handle_++;
}

void Device::remove_listener(int handle) {
  std::lock_guard calling(call_mutex_);  // a listener being called finishes first
  std::lock_guard lock(mutex_);
  listeners_.erase(handle);
}

void Device::publish(DeviceStatus status) {
  std::lock_guard calling(call_mutex_);
  std::vector<Listener> to_call;
  {
    std::lock_guard lock(mutex_);
    if (status == status_) return;
    status_ = status;
    for (const auto& [handle, listener] : listeners_) to_call.push_back(listener);
  }
  for (const auto& listener : to_call) listener(*this, status);
}

}  // namespace smzc

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
  static constexpr DeviceKind kKinds[] = {DeviceKind::kCardReader, DeviceKind::kPrinter,
                                          DeviceKind::kCamera, DeviceKind::kScanner};
  if (auto kind = from_string(name, kKinds)) return *kind;
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
    case MediaState::kDocumentAbsent:
      return "documentAbsent";
  }
  return "unknown";
}

DeviceStatus Device::status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

void Device::publish(DeviceStatus status) {
  std::lock_guard order(publish_mutex_);
  {
    std::lock_guard lock(mutex_);
    if (status == status_) return;
    status_ = status;
  }
  listeners_.notify(*this, status);
}

}  // namespace smzc

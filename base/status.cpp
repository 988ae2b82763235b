#include "base/status.h"

#include <ostream>

namespace smzc {

const char* to_string(DeviceState state) {
  switch (state) {
    case DeviceState::kOnline:
      return "online";
    case DeviceState::kOffline:
      return "offline";
    case DeviceState::kNoDevice:
      return "noDevice";
    case DeviceState::kHardwareError:
      return "hardwareError";
    case DeviceState::kUserError:
      return "userError";
    case DeviceState::kBusy:
      return "busy";
  }
  return "unknown";
}

const char* to_string(Completion code) {
  switch (code) {
    case Completion::kSuccess:
      return "success";
    case Completion::kCanceled:
      return "canceled";
    case Completion::kTimeout:
      return "timeout";
    case Completion::kDeviceNotReady:
      return "deviceNotReady";
    case Completion::kHardwareError:
      return "hardwareError";
    case Completion::kInvalidData:
      return "invalidData";
    case Completion::kUserError:
      return "userError";
    case Completion::kUnsupported:
      return "unsupported";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& out, DeviceState state) {
  return out << to_string(state);
}

std::ostream& operator<<(std::ostream& out, Completion code) {
  return out << to_string(code);
}

}  // namespace smzc

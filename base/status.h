// One status and completion vocabulary for every device class, after XFS4IoT.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace smzc {

/// What a device can do right now.
enum class DeviceState { kOnline, kOffline, kNoDevice, kHardwareError, kUserError, kBusy };

/// How one command ended. Every driver call returns one of these.
enum class Completion {
  kSuccess,
  kCanceled,
  kTimeout,
  kDeviceNotReady,
  kHardwareError,
  kInvalidData,
  kUserError,
  kUnsupported,
};

const char* to_string(DeviceState state);
const char* to_string(Completion code);
std::ostream& operator<<(std::ostream& out, DeviceState state);
std::ostream& operator<<(std::ostream& out, Completion code);

/// The value among `all` whose to_string() spelling is `name` (enums are spelled at the JSON,
/// SQL and IPP edges only, and read back through this); none when no value is spelled so.
template <typename E, size_t N>
std::optional<E> from_string(std::string_view name, const E (&all)[N]) {
  for (E e : all)
    if (name == to_string(e)) return e;
  return std::nullopt;
}

/// A failed command: its completion code and a plain sentence for a technician.
struct Error {
  Completion code = Completion::kHardwareError;
  std::string message;
};

/// The value of a command that succeeded, or the Error of one that did not.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}      // NOLINT: implicit on purpose
  Result(Error error) : error_(std::move(error)) {}  // NOLINT

  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }
  const T& value() const& { return *value_; }
  T& value() & { return *value_; }
  T&& value() && { return std::move(*value_); }
  const T* operator->() const { return &*value_; }
  T* operator->() { return &*value_; }
  const Error& error() const { return error_; }
  Completion code() const { return ok() ? Completion::kSuccess : error_.code; }

 private:
  std::optional<T> value_;
  Error error_;
};

/// For commands that return nothing on success.
struct Done {};
using Status = Result<Done>;
inline Status ok_status() {
  return Done{};
}

}  // namespace smzc

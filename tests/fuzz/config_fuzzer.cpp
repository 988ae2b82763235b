// libFuzzer target: a kiosk configuration file as `kiosk` and `kioskctl` read it at start. A wrong
// key, type or value gives one clear error naming it, never a crash.
//
// The device factory is replaced here by one that knows the drivers' names and makes no device
// (the real one opens cameras, SANE and libusb, which this target does not build); what the
// configuration parser does with its answer is what is fuzzed.
#include <cstddef>
#include <cstdint>
#include <string>

#include "services/config.h"

namespace smzc::services {
namespace {
class NoDevice final : public Device {
 public:
  explicit NoDevice(const DeviceSpec& spec) : Device(spec.id, spec.kind) {}
  std::vector<std::string> capabilities() const override { return {}; }
  std::string address() const override { return {}; }
  Status self_test(Deadline, std::stop_token) override { return ok_status(); }
  void poll(Deadline) override {}
};
}  // namespace

Result<std::unique_ptr<Device>> DeviceManager::make_device(const DeviceSpec& spec) {
  for (const char* known : {"sam", "ipp", "opencv", "sane"})
    if (spec.driver == known) return std::unique_ptr<Device>(new NoDevice(spec));
  return Error{Completion::kInvalidData, "unknown driver " + spec.driver};
}
}  // namespace smzc::services

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto config = smzc::services::parse_config(text, "fuzz.json");
  if (!config && config.error().message.empty()) __builtin_trap();  // an error says what is wrong
  return 0;
}

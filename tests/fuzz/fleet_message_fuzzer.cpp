// libFuzzer target: a message as the fleet service receives it from the broker — a topic line,
// then the payload. Anything a terminal (or whoever holds its broker credentials) publishes is
// refused with a reason or kept and shown; never a crash, and the page's rows always serialise.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fleet/fleet_state.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const std::string topic = input.substr(0, newline);
  const std::string payload = newline == std::string::npos ? "" : input.substr(newline + 1);
  smzc::fleet::FleetState state("smzc/v1");
  // Twice, at two times: a first message, then one on top of it, then silence.
  (void)state.apply(topic, payload, 1000);
  (void)state.apply(topic, payload, 2000);
  (void)state.check_silence(10'000'000);
  (void)state.rows().dump();
  return 0;
}

// libFuzzer target: the reader's response decoding, the part that reads bytes from a device.
// Anything a reader (or a broken cable) sends must give a clear error, never a crash.
#include <cstddef>
#include <cstdint>
#include <span>

#include "drivers/idcard/card.h"
#include "drivers/idcard/frame.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> bytes(data, size);
  smzc::idcard::scan_frame(bytes, 3);
  auto response = smzc::idcard::decode_response(bytes);
  if (response) {
    (void)smzc::idcard::decode_base_message(response->data, false);
    (void)smzc::idcard::decode_base_message(response->data, true);
  }
  (void)smzc::idcard::decode_command(bytes);
  if (size >= smzc::idcard::kTextSize)
    (void)smzc::idcard::decode_text(bytes.first(smzc::idcard::kTextSize));
  return 0;
}

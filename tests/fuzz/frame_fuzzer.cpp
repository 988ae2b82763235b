// libFuzzer target: the reader's response decoding, the part that reads bytes from a device.
// Anything a reader (or a broken cable) sends must give a clear error, never a crash.
#include <cstddef>
#include <cstdint>
#include <span>

#include <nlohmann/json.hpp>

#include "base/privacy.h"
#include "drivers/idcard/card.h"
#include "drivers/idcard/frame.h"

namespace {

// What every caller does with a decoded card: mask it for a log, a screen or JSON output. Invalid
// UTF-8 here would make the JSON library throw (and the kiosk abort).
void show_masked(const smzc::Result<smzc::IdentityCard>& card) {
  if (!card) return;
  nlohmann::json j = {{"id_number", smzc::mask_id_number(card->id_number)},
                      {"name", smzc::mask_name(card->name)},
                      {"address", smzc::mask_address(card->address)},
                      {"english_name", smzc::mask_name(card->english_name)},
                      {"pass_number", smzc::mask_id_number(card->pass_number)},
                      {"authority", card->authority}};
  (void)j.dump();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> bytes(data, size);
  smzc::idcard::scan_frame(bytes, 3);
  auto response = smzc::idcard::decode_response(bytes);
  if (response) {
    show_masked(smzc::idcard::decode_base_message(response->data, false));
    show_masked(smzc::idcard::decode_base_message(response->data, true));
  }
  (void)smzc::idcard::decode_command(bytes);
  if (size >= smzc::idcard::kTextSize)
    show_masked(smzc::idcard::decode_text(bytes.first(smzc::idcard::kTextSize)));
  return 0;
}

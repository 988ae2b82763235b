// libFuzzer target: a card file of the reader simulator (drivers/idcard/sim/cards/), and what the
// simulator then does with it: encode the card's text block as a reader would send it, which the
// terminal decodes again. Text that is not valid UTF-8, fields too long for the block, unknown
// card types: a clear error or a card, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "base/privacy.h"
#include "drivers/idcard/card.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto card = smzc::idcard::card_from_json(text, "fuzz.json");
  if (!card) return 0;
  const auto block = smzc::idcard::encode_text(card.value());
  auto decoded = smzc::idcard::decode_text(block);
  if (decoded) (void)smzc::mask_id_number(decoded->id_number);
  return 0;
}

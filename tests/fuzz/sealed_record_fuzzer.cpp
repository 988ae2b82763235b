// libFuzzer target: sealed records (certs/sealing.h) as the store-and-forward queue and the
// reference backend's store open them. Anything as a sealed value is refused or opened, never a
// crash; and a value we sealed, with any of its bytes changed where the input says, does not open:
// a changed byte is always invalid data, never a different plaintext.
#include <cstddef>
#include <cstdint>
#include <string>

#include "certs/sealing.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const smzc::certs::DataKey key = smzc::certs::DataKey::random().value();
  const std::string input(reinterpret_cast<const char*>(data), size);
  const std::string context = "forward_queue:fuzz";
  (void)key.open(input, context);
  if (size < 2) return 0;
  // data[0] splits the input into a plaintext and a list of (position, xor) edits.
  const size_t split = 1 + data[0] % (size - 1);
  const std::string plaintext = input.substr(1, split - 1);
  std::string sealed = key.seal(plaintext, context).value();
  const std::string original = sealed;
  for (size_t i = split; i + 1 < size; i += 2)
    sealed[data[i] % sealed.size()] ^= static_cast<char>(data[i + 1]);
  auto opened = key.open(sealed, context);
  if (sealed == original) {
    if (!opened || opened.value() != plaintext) __builtin_trap();
  } else if (opened) {
    __builtin_trap();  // a changed record opened
  }
  return 0;
}

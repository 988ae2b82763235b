// libsmzc_sim_wlt.so: the simulated cards' photo library. It exports what a vendor's WLT library
// exports, so a terminal configured with it runs the same decoder as one with the real thing
// (drivers/idcard/vendor_photo.h), and it answers in the same layout: 102×126 pixels, blue first,
// the bottom row first. It never writes a file, whatever `save` says. With SMZC_SIM_WLT_FAIL set
// in the environment it fails as a vendor's library does on a damaged chip (answers -3).
#include <cstdlib>
#include <cstring>

#include "drivers/idcard/sim_photo.h"
#include "drivers/idcard/vendor_photo.h"

extern "C" __attribute__((visibility("default"))) int unpack(char* wlt, char* out, int /*save*/) {
  using namespace smzc::idcard;
  if (!wlt || !out) return -1;
  if (const char* fail = std::getenv("SMZC_SIM_WLT_FAIL"); fail && *fail) return -3;
  auto picture =
      decode_sim_photo(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(wlt), kPhotoSize));
  if (!picture) return -2;
  const size_t row = size_t(kChipPhotoWidth) * 3;
  for (int y = 0; y < kChipPhotoHeight; ++y)
    std::memcpy(out + size_t(kChipPhotoHeight - 1 - y) * row, picture->ptr(y), row);
  picture->setTo(cv::Scalar::all(0));
  return 1;
}

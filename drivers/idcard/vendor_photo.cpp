#include "drivers/idcard/vendor_photo.h"

#include <dlfcn.h>

#include <algorithm>
#include <cstring>
#include <vector>

namespace smzc::idcard {

Result<std::unique_ptr<VendorPhotoDecoder>> VendorPhotoDecoder::load(Options options) {
  if (options.library.empty())
    return Error{Completion::kUnsupported, "no WLT photo library is configured"};
  if (options.symbol.empty())
    return Error{Completion::kUnsupported, "the WLT photo library's entry point has no name"};
  dlerror();
  void* handle = dlopen(options.library.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle)
    return Error{Completion::kUnsupported, "cannot load the WLT photo library " +
                                               options.library.string() + ": " + dlerror()};
  void* entry = dlsym(handle, options.symbol.c_str());
  if (!entry) {
    dlclose(handle);
    return Error{Completion::kUnsupported, options.library.string() + " has no entry point " +
                                               options.symbol + " (a WLT photo library's unpack)"};
  }
  return std::unique_ptr<VendorPhotoDecoder>(
      new VendorPhotoDecoder(std::move(options), handle, reinterpret_cast<Unpack>(entry)));
}

VendorPhotoDecoder::~VendorPhotoDecoder() {
  dlclose(handle_);
}

Result<Photo> VendorPhotoDecoder::decode(std::span<const uint8_t> wlt) {
  if (wlt.size() != kPhotoSize)
    return Error{Completion::kInvalidData,
                 "a chip photo is 1,024 bytes of WLT, not " + std::to_string(wlt.size())};
  // The library takes non-const pointers; it gets copies, so it can touch nothing of ours.
  std::vector<char> in(wlt.begin(), wlt.end());
  // Vendor code has been seen to write past 38,556 bytes (a BMP's padded rows); room to spare.
  std::vector<char> out(kChipPhotoBytes + 4096, 0);
  int rc;
  {
    std::lock_guard lock(mutex_);
    rc = unpack_(in.data(), out.data(), options_.save_argument);
  }
  std::fill(in.begin(), in.end(), 0);
  if (rc != 1) {
    std::fill(out.begin(), out.end(), 0);
    return Error{Completion::kInvalidData,
                 "the WLT photo library could not decode the chip photo (it answered " +
                     std::to_string(rc) + ")"};
  }
  Photo photo{kChipPhotoWidth, kChipPhotoHeight, std::vector<uint8_t>(kChipPhotoBytes)};
  const size_t row = size_t(kChipPhotoWidth) * 3;
  for (int y = 0; y < kChipPhotoHeight; ++y) {
    const int from = options_.bottom_up ? kChipPhotoHeight - 1 - y : y;
    const auto* src = reinterpret_cast<const uint8_t*>(out.data()) + size_t(from) * row;
    uint8_t* dst = photo.rgb.data() + size_t(y) * row;
    for (int x = 0; x < kChipPhotoWidth; ++x) {
      const uint8_t* p = src + 3 * x;
      dst[3 * x + 0] = options_.bgr ? p[2] : p[0];
      dst[3 * x + 1] = p[1];
      dst[3 * x + 2] = options_.bgr ? p[0] : p[2];
    }
  }
  std::fill(out.begin(), out.end(), 0);
  return photo;
}

}  // namespace smzc::idcard

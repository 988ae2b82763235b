// The simulated cards' chip photo. A real card's photo block is 1,024 bytes of WLT, which only
// vendor libraries decode; a simulated card carries instead a picture of its made-up holder as
// "SMZCWLT1", a big-endian length and a WebP squeezed into what is left of the 1,024 bytes (as
// lossy as the real thing). libsmzc_sim_wlt.so decodes it through the same `unpack` entry point
// as a vendor's library (drivers/idcard/vendor_photo.h), so the terminal's own decoder is the one
// under test. Simulators only: production binaries never link this.
#pragma once

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <optional>
#include <span>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "base/status.h"
#include "drivers/idcard/vendor_photo.h"

namespace smzc::idcard {

/// `portrait` (BGR) as a simulated chip photo: cropped to `crop` (the whole picture when empty)
/// widened or narrowed to the card's 102:126, scaled to 102×126 and compressed until it fits.
Result<std::vector<uint8_t>> encode_sim_photo(const cv::Mat& portrait, cv::Rect crop = {});

inline constexpr char kSimPhotoMagic[8] = {'S', 'M', 'Z', 'C', 'W', 'L', 'T', '1'};
inline constexpr size_t kSimPhotoHeader = sizeof(kSimPhotoMagic) + 2;

/// The 102×126 BGR picture in a simulated photo block; none when `block` is not one. (Inline:
/// the simulated library is built from this header and OpenCV alone.)
inline std::optional<cv::Mat> decode_sim_photo(std::span<const uint8_t> block) {
  if (block.size() != kPhotoSize || std::memcmp(block.data(), kSimPhotoMagic, 8) != 0)
    return std::nullopt;
  const size_t length = size_t(block[8]) << 8 | block[9];
  if (length == 0 || length > kPhotoSize - kSimPhotoHeader) return std::nullopt;
  const cv::Mat webp(1, int(length), CV_8UC1, const_cast<uint8_t*>(block.data() + kSimPhotoHeader));
  cv::Mat picture = cv::imdecode(webp, cv::IMREAD_COLOR);
  if (picture.cols != kChipPhotoWidth || picture.rows != kChipPhotoHeight) return std::nullopt;
  return picture;
}

/// The simulated WLT library's file (lib/smzc/modules/libsmzc_sim_wlt.so beside the binaries).
std::filesystem::path sim_wlt_library();

}  // namespace smzc::idcard

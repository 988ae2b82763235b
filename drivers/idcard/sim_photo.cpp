#include "drivers/idcard/sim_photo.h"

#include <opencv2/imgproc.hpp>

#include "base/paths.h"

namespace smzc::idcard {

Result<std::vector<uint8_t>> encode_sim_photo(const cv::Mat& portrait, cv::Rect crop) {
  if (portrait.empty() || portrait.type() != CV_8UC3)
    return Error{Completion::kInvalidData, "a chip photo is made from a colour picture"};
  if (crop.area() == 0) crop = cv::Rect(0, 0, portrait.cols, portrait.rows);
  crop &= cv::Rect(0, 0, portrait.cols, portrait.rows);
  if (crop.area() == 0) return Error{Completion::kInvalidData, "the crop is outside the picture"};
  // The card's aspect, about the crop's centre, by narrowing whichever side is too long.
  const double aspect = double(kChipPhotoWidth) / kChipPhotoHeight;
  cv::Rect framed = crop;
  if (double(crop.width) / crop.height > aspect)
    framed.width = int(crop.height * aspect);
  else
    framed.height = int(crop.width / aspect);
  framed.x = crop.x + (crop.width - framed.width) / 2;
  framed.y = crop.y + (crop.height - framed.height) / 2;
  cv::Mat small;
  cv::resize(portrait(framed), small, {kChipPhotoWidth, kChipPhotoHeight}, 0, 0, cv::INTER_AREA);
  // The best WebP that fits (a JPEG's tables alone take half of the 1,024 bytes): as lossy as
  // the real chip photo's wavelet coding.
  for (bool colour : {true, false}) {
    cv::Mat picture = small;
    if (!colour) cv::cvtColor(small, picture, cv::COLOR_BGR2GRAY);
    for (int quality = 90; quality >= 5; quality -= 5) {
      std::vector<uint8_t> coded;
      if (!cv::imencode(".webp", picture, coded, {cv::IMWRITE_WEBP_QUALITY, quality}))
        return Error{Completion::kHardwareError, "cannot encode the chip photo"};
      if (coded.size() + kSimPhotoHeader > kPhotoSize) continue;
      std::vector<uint8_t> block(kPhotoSize, 0);
      std::memcpy(block.data(), kSimPhotoMagic, sizeof(kSimPhotoMagic));
      block[8] = uint8_t(coded.size() >> 8);
      block[9] = uint8_t(coded.size() & 0xff);
      std::memcpy(block.data() + kSimPhotoHeader, coded.data(), coded.size());
      return block;
    }
  }
  return Error{Completion::kInvalidData, "the picture does not fit in a chip's 1,024 bytes"};
}

std::filesystem::path sim_wlt_library() {
  return module_file("libsmzc_sim_wlt.so");
}

}  // namespace smzc::idcard

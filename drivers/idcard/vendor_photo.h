// The chip photo through the reader vendor's WLT library. WLT is proprietary: only the SAM and
// reader vendors' libraries decode it, and none of them is ours to ship. Every Linux build seen
// in public callers (libwlt.so, libwlt2bmp.so, ZKTeco's ZKID_PHunpack) exports the same
// de-facto entry point, which this loads with dlopen from a configured path:
//
//   int unpack(char* wlt /* 1,024 bytes */, char* out /* 102×126×3 bytes */, int save);
//
// 1 means decoded. Facts and callers: shared/research/face-models.md §5.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "drivers/idcard/card.h"

namespace smzc::idcard {

inline constexpr int kChipPhotoWidth = 102;
inline constexpr int kChipPhotoHeight = 126;
inline constexpr size_t kChipPhotoBytes = size_t(kChipPhotoWidth) * kChipPhotoHeight * 3;

/// A PhotoDecoder over a vendor library's `unpack`. Calls are serialised: vendor libraries make
/// no promise about threads. The library stays loaded for the life of the decoder.
class VendorPhotoDecoder final : public PhotoDecoder {
 public:
  struct Options {
    std::filesystem::path library;  ///< e.g. /opt/vendor/lib/libwlt.so
    std::string symbol = "unpack";  ///< ZKTeco's builds: ZKID_PHunpack
    /// How the library lays out its 38,556 bytes. The defaults are a BMP's pixel rows (blue
    /// first, bottom row first), which is what the libraries write to zp.bmp; check them on the
    /// site's reader with `kioskctl idcard photo`.
    bool bgr = true;
    bool bottom_up = true;
    /// The third argument. Some builds write ./zp.bmp when it is non-zero: a face on disk, so
    /// 0 unless the vendor says otherwise.
    int save_argument = 0;
  };

  /// Opens the library and finds the symbol; kUnsupported when either is missing.
  static Result<std::unique_ptr<VendorPhotoDecoder>> load(Options options);
  ~VendorPhotoDecoder() override;
  VendorPhotoDecoder(const VendorPhotoDecoder&) = delete;
  VendorPhotoDecoder& operator=(const VendorPhotoDecoder&) = delete;

  /// The photo as 102×126 RGB. kInvalidData when `wlt` is not 1,024 bytes or the library says
  /// it cannot decode it. The library's buffer is wiped before this returns.
  Result<Photo> decode(std::span<const uint8_t> wlt) override;

  const Options& options() const { return options_; }

 private:
  using Unpack = int (*)(char*, char*, int);
  VendorPhotoDecoder(Options options, void* handle, Unpack unpack)
      : options_(std::move(options)), handle_(handle), unpack_(unpack) {}

  Options options_;
  void* handle_;
  Unpack unpack_;
  std::mutex mutex_;
};

}  // namespace smzc::idcard

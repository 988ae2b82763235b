// OpenCV's image files and video capture, loaded the first time they are needed. Its videoio and
// imgcodecs libraries bring some 200 more (GStreamer, FFmpeg, GDAL…) that cost a terminal 90 ms
// and 60 MiB at every start; a terminal without cameras, or one at its attract screen, never
// needs them. They live in the module libsmzc_opencv_io.so (lib/smzc/modules beside the
// binaries' folder, as installed and in the build tree), which this opens once, on first use.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "base/status.h"

namespace smzc::camera::io {

/// `image` encoded as `extension` (".png", ".jpg") with OpenCV's `params`.
Result<std::vector<unsigned char>> encode(const std::string& extension, const cv::Mat& image,
                                          const std::vector<int>& params = {});
/// The image file at `path` (cv::IMREAD_* `flags`); an error when it cannot be read.
Result<cv::Mat> read(const std::string& path, int flags);

/// A video source: a V4L2 device, or a video file or image sequence. Not thread-safe: one
/// grabbing thread owns it.
class Capture {
 public:
  /// A V4L2 device ("/dev/videoN", or its index "N") asked for `width`×`height`.
  static Result<std::unique_ptr<Capture>> open_live(const std::string& address, int width,
                                                    int height);
  /// A video file, or an image sequence when `path` is a printf pattern ("frames/%03d.png").
  static Result<std::unique_ptr<Capture>> open_file(const std::string& path);
  ~Capture();
  Capture(const Capture&) = delete;
  Capture& operator=(const Capture&) = delete;
  /// The next frame; false at the end of a file or when a device sent none.
  bool read(cv::Mat& frame);
  /// Back to the first frame (files); false when the source cannot.
  bool rewind();

 private:
  explicit Capture(void* source) : source_(source) {}
  void* source_;  // the module's, closed by it
};

}  // namespace smzc::camera::io

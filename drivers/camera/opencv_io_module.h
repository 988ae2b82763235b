// The table of functions libsmzc_opencv_io.so exports (drivers/camera/opencv_io.h loads it).
// Both sides are built from this tree together; `version` guards against a stale module.
#pragma once

#include <cstddef>
#include <vector>

#include <opencv2/core/mat.hpp>

namespace smzc::camera::io {

struct ModuleTable {
  static constexpr int kVersion = 1;
  int version;
  bool (*encode)(const char* extension, const cv::Mat& image, const int* params, size_t count,
                 std::vector<unsigned char>& out);
  bool (*read)(const char* path, int flags, cv::Mat& out);
  void* (*open_live)(const char* address, int width, int height);  // null: cannot open
  void* (*open_file)(const char* path);
  bool (*grab)(void* source, cv::Mat& frame);
  bool (*rewind)(void* source);
  void (*close)(void* source);
};

}  // namespace smzc::camera::io

/// The module's one symbol.
extern "C" const smzc::camera::io::ModuleTable* smzc_opencv_io_module();

// libsmzc_opencv_io.so: OpenCV's videoio and imgcodecs behind a table of plain functions, loaded
// by drivers/camera/opencv_io.cpp when first needed.
#include "drivers/camera/opencv_io_module.h"

#include <algorithm>
#include <cctype>
#include <string>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/videoio.hpp>

namespace smzc::camera::io {
namespace {

bool encode(const char* extension, const cv::Mat& image, const int* params, size_t count,
            std::vector<unsigned char>& out) {
  try {
    return cv::imencode(extension, image, out, std::vector<int>(params, params + count));
  } catch (const cv::Exception&) {
    return false;
  }
}

bool read(const char* path, int flags, cv::Mat& out) {
  try {
    out = cv::imread(path, flags);
    return !out.empty();
  } catch (const cv::Exception&) {
    return false;
  }
}

void* open_live(const char* address, int width, int height) {
  auto capture = std::make_unique<cv::VideoCapture>();
  const std::string a = address;
  const bool index = !a.empty() && std::all_of(a.begin(), a.end(), ::isdigit);
  const bool opened =
      index ? capture->open(std::stoi(a), cv::CAP_V4L2) : capture->open(a, cv::CAP_V4L2);
  if (!opened) return nullptr;
  capture->set(cv::CAP_PROP_FRAME_WIDTH, width);
  capture->set(cv::CAP_PROP_FRAME_HEIGHT, height);
  return capture.release();
}

void* open_file(const char* path) {
  auto capture = std::make_unique<cv::VideoCapture>();
  const std::string p = path;
  if (!capture->open(p, p.find('%') != std::string::npos ? cv::CAP_IMAGES : cv::CAP_ANY))
    return nullptr;
  return capture.release();
}

bool grab(void* source, cv::Mat& frame) {
  return static_cast<cv::VideoCapture*>(source)->read(frame) && !frame.empty();
}

bool rewind(void* source) {
  return static_cast<cv::VideoCapture*>(source)->set(cv::CAP_PROP_POS_FRAMES, 0);
}

void close(void* source) {
  delete static_cast<cv::VideoCapture*>(source);
}

constexpr ModuleTable kTable{
    ModuleTable::kVersion, encode, read, open_live, open_file, grab, rewind, close};

}  // namespace
}  // namespace smzc::camera::io

extern "C" const smzc::camera::io::ModuleTable* smzc_opencv_io_module() {
  return &smzc::camera::io::kTable;
}

#include "drivers/camera/opencv_io.h"

#include <dlfcn.h>

#include <mutex>

#include "base/paths.h"
#include "drivers/camera/opencv_io_module.h"

namespace smzc::camera::io {
namespace {

// The module, opened once for the life of the process (never closed: OpenCV's backends keep
// threads and state of their own).
Result<const ModuleTable*> module() {
  static std::once_flag once;
  static Result<const ModuleTable*> table = Error{Completion::kUnsupported, "not loaded"};
  std::call_once(once, [] {
    const auto path = module_file("libsmzc_opencv_io.so");
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      table = Error{Completion::kUnsupported,
                    "cannot load the image and video module " + path.string() + ": " + dlerror()};
      return;
    }
    using Entry = const ModuleTable* (*)();
    auto entry = reinterpret_cast<Entry>(dlsym(handle, "smzc_opencv_io_module"));
    const ModuleTable* t = entry ? entry() : nullptr;
    if (!t || t->version != ModuleTable::kVersion)
      table = Error{Completion::kUnsupported, path.string() + " is not this build's module"};
    else
      table = t;
  });
  return table;
}

}  // namespace

Result<std::vector<unsigned char>> encode(const std::string& extension, const cv::Mat& image,
                                          const std::vector<int>& params) {
  auto m = module();
  if (!m) return m.error();
  std::vector<unsigned char> out;
  if (!m.value()->encode(extension.c_str(), image, params.data(), params.size(), out))
    return Error{Completion::kHardwareError, "cannot encode the image as " + extension};
  return out;
}

Result<cv::Mat> read(const std::string& path, int flags) {
  auto m = module();
  if (!m) return m.error();
  cv::Mat out;
  if (!m.value()->read(path.c_str(), flags, out))
    return Error{Completion::kInvalidData, "cannot read the image " + path};
  return out;
}

Result<std::unique_ptr<Capture>> Capture::open_live(const std::string& address, int width,
                                                    int height) {
  auto m = module();
  if (!m) return m.error();
  void* source = m.value()->open_live(address.c_str(), width, height);
  if (!source) return Error{Completion::kDeviceNotReady, "cannot open the camera " + address};
  return std::unique_ptr<Capture>(new Capture(source));
}

Result<std::unique_ptr<Capture>> Capture::open_file(const std::string& path) {
  auto m = module();
  if (!m) return m.error();
  void* source = m.value()->open_file(path.c_str());
  if (!source) return Error{Completion::kDeviceNotReady, "cannot open " + path};
  return std::unique_ptr<Capture>(new Capture(source));
}

// A Capture exists only once the module is loaded.
Capture::~Capture() {
  module().value()->close(source_);
}

bool Capture::read(cv::Mat& frame) {
  return module().value()->grab(source_, frame);
}

bool Capture::rewind() {
  return module().value()->rewind(source_);
}

}  // namespace smzc::camera::io

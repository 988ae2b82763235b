#include "face/plugin.h"

#include <dlfcn.h>

namespace smzc::face {
namespace {

// A picture as the ABI carries it: continuous 8-bit BGR, borrowed for the call.
smzc_face_image image_of(const cv::Mat& bgr) {
  return {bgr.cols, bgr.rows, int(bgr.step[0]), bgr.data};
}

bool usable(const cv::Mat& m) {
  return !m.empty() && m.type() == CV_8UC3;
}

}  // namespace

Result<std::unique_ptr<Plugin>> Plugin::load(const std::filesystem::path& library) {
  dlerror();
  void* handle = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle)
    return Error{Completion::kUnsupported,
                 "cannot load the face plug-in " + library.string() + ": " + dlerror()};
  auto symbol = [handle](const char* name) { return dlsym(handle, name); };
  auto abi = reinterpret_cast<AbiFn>(symbol("smzc_face_plugin_abi"));
  if (!abi || abi() != SMZC_FACE_PLUGIN_ABI) {
    dlclose(handle);
    return Error{Completion::kUnsupported, library.string() + " is not a face plug-in of ABI " +
                                               std::to_string(SMZC_FACE_PLUGIN_ABI) +
                                               " (smzc_face_plugin.h)"};
  }
  auto match = reinterpret_cast<MatchFn>(symbol("smzc_face_match"));
  auto liveness = reinterpret_cast<LivenessFn>(symbol("smzc_face_liveness"));
  if (!match && !liveness) {
    dlclose(handle);
    return Error{Completion::kUnsupported,
                 library.string() + " exports neither smzc_face_match nor smzc_face_liveness"};
  }
  std::string name = library.filename().string();
  if (auto named = reinterpret_cast<NameFn>(symbol("smzc_face_plugin_name")))
    if (const char* n = named(); n && *n) name = std::string(n).substr(0, 200);
  return std::unique_ptr<Plugin>(new Plugin(handle, std::move(name), match, liveness));
}

Plugin::~Plugin() {
  dlclose(handle_);
}

Result<Plugin::Verdict> Plugin::match(const cv::Mat& live, const cv::Mat& reference) {
  if (!match_) return Error{Completion::kUnsupported, name_ + " has no matcher"};
  if (!usable(live) || !usable(reference))
    return Error{Completion::kInvalidData, "the face plug-in is given colour pictures only"};
  const smzc_face_image a = image_of(live), b = image_of(reference);
  double score = 0;
  int same = 0;
  std::lock_guard lock(mutex_);
  if (const int rc = match_(&a, &b, &score, &same); rc != 0)
    return Error{Completion::kHardwareError,
                 name_ + " could not compare the faces (code " + std::to_string(rc) + ")"};
  return Verdict{same == 1, score};
}

Result<Plugin::Verdict> Plugin::liveness(const std::vector<cv::Mat>& frames) {
  if (!liveness_) return Error{Completion::kUnsupported, name_ + " has no liveness check"};
  std::vector<smzc_face_image> images;
  for (const auto& f : frames) {
    if (!usable(f))
      return Error{Completion::kInvalidData, "the face plug-in is given colour pictures only"};
    images.push_back(image_of(f));
  }
  if (images.empty()) return Error{Completion::kInvalidData, "no frames for the liveness check"};
  double score = 0;
  int live = 0;
  std::lock_guard lock(mutex_);
  if (const int rc = liveness_(images.data(), int(images.size()), &score, &live); rc != 0)
    return Error{Completion::kHardwareError,
                 name_ + " could not check liveness (code " + std::to_string(rc) + ")"};
  return Verdict{live == 1, score};
}

}  // namespace smzc::face

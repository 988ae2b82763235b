// A certified face engine or liveness module behind the terminal's checks: a shared library of
// the C ABI in smzc_face_plugin.h, loaded with dlopen from a configured path. The terminal's own
// engine serves whatever a site does not plug in.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "base/status.h"
#include "face/smzc_face_plugin.h"

namespace smzc::face {

class Plugin {
 public:
  /// Opens the library and checks its ABI version. kUnsupported when it cannot be loaded, is of
  /// another version, or exports neither a matcher nor a liveness check.
  static Result<std::unique_ptr<Plugin>> load(const std::filesystem::path& library);
  ~Plugin();
  Plugin(const Plugin&) = delete;
  Plugin& operator=(const Plugin&) = delete;

  bool matches() const { return match_ != nullptr; }
  bool checks_liveness() const { return liveness_ != nullptr; }
  /// Its own name, or the library's file name.
  const std::string& name() const { return name_; }

  struct Verdict {
    bool yes = false;  ///< the same person; a live person
    double score = 0;  ///< on the plug-in's own scale
  };
  /// The plug-in's decision on two BGR pictures; an error when it has no matcher or cannot
  /// decide (its code in the message).
  Result<Verdict> match(const cv::Mat& live, const cv::Mat& reference);
  Result<Verdict> liveness(const std::vector<cv::Mat>& frames);

 private:
  using AbiFn = int (*)();
  using NameFn = const char* (*)();
  using MatchFn = int (*)(const smzc_face_image*, const smzc_face_image*, double*, int*);
  using LivenessFn = int (*)(const smzc_face_image*, int, double*, int*);
  Plugin(void* handle, std::string name, MatchFn match, LivenessFn liveness)
      : handle_(handle), name_(std::move(name)), match_(match), liveness_(liveness) {}

  void* handle_;
  std::string name_;
  MatchFn match_;
  LivenessFn liveness_;
  std::mutex mutex_;  // one call at a time, as the ABI promises the plug-in
};

}  // namespace smzc::face

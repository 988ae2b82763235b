// The reference backend's stand-in for the register photos a real platform (公安 / CTID) compares
// a face with: a file naming, for each made-up citizen it knows, a picture of them. A face sent
// with an identity check goes through the same pipeline as on the terminal (face/face.h) and is
// compared with the register photo's embedding. Nothing of either picture is kept: only the
// register photos' embeddings, in memory, made on first use.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "base/status.h"
#include "face/face.h"

namespace smzc::backend {

/// backend/data/register.json below data_dir().
std::filesystem::path default_register_path();

/// How a face compared with the register.
struct FaceAnswer {
  std::string face;  ///< matched | not-matched | unusable | no-register-photo | unavailable
  std::optional<double> score;
  std::optional<double> threshold;
};

class FaceRegister {
 public:
  struct Options {
    std::filesystem::path path = default_register_path();
    std::filesystem::path models;  ///< empty: face::default_models_dir()
    double threshold = 0;          ///< 0: face::kDefaultThreshold
  };
  /// Reads the register file (the pictures are read when first compared). A missing file is
  /// an empty register; a malformed one is an error.
  static Result<std::unique_ptr<FaceRegister>> load(Options options);

  /// Compares `image` (JPEG or PNG bytes, at most 2,048 pixels a side) with the register photo
  /// of `id_number`. Thread-safe; one comparison at a time.
  FaceAnswer compare(const std::string& id_number, const std::string& image);

 private:
  explicit FaceRegister(Options options, std::map<std::string, std::filesystem::path> photos)
      : options_(std::move(options)), photos_(std::move(photos)) {}
  Options options_;
  std::map<std::string, std::filesystem::path> photos_;  // id number → register photo
  std::mutex mutex_;
  std::unique_ptr<face::Pipeline> pipeline_;
  std::map<std::string, face::Embedding> embeddings_;  // id number → its photo's embedding
};

}  // namespace smzc::backend

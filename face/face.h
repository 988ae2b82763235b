// 人证核验's pipeline: one path for every face image — a camera frame, the card's chip photo, a
// register photo, a file — from pixels to an embedding that can be compared:
//
//   detection (BlazeFace) → landmarks (FaceMesh, 468 points) → 5-point similarity alignment to a
//   150×150 chip (dlib's layout) → embedding (dlib's ResNet, 128 floats) → Euclidean distance.
//
// The models come from npm packages, converted to ONNX at build time (tools/face-models) and run
// with OpenCV's dnn module. Nothing here touches the disk but the model files; nothing here keeps
// a face after the call that was given it.
#pragma once

#include <array>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "base/status.h"

namespace smzc::face {

/// The converted models, as a manifest names them, each checked against its SHA-256.
struct ModelFiles {
  std::filesystem::path detector;   ///< blazeface.onnx
  std::filesystem::path landmarks;  ///< facemesh.onnx
  std::filesystem::path embedding;  ///< face-recognition.onnx
  /// What the journal records of the models: "human@3.3.6+face-api@1.7.15/<digest prefix>".
  std::string version;
};

/// SMZC_FACE_MODELS when set, else data_dir()/face-models (installed by smzc-face-models).
std::filesystem::path default_models_dir();
/// Reads `dir`/manifest.json and checks every model file's digest; a missing, changed or
/// oversized file is an error naming it.
Result<ModelFiles> find_models(const std::filesystem::path& dir = default_models_dir());

/// A face the detector found, in the image's pixels.
struct Detection {
  cv::Rect2f box;
  /// The subject's right eye, left eye, nose tip, mouth, right ear, left ear (right = the
  /// image's left when the person faces the camera).
  std::array<cv::Point2f, 6> keypoints{};
  float score = 0;  ///< 0..1
};

/// Head pose in degrees: yaw > 0 when the person turns to their left (the image's right), pitch
/// > 0 when they look up, roll > 0 when the head tilts clockwise in the image.
struct Pose {
  double yaw = 0;
  double pitch = 0;
  double roll = 0;
};

/// One face as the landmarks describe it.
struct Observation {
  Detection detection;
  std::vector<cv::Point2f> mesh;  ///< 468 points, image pixels
  float mesh_score = 0;           ///< FaceMesh's own "is this a face", 0..1
  Pose pose;
  double left_eye_open = 0;  ///< eyelid gap / eye width (about 0.25 open, under 0.1 shut)
  double right_eye_open = 0;
  double mouth_open = 0;    ///< lip gap / mouth width
  double eye_distance = 0;  ///< between the eyes' centres, pixels: the face's size
  /// Where the nose tip lies between the face's sides (-1 the subject's right edge, +1 their
  /// left; about 0 facing the camera) and between the eyes and the chin (0 at the eyes, 1 at the
  /// chin). A head that turns or nods moves its nose across its outline; a photograph tilted by
  /// hand hardly does.
  double nose_across = 0;
  double nose_down = 0;
  /// The 5 points the alignment uses: each eye's outer and inner corner, and under the nose.
  std::array<cv::Point2f, 5> alignment_points() const;
};

using Embedding = std::array<float, 128>;

/// The face `d` with a margin of 60 % of its size around it (within the picture): a portrait of
/// its own, cut from a group picture.
cv::Mat portrait_crop(const cv::Mat& picture, const Detection& d);
/// Whether a face looks at the camera squarely (within 8° of yaw and roll, 12° of pitch) and is
/// large enough (40 pixels between the eyes) to stand for someone at a terminal's camera.
bool frontal(const Observation& face);

/// Euclidean distance of two embeddings (0 for the same picture; dlib's own "same person"
/// threshold is 0.6, which is far too lax: docs/cameras.md).
double distance(const Embedding& a, const Embedding& b);
/// The mean of several embeddings of one person (the good frames of one check).
Embedding mean(const std::vector<Embedding>& embeddings);
/// Overwrites an embedding (the session ended).
void wipe(Embedding& e);

/// The side of the aligned face chip the embedding model takes.
inline constexpr int kChipSize = 150;

/// The distance at or under which the terminal takes two faces for the same person. Measured,
/// not dlib's folklore 0.6 (docs/cameras.md): degraded copies of one portrait, down to a 1 KB
/// chip photo, came within 0.46; the 189 pairs of different people in the packages' pictures
/// were 0.54 apart or more. Those pairs cannot show a false-accept rate below 1.6 %: a site
/// calibrates its own threshold on a consented pilot set (`kioskctl face calibrate`).
inline constexpr double kDefaultThreshold = 0.50;

/// Loaded models. Not thread-safe (dnn nets keep buffers): one per thread. Several hundred KB of
/// weights each, 30 MB in all; loading takes about 100 ms.
class Pipeline {
 public:
  static Result<std::unique_ptr<Pipeline>> load(const ModelFiles& models);
  ~Pipeline();
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  /// Faces in a BGR image, best first, at least `min_score` sure.
  std::vector<Detection> detect(const cv::Mat& bgr, float min_score = 0.6f);
  /// The landmarks of a detected face; none when FaceMesh does not find a face there.
  std::optional<Observation> observe(const cv::Mat& bgr, const Detection& detection,
                                     float min_score = 0.5f);
  /// The face turned upright and scaled to the 150×150 chip the embedding expects (dlib's
  /// layout: 25 % padding around the eyes-and-nose template).
  /// `size` other than 150 scales the same layout (the larger crop the platform is sent).
  cv::Mat align(const cv::Mat& bgr, const Observation& face, int size = kChipSize) const;
  /// The embedding of an aligned chip.
  Embedding embed(const cv::Mat& chip);

  /// A whole picture to an embedding: its largest face (a photo with none or whose landmarks
  /// fail: kInvalidData). For a chip photo, a register photo or a file; camera frames go
  /// through the quality gate first (quality.h).
  struct Sample {
    Observation face;
    cv::Mat chip;
    Embedding embedding{};
  };
  Result<Sample> sample(const cv::Mat& bgr);

  const std::string& version() const { return version_; }

 private:
  struct Nets;
  Pipeline(std::unique_ptr<Nets> nets, std::string version);
  std::unique_ptr<Nets> nets_;
  std::string version_;
};

}  // namespace smzc::face

// What the terminal sees in camera frames: a face fit for 人证核验 (with a liveness gate), QR
// codes, and a paper page on the document camera. Pure functions of pixels: no device, no I/O
// but the detector's model file, so they serve the engine, kioskctl and the tests alike.
#pragma once

#include <array>
#include <filesystem>
#include <opencv2/core.hpp>
#include <opencv2/objdetect.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace smzc::camera {

/// One instruction to the person at the camera, one vocabulary for faces and pages; the UI
/// words it in the citizen's language.
enum class Advice {
  kGood,
  kNoFace,        ///< look at the camera
  kSeveralFaces,  ///< only the applicant in front of the camera
  kComeCloser,
  kMoveToCentre,
  kTooDark,
  kTooBright,
  kHoldStill,  ///< the picture is blurred
  kNotLive,    ///< the same picture again and again: a photograph, not a person
  kNoPage,     ///< lay the page under the camera
  kPageCut,    ///< part of the page is outside the picture
  kGlare,      ///< light reflects off the page
  // The face check's quality gate and liveness challenge (face/check.h).
  kLookStraight,  ///< face the camera: the head is turned or tilted
  kOpenEyes,
  kTurnLeft,  ///< turn the head to your left
  kTurnRight,
  kNod,
  kBlink,
  kOpenMouth,
  kTryAgain,  ///< the face was not verified: once more
};
const char* to_string(Advice advice);

/// Sharpness: the variance of the Laplacian of `gray` (higher is sharper).
double sharpness(const cv::Mat& gray);

// ---- Faces -------------------------------------------------------------------------------

/// OpenCV's frontal-face cascade (from Debian's opencv-data). One per thread: detection mutates
/// the classifier's buffers.
class FaceDetector {
 public:
  /// The cascade file; default: the one chosen by the comparison in docs/cameras.md.
  static std::filesystem::path default_model();
  static Result<FaceDetector> load(const std::filesystem::path& model = default_model());

  /// Faces in `image` at least `min_fraction` of its height tall, largest first.
  std::vector<cv::Rect> detect(const cv::Mat& image, double min_fraction = 0.12);

 private:
  explicit FaceDetector(cv::CascadeClassifier c) : cascade_(std::move(c)) {}
  cv::CascadeClassifier cascade_;
};

/// How one frame looks for a face check.
struct FaceFinding {
  Advice advice = Advice::kNoFace;
  cv::Rect face;          ///< the face, when there is exactly one
  double sharpness = 0;   ///< of the face, at a fixed scale
  double brightness = 0;  ///< mean grey level of the face, 0..255
};

/// Judges one frame: exactly one frontal face, centred, large enough, sharp and lit well enough.
FaceFinding assess_face(FaceDetector& detector, const cv::Mat& frame);

/// A face check over a run of frames: passes when enough good frames came and the face moved
/// as a living person's does (a still photograph held up gives identical frames and is refused).
/// Keeps the sharpest good frame for the identity check.
class FaceCheck {
 public:
  struct Options {
    int good_frames = 5;  ///< good frames needed before judging liveness
    /// Mean absolute difference (grey levels) of the face between two good frames below which
    /// they count as the same picture.
    double still_difference = 0.8;
  };
  enum class Verdict { kContinue, kPassed, kRefused };

  explicit FaceCheck(FaceDetector& detector) : FaceCheck(detector, Options{}) {}
  FaceCheck(FaceDetector& detector, Options options) : detector_(detector), options_(options) {}

  /// Looks at the next frame; the advice of the moment goes to the citizen.
  Verdict add(const cv::Mat& frame, Advice* advice = nullptr);
  /// The sharpest good frame (passed checks only); empty otherwise.
  const cv::Mat& best() const { return best_; }
  /// Wipes every frame kept.
  void clear();

 private:
  FaceDetector& detector_;
  Options options_;
  cv::Mat last_face_;  // the previous good frame's face, grey, at a fixed size
  cv::Mat best_;
  double best_sharpness_ = -1;
  int good_ = 0;
  int moving_ = 0;  // good frames that differ from the one before
  bool passed_ = false;
};

// ---- QR codes ----------------------------------------------------------------------------

/// The text of every QR code in `image` (zbar: see docs/cameras.md for how it compared with
/// OpenCV's detector). Codes longer than `max_bytes` are ignored.
std::vector<std::string> decode_qr(const cv::Mat& image, size_t max_bytes = 4096);

// ---- Pages on the document camera -------------------------------------------------------

/// A page found in a frame.
struct PageFinding {
  Advice advice = Advice::kNoPage;
  std::array<cv::Point2f, 4> corners{};  ///< top-left, top-right, bottom-right, bottom-left
  double sharpness = 0;
  double glare = 0;  ///< fraction of the page's pixels that are blown out
};

/// Finds the page (the largest four-cornered bright shape) and judges it.
PageFinding find_page(const cv::Mat& frame);
/// The page flattened to an upright A4 image at `dpi` (portrait; a landscape page is turned).
cv::Mat flatten_page(const cv::Mat& frame, const std::array<cv::Point2f, 4>& corners, int dpi);

/// PNG or JPEG ("png", "jpeg") with the resolution recorded in the file, so a printout keeps the
/// page's size.
Result<std::string> encode_image(const cv::Mat& image, const std::string& format, int dpi);
/// One PDF with each image on its own A4 page.
Result<std::string> images_to_pdf(const std::vector<cv::Mat>& pages);

}  // namespace smzc::camera

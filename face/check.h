// The face check at the camera: a quality gate that gives the citizen one instruction at a time,
// several good frames whose embeddings are combined, and an active liveness challenge read from
// the landmarks — a random pair of actions (turn left, turn right, nod, blink, open the mouth)
// that a photograph, a photograph moved by hand or a recording made for another session does not
// follow. It is what it is: a challenge-response gate, not a certified presentation-attack
// detector (ISO/IEC 30107-3); a site that needs one plugs it in (plugin.h).
#pragma once

#include <chrono>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "face/face.h"

namespace smzc::face {

/// What the citizen is asked to do now; the UI words it in their language.
enum class Instruction {
  kGood,
  kNoFace,        ///< look at the camera
  kSeveralFaces,  ///< only the applicant in front of the camera
  kComeCloser,
  kMoveToCentre,
  kLookStraight,  ///< face the camera (the head is turned or tilted)
  kOpenEyes,
  kTooDark,
  kTooBright,
  kHoldStill,  ///< the picture is blurred
  kTurnLeft,   ///< challenge: turn the head to your left
  kTurnRight,
  kNod,  ///< challenge: nod (look down, then up)
  kBlink,
  kOpenMouth,
};
const char* to_string(Instruction instruction);

/// The side of the crop sent to the platform.
inline constexpr int kPlatformCropSize = 300;

/// What a frame must show to count as a good one for comparison.
struct QualityLimits {
  double min_eye_distance = 28;     ///< pixels between the eyes' centres
  double min_face_fraction = 0.15;  ///< of the frame's height, the detector's box
  double max_offcentre = 0.3;       ///< the face's centre from the frame's, fraction of its size
  double max_yaw = 20, max_pitch = 20, max_roll = 20;  ///< degrees
  double min_eye_open = 0.12;
  double min_sharpness = 15;  ///< variance of the Laplacian of the face at the chip's scale
  double min_brightness = 50, max_brightness = 210;  ///< mean grey of the face
};

/// One frame as the gate sees it.
struct Judgement {
  Instruction instruction = Instruction::kNoFace;
  std::optional<Observation> face;  ///< the one face, when there is exactly one
  double sharpness = 0;
  double brightness = 0;
};

/// Judges one camera frame. `centre_matters` is false for pictures that are not a live framing
/// (a chip photo, a file).
Judgement judge(Pipeline& pipeline, const cv::Mat& frame, const QualityLimits& limits = {},
                bool centre_matters = true);

/// The actions a challenge is made of.
inline constexpr Instruction kActions[] = {Instruction::kTurnLeft, Instruction::kTurnRight,
                                           Instruction::kNod, Instruction::kBlink,
                                           Instruction::kOpenMouth};

/// Two different actions drawn at random for one session (std::random_device unless a seed is
/// given, for tests).
std::vector<Instruction> draw_challenge(std::optional<unsigned> seed = std::nullopt,
                                        int actions = 2);

/// What the liveness part of a check concluded.
struct Liveness {
  bool passed = false;
  std::vector<Instruction> challenge;  ///< asked, in order
  int followed = 0;                    ///< how many of them were done in time
  std::string reason;                  ///< why not, for the journal (no personal data)
};

/// A whole face check over camera frames: good frontal frames first, then the challenge, then
/// one more good frontal frame that must still be the same face. Frames come with the time they
/// were taken (steady clock) so limits are in real time and tests can script them.
class LiveCheck {
 public:
  struct Options {
    QualityLimits quality;
    int samples = 3;                     ///< good frontal frames whose embeddings are combined
    std::vector<Instruction> challenge;  ///< empty: none (the liveness gate is left to a plug-in)
    std::chrono::milliseconds action_time{6000};  ///< each action must be done within this
    /// Good frames that are the very same picture (mean absolute difference of the face chip,
    /// grey levels) count as a photograph.
    double still_difference = 0.8;
    // What counts as each action, against the citizen's own rest (the good frames' mean). Set
    // from the measurements in docs/cameras.md: a head turned 35° reads 17-20° of yaw and moves
    // its nose 0.5 across its face, a photograph tilted 50° by hand at most 7° and 0.13.
    double turn_degrees = 12;   ///< yaw, towards the side asked
    double turn_nose = 0.25;    ///< and the nose across the face, the same way
    double nod_nose = 0.07;     ///< the nose down (or up) between eyes and chin, then back
    double blink_ratio = 0.65;  ///< eyes this much as open as at rest count as shut
    double mouth_open = 0.25;   ///< lip gap / mouth width
    /// The face after the challenge against the one before it: further apart than this and
    /// someone else (or another recording) stood in.
    double same_face_distance = 0.45;
    /// Keep every good frame's aligned crop for a liveness plug-in (crops()).
    bool keep_crops = false;
  };
  enum class Verdict { kContinue, kPassed, kRefused };

  LiveCheck(Pipeline& pipeline, Options options);
  ~LiveCheck();

  /// Looks at the next frame. `instruction` says what the citizen is to do now.
  Verdict add(const cv::Mat& frame, std::chrono::steady_clock::time_point taken,
              Instruction* instruction = nullptr);

  /// The combined embedding of the good frames (passed checks only).
  const Embedding& embedding() const { return embedding_; }
  /// The best good frame's face, aligned as the chip is but 300×300: all that is sent to the
  /// platform's comparison (never the frame).
  const cv::Mat& crop() const { return best_crop_; }
  /// Every good frame's crop, in order, when Options::keep_crops (passed checks only).
  const std::vector<cv::Mat>& crops() const { return crops_; }
  const Liveness& liveness() const { return liveness_; }
  /// Wipes every embedding, chip and landmark kept.
  void wipe();

 private:
  enum class Phase { kSampling, kChallenge, kConfirm, kDone };
  Verdict refuse(std::string reason);
  bool action_done(Instruction action, const Observation& face) const;

  Pipeline& pipeline_;
  Options options_;
  Phase phase_ = Phase::kSampling;
  std::vector<Embedding> samples_;
  cv::Mat last_chip_grey_;
  cv::Mat best_crop_;
  std::vector<cv::Mat> crops_;
  double best_sharpness_ = -1;
  bool moved_ = false;
  Embedding embedding_{};
  Liveness liveness_;
  size_t action_ = 0;
  std::chrono::steady_clock::time_point action_started_{};
  bool action_half_done_ = false;  // a nod or a blink: the first half seen
  // The citizen at rest, from the good frames: what the actions are measured against.
  double rest_eye_open_ = 0, rest_yaw_ = 0, rest_across_ = 0, rest_down_ = 0;
};

}  // namespace smzc::face

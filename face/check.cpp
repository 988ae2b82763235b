#include "face/check.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace smzc::face {
namespace {

double laplacian_variance(const cv::Mat& grey) {
  cv::Mat lap;
  cv::Laplacian(grey, lap, CV_64F);
  cv::Scalar mean, stddev;
  cv::meanStdDev(lap, mean, stddev);
  return stddev[0] * stddev[0];
}

}  // namespace

const char* to_string(Instruction instruction) {
  switch (instruction) {
    case Instruction::kGood:
      return "good";
    case Instruction::kNoFace:
      return "no_face";
    case Instruction::kSeveralFaces:
      return "several_faces";
    case Instruction::kComeCloser:
      return "come_closer";
    case Instruction::kMoveToCentre:
      return "move_to_centre";
    case Instruction::kLookStraight:
      return "look_straight";
    case Instruction::kOpenEyes:
      return "open_eyes";
    case Instruction::kTooDark:
      return "too_dark";
    case Instruction::kTooBright:
      return "too_bright";
    case Instruction::kHoldStill:
      return "hold_still";
    case Instruction::kTurnLeft:
      return "turn_left";
    case Instruction::kTurnRight:
      return "turn_right";
    case Instruction::kNod:
      return "nod";
    case Instruction::kBlink:
      return "blink";
    case Instruction::kOpenMouth:
      return "open_mouth";
  }
  return "?";
}

Judgement judge(Pipeline& pipeline, const cv::Mat& frame, const QualityLimits& limits,
                bool centre_matters) {
  Judgement j;
  auto found = pipeline.detect(frame);
  if (found.empty()) return j;
  // A second face counts only when it is large: someone behind the applicant, not a poster.
  if (found.size() > 1 && found[1].box.area() > 0.25 * found[0].box.area()) {
    j.instruction = Instruction::kSeveralFaces;
    return j;
  }
  const Detection& d = found.front();
  if (d.box.height < limits.min_face_fraction * frame.rows) {
    j.instruction = Instruction::kComeCloser;
    return j;
  }
  if (centre_matters) {
    const cv::Point2f centre(d.box.x + d.box.width / 2, d.box.y + d.box.height / 2);
    const double dx = std::abs(centre.x - frame.cols / 2.0) / d.box.width;
    const double dy = std::abs(centre.y - frame.rows / 2.0) / d.box.height;
    if (std::max(dx, dy) > limits.max_offcentre + 0.5 || d.box.x < 0 || d.box.y < 0 ||
        d.box.br().x > frame.cols || d.box.br().y > frame.rows) {
      j.instruction = Instruction::kMoveToCentre;
      return j;
    }
  }
  auto face = pipeline.observe(frame, d);
  if (!face) return j;
  j.face = std::move(face);
  const Observation& f = *j.face;
  if (f.eye_distance < limits.min_eye_distance) {
    j.instruction = Instruction::kComeCloser;
    return j;
  }
  // Light and sharpness of the face itself, at the chip's scale so every size compares.
  const cv::Mat chip = pipeline.align(frame, f);
  if (!chip.empty()) {
    cv::Mat grey;
    cv::cvtColor(chip(cv::Rect(30, 30, 90, 90)), grey, cv::COLOR_BGR2GRAY);
    j.brightness = cv::mean(grey)[0];
    j.sharpness = laplacian_variance(grey);
    grey.setTo(0);
  }
  if (j.brightness < limits.min_brightness) {
    j.instruction = Instruction::kTooDark;
  } else if (j.brightness > limits.max_brightness) {
    j.instruction = Instruction::kTooBright;
  } else if (std::abs(f.pose.yaw) > limits.max_yaw || std::abs(f.pose.pitch) > limits.max_pitch ||
             std::abs(f.pose.roll) > limits.max_roll) {
    j.instruction = Instruction::kLookStraight;
  } else if (std::min(f.left_eye_open, f.right_eye_open) < limits.min_eye_open) {
    j.instruction = Instruction::kOpenEyes;
  } else if (j.sharpness < limits.min_sharpness) {
    j.instruction = Instruction::kHoldStill;
  } else {
    j.instruction = Instruction::kGood;
  }
  return j;
}

std::vector<Instruction> draw_challenge(std::optional<unsigned> seed, int actions) {
  std::vector<Instruction> all(std::begin(kActions), std::end(kActions));
  std::mt19937 random(seed ? *seed : std::random_device{}());
  std::shuffle(all.begin(), all.end(), random);
  // Turning left then right (or back) is one movement a hand can make with a photo; never both.
  std::vector<Instruction> drawn;
  for (Instruction a : all) {
    if (int(drawn.size()) == actions) break;
    const bool turn = a == Instruction::kTurnLeft || a == Instruction::kTurnRight;
    if (turn && std::any_of(drawn.begin(), drawn.end(), [](Instruction d) {
          return d == Instruction::kTurnLeft || d == Instruction::kTurnRight;
        }))
      continue;
    drawn.push_back(a);
  }
  return drawn;
}

LiveCheck::LiveCheck(Pipeline& pipeline, Options options)
    : pipeline_(pipeline), options_(std::move(options)) {
  liveness_.challenge = options_.challenge;
}

LiveCheck::~LiveCheck() {
  wipe();
}

void LiveCheck::wipe() {
  for (auto& e : samples_) face::wipe(e);
  samples_.clear();
  face::wipe(embedding_);
  for (cv::Mat* m : {&last_chip_grey_, &best_crop_}) {
    if (!m->empty()) m->setTo(cv::Scalar::all(0));
    m->release();
  }
  for (auto& m : crops_)
    if (!m.empty()) m.setTo(cv::Scalar::all(0));
  crops_.clear();
}

LiveCheck::Verdict LiveCheck::refuse(std::string reason) {
  liveness_.passed = false;
  liveness_.reason = std::move(reason);
  phase_ = Phase::kDone;
  wipe();
  return Verdict::kRefused;
}

bool LiveCheck::action_done(Instruction action, const Observation& face) const {
  const double eyes = std::min(face.left_eye_open, face.right_eye_open);
  switch (action) {
    case Instruction::kTurnLeft:
      return face.pose.yaw - rest_yaw_ >= options_.turn_degrees &&
             face.nose_across - rest_across_ >= options_.turn_nose;
    case Instruction::kTurnRight:
      return rest_yaw_ - face.pose.yaw >= options_.turn_degrees &&
             rest_across_ - face.nose_across >= options_.turn_nose;
    case Instruction::kOpenMouth:
      return face.mouth_open >= options_.mouth_open;
    case Instruction::kNod:
      return std::abs(face.nose_down - rest_down_) >= options_.nod_nose;
    case Instruction::kBlink:
      return eyes <= options_.blink_ratio * rest_eye_open_;
    default:
      return false;
  }
}

LiveCheck::Verdict LiveCheck::add(const cv::Mat& frame, std::chrono::steady_clock::time_point taken,
                                  Instruction* instruction) {
  auto say = [&](Instruction i) {
    if (instruction) *instruction = i;
  };
  // The good frames' embeddings become the one the check keeps; the frames' own are wiped.
  auto pass = [&] {
    liveness_.passed = true;
    embedding_ = mean(samples_);
    for (auto& e : samples_) face::wipe(e);
    samples_.clear();
    phase_ = Phase::kDone;
    say(Instruction::kGood);
    return Verdict::kPassed;
  };
  if (phase_ == Phase::kDone) {
    say(Instruction::kGood);
    return liveness_.passed ? Verdict::kPassed : Verdict::kRefused;
  }
  if (phase_ == Phase::kChallenge) {
    const Instruction action = options_.challenge[action_];
    if (taken - action_started_ > options_.action_time)
      return refuse(std::string("the challenge was not followed in time: ") + to_string(action));
    say(action);
    // During the challenge the head turns and the eyes shut: the gate's pose and eye limits do
    // not apply, but there must still be exactly one face.
    auto found = pipeline_.detect(frame);
    if (found.size() != 1) return Verdict::kContinue;
    auto face = pipeline_.observe(frame, found.front());
    if (!face) return Verdict::kContinue;
    const bool done = action_done(action, *face);
    // A nod and a blink are two halves: away from rest, then back to it.
    if (action == Instruction::kNod || action == Instruction::kBlink) {
      if (!action_half_done_) {
        action_half_done_ = done;
        return Verdict::kContinue;
      }
      if (done) return Verdict::kContinue;
    } else if (!done) {
      return Verdict::kContinue;
    }
    ++liveness_.followed;
    ++action_;
    action_half_done_ = false;
    action_started_ = taken;
    if (action_ == options_.challenge.size()) phase_ = Phase::kConfirm;
    say(phase_ == Phase::kConfirm ? Instruction::kLookStraight : options_.challenge[action_]);
    return Verdict::kContinue;
  }

  Judgement j = judge(pipeline_, frame, options_.quality);
  say(j.instruction);
  if (j.instruction != Instruction::kGood) return Verdict::kContinue;
  const Observation& face = *j.face;
  cv::Mat chip = pipeline_.align(frame, face);
  if (chip.empty()) return Verdict::kContinue;
  cv::Mat grey;
  cv::cvtColor(chip, grey, cv::COLOR_BGR2GRAY);
  if (!last_chip_grey_.empty() &&
      cv::norm(grey, last_chip_grey_, cv::NORM_L1) / double(grey.total()) >=
          options_.still_difference)
    moved_ = true;
  grey.copyTo(last_chip_grey_);
  grey.setTo(0);
  Embedding e = pipeline_.embed(chip);

  if (phase_ == Phase::kConfirm) {
    // The same face as before the challenge, or someone (something) else finished it.
    const double d = distance(e, mean(samples_));
    face::wipe(e);
    chip.setTo(0);
    if (d > options_.same_face_distance)
      return refuse("the face after the challenge is not the face before it");
    return pass();
  }

  samples_.push_back(e);
  face::wipe(e);
  chip.setTo(0);
  if (options_.keep_crops) crops_.push_back(pipeline_.align(frame, face, kPlatformCropSize));
  if (j.sharpness > best_sharpness_) {
    best_sharpness_ = j.sharpness;
    if (!best_crop_.empty()) best_crop_.setTo(0);
    best_crop_ = pipeline_.align(frame, face, kPlatformCropSize);
  }
  auto running_mean = [n = double(samples_.size())](double& mean, double value) {
    mean = (mean * (n - 1) + value) / n;
  };
  running_mean(rest_eye_open_, std::min(face.left_eye_open, face.right_eye_open));
  running_mean(rest_yaw_, face.pose.yaw);
  running_mean(rest_across_, face.nose_across);
  running_mean(rest_down_, face.nose_down);
  if (int(samples_.size()) < options_.samples) return Verdict::kContinue;
  if (!moved_) return refuse("the face did not move: a photograph, not a person");
  if (options_.challenge.empty()) return pass();
  phase_ = Phase::kChallenge;
  action_ = 0;
  action_started_ = taken;
  say(options_.challenge.front());
  return Verdict::kContinue;
}

}  // namespace smzc::face

// The cameras' simulator: what a camera is shown in tests, benchmarks and the demo, made on the
// spot and replayed through the real driver as an image sequence — real portraits that Debian
// packages ship, placed in frames with a living person's small movements (or held still,
// as a photograph), QR codes made by an encoder and then warped, blurred and shrunk, and a page
// rendered and photographed at an angle.
#pragma once

#include <qrencode.h>

#include <cmath>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace smzc::camera::sim {

/// Portraits of one person each (python-matplotlib-data, opencv-doc; ./dev installs both).
inline const char* const kGraceHopper =
    "/usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg";
inline const char* const kMessi = "/usr/share/doc/opencv-doc/examples/data/messi5.jpg";

/// Loads a picture a scene needs; a missing one is a loud failure (an exception), never a skip.
inline cv::Mat load_picture(const std::string& path) {
  cv::Mat image = cv::imread(path, cv::IMREAD_COLOR);
  if (image.empty())
    throw std::runtime_error("missing test picture " + path +
                             " (./dev installs the package that ships it)");
  return image;
}

/// A person at the face camera: `portrait` scaled so it is `height_fraction` of the frame's
/// height, its centre moved by `shift` pixels from the frame's centre, on a plain wall, with
/// sensor noise from `seed` (none when seed is 0).
inline cv::Mat face_frame(const cv::Mat& portrait, cv::Size size, double height_fraction,
                          cv::Point2d shift = {}, unsigned seed = 0) {
  cv::Mat frame(size, CV_8UC3, cv::Scalar(120, 130, 125));
  const double scale = height_fraction * size.height / portrait.rows;
  cv::Mat scaled;
  cv::resize(portrait, scaled, {}, scale, scale, cv::INTER_AREA);
  const cv::Point2d centre(size.width / 2.0 + shift.x, size.height / 2.0 + shift.y);
  const cv::Rect target(int(centre.x - scaled.cols / 2.0), int(centre.y - scaled.rows / 2.0),
                        scaled.cols, scaled.rows);
  const cv::Rect visible = target & cv::Rect(0, 0, size.width, size.height);
  scaled(cv::Rect(visible.x - target.x, visible.y - target.y, visible.width, visible.height))
      .copyTo(frame(visible));
  if (seed != 0) {
    cv::Mat noise(size, CV_16SC3);
    cv::theRNG().state = seed;
    cv::randn(noise, 0, 3);
    cv::Mat noisy;
    frame.convertTo(noisy, CV_16SC3);
    noisy += noise;
    noisy.convertTo(frame, CV_8UC3);
  }
  return frame;
}

/// A living person: `count` frames in which the head sways a few pixels and the sensor is noisy.
inline std::vector<cv::Mat> living_person(const cv::Mat& portrait, cv::Size size, int count,
                                          double height_fraction = 0.85) {
  std::vector<cv::Mat> frames;
  for (int i = 0; i < count; ++i)
    frames.push_back(face_frame(portrait, size, height_fraction,
                                {3.0 * std::sin(i * 0.9), 2.0 * std::cos(i * 0.7)}, 1000 + i));
  return frames;
}

/// Where a portrait's features are, in its own pixels (the caller finds them, with the face
/// pipeline): what a scripted person needs to blink, open the mouth and turn.
struct FaceLayout {
  cv::Point2f right_eye, left_eye;  ///< the eyes' centres (the subject's right on the image's left)
  cv::Point2f mouth;                ///< between the lips
  float eye_width = 0;              ///< corner to corner
  float mouth_width = 0;
};

/// The portrait's head turned by `yaw` degrees (positive: to the person's left, the image's
/// right) and tilted by `pitch` (positive: up), drawn as a head on a cylinder would turn: the
/// side turning away narrows, the near side widens, the nose moves furthest.
inline cv::Mat turned(const cv::Mat& portrait, const FaceLayout& face, double yaw, double pitch) {
  const cv::Point2f centre = (face.right_eye + face.left_eye) * 0.5f;
  const float eyes = float(cv::norm(face.left_eye - face.right_eye));
  // A head about as wide as twice the eyes' distance: turned by this much, the face model reads
  // the turn as a real one (docs/cameras.md), where a photograph tilted by hand reads far less.
  const double across = 1.0 * eyes, down = 0.9 * eyes;
  const double ty = yaw * CV_PI / 180, tp = -pitch * CV_PI / 180;
  cv::Mat map_x(portrait.size(), CV_32F), map_y(portrait.size(), CV_32F);
  // Each output pixel looks up where its point on the cylinder was before the turn.
  auto back = [](double out, double c, double r, double t) {
    const double u = (out - c) / r;
    if (std::abs(u) >= 1) return out;
    const double before = std::asin(u) - t;
    if (std::abs(before) >= CV_PI / 2) return out;
    return c + r * std::sin(before);
  };
  for (int y = 0; y < portrait.rows; ++y)
    for (int x = 0; x < portrait.cols; ++x) {
      map_x.at<float>(y, x) = float(back(x, centre.x, across, ty));
      map_y.at<float>(y, x) = float(back(y, face.mouth.y * 0.5 + centre.y * 0.5, down, tp));
    }
  cv::Mat out;
  cv::remap(portrait, out, map_x, map_y, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  return out;
}

/// The portrait with both eyes shut: the eyelids (the skin just above each eye) drawn down over
/// them, with the lashes' dark line.
inline cv::Mat eyes_shut(const cv::Mat& portrait, const FaceLayout& face) {
  cv::Mat out = portrait.clone();
  for (const cv::Point2f& eye : {face.right_eye, face.left_eye}) {
    const cv::Size axes(int(face.eye_width * 0.72), int(face.eye_width * 0.42));
    const cv::Point lid(int(eye.x), int(eye.y - face.eye_width * 0.75));
    const cv::Rect sample(lid.x - 3, lid.y - 3, 6, 6);
    const cv::Scalar skin =
        cv::mean(portrait(sample & cv::Rect(0, 0, portrait.cols, portrait.rows)));
    cv::ellipse(out, cv::Point(eye), axes, 0, 0, 360, skin, cv::FILLED, cv::LINE_AA);
    cv::ellipse(out, cv::Point(eye) + cv::Point(0, int(face.eye_width * 0.08)),
                cv::Size(axes.width, int(face.eye_width * 0.12)), 0, 10, 170,
                cv::Scalar(40, 35, 35), std::max(2, int(face.eye_width * 0.06)), cv::LINE_AA);
  }
  cv::GaussianBlur(out, out, {3, 3}, 0);
  return out;
}

/// The portrait with the mouth open: the lips parted over a dark mouth, the chin lowered.
inline cv::Mat mouth_opened(const cv::Mat& portrait, const FaceLayout& face) {
  const float gap = face.mouth_width * 0.45f;
  // Everything below the mouth moves down by the gap, fading out towards the neck.
  cv::Mat map_x(portrait.size(), CV_32F), map_y(portrait.size(), CV_32F);
  const float below = face.mouth_width * 1.6f;
  for (int y = 0; y < portrait.rows; ++y)
    for (int x = 0; x < portrait.cols; ++x) {
      map_x.at<float>(y, x) = float(x);
      const float dy = float(y) - face.mouth.y;
      const float dx = std::abs(float(x) - face.mouth.x) / (face.mouth_width * 1.3f);
      float shift = 0;
      if (dx < 1 && dy > 0) shift = gap * (1 - dx * dx) * std::max(0.f, 1 - (dy - gap) / below);
      map_y.at<float>(y, x) = float(y) - std::min(shift, std::max(0.f, dy));
    }
  cv::Mat out;
  cv::remap(portrait, out, map_x, map_y, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  cv::ellipse(out, cv::Point(face.mouth + cv::Point2f(0, gap * 0.5f)),
              cv::Size(int(face.mouth_width * 0.42), int(gap * 0.5)), 0, 0, 360,
              cv::Scalar(30, 25, 45), cv::FILLED, cv::LINE_AA);
  return out;
}

/// A living person who does what a face check's challenge asks (`actions` by face::to_string
/// name: turn_left, turn_right, nod, blink, open_mouth): a few frames facing the camera, each
/// action in turn and back to rest, and a few facing it again. Frames are `size`, with the small
/// sway and sensor noise of living_person().
inline std::vector<cv::Mat> person_following(const cv::Mat& portrait, const FaceLayout& face,
                                             cv::Size size, const std::vector<std::string>& actions,
                                             double height_fraction = 0.85) {
  std::vector<cv::Mat> frames;
  int i = 0;
  auto add = [&](const cv::Mat& picture) {
    frames.push_back(face_frame(picture, size, height_fraction,
                                {3.0 * std::sin(i * 0.9), 2.0 * std::cos(i * 0.7)}, 1000 + i));
    ++i;
  };
  for (int k = 0; k < 4; ++k) add(portrait);
  for (const auto& action : actions) {
    if (action == "turn_left" || action == "turn_right") {
      const double sign = action == "turn_left" ? 1 : -1;
      for (double a : {12.0, 24.0, 35.0, 35.0, 20.0, 0.0}) add(turned(portrait, face, sign * a, 0));
    } else if (action == "nod") {
      for (double a : {-12.0, -24.0, -35.0, -35.0, -15.0, 0.0, 0.0})
        add(turned(portrait, face, 0, a));
    } else if (action == "blink") {
      const cv::Mat shut = eyes_shut(portrait, face);
      for (const cv::Mat* p : {&shut, &shut, &portrait, &portrait}) add(*p);
    } else if (action == "open_mouth") {
      const cv::Mat open = mouth_opened(portrait, face);
      for (const cv::Mat* p : {&open, &open, &open, &portrait}) add(*p);
    }
  }
  for (int k = 0; k < 3; ++k) add(portrait);
  return frames;
}

/// A photograph held up and tilted by hand about its vertical axis (positive: its right edge
/// away), `degrees` of it, seen by a camera a little over its width away.
inline cv::Mat tilted_photograph(const cv::Mat& portrait, double degrees) {
  const float w = float(portrait.cols), h = float(portrait.rows), f = 1.2f * w;
  const double t = degrees * CV_PI / 180;
  std::vector<cv::Point2f> from = {{0, 0}, {w, 0}, {w, h}, {0, h}}, to;
  for (const auto& p : from) {
    const double x = p.x - w / 2, y = p.y - h / 2;
    const double z = x * std::sin(t), s = f / (f + z);
    to.emplace_back(float(w / 2 + x * std::cos(t) * s), float(h / 2 + y * s));
  }
  cv::Mat out;
  cv::warpPerspective(portrait, out, cv::getPerspectiveTransform(from, to), portrait.size(),
                      cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  return out;
}

/// A photograph held up: the very same frame, `count` times.
inline std::vector<cv::Mat> still_photograph(const cv::Mat& portrait, cv::Size size, int count) {
  const cv::Mat frame = face_frame(portrait, size, 0.85);
  return std::vector<cv::Mat>(size_t(count), frame);
}

/// A QR code of `text` as the encoder made it: `module` pixels per module, four modules of quiet
/// zone, black on white.
inline cv::Mat qr_image(const std::string& text, int module = 8) {
  QRcode* code = QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (!code) throw std::runtime_error("qrencode failed");
  const int side = (code->width + 8) * module;
  cv::Mat image(side, side, CV_8UC1, cv::Scalar(255));
  for (int y = 0; y < code->width; ++y)
    for (int x = 0; x < code->width; ++x)
      if (code->data[y * code->width + x] & 1)
        image(cv::Rect((x + 4) * module, (y + 4) * module, module, module)).setTo(0);
  QRcode_free(code);
  cv::Mat bgr;
  cv::cvtColor(image, bgr, cv::COLOR_GRAY2BGR);
  return bgr;
}

/// `picture` photographed: placed in a `size` frame on a dark desk, its corners at `corners`
/// (top-left, top-right, bottom-right, bottom-left), then blurred by `blur` (pixels, 0: none)
/// with sensor noise.
inline cv::Mat photograph(const cv::Mat& picture, cv::Size size,
                          const std::vector<cv::Point2f>& corners, int blur = 0,
                          cv::Scalar desk = cv::Scalar(60, 55, 50), unsigned seed = 7) {
  const std::vector<cv::Point2f> from = {{0, 0},
                                         {float(picture.cols), 0},
                                         {float(picture.cols), float(picture.rows)},
                                         {0, float(picture.rows)}};
  cv::Mat frame(size, CV_8UC3, desk);
  cv::warpPerspective(picture, frame, cv::getPerspectiveTransform(from, corners), size,
                      cv::INTER_LINEAR, cv::BORDER_TRANSPARENT);
  if (blur > 0) cv::GaussianBlur(frame, frame, {0, 0}, blur);
  cv::Mat noise(size, CV_16SC3), noisy;
  cv::theRNG().state = seed;
  cv::randn(noise, 0, 2);
  frame.convertTo(noisy, CV_16SC3);
  noisy += noise;
  noisy.convertTo(frame, CV_8UC3);
  return frame;
}

/// A printed A4 page at 100 dpi (paper as a document camera exposes it, below white): a title,
/// lines of text and a box.
inline cv::Mat printed_page() {
  cv::Mat page(1169, 827, CV_8UC3, cv::Scalar(228, 228, 228));
  cv::putText(page, "Lease agreement / zu lin he tong", {80, 120}, cv::FONT_HERSHEY_SIMPLEX, 1.1,
              cv::Scalar(20, 20, 20), 2);
  for (int i = 0; i < 22; ++i)
    cv::putText(page, "Clause " + std::to_string(i + 1) + ": the tenant and the landlord agree.",
                {80, 200 + 36 * i}, cv::FONT_HERSHEY_SIMPLEX, 0.7, cv::Scalar(30, 30, 30), 1);
  cv::rectangle(page, cv::Rect(80, 1020, 660, 90), cv::Scalar(30, 30, 30), 2);
  return page;
}

/// Writes `frames` as an image sequence in `dir` (000.png, 001.png, ...) and returns the
/// sequence's pattern for a camera's "file:" address.
inline std::string write_sequence(const std::filesystem::path& dir,
                                  const std::vector<cv::Mat>& frames) {
  std::filesystem::create_directories(dir);
  for (size_t i = 0; i < frames.size(); ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "%03d.png", int(i));
    cv::imwrite((dir / name).string(), frames[i]);
  }
  return (dir / "%03d.png").string();
}

}  // namespace smzc::camera::sim

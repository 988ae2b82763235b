// What the face tests share: the models' reference inputs as the models take them, degraded
// copies of a portrait (genuine pairs), the faces the packages on the machine ship (impostor
// pairs), and a scripted person who follows a challenge.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <opencv2/dnn.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <utility>
#include <vector>

#include "drivers/camera/scenes.h"
#include "face/check.h"
#include "face/face.h"

namespace smzc::testing {

using NamedPicture = std::pair<std::string, cv::Mat>;

/// An RGB picture as `model` ("blazeface.onnx", "facemesh.onnx", "face-recognition.onnx") takes
/// it, per the manifest the converter writes.
inline cv::Mat reference_blob(const cv::Mat& rgb, const std::string& model) {
  if (model == "blazeface.onnx")
    return cv::dnn::blobFromImage(rgb, 1.0 / 127.5, {256, 256}, cv::Scalar::all(127.5), false);
  if (model == "facemesh.onnx")
    return cv::dnn::blobFromImage(rgb, 1.0 / 255, {192, 192}, cv::Scalar(), false);
  return cv::dnn::blobFromImage(rgb, 1.0 / 255, {150, 150}, cv::Scalar(122.782, 117.001, 104.298),
                                false);
}

/// One person's picture made worse in the ways a chip photo or a kiosk camera makes it: each a
/// genuine pair with the original.
inline std::vector<NamedPicture> degradations(const cv::Mat& portrait) {
  std::vector<NamedPicture> out;
  cv::Mat m;
  // A chip photo's size, and its 1 KB compression.
  const double chip = std::min(102.0 / portrait.cols, 126.0 / portrait.rows);
  cv::resize(portrait, m, {}, chip, chip, cv::INTER_AREA);
  out.emplace_back("chip-size", m.clone());
  std::vector<uchar> jpeg;
  cv::imencode(".jpg", m, jpeg, {cv::IMWRITE_JPEG_QUALITY, 25});
  out.emplace_back("chip-size-jpeg-25", cv::imdecode(jpeg, cv::IMREAD_COLOR));
  cv::imencode(".jpg", portrait, jpeg, {cv::IMWRITE_JPEG_QUALITY, 15});
  out.emplace_back("jpeg-15", cv::imdecode(jpeg, cv::IMREAD_COLOR));
  cv::GaussianBlur(portrait, m, {0, 0}, 2.5);
  out.emplace_back("blur", m.clone());
  portrait.convertTo(m, -1, 0.55, 0);
  out.emplace_back("dark", m.clone());
  portrait.convertTo(m, -1, 1.0, 60);
  out.emplace_back("bright", m.clone());
  for (double angle : {-12.0, 12.0}) {
    cv::warpAffine(portrait, m,
                   cv::getRotationMatrix2D({portrait.cols / 2.0f, portrait.rows / 2.0f}, angle, 1),
                   portrait.size(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    out.emplace_back("rotated-" + std::to_string(int(angle)), m.clone());
  }
  cv::cvtColor(portrait, m, cv::COLOR_BGR2GRAY);
  cv::cvtColor(m, m, cv::COLOR_GRAY2BGR);
  out.emplace_back("grey", m.clone());
  return out;
}

/// Where face-api's sample photos were unpacked at build time (tools/face-models/build.sh).
inline std::filesystem::path face_samples_dir() {
  return face::default_models_dir().parent_path() / "face-samples";
}

/// Each face in the picture at `file`, as a portrait of its own (the face with a margin), named
/// by file and place; faces under 60 pixels are left out.
inline std::vector<NamedPicture> face_crops(face::Pipeline& pipeline,
                                            const std::filesystem::path& file) {
  std::vector<NamedPicture> out;
  const cv::Mat picture = cv::imread(file.string(), cv::IMREAD_COLOR);
  EXPECT_FALSE(picture.empty()) << "missing picture " << file;
  if (picture.empty()) return out;
  for (const auto& d : pipeline.detect(picture, 0.75f)) {
    if (d.box.height < 60) continue;  // too small to stand for anyone
    out.emplace_back(file.filename().string() + "@" + std::to_string(int(d.box.x)) + "," +
                         std::to_string(int(d.box.y)),
                     face::portrait_crop(picture, d));
  }
  return out;
}

/// Every face in the pictures the packages on this machine ship: Debian's portraits and
/// face-api's sample photos (group pictures of different people). Each is a different person,
/// as far as anyone can tell: impostor pairs only.
inline std::vector<NamedPicture> known_faces(face::Pipeline& pipeline) {
  std::vector<std::filesystem::path> files = {camera::sim::kGraceHopper, camera::sim::kMessi};
  std::vector<std::filesystem::path> samples;
  std::error_code ec;
  for (const auto& f : std::filesystem::directory_iterator(face_samples_dir(), ec))
    samples.push_back(f.path());
  EXPECT_EQ(samples.size(), 6u) << "face-api's sample photos are not in " << face_samples_dir();
  std::sort(samples.begin(), samples.end());
  files.insert(files.end(), samples.begin(), samples.end());
  std::vector<NamedPicture> out;
  for (const auto& file : files)
    for (auto& crop : face_crops(pipeline, file)) out.push_back(std::move(crop));
  return out;
}

/// The features of `portrait`'s face, for a scripted person.
inline camera::sim::FaceLayout layout_of(face::Pipeline& pipeline, const cv::Mat& portrait) {
  auto s = pipeline.sample(portrait);
  EXPECT_TRUE(s) << s.error().message;
  camera::sim::FaceLayout layout;
  if (!s) return layout;
  const auto p = s->face.alignment_points();
  layout.right_eye = (p[2] + p[3]) * 0.5f;
  layout.left_eye = (p[0] + p[1]) * 0.5f;
  layout.eye_width = float((cv::norm(p[2] - p[3]) + cv::norm(p[0] - p[1])) / 2);
  const auto& m = s->face.mesh;
  layout.mouth = (m[13] + m[14]) * 0.5f;
  layout.mouth_width = float(cv::norm(m[78] - m[308]));
  return layout;
}

/// A person in front of the camera who does what `challenge` asks.
inline std::vector<cv::Mat> person_following(face::Pipeline& pipeline, const cv::Mat& portrait,
                                             cv::Size size,
                                             const std::vector<face::Instruction>& challenge) {
  std::vector<std::string> actions;
  for (auto a : challenge) actions.push_back(face::to_string(a));
  return camera::sim::person_following(portrait, layout_of(pipeline, portrait), size, actions);
}

/// The models, loaded once for the test process (the engine's thread has its own).
inline face::Pipeline& shared_pipeline() {
  static std::unique_ptr<face::Pipeline> loaded = [] {
    auto models = face::find_models();
    EXPECT_TRUE(models) << models.error().message;
    auto p = models ? face::Pipeline::load(models.value())
                    : Result<std::unique_ptr<face::Pipeline>>(models.error());
    EXPECT_TRUE(p) << p.error().message;
    return p ? std::move(p.value()) : nullptr;
  }();
  return *loaded;
}

/// `portrait`'s face as a terminal sends it to the platform: aligned, 300×300, JPEG.
inline std::string platform_crop(const cv::Mat& portrait) {
  auto& pipeline = shared_pipeline();
  auto s = pipeline.sample(portrait);
  EXPECT_TRUE(s) << s.error().message;
  if (!s) return {};
  std::vector<uchar> jpeg;
  cv::imencode(".jpg", pipeline.align(portrait, s->face, face::kPlatformCropSize), jpeg);
  return std::string(jpeg.begin(), jpeg.end());
}

/// `portrait`'s person following the challenges a terminal seeded with `seed` asks on each of
/// `tries` tries, one after the other (a terminal's tries draw from seed, seed + 1, ...).
inline std::vector<cv::Mat> following_challenges(const cv::Mat& portrait, unsigned seed,
                                                 int tries = 1) {
  std::vector<cv::Mat> frames;
  for (int t = 0; t < tries; ++t)
    for (auto& f : person_following(shared_pipeline(), portrait, {1280, 720},
                                    face::draw_challenge(seed + unsigned(t))))
      frames.push_back(std::move(f));
  return frames;
}

/// Someone else than the demo resident: the first face of face-api's sample photos that faces
/// the camera squarely (as a person at the terminal is asked to). Debian's other portrait,
/// opencv-doc's messi5.jpg, holds a face 38 pixels tall: too small to stand at a camera.
inline cv::Mat another_person() {
  std::vector<std::filesystem::path> samples;
  std::error_code ec;
  for (const auto& f : std::filesystem::directory_iterator(face_samples_dir(), ec))
    samples.push_back(f.path());
  std::sort(samples.begin(), samples.end());
  for (const auto& file : samples)
    for (const auto& [name, crop] : face_crops(shared_pipeline(), file)) {
      auto s = shared_pipeline().sample(crop);
      if (s && face::frontal(s->face)) return crop;
    }
  ADD_FAILURE() << "no frontal face among face-api's sample photos in " << face_samples_dir();
  return cv::Mat(300, 300, CV_8UC3, cv::Scalar(120, 130, 125));
}

}  // namespace smzc::testing

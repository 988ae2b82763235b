#include "face/face.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <numeric>
#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

#include "base/paths.h"

namespace smzc::face {
namespace {

constexpr size_t kMaxModelBytes = 64 << 20;
constexpr size_t kMaxManifestBytes = 64 << 10;

std::string sha256_hex(const std::string& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < length; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

// ---- BlazeFace (MediaPipe's back-camera face detector, 256×256) ----------------------------

constexpr int kDetectorSize = 256;

// The detector's anchors, in its input's pixels: a 16×16 grid of stride 16 with 2 anchors a
// cell, then an 8×8 grid of stride 32 with 6 (896 in all), as MediaPipe's and human's
// generateAnchors lay them out.
const std::vector<cv::Point2f>& anchors() {
  static const std::vector<cv::Point2f> all = [] {
    std::vector<cv::Point2f> a;
    const int strides[] = {kDetectorSize / 16, kDetectorSize / 8};
    const int per_cell[] = {2, 6};
    for (int level = 0; level < 2; ++level) {
      const int stride = strides[level];
      const int cells = (kDetectorSize + stride - 1) / stride;
      for (int y = 0; y < cells; ++y)
        for (int x = 0; x < cells; ++x)
          for (int n = 0; n < per_cell[level]; ++n)
            a.emplace_back(stride * (x + 0.5f), stride * (y + 0.5f));
    }
    return a;
  }();
  return all;
}

float sigmoid(float x) {
  return 1.0f / (1.0f + std::exp(-x));
}

// ---- FaceMesh (468 points, 192×192) ---------------------------------------------------------

constexpr int kMeshSize = 192;
constexpr int kMeshPoints = 468;
// The detector's box is widened this much (and made square) before FaceMesh sees it, as human
// does: FaceMesh was trained on crops with the whole head in them.
constexpr float kMeshBoxScale = 1.4f;

// Mesh indices (MediaPipe's canonical face mesh). "Right" is the subject's.
namespace mesh {
constexpr int kRightEyeOuter = 33, kRightEyeInner = 133, kRightEyeUpper = 159, kRightEyeLower = 145;
constexpr int kLeftEyeOuter = 263, kLeftEyeInner = 362, kLeftEyeUpper = 386, kLeftEyeLower = 374;
constexpr int kMouthLeft = 308, kMouthRight = 78, kLipUpper = 13, kLipLower = 14;
constexpr int kUnderNose = 2, kForehead = 10, kChin = 152, kNoseTip = 1;
constexpr int kRightSide = 234, kLeftSide = 454;
}  // namespace mesh

// dlib's 5-point template for its face chips (get_face_chip_details): the subject's left eye
// outer and inner corners, right eye outer and inner, under the nose, as fractions of the
// unpadded face, then padded by 25 % a side.
constexpr double kChipPadding = 0.25;
const std::array<cv::Point2f, 5>& chip_template() {
  static const std::array<cv::Point2f, 5> points = [] {
    const double raw[5][2] = {{0.8595674595992, 0.2134981538014},
                              {0.6460604764104, 0.2289674387677},
                              {0.1205750620789, 0.2137274526848},
                              {0.3340850613712, 0.2290642403242},
                              {0.4901123135679, 0.6277975316567}};
    // dlib's chip pixel c covers template coordinate c + 0.5, hence the half pixel.
    std::array<cv::Point2f, 5> p;
    for (int i = 0; i < 5; ++i)
      p[i] =
          cv::Point2f(float((kChipPadding + raw[i][0]) / (2 * kChipPadding + 1) * kChipSize - 0.5),
                      float((kChipPadding + raw[i][1]) / (2 * kChipPadding + 1) * kChipSize - 0.5));
    return p;
  }();
  return points;
}

// The similarity (rotation, uniform scale, shift) that best maps `from` onto `to` in the least
// squares sense (Umeyama's closed form in 2-D). OpenCV's estimateAffinePartial2D would use RANSAC
// and could drop points; all five count here.
cv::Mat similarity(const std::array<cv::Point2f, 5>& from, const std::array<cv::Point2f, 5>& to) {
  cv::Point2d mf, mt;
  for (size_t i = 0; i < 5; ++i) {
    mf += cv::Point2d(from[i]);
    mt += cv::Point2d(to[i]);
  }
  mf /= 5.0;
  mt /= 5.0;
  double a = 0, b = 0, norm = 0;
  for (size_t i = 0; i < 5; ++i) {
    const cv::Point2d f = cv::Point2d(from[i]) - mf, t = cv::Point2d(to[i]) - mt;
    a += f.x * t.x + f.y * t.y;
    b += f.x * t.y - f.y * t.x;
    norm += f.x * f.x + f.y * f.y;
  }
  if (norm <= 1e-9) return {};
  a /= norm;
  b /= norm;
  cv::Mat m = (cv::Mat_<double>(2, 3) << a, -b, mt.x - (a * mf.x - b * mf.y), b, a,
               mt.y - (b * mf.x + a * mf.y));
  return m;
}

double degrees(double radians) {
  return radians * 180.0 / M_PI;
}

}  // namespace

std::filesystem::path default_models_dir() {
  if (const char* dir = std::getenv("SMZC_FACE_MODELS"); dir && *dir) return dir;
  return data_file("face-models");
}

Result<ModelFiles> find_models(const std::filesystem::path& dir) {
  auto text = read_file(dir / "manifest.json", kMaxManifestBytes);
  if (!text)
    return Error{Completion::kUnsupported,
                 "no face models: " + text.error().message + " (the smzc-face-models package)"};
  const auto manifest = nlohmann::json::parse(text.value(), nullptr, false);
  if (!manifest.is_object() || !manifest.value("models", nlohmann::json()).is_array())
    return Error{Completion::kInvalidData, (dir / "manifest.json").string() + " is not a manifest"};
  ModelFiles files;
  std::string digests, packages;
  auto take = [&](const std::string& file, std::filesystem::path& into) -> Status {
    const auto& models = manifest["models"];
    const auto entry = std::find_if(models.begin(), models.end(), [&](const auto& m) {
      return m.is_object() && m.value("file", std::string()) == file;
    });
    if (entry == models.end() || !entry->value("sha256", nlohmann::json()).is_string())
      return Error{Completion::kInvalidData, "the face-model manifest lacks " + file};
    auto bytes = read_file(dir / file, kMaxModelBytes);
    if (!bytes) return bytes.error();
    const std::string digest = sha256_hex(bytes.value());
    if (digest != (*entry)["sha256"].get<std::string>())
      return Error{Completion::kInvalidData, (dir / file).string() +
                                                 " is not the model the manifest names (SHA-256 " +
                                                 digest.substr(0, 12) + "…)"};
    into = dir / file;
    digests += digest;
    // "@vladmandic/human@3.3.6 package/models/..." names the package it came from.
    std::string source = entry->value("source", std::string("unknown"));
    source = source.substr(0, source.find(' '));
    if (const auto slash = source.rfind('/'); slash != std::string::npos)
      source = source.substr(slash + 1);
    if (packages.find(source) == std::string::npos)
      packages += (packages.empty() ? "" : "+") + source;
    return ok_status();
  };
  for (auto [file, into] :
       {std::pair{"blazeface.onnx", &files.detector}, std::pair{"facemesh.onnx", &files.landmarks},
        std::pair{"face-recognition.onnx", &files.embedding}})
    if (auto s = take(file, *into); !s) return s.error();
  // The packages they came from, and a digest of the three files.
  files.version = packages + "/" + sha256_hex(digests).substr(0, 12);
  return files;
}

std::array<cv::Point2f, 5> Observation::alignment_points() const {
  using namespace mesh;
  return {mesh[kLeftEyeOuter], mesh[kLeftEyeInner], mesh[kRightEyeOuter], mesh[kRightEyeInner],
          mesh[kUnderNose]};
}

cv::Mat portrait_crop(const cv::Mat& picture, const Detection& d) {
  const float margin = 0.6f * std::max(d.box.width, d.box.height);
  const cv::Rect crop = cv::Rect(int(d.box.x - margin), int(d.box.y - margin),
                                 int(d.box.width + 2 * margin), int(d.box.height + 2 * margin)) &
                        cv::Rect(0, 0, picture.cols, picture.rows);
  return crop.area() > 0 ? picture(crop).clone() : cv::Mat();
}

bool frontal(const Observation& face) {
  return std::abs(face.pose.yaw) < 8 && std::abs(face.pose.roll) < 8 &&
         std::abs(face.pose.pitch) < 12 && face.eye_distance > 40;
}

double distance(const Embedding& a, const Embedding& b) {
  double sum = 0;
  for (size_t i = 0; i < a.size(); ++i) sum += double(a[i] - b[i]) * (a[i] - b[i]);
  return std::sqrt(sum);
}

Embedding mean(const std::vector<Embedding>& embeddings) {
  Embedding m{};
  if (embeddings.empty()) return m;
  for (const auto& e : embeddings)
    for (size_t i = 0; i < m.size(); ++i) m[i] += e[i];
  for (float& v : m) v /= float(embeddings.size());
  return m;
}

void wipe(Embedding& e) {
  volatile float* p = e.data();
  for (size_t i = 0; i < e.size(); ++i) p[i] = 0;
}

struct Pipeline::Nets {
  cv::dnn::Net detector, landmarks, embedding;
};

Pipeline::Pipeline(std::unique_ptr<Nets> nets, std::string version)
    : nets_(std::move(nets)), version_(std::move(version)) {}
Pipeline::~Pipeline() = default;

Result<std::unique_ptr<Pipeline>> Pipeline::load(const ModelFiles& models) {
  auto nets = std::make_unique<Nets>();
  try {
    nets->detector = cv::dnn::readNetFromONNX(models.detector.string());
    nets->landmarks = cv::dnn::readNetFromONNX(models.landmarks.string());
    nets->embedding = cv::dnn::readNetFromONNX(models.embedding.string());
  } catch (const cv::Exception& e) {
    return Error{Completion::kInvalidData, std::string("cannot load the face models: ") + e.what()};
  }
  for (auto* net : {&nets->detector, &nets->landmarks, &nets->embedding}) {
    net->setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
    net->setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
  }
  return std::unique_ptr<Pipeline>(new Pipeline(std::move(nets), models.version));
}

std::vector<Detection> Pipeline::detect(const cv::Mat& bgr, float min_score) {
  std::vector<Detection> found;
  if (bgr.empty() || bgr.type() != CV_8UC3) return found;
  // Padded to a square at the top left, so the detector sees the face's true shape.
  const int side = std::max(bgr.cols, bgr.rows);
  cv::Mat square(side, side, CV_8UC3, cv::Scalar::all(0));
  bgr.copyTo(square(cv::Rect(0, 0, bgr.cols, bgr.rows)));
  const cv::Mat blob = cv::dnn::blobFromImage(square, 1.0 / 127.5, {kDetectorSize, kDetectorSize},
                                              cv::Scalar::all(127.5), /*swapRB=*/true, false);
  nets_->detector.setInput(blob);
  std::vector<cv::Mat> outs;
  nets_->detector.forward(outs, nets_->detector.getUnconnectedOutLayersNames());
  const auto& anchor = anchors();
  // Rows of 17 per anchor: the logit, the box and six keypoints. The model gives them as one
  // [1, 896, 17] tensor or as scores and boxes per stride ([1, 512, 1], [1, 512, 16], [1, 384,
  // 1], [1, 384, 16]), told apart by size.
  cv::Mat rows(int(anchor.size()), 17, CV_32F);
  if (outs.size() == 1 && outs[0].total() == anchor.size() * 17) {
    std::copy_n(outs[0].ptr<float>(), anchor.size() * 17, rows.ptr<float>());
  } else if (outs.size() == 4) {
    int filled = 0;
    for (size_t count : {size_t(512), size_t(384)}) {
      const cv::Mat *cls = nullptr, *reg = nullptr;
      for (const auto& o : outs) {
        if (o.total() == count) cls = &o;
        if (o.total() == count * 16) reg = &o;
      }
      if (!cls || !reg) return found;
      for (size_t i = 0; i < count; ++i) {
        float* row = rows.ptr<float>(filled + int(i));
        row[0] = cls->ptr<float>()[i];
        std::copy_n(reg->ptr<float>() + i * 16, 16, row + 1);
      }
      filled += int(count);
    }
  } else {
    return found;
  }
  const float* raw = rows.ptr<float>();
  const float scale = float(side) / kDetectorSize;
  std::vector<cv::Rect2d> boxes;
  std::vector<float> scores;
  std::vector<Detection> candidates;
  for (size_t i = 0; i < anchor.size(); ++i) {
    const float* r = raw + i * 17;
    const float score = sigmoid(std::clamp(r[0], -80.0f, 80.0f));
    if (score < min_score) continue;
    Detection d;
    d.score = score;
    const cv::Point2f centre(r[1] + anchor[i].x, r[2] + anchor[i].y);
    d.box = cv::Rect2f((centre.x - r[3] / 2) * scale, (centre.y - r[4] / 2) * scale, r[3] * scale,
                       r[4] * scale);
    for (int k = 0; k < 6; ++k)
      d.keypoints[k] =
          cv::Point2f((r[5 + 2 * k] + anchor[i].x) * scale, (r[6 + 2 * k] + anchor[i].y) * scale);
    boxes.emplace_back(d.box);
    scores.push_back(score);
    candidates.push_back(d);
  }
  std::vector<int> keep;
  cv::dnn::NMSBoxes(boxes, scores, min_score, 0.3f, keep);
  for (int k : keep) found.push_back(candidates[size_t(k)]);
  std::sort(found.begin(), found.end(),
            [](const Detection& a, const Detection& b) { return a.score > b.score; });
  return found;
}

std::optional<Observation> Pipeline::observe(const cv::Mat& bgr, const Detection& detection,
                                             float min_score) {
  if (bgr.empty() || bgr.type() != CV_8UC3) return std::nullopt;
  // The crop: the detector's box widened and squared, turned so the eyes are level.
  const cv::Point2f right_eye = detection.keypoints[0], left_eye = detection.keypoints[1];
  const double angle = degrees(std::atan2(left_eye.y - right_eye.y, left_eye.x - right_eye.x));
  const cv::Point2f centre(detection.box.x + detection.box.width / 2,
                           detection.box.y + detection.box.height / 2);
  const float side = kMeshBoxScale * std::max(detection.box.width, detection.box.height);
  if (side < 8) return std::nullopt;
  // Image → crop: rotate about the centre by `angle`, scale the box to 192, centre it.
  cv::Mat to_crop = cv::getRotationMatrix2D(centre, angle, kMeshSize / side);
  to_crop.at<double>(0, 2) += kMeshSize / 2.0 - centre.x;
  to_crop.at<double>(1, 2) += kMeshSize / 2.0 - centre.y;
  cv::Mat crop;
  cv::warpAffine(bgr, crop, to_crop, {kMeshSize, kMeshSize}, cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                 cv::Scalar::all(0));
  const cv::Mat blob = cv::dnn::blobFromImage(crop, 1.0 / 255, {kMeshSize, kMeshSize}, cv::Scalar(),
                                              /*swapRB=*/true, false);
  nets_->landmarks.setInput(blob);
  std::vector<cv::Mat> outs;
  nets_->landmarks.forward(outs, nets_->landmarks.getUnconnectedOutLayersNames());
  const cv::Mat* points = nullptr;
  const cv::Mat* score = nullptr;
  for (const auto& o : outs) {
    if (o.total() == size_t(kMeshPoints) * 3) points = &o;
    if (o.total() == 1) score = &o;
  }
  if (!points || !score) return std::nullopt;
  Observation face;
  face.detection = detection;
  const float s = score->ptr<float>()[0];
  face.mesh_score = (s < 0 || s > 1) ? sigmoid(s) : s;
  if (face.mesh_score < min_score) return std::nullopt;
  cv::Mat to_image;
  cv::invertAffineTransform(to_crop, to_image);
  const float* p = points->ptr<float>();
  std::vector<cv::Point2f> in_crop(kMeshPoints);
  std::vector<float> depth(kMeshPoints);
  for (int i = 0; i < kMeshPoints; ++i) {
    in_crop[size_t(i)] = cv::Point2f(p[3 * i], p[3 * i + 1]);
    depth[size_t(i)] = p[3 * i + 2] * side / kMeshSize;
  }
  cv::transform(in_crop, face.mesh, to_image);

  using namespace mesh;
  const auto& m = face.mesh;
  auto gap = [&](int a, int b) { return double(cv::norm(m[size_t(a)] - m[size_t(b)])); };
  const cv::Point2f right_centre = (m[kRightEyeOuter] + m[kRightEyeInner]) * 0.5f;
  const cv::Point2f left_centre = (m[kLeftEyeOuter] + m[kLeftEyeInner]) * 0.5f;
  face.eye_distance = cv::norm(left_centre - right_centre);
  face.right_eye_open =
      gap(kRightEyeUpper, kRightEyeLower) / std::max(1.0, gap(kRightEyeOuter, kRightEyeInner));
  face.left_eye_open =
      gap(kLeftEyeUpper, kLeftEyeLower) / std::max(1.0, gap(kLeftEyeOuter, kLeftEyeInner));
  face.mouth_open = gap(kLipUpper, kLipLower) / std::max(1.0, gap(kMouthLeft, kMouthRight));
  const double width = std::max(1.0, double(m[kLeftSide].x - m[kRightSide].x));
  face.nose_across = ((m[kNoseTip].x - m[kRightSide].x) - (m[kLeftSide].x - m[kNoseTip].x)) / width;
  const double eyes_y = (m[kRightEyeOuter].y + m[kLeftEyeOuter].y) / 2;
  face.nose_down = (m[kNoseTip].y - eyes_y) / std::max(1.0, m[kChin].y - eyes_y);
  // Pose from the mesh's depth, as human's angles.ts reads it: the line between the eyes' outer
  // corners for yaw and roll, forehead to chin for pitch.
  auto z = [&](int i) { return double(depth[size_t(i)]); };
  const cv::Point2f r = m[kRightEyeOuter], l = m[kLeftEyeOuter];
  face.pose.yaw = degrees(std::atan2(z(kLeftEyeOuter) - z(kRightEyeOuter), l.x - r.x));
  face.pose.roll = degrees(std::atan2(l.y - r.y, l.x - r.x));
  const cv::Point2f top = m[kForehead], chin = m[kChin];
  face.pose.pitch = degrees(std::atan2(z(kForehead) - z(kChin), chin.y - top.y));
  return face;
}

cv::Mat Pipeline::align(const cv::Mat& bgr, const Observation& face, int size) const {
  const auto from = face.alignment_points();
  std::array<cv::Point2f, 5> to = chip_template();
  for (auto& p : to) p *= float(size) / kChipSize;
  cv::Mat m = similarity(from, to);
  cv::Mat chip;
  if (m.empty()) return chip;
  // A large face shrunk in one bilinear step aliases; halve it by area first, as dlib's
  // pyramid does, until the warp shrinks by at most half.
  const double scale = std::hypot(m.at<double>(0, 0), m.at<double>(1, 0));
  cv::Mat source = bgr;
  if (scale < 0.5) {
    const double f = 2 * scale;
    cv::resize(bgr, source, {}, f, f, cv::INTER_AREA);
    m.at<double>(0, 0) /= f;
    m.at<double>(0, 1) /= f;
    m.at<double>(1, 0) /= f;
    m.at<double>(1, 1) /= f;
  }
  cv::warpAffine(source, chip, m, {size, size}, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  if (source.data != bgr.data) source.setTo(cv::Scalar::all(0));
  return chip;
}

Embedding Pipeline::embed(const cv::Mat& chip) {
  Embedding e{};
  if (chip.empty()) return e;
  // face-api's preprocessing (the converted model was checked with it): RGB less the training
  // set's mean, over 255 (dlib divides by 256: the difference does not show).
  const cv::Mat blob = cv::dnn::blobFromImage(chip, 1.0 / 255, {kChipSize, kChipSize},
                                              cv::Scalar(122.782, 117.001, 104.298), true, false);
  nets_->embedding.setInput(blob);
  const cv::Mat out = nets_->embedding.forward();
  if (out.total() != e.size()) return e;
  std::copy_n(out.ptr<float>(), e.size(), e.begin());
  return e;
}

Result<Pipeline::Sample> Pipeline::sample(const cv::Mat& bgr) {
  if (bgr.empty() || bgr.type() != CV_8UC3)
    return Error{Completion::kInvalidData, "not a colour picture"};
  // Small pictures (a 102×126 chip photo) are enlarged first: the detector's smallest anchors
  // are 16 pixels of its 256, and a chip photo's face fills most of it anyway.
  cv::Mat picture = bgr;
  if (std::max(bgr.cols, bgr.rows) < kDetectorSize) {
    const double f = double(kDetectorSize) / std::max(bgr.cols, bgr.rows);
    cv::resize(bgr, picture, {}, f, f, cv::INTER_CUBIC);
  }
  auto found = detect(picture);
  if (found.empty()) return Error{Completion::kInvalidData, "no face in the picture"};
  const auto largest = std::max_element(
      found.begin(), found.end(), [](auto& a, auto& b) { return a.box.area() < b.box.area(); });
  auto face = observe(picture, *largest);
  if (!face) return Error{Completion::kInvalidData, "the face's landmarks were not found"};
  Sample s;
  s.face = std::move(*face);
  s.chip = align(picture, s.face);
  if (s.chip.empty()) return Error{Completion::kInvalidData, "the face could not be aligned"};
  s.embedding = embed(s.chip);
  if (picture.data != bgr.data) picture.setTo(cv::Scalar::all(0));
  return s;
}

}  // namespace smzc::face

#include "drivers/camera/analysis.h"

#include "drivers/camera/opencv_io.h"

#include <cairo-pdf.h>
#include <zbar.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace smzc::camera {

const char* to_string(Advice advice) {
  switch (advice) {
    case Advice::kGood:
      return "good";
    case Advice::kNoFace:
      return "no-face";
    case Advice::kSeveralFaces:
      return "several-faces";
    case Advice::kComeCloser:
      return "come-closer";
    case Advice::kMoveToCentre:
      return "move-to-centre";
    case Advice::kTooDark:
      return "too-dark";
    case Advice::kTooBright:
      return "too-bright";
    case Advice::kHoldStill:
      return "hold-still";
    case Advice::kNotLive:
      return "not-live";
    case Advice::kNoPage:
      return "no-page";
    case Advice::kPageCut:
      return "page-cut";
    case Advice::kGlare:
      return "glare";
    case Advice::kLookStraight:
      return "look-straight";
    case Advice::kOpenEyes:
      return "open-eyes";
    case Advice::kTurnLeft:
      return "turn-left";
    case Advice::kTurnRight:
      return "turn-right";
    case Advice::kNod:
      return "nod";
    case Advice::kBlink:
      return "blink";
    case Advice::kOpenMouth:
      return "open-mouth";
    case Advice::kTryAgain:
      return "try-again";
  }
  return "unknown";
}

namespace {

cv::Mat to_gray(const cv::Mat& image) {
  if (image.channels() == 1) return image;
  cv::Mat gray;
  cv::cvtColor(image, gray, image.channels() == 4 ? cv::COLOR_BGRA2GRAY : cv::COLOR_BGR2GRAY);
  return gray;
}

// Faces are looked for at this height at most: detection cost grows with pixels, and a face
// that passes the size rule is large at any resolution.
constexpr int kDetectHeight = 360;
// The face, greyed and scaled to this square, is what sharpness and liveness compare.
constexpr int kFaceSide = 128;

// Thresholds, calibrated on the test photographs (docs/cameras.md).
constexpr double kMinFaceFraction = 0.22;  // of the frame's height
constexpr double kCentreTolerance = 0.18;  // of the frame's width/height, from the centre
constexpr double kDarkFace = 60, kBrightFace = 215;
constexpr double kMinFaceSharpness = 60;
constexpr double kMinPageSharpness = 40;
constexpr double kMaxGlare = 0.02;

cv::Mat face_patch(const cv::Mat& gray, const cv::Rect& face) {
  cv::Mat patch;
  cv::resize(gray(face & cv::Rect(0, 0, gray.cols, gray.rows)), patch, {kFaceSide, kFaceSide}, 0, 0,
             cv::INTER_AREA);
  return patch;
}

}  // namespace

double sharpness(const cv::Mat& gray) {
  cv::Mat laplacian;
  cv::Laplacian(gray, laplacian, CV_64F);
  cv::Scalar mean, deviation;
  cv::meanStdDev(laplacian, mean, deviation);
  return deviation[0] * deviation[0];
}

std::filesystem::path FaceDetector::default_model() {
  return "/usr/share/opencv4/haarcascades/haarcascade_frontalface_alt2.xml";
}

Result<FaceDetector> FaceDetector::load(const std::filesystem::path& model) {
  cv::CascadeClassifier cascade;
  try {
    if (!cascade.load(model.string()))
      return Error{Completion::kDeviceNotReady,
                   "cannot load the face model " + model.string() + " (package opencv-data)"};
  } catch (const cv::Exception& e) {
    return Error{Completion::kDeviceNotReady, "bad face model " + model.string() + ": " + e.msg};
  }
  return FaceDetector(std::move(cascade));
}

std::vector<cv::Rect> FaceDetector::detect(const cv::Mat& image, double min_fraction) {
  if (image.empty()) return {};
  cv::Mat gray = to_gray(image);
  const double scale = gray.rows > kDetectHeight ? double(kDetectHeight) / gray.rows : 1.0;
  cv::Mat small;
  if (scale < 1)
    cv::resize(gray, small, {}, scale, scale, cv::INTER_AREA);
  else
    small = gray;
  cv::equalizeHist(small, small);
  const int min_side = std::max(24, int(small.rows * min_fraction));
  std::vector<cv::Rect> found;
  cascade_.detectMultiScale(small, found, 1.1, 5, 0, {min_side, min_side});
  for (auto& r : found)
    r = cv::Rect(int(r.x / scale), int(r.y / scale), int(r.width / scale), int(r.height / scale));
  std::sort(found.begin(), found.end(), [](auto& a, auto& b) { return a.area() > b.area(); });
  return found;
}

FaceFinding assess_face(FaceDetector& detector, const cv::Mat& frame) {
  FaceFinding finding;
  if (frame.empty()) return finding;
  const cv::Mat gray = to_gray(frame);
  auto faces = detector.detect(gray, 0.08);
  if (faces.empty()) {
    const double level = cv::mean(gray)[0];
    finding.advice = level < 40    ? Advice::kTooDark
                     : level > 230 ? Advice::kTooBright
                                   : Advice::kNoFace;
    return finding;
  }
  // Someone far behind in the hall is not a second applicant; a second face near the first's
  // size is.
  const auto near = std::count_if(faces.begin(), faces.end(), [&](const cv::Rect& r) {
    return r.height * 2 >= faces.front().height;
  });
  if (near > 1) {
    finding.advice = Advice::kSeveralFaces;
    return finding;
  }
  const cv::Rect face = faces.front();
  finding.face = face;
  const cv::Mat patch = face_patch(gray, face);
  finding.brightness = cv::mean(patch)[0];
  finding.sharpness = sharpness(patch);
  const double dx = std::abs(face.x + face.width / 2.0 - frame.cols / 2.0) / frame.cols;
  const double dy = std::abs(face.y + face.height / 2.0 - frame.rows / 2.0) / frame.rows;
  if (face.height < kMinFaceFraction * frame.rows)
    finding.advice = Advice::kComeCloser;
  else if (dx > kCentreTolerance || dy > kCentreTolerance)
    finding.advice = Advice::kMoveToCentre;
  else if (finding.brightness < kDarkFace)
    finding.advice = Advice::kTooDark;
  else if (finding.brightness > kBrightFace)
    finding.advice = Advice::kTooBright;
  else if (finding.sharpness < kMinFaceSharpness)
    finding.advice = Advice::kHoldStill;
  else
    finding.advice = Advice::kGood;
  return finding;
}

FaceCheck::Verdict FaceCheck::add(const cv::Mat& frame, Advice* advice) {
  if (passed_) {
    if (advice) *advice = Advice::kGood;
    return Verdict::kPassed;
  }
  const FaceFinding finding = assess_face(detector_, frame);
  if (advice) *advice = finding.advice;
  if (finding.advice != Advice::kGood) return Verdict::kContinue;
  const cv::Mat patch = face_patch(to_gray(frame), finding.face);
  if (!last_face_.empty()) {
    cv::Mat difference;
    cv::absdiff(patch, last_face_, difference);
    if (cv::mean(difference)[0] >= options_.still_difference) ++moving_;
  }
  last_face_ = patch;
  ++good_;
  if (finding.sharpness > best_sharpness_) {
    best_sharpness_ = finding.sharpness;
    best_ = frame.clone();
  }
  if (good_ < options_.good_frames) return Verdict::kContinue;
  // Most transitions between good frames must show a living face's small movements.
  if (moving_ * 2 >= good_ - 1) {
    passed_ = true;
    return Verdict::kPassed;
  }
  if (moving_ == 0 || good_ >= 3 * options_.good_frames) {
    if (advice) *advice = Advice::kNotLive;
    clear();
    return Verdict::kRefused;
  }
  return Verdict::kContinue;
}

void FaceCheck::clear() {
  // Frames are a citizen's face: overwrite before letting go.
  for (cv::Mat* m : {&last_face_, &best_})
    if (!m->empty()) m->setTo(cv::Scalar::all(0));
  last_face_.release();
  best_.release();
  best_sharpness_ = -1;
  good_ = moving_ = 0;
  passed_ = false;
}

std::vector<std::string> decode_qr(const cv::Mat& image, size_t max_bytes) {
  if (image.empty()) return {};
  cv::Mat gray = to_gray(image);
  if (!gray.isContinuous()) gray = gray.clone();
  zbar::ImageScanner scanner;
  scanner.set_config(zbar::ZBAR_NONE, zbar::ZBAR_CFG_ENABLE, 0);
  scanner.set_config(zbar::ZBAR_QRCODE, zbar::ZBAR_CFG_ENABLE, 1);
  // The payload as bytes: zbar must not guess a text encoding.
  scanner.set_config(zbar::ZBAR_QRCODE, zbar::ZBAR_CFG_BINARY, 1);
  zbar::Image zimage(gray.cols, gray.rows, "Y800", gray.data, size_t(gray.cols) * gray.rows);
  std::vector<std::string> texts;
  if (scanner.scan(zimage) > 0)
    for (auto s = zimage.symbol_begin(); s != zimage.symbol_end(); ++s)
      if (s->get_data().size() <= max_bytes) texts.push_back(s->get_data());
  zimage.set_data(nullptr, 0);  // the pixels belong to `gray`
  return texts;
}

namespace {

// Orders four points as top-left, top-right, bottom-right, bottom-left.
std::array<cv::Point2f, 4> order_corners(const std::vector<cv::Point>& quad) {
  std::array<cv::Point2f, 4> c;
  auto by = [&](auto key, bool largest) {
    return *(largest ? std::max_element(quad.begin(), quad.end(),
                                        [&](auto& a, auto& b) { return key(a) < key(b); })
                     : std::min_element(quad.begin(), quad.end(),
                                        [&](auto& a, auto& b) { return key(a) < key(b); }));
  };
  auto sum = [](const cv::Point& p) { return p.x + p.y; };
  auto diff = [](const cv::Point& p) { return p.y - p.x; };
  c[0] = by(sum, false);
  c[2] = by(sum, true);
  c[1] = by(diff, false);
  c[3] = by(diff, true);
  return c;
}

double distance(cv::Point2f a, cv::Point2f b) {
  return std::hypot(a.x - b.x, a.y - b.y);
}

}  // namespace

PageFinding find_page(const cv::Mat& frame) {
  PageFinding finding;
  if (frame.empty()) return finding;
  const cv::Mat gray = to_gray(frame);
  // Pages are found at a working size; corners are scaled back.
  const double scale = gray.cols > 800 ? 800.0 / gray.cols : 1.0;
  cv::Mat small, mask;
  cv::resize(gray, small, {}, scale, scale, cv::INTER_AREA);
  cv::GaussianBlur(small, small, {5, 5}, 0);
  if (cv::mean(small)[0] < 35) {
    finding.advice = Advice::kTooDark;
    return finding;
  }
  const double split = cv::threshold(small, mask, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
  // A page stands out from the desk; a frame of one even surface has nothing to find.
  const double bright = cv::mean(small, mask)[0], dark = cv::mean(small, ~mask)[0];
  if (bright - dark < 40 || split <= 0) return finding;
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(mask, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
  if (contours.empty()) return finding;
  const auto largest = std::max_element(contours.begin(), contours.end(), [](auto& a, auto& b) {
    return cv::contourArea(a) < cv::contourArea(b);
  });
  const double area = cv::contourArea(*largest);
  if (area < 0.12 * small.total()) return finding;
  const cv::Rect box = cv::boundingRect(*largest);
  const int margin = 2;
  if (box.x <= margin || box.y <= margin || box.br().x >= small.cols - margin ||
      box.br().y >= small.rows - margin) {
    finding.advice = Advice::kPageCut;
    return finding;
  }
  std::vector<cv::Point> quad;
  cv::approxPolyDP(*largest, quad, 0.02 * cv::arcLength(*largest, true), true);
  if (quad.size() != 4 || !cv::isContourConvex(quad)) return finding;
  finding.corners = order_corners(quad);
  for (auto& p : finding.corners) p *= 1.0 / scale;

  cv::Mat page_mask = cv::Mat::zeros(gray.size(), CV_8U);
  std::vector<cv::Point> full;
  for (auto& p : finding.corners) full.emplace_back(cv::Point(p));
  cv::fillConvexPoly(page_mask, full, 255);
  // Glare: blown-out pixels clearly brighter than the paper itself (a well-lit white page is
  // near the top of the range all over, and that is no glare).
  std::vector<uchar> inside;
  for (int y = 0; y < gray.rows; y += 4)
    for (int x = 0; x < gray.cols; x += 4)
      if (page_mask.at<uchar>(y, x)) inside.push_back(gray.at<uchar>(y, x));
  std::nth_element(inside.begin(), inside.begin() + inside.size() / 2, inside.end());
  const int paper = inside.empty() ? 255 : inside[inside.size() / 2];
  cv::Mat blown;
  cv::compare(gray, std::max(250, paper + 12), blown, cv::CMP_GE);
  cv::bitwise_and(blown, page_mask, blown);
  finding.glare = double(cv::countNonZero(blown)) / std::max(1, cv::countNonZero(page_mask));
  finding.sharpness =
      sharpness(gray(cv::boundingRect(full) & cv::Rect(0, 0, gray.cols, gray.rows)));
  if (finding.glare > kMaxGlare)
    finding.advice = Advice::kGlare;
  else if (finding.sharpness < kMinPageSharpness)
    finding.advice = Advice::kHoldStill;
  else
    finding.advice = Advice::kGood;
  return finding;
}

cv::Mat flatten_page(const cv::Mat& frame, const std::array<cv::Point2f, 4>& corners, int dpi) {
  const int width = int(std::lround(210 / 25.4 * dpi)), height = int(std::lround(297 / 25.4 * dpi));
  std::array<cv::Point2f, 4> from = corners;
  // A page lying on its side is turned so the output is portrait.
  const double across = distance(from[0], from[1]) + distance(from[3], from[2]);
  const double down = distance(from[0], from[3]) + distance(from[1], from[2]);
  if (across > down) from = {corners[3], corners[0], corners[1], corners[2]};
  const std::array<cv::Point2f, 4> to = {cv::Point2f(0, 0), cv::Point2f(width - 1.f, 0),
                                         cv::Point2f(width - 1.f, height - 1.f),
                                         cv::Point2f(0, height - 1.f)};
  cv::Mat page;
  cv::warpPerspective(frame, page, cv::getPerspectiveTransform(from.data(), to.data()),
                      {width, height}, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  return page;
}

Result<std::string> encode_image(const cv::Mat& image, const std::string& format, int dpi) {
  if (image.empty()) return Error{Completion::kInvalidData, "no image"};
  if (dpi <= 0 || dpi > 2400) return Error{Completion::kInvalidData, "dpi out of range"};
  auto put32 = [](std::string& s, size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) s[at + i] = char((v >> (24 - 8 * i)) & 0xff);
  };
  if (format == "png") {
    auto bytes = io::encode(".png", image);
    if (!bytes) return bytes.error();
    std::string png(bytes->begin(), bytes->end());
    // A pHYs chunk (pixels per metre) right after IHDR, which ends at byte 33.
    std::string chunk(4 + 4 + 9 + 4, '\0');
    put32(chunk, 0, 9);
    chunk.replace(4, 4, "pHYs");
    const auto per_metre = uint32_t(std::lround(dpi / 0.0254));
    put32(chunk, 8, per_metre);
    put32(chunk, 12, per_metre);
    chunk[16] = 1;  // unit: metre
    put32(chunk, 17, uint32_t(crc32(0, reinterpret_cast<const Bytef*>(chunk.data() + 4), 4 + 9)));
    png.insert(33, chunk);
    return png;
  }
  if (format == "jpeg" || format == "jpg") {
    auto bytes = io::encode(".jpg", image, {cv::IMWRITE_JPEG_QUALITY, 90});
    if (!bytes) return bytes.error();
    std::string jpeg(bytes->begin(), bytes->end());
    // The JFIF header's density: units 1 (dots per inch), then X and Y.
    if (jpeg.size() > 18 && jpeg.compare(6, 5, std::string("JFIF\0", 5)) == 0) {
      jpeg[13] = 1;
      jpeg[14] = jpeg[16] = char(dpi >> 8);
      jpeg[15] = jpeg[17] = char(dpi & 0xff);
    }
    return jpeg;
  }
  return Error{Completion::kUnsupported, "format must be png or jpeg"};
}

Result<std::string> images_to_pdf(const std::vector<cv::Mat>& pages) {
  if (pages.empty()) return Error{Completion::kInvalidData, "no pages"};
  std::string pdf;
  auto write = [](void* out, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(out)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
  };
  constexpr double kA4Width = 595.28, kA4Height = 841.89;  // points
  cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(write, &pdf, kA4Width, kA4Height);
  cairo_t* cr = cairo_create(surface);
  for (const cv::Mat& page : pages) {
    cv::Mat bgra;
    cv::cvtColor(page, bgra, page.channels() == 1 ? cv::COLOR_GRAY2BGRA : cv::COLOR_BGR2BGRA);
    // cairo owns the pixels it will write at the end; the PDF keeps a reference to them.
    cairo_surface_t* image = cairo_image_surface_create(CAIRO_FORMAT_RGB24, bgra.cols, bgra.rows);
    unsigned char* pixels = cairo_image_surface_get_data(image);
    const int stride = cairo_image_surface_get_stride(image);
    for (int y = 0; y < bgra.rows; ++y)
      std::memcpy(pixels + size_t(y) * stride, bgra.ptr(y), size_t(bgra.cols) * 4);
    cairo_surface_mark_dirty(image);
    const double fit = std::min(kA4Width / bgra.cols, kA4Height / bgra.rows);
    cairo_save(cr);
    cairo_scale(cr, fit, fit);
    cairo_set_source_surface(cr, image, 0, 0);
    cairo_paint(cr);
    cairo_restore(cr);
    cairo_show_page(cr);
    cairo_surface_destroy(image);
  }
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  const cairo_status_t status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS)
    return Error{Completion::kHardwareError, std::string("PDF: ") + cairo_status_to_string(status)};
  return pdf;
}

}  // namespace smzc::camera

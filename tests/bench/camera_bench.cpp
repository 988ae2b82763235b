// Cameras and scanners: the cost of each look at a 1080p frame, the capture worker's rate, the
// memory after many captures — and the two comparisons behind our choices (which face detector,
// which QR reader), measured on the same generated pictures.
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <fstream>
#include <opencv2/objdetect.hpp>
#include <opencv2/videoio.hpp>

#include "drivers/camera/analysis.h"
#include "drivers/camera/camera.h"
#include "drivers/camera/scenes.h"
#include "drivers/scanner/scanner.h"
#include "tests/support/test_support.h"

namespace smzc {
namespace {

const cv::Size k1080p(1920, 1080);

void BM_FaceCheckPer1080pFrame(benchmark::State& state) {
  auto detector = camera::FaceDetector::load();
  const cv::Mat frame = camera::sim::face_frame(
      camera::sim::load_picture(camera::sim::kGraceHopper), k1080p, 0.8, {}, 3);
  for (auto _ : state) {
    auto finding = camera::assess_face(detector.value(), frame);
    if (finding.advice != camera::Advice::kGood) state.SkipWithError("face not good");
    benchmark::DoNotOptimize(finding);
  }
}
BENCHMARK(BM_FaceCheckPer1080pFrame)->Unit(benchmark::kMillisecond);

void BM_QrDecodePer1080pFrame(benchmark::State& state) {
  const cv::Mat frame = camera::sim::photograph(
      camera::sim::qr_image("SMZCEID1." + std::string(160, 'A') + ".sig", 6), k1080p,
      {{760, 300}, {1160, 320}, {1150, 740}, {750, 720}}, 1, cv::Scalar(90, 90, 90));
  for (auto _ : state) {
    auto codes = camera::decode_qr(frame);
    if (codes.size() != 1) state.SkipWithError("code not read");
  }
}
BENCHMARK(BM_QrDecodePer1080pFrame)->Unit(benchmark::kMillisecond);

void BM_PageFindAndFlattenPer1080pFrame(benchmark::State& state) {
  const cv::Mat frame = camera::sim::photograph(camera::sim::printed_page(), k1080p,
                                                {{620, 80}, {1260, 110}, {1300, 1000}, {580, 980}});
  for (auto _ : state) {
    auto page = camera::find_page(frame);
    if (page.advice != camera::Advice::kGood) state.SkipWithError("page not good");
    benchmark::DoNotOptimize(camera::flatten_page(frame, page.corners, 150));
  }
}
BENCHMARK(BM_PageFindAndFlattenPer1080pFrame)->Unit(benchmark::kMillisecond);

// Frames per second the capture worker delivers from a 720p MJPEG video (decode included).
void BM_CaptureWorkerFrames(benchmark::State& state) {
  testing::TempDir dir;
  const std::string video = (dir / "clip.avi").string();
  {
    cv::VideoWriter writer(video, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 30, {1280, 720});
    for (const auto& f : camera::sim::living_person(
             camera::sim::load_picture(camera::sim::kGraceHopper), {1280, 720}, 30))
      writer.write(f);
  }
  int64_t frames = 0;
  for (auto _ : state) {
    camera::OpenCvCamera cam("bench", {.address = "file:" + video, .file_fps = 0});
    if (!cam.start()) state.SkipWithError("cannot start");
    while (cam.next_frame(after(std::chrono::seconds(10)), {})) ++frames;
    cam.stop();
  }
  state.counters["frames_per_s"] = benchmark::Counter(double(frames), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_CaptureWorkerFrames)->Unit(benchmark::kMillisecond)->UseRealTime();

// Resident memory after 1,000 document captures (find, flatten, encode, wipe), against after
// the first 50.
void BM_MemoryAfter1000Captures(benchmark::State& state) {
  const cv::Mat frame = camera::sim::photograph(camera::sim::printed_page(), {1280, 960},
                                                {{380, 80}, {900, 110}, {940, 900}, {340, 880}});
  long after_50 = 0, after_1000 = 0;
  for (auto _ : state) {
    for (int i = 1; i <= 1000; ++i) {
      auto page = camera::find_page(frame);
      cv::Mat flat = camera::flatten_page(frame, page.corners, 150);
      auto png = camera::encode_image(flat, "png", 150);
      flat.setTo(0);
      if (i == 50) after_50 = testing::rss_kib();
    }
    after_1000 = testing::rss_kib();
  }
  state.counters["rss_after_50_kib"] = double(after_50);
  state.counters["rss_after_1000_kib"] = double(after_1000);
}
BENCHMARK(BM_MemoryAfter1000Captures)->Unit(benchmark::kMillisecond)->Iterations(1);

// ---- The comparisons -------------------------------------------------------------------

// Portraits at many sizes, places, tilts and exposures; and frames with no face at all.
struct FaceSet {
  std::vector<cv::Mat> faces, empty;
};

FaceSet face_set() {
  FaceSet set;
  const cv::Mat people[] = {camera::sim::load_picture(camera::sim::kGraceHopper),
                            camera::sim::load_picture(camera::sim::kMessi)};
  for (const cv::Mat& person : people)
    for (double height : {0.45, 0.6, 0.8, 0.95})
      for (double tilt : {-12.0, 0.0, 12.0})
        for (double gain : {0.6, 1.0, 1.3}) {
          cv::Mat frame = camera::sim::face_frame(person, {1280, 720}, height, {40, -20}, 5);
          cv::warpAffine(frame, frame, cv::getRotationMatrix2D({640, 360}, tilt, 1.0), frame.size(),
                         cv::INTER_LINEAR, cv::BORDER_REPLICATE);
          frame.convertTo(frame, -1, gain, 0);
          set.faces.push_back(frame);
        }
  const std::string data = "/usr/share/doc/opencv-doc/examples/data/";
  for (const char* name :
       {"fruits.jpg", "building.jpg", "home.jpg", "board.jpg", "box_in_scene.png", "graf1.png",
        "orange.jpg", "apple.jpg", "starry_night.jpg", "sudoku.png", "aero3.jpg", "stuff.jpg"}) {
    cv::Mat image = camera::sim::load_picture(data + name), frame;
    cv::resize(image, frame, {1280, 720});
    set.empty.push_back(frame);
  }
  return set;
}

void BM_CompareFaceDetectors(benchmark::State& state) {
  static const char* kModels[] = {
      "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml",
      "/usr/share/opencv4/haarcascades/haarcascade_frontalface_alt2.xml",
      "/usr/share/opencv4/lbpcascades/lbpcascade_frontalface_improved.xml"};
  static const FaceSet set = face_set();
  auto detector = camera::FaceDetector::load(kModels[state.range(0)]);
  state.SetLabel(std::filesystem::path(kModels[state.range(0)]).stem().string());
  int found = 0, false_alarms = 0;
  for (auto _ : state) {
    found = false_alarms = 0;
    for (const auto& f : set.faces) found += detector->detect(f, 0.08).size() == 1;
    for (const auto& f : set.empty) false_alarms += !detector->detect(f, 0.08).empty();
  }
  state.counters["faces_found_pct"] = 100.0 * found / double(set.faces.size());
  state.counters["false_alarm_frames_pct"] = 100.0 * false_alarms / double(set.empty.size());
  state.counters["ms_per_frame"] = benchmark::Counter(
      double(set.faces.size() + set.empty.size()) * 1e-3,
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_CompareFaceDetectors)->DenseRange(0, 2)->Unit(benchmark::kMillisecond)->Iterations(1);

// QR codes as a camera sees them: skewed, blurred, small, dim — each decoder on the same set.
std::vector<std::pair<cv::Mat, std::string>> qr_set() {
  std::vector<std::pair<cv::Mat, std::string>> set;
  int n = 0;
  for (int module : {2, 3, 4, 6})
    for (int skew : {0, 40, 90})
      for (int blur : {0, 1, 2})
        for (double gain : {0.5, 1.0}) {
          const std::string text = "SMZCEID1." + std::to_string(n++) + std::string(120, 'Q');
          const cv::Mat code = camera::sim::qr_image(text, module);
          const float side = float(code.cols), x = 400, y = 150;
          cv::Mat frame = camera::sim::photograph(code, {1280, 720},
                                                  {{x + skew, y},
                                                   {x + side, y + skew / 3.0f},
                                                   {x + side - skew / 2.0f, y + side},
                                                   {x, y + side - skew / 4.0f}},
                                                  blur, cv::Scalar(100, 100, 100), 11 + n);
          frame.convertTo(frame, -1, gain, 0);
          set.emplace_back(frame, text);
        }
  return set;
}

void BM_CompareQrReaders(benchmark::State& state) {
  static const auto set = qr_set();
  const bool zbar = state.range(0) == 0;
  // Debian's OpenCV is built without quirc: its QRCodeDetector finds codes but cannot decode
  // them, so for OpenCV the figure is how many it locates.
  state.SetLabel(zbar ? "zbar, decoded" : "opencv QRCodeDetector, located");
  int read = 0;
  cv::QRCodeDetector opencv;
  for (auto _ : state) {
    read = 0;
    for (const auto& [frame, text] : set) {
      if (zbar) {
        auto codes = camera::decode_qr(frame);
        read += codes.size() == 1 && codes.front() == text;
      } else {
        std::vector<cv::Point2f> corners;
        read += opencv.detect(frame, corners);
      }
    }
  }
  state.counters["read_pct"] = 100.0 * read / double(set.size());
  state.counters["codes"] = double(set.size());
}
BENCHMARK(BM_CompareQrReaders)->DenseRange(0, 1)->Unit(benchmark::kMillisecond)->Iterations(1);

// One flatbed page and one ten-page feeder batch from SANE's test backend at 150 dpi, grey.
void BM_SaneTestScan(benchmark::State& state) {
  setenv("SANE_CONFIG_DIR", (testing::source_dir() / "drivers/scanner/sim").c_str(), 1);
  scanner::SaneScanner s("bench", "test:0");
  for (auto _ : state) {
    auto pages = s.scan({.mode = "Gray", .dpi = 150, .feeder = state.range(0) == 1},
                        after(std::chrono::minutes(1)), {});
    if (!pages) state.SkipWithError(pages.error().message.c_str());
  }
}
BENCHMARK(BM_SaneTestScan)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace smzc

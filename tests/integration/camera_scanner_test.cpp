// The camera driver on recorded image sequences and videos (OpenCV's VideoCapture, as on a
// terminal), and the scanner driver against SANE's own `test` backend with its forced faults.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <condition_variable>
#include <mutex>
#include <opencv2/videoio.hpp>

#include "drivers/camera/camera.h"
#include "drivers/camera/scenes.h"
#include "drivers/scanner/scanner.h"
#include "services/device_checks.h"
#include "tests/support/test_support.h"

namespace smzc {
namespace {

namespace fs = std::filesystem;
using camera::OpenCvCamera;

// Frames numbered by their brightness, so a test can tell which one it got.
std::vector<cv::Mat> numbered_frames(int count) {
  std::vector<cv::Mat> frames;
  for (int i = 0; i < count; ++i)
    frames.emplace_back(120, 160, CV_8UC3, cv::Scalar::all(10 * (i + 1)));
  return frames;
}

// A camera replaying `count` numbered frames written in `dir`, with `options` besides the address.
OpenCvCamera::Options numbered_sequence(const testing::TempDir& dir, int count,
                                        OpenCvCamera::Options options) {
  options.address = "file:" + camera::sim::write_sequence(dir / "seq", numbered_frames(count));
  return options;
}

int number_of(const camera::Frame& frame) {
  return int(std::lround(cv::mean(frame.image)[0] / 10));
}

// Waits (at most 10 s, a failure) for the device to publish `state`.
class StatusWaiter {
 public:
  explicit StatusWaiter(Device& device) : device_(device) {
    handle_ = device.add_listener([this](const Device&, const DeviceStatus& s) {
      std::lock_guard lock(mutex_);
      seen_.push_back(s.state);
      changed_.notify_all();
    });
  }
  ~StatusWaiter() { device_.remove_listener(handle_); }
  bool wait_for(DeviceState state) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(10), [&] {
      return std::find(seen_.begin(), seen_.end(), state) != seen_.end();
    });
  }

 private:
  Device& device_;
  int handle_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<DeviceState> seen_;
};

TEST(CameraTest, ASequenceIsReplayedInOrderAndItsEndIsSaid) {
  testing::TempDir dir;
  OpenCvCamera cam("camera", numbered_sequence(dir, 6, {.file_fps = 0}));
  for (int i = 1; i <= 6; ++i) {
    if (i == 1) {
      ASSERT_TRUE(cam.start());
    }
    auto frame = cam.next_frame(after(std::chrono::seconds(10)), {});
    ASSERT_TRUE(frame) << frame.error().message;
    EXPECT_EQ(frame->sequence, uint64_t(i));
    EXPECT_EQ(number_of(frame.value()), i);
    EXPECT_EQ(frame->image.size(), cv::Size(160, 120));
  }
  auto end = cam.next_frame(after(std::chrono::seconds(10)), {});
  ASSERT_FALSE(end);
  EXPECT_EQ(cam.status().state, DeviceState::kOffline);
  EXPECT_EQ(cam.dropped(), 0u);
  cam.stop();
}

TEST(CameraTest, OutOfOrderCallsAreRefused) {
  testing::TempDir dir;
  OpenCvCamera cam("camera", numbered_sequence(dir, 3, {.file_fps = 0}));
  EXPECT_EQ(cam.next_frame(after(std::chrono::seconds(1)), {}).code(), Completion::kUserError);
  ASSERT_TRUE(cam.start());
  EXPECT_EQ(cam.start().code(), Completion::kUserError);
  cam.stop();
  cam.stop();  // twice is harmless
  EXPECT_EQ(cam.next_frame(after(std::chrono::seconds(1)), {}).code(), Completion::kUserError);
}

TEST(CameraTest, TheNewestFramesWinWhenTheConsumerFallsBehind) {
  testing::TempDir dir;
  OpenCvCamera cam("camera", numbered_sequence(dir, 20, {.file_fps = 10000, .queue = 2}));
  StatusWaiter waiter(cam);
  ASSERT_TRUE(cam.start());
  ASSERT_TRUE(waiter.wait_for(DeviceState::kOffline)) << "the recording never ended";
  auto a = cam.next_frame(after(std::chrono::seconds(1)), {});
  auto b = cam.next_frame(after(std::chrono::seconds(1)), {});
  ASSERT_TRUE(a && b);
  EXPECT_EQ(number_of(a.value()), 19);
  EXPECT_EQ(number_of(b.value()), 20);
  EXPECT_EQ(cam.dropped(), 18u);
  cam.stop();
}

TEST(CameraTest, StopDropsEveryQueuedFrameAndAStartBeginsAgain) {
  testing::TempDir dir;
  OpenCvCamera cam("camera", numbered_sequence(dir, 5, {.file_fps = 0}));
  ASSERT_TRUE(cam.start());
  ASSERT_TRUE(cam.next_frame(after(std::chrono::seconds(10)), {}));
  cam.stop();
  ASSERT_TRUE(cam.start());
  auto first = cam.next_frame(after(std::chrono::seconds(10)), {});
  ASSERT_TRUE(first);
  EXPECT_EQ(first->sequence, 1u);
  EXPECT_EQ(number_of(first.value()), 1);
  cam.stop();
}

TEST(CameraTest, AWaitEndsAtItsDeadlineOrWhenStopped) {
  testing::TempDir dir;
  // One frame a hundred seconds: nothing comes while the test waits.
  OpenCvCamera cam("camera", numbered_sequence(dir, 2, {.file_fps = 0.01}));
  ASSERT_TRUE(cam.start());
  EXPECT_EQ(cam.next_frame(after(std::chrono::milliseconds(20)), {}).code(), Completion::kTimeout);
  std::stop_source stop;
  std::jthread canceller([&] { stop.request_stop(); });
  EXPECT_EQ(cam.next_frame(after(std::chrono::hours(1)), stop.get_token()).code(),
            Completion::kCanceled);
  cam.stop();  // ends the worker's wait too
}

TEST(CameraTest, AVideoFileIsReadFrameByFrame) {
  testing::TempDir dir;
  const std::string video = (dir / "clip.avi").string();
  {
    cv::VideoWriter writer(video, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 15, {160, 120});
    ASSERT_TRUE(writer.isOpened()) << "OpenCV cannot write MJPEG AVI";
    for (const auto& f : numbered_frames(8)) writer.write(f);
  }
  OpenCvCamera cam("camera", {.address = "file:" + video, .file_fps = 0});
  ASSERT_TRUE(cam.start());
  int frames = 0;
  while (cam.next_frame(after(std::chrono::seconds(10)), {})) ++frames;
  EXPECT_EQ(frames, 8);
  cam.stop();
}

TEST(CameraTest, AnUnpluggedCameraIsNoticedAndReopenedWhenItComesBack) {
  testing::TempDir dir;
  const std::string pattern = camera::sim::write_sequence(dir / "seq", numbered_frames(4));
  OpenCvCamera cam("camera", {.address = "file:" + pattern, .file_fps = 0});
  ASSERT_TRUE(cam.start());
  ASSERT_TRUE(cam.next_frame(after(std::chrono::seconds(10)), {}));
  fs::rename(dir / "seq", dir / "away");
  cam.poll(after(std::chrono::seconds(1)));
  EXPECT_EQ(cam.status().state, DeviceState::kNoDevice);
  EXPECT_EQ(cam.next_frame(after(std::chrono::seconds(10)), {}).code(),
            Completion::kDeviceNotReady);
  fs::rename(dir / "away", dir / "seq");
  cam.poll(after(std::chrono::seconds(1)));
  auto again = cam.next_frame(after(std::chrono::seconds(10)), {});
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(number_of(again.value()), 1) << "reopened from the start";
  EXPECT_EQ(cam.status().state, DeviceState::kOnline);
  cam.stop();
}

TEST(CameraTest, AMissingCameraFailsItsSelfTest) {
  OpenCvCamera cam("camera", {.address = "/dev/video-none"});
  auto s = cam.self_test(after(std::chrono::seconds(5)), {});
  EXPECT_EQ(s.code(), Completion::kDeviceNotReady);
  EXPECT_EQ(cam.status().state, DeviceState::kNoDevice);
  cam.poll(after(std::chrono::seconds(1)));
  EXPECT_EQ(cam.status().state, DeviceState::kNoDevice);
}

// ---- Scanner -------------------------------------------------------------------------------

class ScannerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // SANE reads its configuration once per process: only the test backend, from the sources.
    setenv("SANE_CONFIG_DIR", (testing::source_dir() / "drivers/scanner/sim").c_str(), 1);
  }
  Result<std::vector<scanner::ScannedPage>> scan(scanner::SaneScanner& s,
                                                 scanner::ScanSettings settings = {}) {
    return s.scan(settings, after(std::chrono::seconds(30)), {});
  }
};

TEST_F(ScannerTest, SaneListsTheTestScanners) {
  auto found = scanner::list_sane_devices();
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_GE(found->size(), 1u) << "SANE's test backend is not there (package libsane1)";
  EXPECT_EQ(found->front().name, "test:0");
}

TEST_F(ScannerTest, AFlatbedPageComesAtTheResolutionAndModeAsked) {
  scanner::SaneScanner s("scanner", "test:0");
  auto gray = scan(s, {.mode = "Gray", .dpi = 100});
  ASSERT_TRUE(gray) << gray.error().message;
  ASSERT_EQ(gray->size(), 1u);
  // No area asked: the whole bed, which on the test backend is 200 x 200 mm.
  EXPECT_NEAR(gray->front().image.cols, 200 / 25.4 * 100, 2);
  EXPECT_NEAR(gray->front().image.rows, 200 / 25.4 * 100, 2);
  EXPECT_EQ(gray->front().image.channels(), 1);
  EXPECT_EQ(gray->front().dpi, 100);
  auto color = scan(s, {.mode = "Color", .dpi = 50, .area = std::array<double, 4>{0, 0, 40, 20}});
  ASSERT_TRUE(color) << color.error().message;
  EXPECT_EQ(color->front().image.channels(), 3);
  EXPECT_NEAR(color->front().image.cols, 40 / 25.4 * 50, 2);
  EXPECT_NEAR(color->front().image.rows, 20 / 25.4 * 50, 2);
  EXPECT_EQ(s.status().state, DeviceState::kOnline);
}

// A technician's scan of a test page (the technician panel's 扫描): one grey page at 150 dpi,
// described by its size.
TEST_F(ScannerTest, ATechniciansTestPageIsDescribedBySize) {
  scanner::SaneScanner s("scanner", "test:0");
  auto said = services::scan_test_page(s, after(std::chrono::seconds(30)));
  ASSERT_TRUE(said) << said.error().message;
  const std::string side = std::to_string(static_cast<int>(200 / 25.4 * 150 + 0.5));
  EXPECT_EQ(said.value(), "1 page, " + side + " × " + side + " px at 150 dpi");
}

TEST_F(ScannerTest, TheFeederScansEveryPageItHolds) {
  scanner::SaneScanner s("scanner", "test:0");
  auto pages = scan(s, {.mode = "Gray", .dpi = 50, .feeder = true});
  ASSERT_TRUE(pages) << pages.error().message;
  EXPECT_EQ(pages->size(), 10u);  // the test backend's feeder holds ten
  auto some = scan(s, {.mode = "Gray", .dpi = 50, .feeder = true, .max_pages = 3});
  ASSERT_TRUE(some);
  EXPECT_EQ(some->size(), 3u);
}

struct ForcedFault {
  const char* sane_status;
  bool feeder;
  Completion code;
  DeviceState state;
  MediaState media;
  bool cover_open;
};

TEST_F(ScannerTest, EachFaultTheScannerReportsBecomesTheDevicesStatus) {
  const ForcedFault faults[] = {
      {"SANE_STATUS_JAMMED", false, Completion::kHardwareError, DeviceState::kOnline,
       MediaState::kPaperJammed, false},
      {"SANE_STATUS_COVER_OPEN", false, Completion::kUserError, DeviceState::kOnline,
       MediaState::kNotApplicable, true},
      {"SANE_STATUS_NO_DOCS", true, Completion::kUserError, DeviceState::kOnline,
       MediaState::kDocumentAbsent, false},
      {"SANE_STATUS_DEVICE_BUSY", false, Completion::kDeviceNotReady, DeviceState::kBusy,
       MediaState::kNotApplicable, false},
      {"SANE_STATUS_IO_ERROR", false, Completion::kHardwareError, DeviceState::kHardwareError,
       MediaState::kNotApplicable, false},
  };
  for (const auto& f : faults) {
    SCOPED_TRACE(f.sane_status);
    scanner::SaneScanner s("scanner", "test:0", {{"read-return-value", f.sane_status}});
    auto pages = scan(s, {.mode = "Gray", .dpi = 50, .feeder = f.feeder});
    ASSERT_FALSE(pages);
    EXPECT_EQ(pages.code(), f.code);
    const DeviceStatus st = s.status();
    EXPECT_EQ(st.state, f.state);
    EXPECT_EQ(st.media, f.media);
    EXPECT_EQ(st.cover_open, f.cover_open);
    EXPECT_EQ(st.usable(), f.media != MediaState::kPaperJammed && !f.cover_open &&
                               f.state != DeviceState::kHardwareError);
  }
  // Cleared, the next scan works and the status says so. (SANE backends keep an option's value
  // until it is set again.)
  scanner::SaneScanner s("scanner", "test:0", {{"read-return-value", "Default"}});
  auto next = scan(s, {.mode = "Gray", .dpi = 50});
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_EQ(s.status().media, MediaState::kNotApplicable);
  EXPECT_TRUE(s.status().usable());
}

TEST_F(ScannerTest, ACancelledScanEndsAndTheScannerStaysUsable) {
  scanner::SaneScanner s("scanner", "test:0");
  std::stop_source stop;
  stop.request_stop();
  auto pages =
      s.scan({.mode = "Gray", .dpi = 50}, after(std::chrono::seconds(30)), stop.get_token());
  EXPECT_EQ(pages.code(), Completion::kCanceled);
  EXPECT_TRUE(scan(s, {.mode = "Gray", .dpi = 50}));
}

TEST_F(ScannerTest, BadSettingsAndAbsentScannersAreClearErrors) {
  scanner::SaneScanner s("scanner", "test:0");
  EXPECT_EQ(scan(s, {.dpi = 0}).code(), Completion::kInvalidData);
  EXPECT_EQ(scan(s, {.mode = "Hologram"}).code(), Completion::kInvalidData);
  scanner::SaneScanner odd("scanner", "test:0", {{"no-such-option", "1"}});
  EXPECT_EQ(scan(odd).code(), Completion::kUnsupported);
  scanner::SaneScanner absent("scanner", "test:9");
  EXPECT_EQ(scan(absent).code(), Completion::kDeviceNotReady);
  EXPECT_EQ(absent.status().state, DeviceState::kNoDevice);
  absent.poll(after(std::chrono::seconds(5)));
  EXPECT_EQ(absent.status().state, DeviceState::kNoDevice);
  s.poll(after(std::chrono::seconds(5)));
  EXPECT_EQ(s.status().state, DeviceState::kOnline);
  EXPECT_TRUE(s.self_test(after(std::chrono::seconds(5)), {}));
}

}  // namespace
}  // namespace smzc

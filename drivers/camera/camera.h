// Cameras: the face camera above the screen and the document camera (高拍仪) over the tray, both
// through OpenCV's VideoCapture — a V4L2 device, or a file, image sequence or video (how tests and
// the demo run). Frames are grabbed on the device's own worker into a small bounded queue (when
// the consumer falls behind, the oldest frame is dropped: the newest wins) and live in memory
// only; stop() drops every frame still queued.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <opencv2/core/mat.hpp>
#include <string>
#include <thread>

#include "drivers/device.h"

namespace smzc::camera {

/// One picture from a camera: 8-bit BGR pixels, owned by the frame.
struct Frame {
  cv::Mat image;
  uint64_t sequence = 0;  ///< counts up from 1 for each frame grabbed since start()
};

/// A camera's interface (the engine, the UI and kioskctl depend on this, never on a driver).
///
/// States: stopped → start() → streaming → stop() → stopped. next_frame() is refused while
/// stopped; start() while streaming is refused too, so two users never share a stream unknowingly.
/// Every call may come from any thread.
class Camera : public Device {
 public:
  using Device::Device;

  /// Starts grabbing frames. kDeviceNotReady when the camera is absent or cannot be opened.
  virtual Status start() = 0;
  /// Stops grabbing and drops every queued frame. Stopping a stopped camera does nothing.
  virtual void stop() = 0;
  /// The oldest queued frame, waiting for one until `deadline` (kTimeout) or `stop` (kCanceled).
  /// A stream that ended or broke: kDeviceNotReady (noDevice) or kHardwareError.
  virtual Result<Frame> next_frame(Deadline deadline, std::stop_token stop) = 0;
};

/// A camera through OpenCV's VideoCapture.
///
/// Addresses: "/dev/videoN" or "N" (V4L2), or "file:PATH" where PATH is an image, a video, or an
/// image sequence as a printf pattern ("frames/%03d.png"). A device that disappears is noticed by
/// poll() (noDevice) and reopened when it comes back; a stream that stops delivering frames is a
/// hardware error until it is reopened.
class OpenCvCamera final : public Camera {
 public:
  struct Options {
    std::string address;
    /// Frames per second a file source is played at; 0: as fast as they are taken (the worker
    /// waits for room in the queue, so nothing is dropped — how tests replay a sequence).
    double file_fps = 15;
    /// A file source starts again from its first frame at its end (the demo's camera).
    bool loop = false;
    /// Frames kept for a slow consumer; beyond this the oldest is dropped.
    size_t queue = 3;
    /// A live camera that delivers nothing for this long is a hardware error.
    std::chrono::milliseconds stall_timeout{2000};
    int width = 1280;  ///< asked of a V4L2 device (it may choose another size)
    int height = 720;
  };

  OpenCvCamera(std::string id, Options options);
  ~OpenCvCamera() override;

  std::vector<std::string> capabilities() const override;
  std::string address() const override { return options_.address; }
  /// Opens the source (unless streaming) and takes one frame.
  Status self_test(Deadline deadline, std::stop_token stop) override;
  void poll(Deadline deadline) override;

  Status start() override;
  void stop() override;
  Result<Frame> next_frame(Deadline deadline, std::stop_token stop) override;

  /// Frames dropped because the consumer fell behind, since start().
  uint64_t dropped() const;

 private:
  bool is_file() const;
  std::string source_path() const;  // what must exist for the source to be present
  void grab(std::stop_token stop);  // the worker
  void end_stream(DeviceState state, const std::string& why);
  // Stops the worker, if there is one, and waits for it (never holding mutex_: it takes it).
  void join_worker();

  const Options options_;
  mutable std::mutex mutex_;
  std::condition_variable_any changed_;
  std::deque<Frame> queue_;
  bool streaming_ = false;
  bool ended_ = false;   // the stream broke or ended while streaming
  bool reopen_ = false;  // ended by an unplug or a fault: poll() opens it again
  Error end_error_;
  uint64_t sequence_ = 0;
  uint64_t dropped_ = 0;
  std::jthread worker_;
};

}  // namespace smzc::camera

#include "drivers/camera/camera.h"

#include "drivers/camera/opencv_io.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgcodecs.hpp>

namespace smzc::camera {

namespace fs = std::filesystem;

namespace {

bool is_image_file(const std::string& path) {
  static const char* kExtensions[] = {".png", ".jpg", ".jpeg", ".bmp", ".pgm", ".ppm", ".tif"};
  std::string ext = fs::path(path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* e : kExtensions)
    if (ext == e) return path.find('%') == std::string::npos;
  return false;
}

}  // namespace

OpenCvCamera::OpenCvCamera(std::string id, Options options)
    : Camera(std::move(id), DeviceKind::kCamera), options_(std::move(options)) {
  // A sequence's end is not worth OpenCV's own warning on stderr; our status says it.
  cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_ERROR);
}

OpenCvCamera::~OpenCvCamera() {
  stop();
}

std::vector<std::string> OpenCvCamera::capabilities() const {
  return {is_file() ? "file" : "v4l2", "bgr8"};
}

bool OpenCvCamera::is_file() const {
  return options_.address.rfind("file:", 0) == 0;
}

std::string OpenCvCamera::source_path() const {
  if (is_file()) {
    std::string path = options_.address.substr(5);
    // An image sequence is present while its folder is.
    if (path.find('%') != std::string::npos) return fs::path(path).parent_path().string();
    return path;
  }
  const auto& a = options_.address;
  if (!a.empty() && std::all_of(a.begin(), a.end(), ::isdigit)) return "/dev/video" + a;
  return a;
}

Status OpenCvCamera::start() {
  std::lock_guard lock(mutex_);
  if (streaming_) return Error{Completion::kUserError, "the camera is already streaming"};
  std::error_code ec;
  if (!fs::exists(source_path(), ec)) {
    publish({.state = DeviceState::kNoDevice,
             .media = MediaState::kNotApplicable,
             .last_error = Completion::kDeviceNotReady,
             .detail = "no camera at " + options_.address});
    return Error{Completion::kDeviceNotReady, "no camera at " + options_.address};
  }
  streaming_ = true;
  ended_ = false;
  sequence_ = dropped_ = 0;
  worker_ = std::jthread([this](std::stop_token stop) { grab(stop); });
  return ok_status();
}

void OpenCvCamera::stop() {
  {
    std::lock_guard lock(mutex_);
    streaming_ = false;
  }
  join_worker();
  std::lock_guard lock(mutex_);
  queue_.clear();  // frames are a citizen's face or papers: nothing stays behind
}

void OpenCvCamera::join_worker() {
  std::jthread worker;
  {
    std::lock_guard lock(mutex_);
    worker = std::move(worker_);
  }
  worker.request_stop();
  changed_.notify_all();
  if (worker.joinable()) worker.join();
}

uint64_t OpenCvCamera::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

void OpenCvCamera::end_stream(DeviceState state, const std::string& why) {
  const Error error{
      state == DeviceState::kNoDevice ? Completion::kDeviceNotReady : Completion::kHardwareError,
      why};
  spdlog::warn("camera {}: {}", id(), why);
  // The status first: whoever the end wakes finds it already said.
  publish({.state = state,
           .media = MediaState::kNotApplicable,
           .last_error = error.code,
           .detail = why});
  {
    std::lock_guard lock(mutex_);
    ended_ = true;
    reopen_ = state != DeviceState::kOffline;  // a recording that ended stays ended
    end_error_ = error;
  }
  changed_.notify_all();
}

void OpenCvCamera::grab(std::stop_token stop) {
  std::unique_ptr<io::Capture> capture;
  cv::Mat still;  // a single image: the same picture again and again, like a photo held up
  const bool file = is_file();
  const std::string path = file ? options_.address.substr(5) : options_.address;
  std::string why;
  if (file && is_image_file(path)) {
    auto image = io::read(path, cv::IMREAD_COLOR);
    if (image)
      still = std::move(image.value());
    else
      why = image.error().message;
  } else {
    auto opened = file ? io::Capture::open_file(path)
                       : io::Capture::open_live(path, options_.width, options_.height);
    if (opened)
      capture = std::move(opened.value());
    else
      why = opened.error().message;
  }
  if (still.empty() && !capture)
    return end_stream(DeviceState::kHardwareError, "cannot open " + options_.address + ": " + why);
  publish({.state = DeviceState::kOnline, .media = MediaState::kNotApplicable});

  const auto period = file && options_.file_fps > 0
                          ? std::chrono::duration_cast<SteadyClock::duration>(
                                std::chrono::duration<double>(1.0 / options_.file_fps))
                          : SteadyClock::duration::zero();
  auto due = SteadyClock::now();
  auto last_frame = SteadyClock::now();
  bool delivered_still = false;
  while (!stop.stop_requested()) {
    cv::Mat image;
    if (!still.empty()) {
      if (delivered_still && !options_.loop)
        return end_stream(DeviceState::kOffline, "the recording ended");
      image = still.clone();
      delivered_still = true;
    } else if (!capture->read(image)) {
      if (file && options_.loop && capture->rewind() && capture->read(image)) {
        // started again from the first frame
      } else if (file) {
        return end_stream(DeviceState::kOffline, "the recording ended");
      } else if (SteadyClock::now() - last_frame > options_.stall_timeout) {
        return end_stream(DeviceState::kHardwareError, "the camera stopped sending frames");
      } else {
        continue;
      }
    }
    last_frame = SteadyClock::now();
    if (period != SteadyClock::duration::zero()) {
      due += period;
      if (!sleep_until(due, stop)) return;
    }
    std::unique_lock lock(mutex_);
    if (file && period == SteadyClock::duration::zero()) {
      // Replay for tests: wait for room rather than drop.
      if (!changed_.wait(lock, stop, [&] { return queue_.size() < options_.queue; })) return;
    } else if (queue_.size() >= options_.queue) {
      queue_.pop_front();
      ++dropped_;
    }
    queue_.push_back(Frame{std::move(image), ++sequence_});
    lock.unlock();
    changed_.notify_all();
  }
}

Result<Frame> OpenCvCamera::next_frame(Deadline deadline, std::stop_token stop) {
  std::unique_lock lock(mutex_);
  if (!streaming_) return Error{Completion::kUserError, "the camera is not streaming: start() it"};
  changed_.wait_until(lock, stop, deadline,
                      [&] { return !queue_.empty() || ended_ || !streaming_; });
  if (!queue_.empty()) {
    Frame frame = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    changed_.notify_all();  // room for a replayed sequence's next frame
    return frame;
  }
  if (ended_) return end_error_;
  if (!streaming_) return Error{Completion::kCanceled, "the camera was stopped"};
  if (stop.stop_requested()) return Error{Completion::kCanceled, "canceled"};
  return Error{Completion::kTimeout, "no frame from the camera in time"};
}

Status OpenCvCamera::self_test(Deadline deadline, std::stop_token cancel) {
  bool was_streaming;
  {
    std::lock_guard lock(mutex_);
    was_streaming = streaming_;
  }
  if (!was_streaming) {
    if (auto started = start(); !started) return started.error();
  }
  auto frame = next_frame(deadline, cancel);
  if (!was_streaming) stop();
  if (!frame) return frame.error();
  return ok_status();
}

void OpenCvCamera::poll(Deadline) {
  std::error_code ec;
  const bool present = fs::exists(source_path(), ec);
  bool streaming, ended, reopen;
  {
    std::lock_guard lock(mutex_);
    streaming = streaming_;
    ended = ended_;
    reopen = reopen_;
  }
  if (!present) {
    // Unplugged mid-stream: end the waits now rather than after the stall timeout.
    if (streaming && !ended) join_worker();
    if (streaming) {
      {
        std::lock_guard lock(mutex_);
        queue_.clear();  // pictures from a camera that is gone are not handed out
      }
      return end_stream(DeviceState::kNoDevice, "the camera was unplugged");
    }
    return publish({.state = DeviceState::kNoDevice,
                    .media = MediaState::kNotApplicable,
                    .detail = "no camera at " + options_.address});
  }
  if (streaming && ended && reopen) {
    // Back (or still broken): reopen, as a reader reopens its port.
    join_worker();
    std::lock_guard lock(mutex_);
    ended_ = reopen_ = false;
    worker_ = std::jthread([this](std::stop_token stop) { grab(stop); });
    return;
  }
  if (!streaming) publish({.state = DeviceState::kOnline, .media = MediaState::kNotApplicable});
}

}  // namespace smzc::camera

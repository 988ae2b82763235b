#include "drivers/scanner/scanner.h"

#include <dlfcn.h>
#include <pthread.h>
#include <sane/sane.h>
#include <sane/saneopts.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>
#include <opencv2/imgproc.hpp>

// SANE backends that read in a thread (sanei_thread, the test backend among them) make that
// thread asynchronously cancellable and cancel it when a scan ends early. A thread cancelled
// inside malloc() dies holding its arena's lock and the process deadlocks (seen with SANE's test
// backend on a forced fault). Every thread of this process is cancellable only at cancellation
// points (a blocked read or write, a sleep): the reader still stops, and nothing dies mid-malloc.
// The executable exports this definition (see drivers/CMakeLists.txt), so backends loaded later
// call it instead of libc's.
extern "C" int pthread_setcanceltype(int, int* old) {
  using Fn = int (*)(int, int*);
  static const Fn real = reinterpret_cast<Fn>(dlsym(RTLD_NEXT, "pthread_setcanceltype"));
  return real ? real(PTHREAD_CANCEL_DEFERRED, old) : 0;
}

namespace smzc::scanner {

namespace {

// SANE backends are not thread-safe, and sane_init() is once per process: every SANE call goes
// through this lock.
std::mutex& sane_mutex() {
  static std::mutex m;
  return m;
}

void ensure_sane_initialised() {
  static bool initialised = [] {
    SANE_Int version = 0;
    return sane_init(&version, nullptr) == SANE_STATUS_GOOD;
  }();
  (void)initialised;
}

// A page is never larger than A3 at 600 dpi in colour.
constexpr size_t kMaxPageBytes = size_t(7016) * 9921 * 3;

// What a SANE status means for the command and for the device.
struct Fault {
  Completion code;
  DeviceStatus status;
  std::string message;
};

Fault fault_of(SANE_Status s) {
  const std::string text = sane_strstatus(s);
  DeviceStatus online{.state = DeviceState::kOnline, .media = MediaState::kNotApplicable};
  auto with = [&](DeviceStatus st, Completion code) {
    st.last_error = code;
    st.detail = text;
    return Fault{code, st, text};
  };
  switch (s) {
    case SANE_STATUS_JAMMED: {
      DeviceStatus st = online;
      st.media = MediaState::kPaperJammed;
      return with(st, Completion::kHardwareError);
    }
    case SANE_STATUS_COVER_OPEN: {
      DeviceStatus st = online;
      st.cover_open = true;
      return with(st, Completion::kUserError);
    }
    case SANE_STATUS_NO_DOCS: {
      DeviceStatus st = online;
      st.media = MediaState::kDocumentAbsent;
      return with(st, Completion::kUserError);
    }
    case SANE_STATUS_DEVICE_BUSY: {
      DeviceStatus st = online;
      st.state = DeviceState::kBusy;
      return with(st, Completion::kDeviceNotReady);
    }
    case SANE_STATUS_CANCELLED:
      return with(online, Completion::kCanceled);
    case SANE_STATUS_UNSUPPORTED:
    case SANE_STATUS_INVAL:
      return with(online, Completion::kUnsupported);
    case SANE_STATUS_ACCESS_DENIED: {
      DeviceStatus st = online;
      st.state = DeviceState::kHardwareError;
      return with(st, Completion::kDeviceNotReady);
    }
    default: {  // IO_ERROR, NO_MEM, and anything a backend invents
      DeviceStatus st = online;
      st.state = DeviceState::kHardwareError;
      return with(st, Completion::kHardwareError);
    }
  }
}

// An open SANE handle, closed (and any scan cancelled) when it goes.
class Handle {
 public:
  explicit Handle(SANE_Handle h) : h_(h) {}
  ~Handle() {
    sane_cancel(h_);
    sane_close(h_);
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  SANE_Handle get() const { return h_; }

 private:
  SANE_Handle h_;
};

std::optional<SANE_Int> find_option(SANE_Handle h, const std::string& name) {
  for (SANE_Int i = 1;; ++i) {
    const SANE_Option_Descriptor* d = sane_get_option_descriptor(h, i);
    if (!d) return std::nullopt;
    if (d->name && name == d->name) return i;
  }
}

// Sets an option from text, as scanimage takes it.
Status set_option(SANE_Handle h, const std::string& name, const std::string& value) {
  auto index = find_option(h, name);
  if (!index) return Error{Completion::kUnsupported, "the scanner has no option " + name};
  const SANE_Option_Descriptor* d = sane_get_option_descriptor(h, *index);
  if (!SANE_OPTION_IS_ACTIVE(d->cap) || !SANE_OPTION_IS_SETTABLE(d->cap))
    return Error{Completion::kUnsupported, "option " + name + " cannot be set now"};
  SANE_Int info = 0;
  SANE_Status s = SANE_STATUS_INVAL;
  try {
    switch (d->type) {
      case SANE_TYPE_BOOL: {
        SANE_Bool b = (value == "yes" || value == "true" || value == "1") ? SANE_TRUE : SANE_FALSE;
        s = sane_control_option(h, *index, SANE_ACTION_SET_VALUE, &b, &info);
        break;
      }
      case SANE_TYPE_INT: {
        SANE_Int n = std::stoi(value);
        s = sane_control_option(h, *index, SANE_ACTION_SET_VALUE, &n, &info);
        break;
      }
      case SANE_TYPE_FIXED: {
        SANE_Fixed f = SANE_FIX(std::stod(value));
        s = sane_control_option(h, *index, SANE_ACTION_SET_VALUE, &f, &info);
        break;
      }
      case SANE_TYPE_STRING: {
        std::vector<char> text(std::max<size_t>(d->size, value.size() + 1), '\0');
        std::memcpy(text.data(), value.data(), std::min<size_t>(value.size(), d->size - 1));
        s = sane_control_option(h, *index, SANE_ACTION_SET_VALUE, text.data(), &info);
        break;
      }
      default:
        return Error{Completion::kUnsupported, "option " + name + " takes no value"};
    }
  } catch (const std::exception&) {
    return Error{Completion::kInvalidData,
                 "option " + name + ": \"" + value + "\" is not a number"};
  }
  if (s != SANE_STATUS_GOOD)
    return Error{Completion::kInvalidData,
                 "option " + name + " = \"" + value + "\": " + sane_strstatus(s)};
  return ok_status();
}

// The option's string choice that `wanted` picks (e.g. the feeder among a model's sources).
std::optional<std::string> pick_choice(SANE_Handle h, const std::string& name,
                                       const std::vector<std::string>& wanted) {
  auto index = find_option(h, name);
  if (!index) return std::nullopt;
  const SANE_Option_Descriptor* d = sane_get_option_descriptor(h, *index);
  if (d->constraint_type != SANE_CONSTRAINT_STRING_LIST) return std::nullopt;
  for (const auto& w : wanted)
    for (const SANE_String_Const* c = d->constraint.string_list; *c; ++c)
      if (std::string(*c).find(w) != std::string::npos) return std::string(*c);
  return std::nullopt;
}

// The low (or high) end of a numeric option's range, as text; none without a range.
std::optional<std::string> range_end(SANE_Handle h, const std::string& name, bool high) {
  auto index = find_option(h, name);
  if (!index) return std::nullopt;
  const SANE_Option_Descriptor* d = sane_get_option_descriptor(h, *index);
  if (d->constraint_type != SANE_CONSTRAINT_RANGE) return std::nullopt;
  const SANE_Word w = high ? d->constraint.range->max : d->constraint.range->min;
  return d->type == SANE_TYPE_FIXED ? std::to_string(SANE_UNFIX(w)) : std::to_string(w);
}

cv::Mat to_image(const std::vector<unsigned char>& bytes, const SANE_Parameters& p) {
  const int rows = int(bytes.size() / p.bytes_per_line);
  if (rows == 0) return {};
  if (p.depth == 1) {
    cv::Mat gray(rows, p.pixels_per_line, CV_8UC1);
    for (int y = 0; y < rows; ++y)
      for (int x = 0; x < p.pixels_per_line; ++x) {
        const unsigned char byte = bytes[size_t(y) * p.bytes_per_line + x / 8];
        gray.at<uchar>(y, x) = (byte >> (7 - x % 8)) & 1 ? 0 : 255;  // SANE: a set bit is black
      }
    return gray;
  }
  const int channels = p.format == SANE_FRAME_RGB ? 3 : 1;
  const int depth = p.depth == 16 ? CV_16U : CV_8U;
  cv::Mat raw(rows, p.pixels_per_line, CV_MAKETYPE(depth, channels),
              const_cast<unsigned char*>(bytes.data()), size_t(p.bytes_per_line));
  cv::Mat image;
  if (depth == CV_16U)
    raw.convertTo(image, CV_8U, 1.0 / 257);
  else
    image = raw.clone();
  if (channels == 3) cv::cvtColor(image, image, cv::COLOR_RGB2BGR);
  return image;
}

}  // namespace

Result<std::vector<SaneDeviceInfo>> list_sane_devices() {
  std::lock_guard lock(sane_mutex());
  ensure_sane_initialised();
  const SANE_Device** devices = nullptr;
  if (SANE_Status s = sane_get_devices(&devices, SANE_TRUE); s != SANE_STATUS_GOOD)
    return Error{Completion::kHardwareError, std::string("SANE: ") + sane_strstatus(s)};
  std::vector<SaneDeviceInfo> found;
  for (const SANE_Device** d = devices; d && *d; ++d)
    found.push_back({(*d)->name, (*d)->vendor, (*d)->model, (*d)->type});
  return found;
}

SaneScanner::SaneScanner(std::string id, std::string device_name,
                         std::map<std::string, std::string> backend_options)
    : Scanner(std::move(id), DeviceKind::kScanner),
      device_name_(std::move(device_name)),
      backend_options_(std::move(backend_options)) {}

SaneScanner::~SaneScanner() = default;

std::vector<std::string> SaneScanner::capabilities() const {
  return {"sane", "flatbed", "feeder"};
}

void SaneScanner::set_backend_option(const std::string& name, const std::string& value) {
  std::lock_guard lock(mutex_);
  if (value.empty())
    backend_options_.erase(name);
  else
    backend_options_[name] = value;
}

void SaneScanner::poll(Deadline) {
  // A scan in progress holds SANE; the scanner is evidently there.
  std::unique_lock lock(sane_mutex(), std::try_to_lock);
  if (!lock.owns_lock()) return;
  ensure_sane_initialised();
  const SANE_Device** devices = nullptr;
  bool present = false;
  if (sane_get_devices(&devices, SANE_TRUE) == SANE_STATUS_GOOD)
    for (const SANE_Device** d = devices; d && *d; ++d) present |= device_name_ == (*d)->name;
  lock.unlock();
  const DeviceStatus now = status();
  if (!present)
    publish({.state = DeviceState::kNoDevice,
             .media = MediaState::kNotApplicable,
             .detail = "SANE does not list " + device_name_});
  else if (now.state == DeviceState::kNoDevice)
    publish({.state = DeviceState::kOnline, .media = MediaState::kNotApplicable});
}

Status SaneScanner::self_test(Deadline, std::stop_token) {
  std::unique_lock lock(sane_mutex());
  ensure_sane_initialised();
  SANE_Handle h = nullptr;
  if (SANE_Status s = sane_open(device_name_.c_str(), &h); s != SANE_STATUS_GOOD) {
    lock.unlock();
    publish({.state = DeviceState::kNoDevice,
             .media = MediaState::kNotApplicable,
             .last_error = Completion::kDeviceNotReady,
             .detail = std::string("cannot open: ") + sane_strstatus(s)});
    return Error{Completion::kDeviceNotReady,
                 "cannot open " + device_name_ + ": " + sane_strstatus(s)};
  }
  bool has_resolution;
  {
    Handle handle(h);
    has_resolution = find_option(h, SANE_NAME_SCAN_RESOLUTION).has_value();
  }
  lock.unlock();
  if (!has_resolution)
    return Error{Completion::kUnsupported, device_name_ + " has no resolution option"};
  publish({.state = DeviceState::kOnline, .media = MediaState::kNotApplicable});
  return ok_status();
}

Result<std::vector<ScannedPage>> SaneScanner::scan(const ScanSettings& settings, Deadline deadline,
                                                   std::stop_token stop) {
  if (settings.dpi <= 0 || settings.dpi > 1200)
    return Error{Completion::kInvalidData, "resolution must be 1..1200 dpi"};
  std::map<std::string, std::string> extra;
  {
    std::lock_guard lock(mutex_);
    extra = backend_options_;
  }
  // Reports a failure: the device's status now, and the command's error.
  auto failed = [this](const Fault& f) -> Error {
    publish(f.status);
    return Error{f.code, f.message};
  };
  std::unique_lock lock(sane_mutex());
  ensure_sane_initialised();
  SANE_Handle h = nullptr;
  if (SANE_Status s = sane_open(device_name_.c_str(), &h); s != SANE_STATUS_GOOD) {
    Fault f = fault_of(s);
    f.status.state = DeviceState::kNoDevice;
    f.code = Completion::kDeviceNotReady;
    f.message = "cannot open " + device_name_ + ": " + f.message;
    return failed(f);
  }
  Handle handle(h);
  publish({.state = DeviceState::kBusy, .media = MediaState::kNotApplicable});

  std::vector<std::pair<std::string, std::string>> options = {
      {SANE_NAME_SCAN_MODE, settings.mode},
      {SANE_NAME_SCAN_RESOLUTION, std::to_string(settings.dpi)}};
  if (auto source = pick_choice(h, SANE_NAME_SCAN_SOURCE,
                                settings.feeder ? std::vector<std::string>{"Feeder", "ADF"}
                                                : std::vector<std::string>{"Flatbed"}))
    options.emplace_back(SANE_NAME_SCAN_SOURCE, *source);
  else if (settings.feeder)
    return failed({Completion::kUnsupported,
                   {.state = DeviceState::kOnline, .media = MediaState::kNotApplicable},
                   device_name_ + " has no document feeder"});
  // Backends keep option values between sessions, so the area is always set: the one asked
  // for, or the whole bed.
  const std::array<std::string, 4> corners = {SANE_NAME_SCAN_TL_X, SANE_NAME_SCAN_TL_Y,
                                              SANE_NAME_SCAN_BR_X, SANE_NAME_SCAN_BR_Y};
  for (size_t i = 0; i < corners.size(); ++i) {
    if (settings.area)
      options.emplace_back(corners[i], std::to_string((*settings.area)[i]));
    else if (auto edge = range_end(h, corners[i], i >= 2))
      options.emplace_back(corners[i], *edge);
  }
  for (const auto& [name, value] : extra) options.emplace_back(name, value);
  for (const auto& [name, value] : options)
    if (auto set = set_option(h, name, value); !set)
      return failed({set.code(),
                     {.state = DeviceState::kOnline,
                      .media = MediaState::kNotApplicable,
                      .last_error = set.code(),
                      .detail = set.error().message},
                     set.error().message});

  std::vector<ScannedPage> pages;
  std::vector<unsigned char> buffer(64 * 1024);
  while (int(pages.size()) < settings.max_pages) {
    if (SANE_Status s = sane_start(h); s != SANE_STATUS_GOOD) {
      // The feeder ran out after some pages: the batch is complete.
      if (s == SANE_STATUS_NO_DOCS && !pages.empty()) break;
      return failed(fault_of(s));
    }
    SANE_Parameters p{};
    if (SANE_Status s = sane_get_parameters(h, &p); s != SANE_STATUS_GOOD)
      return failed(fault_of(s));
    if ((p.format != SANE_FRAME_GRAY && p.format != SANE_FRAME_RGB) || p.bytes_per_line <= 0 ||
        (p.depth != 1 && p.depth != 8 && p.depth != 16))
      return failed({Completion::kUnsupported,
                     {.state = DeviceState::kOnline, .media = MediaState::kNotApplicable},
                     "unsupported scan format (three-pass or unusual depth)"});
    std::vector<unsigned char> bytes;
    for (;;) {
      if (stop.stop_requested())
        return failed({Completion::kCanceled,
                       {.state = DeviceState::kOnline, .media = MediaState::kNotApplicable},
                       "the scan was cancelled"});
      if (SteadyClock::now() >= deadline)
        return failed({Completion::kTimeout,
                       {.state = DeviceState::kOnline,
                        .media = MediaState::kNotApplicable,
                        .last_error = Completion::kTimeout,
                        .detail = "scan took too long"},
                       "the scan took too long"});
      SANE_Int length = 0;
      const SANE_Status s = sane_read(h, buffer.data(), SANE_Int(buffer.size()), &length);
      if (s == SANE_STATUS_EOF) break;
      if (s != SANE_STATUS_GOOD) return failed(fault_of(s));
      if (bytes.size() + size_t(length) > kMaxPageBytes)
        return failed({Completion::kInvalidData,
                       {.state = DeviceState::kOnline, .media = MediaState::kNotApplicable},
                       "the page is larger than any page the terminal takes"});
      bytes.insert(bytes.end(), buffer.begin(), buffer.begin() + length);
    }
    cv::Mat image = to_image(bytes, p);
    std::fill(bytes.begin(), bytes.end(), 0);  // a citizen's papers: no copy left behind
    if (image.empty())
      return failed({Completion::kHardwareError,
                     {.state = DeviceState::kHardwareError, .media = MediaState::kNotApplicable},
                     "the scanner sent an empty page"});
    pages.push_back({std::move(image), settings.dpi});
    if (!settings.feeder) break;
  }
  publish({.state = DeviceState::kOnline, .media = MediaState::kNotApplicable});
  spdlog::info("scanner {}: {} page(s) at {} dpi", id(), pages.size(), settings.dpi);
  return pages;
}

}  // namespace smzc::scanner

#include "drivers/idcard/simulator.h"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <sys/eventfd.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "drivers/idcard/frame.h"
#include "drivers/idcard/sim_photo.h"

namespace smzc::idcard {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<uint8_t> reply(uint8_t sw3, std::vector<uint8_t> data = {}) {
  return encode(Response{0x00, 0x00, sw3, std::move(data)});
}

constexpr std::pair<Fault, const char*> kFaultNames[] = {
    {Fault::kPullMidRead, "pull-mid-read"},
    {Fault::kCorruptChecksum, "corrupt-checksum"},
    {Fault::kGarbage, "garbage"},
    {Fault::kSilent, "silent"},
    {Fault::kUnplug, "unplug"},
};

}  // namespace

const char* to_string(Fault fault) {
  for (auto [f, name] : kFaultNames)
    if (f == fault) return name;
  return "unknown";
}

Result<Fault> fault_from_string(std::string_view name) {
  for (auto [f, n] : kFaultNames)
    if (name == n) return f;
  return Error{Completion::kInvalidData, "unknown fault \"" + std::string(name) + "\""};
}

namespace {

struct Pty {
  int master = -1, slave = -1;
  std::string path;
};

Result<Pty> open_pty() {
  Pty pty;
  char name[128] = {};
  if (openpty(&pty.master, &pty.slave, name, nullptr, nullptr) != 0)
    return Error{Completion::kHardwareError, std::string("openpty: ") + strerror(errno)};
  // Raw from the start, so no byte is echoed or translated before the driver opens the port.
  termios tio{};
  tcgetattr(pty.slave, &tio);
  cfmakeraw(&tio);
  tcsetattr(pty.slave, TCSANOW, &tio);
  fcntl(pty.master, F_SETFD, FD_CLOEXEC);
  fcntl(pty.slave, F_SETFD, FD_CLOEXEC);
  pty.path = name;
  return pty;
}

}  // namespace

Result<std::unique_ptr<ReaderSimulator>> ReaderSimulator::start(Options options) {
  auto pty = open_pty();
  if (!pty) return pty.error();
  int stop_fd = eventfd(0, EFD_CLOEXEC);
  return std::unique_ptr<ReaderSimulator>(
      new ReaderSimulator(pty->master, pty->slave, stop_fd, pty->path, options));
}

ReaderSimulator::ReaderSimulator(int master, int slave, int stop_fd, std::string path,
                                 Options options)
    : master_fd_(master),
      slave_fd_(slave),
      stop_fd_(stop_fd),
      port_path_(std::move(path)),
      options_(std::move(options)) {
  update_link();
  thread_ = std::thread([this] { run(); });
}

ReaderSimulator::~ReaderSimulator() {
  uint64_t one = 1;
  [[maybe_unused]] auto r = write(stop_fd_, &one, sizeof one);
  thread_.join();
  if (master_fd_ >= 0) close(master_fd_);
  close(slave_fd_);
  close(stop_fd_);
  if (!options_.link.empty()) {
    std::error_code ec;
    std::filesystem::remove(options_.link, ec);
  }
}

std::string ReaderSimulator::port_path() const {
  std::lock_guard lock(mutex_);
  return port_path_;
}

// Like udev's symlink for a reader: it points at the port while the reader is plugged in.
void ReaderSimulator::update_link() {
  if (options_.link.empty()) return;
  std::error_code ec;
  std::filesystem::remove(options_.link, ec);
  std::lock_guard lock(mutex_);
  if (!unplugged_) std::filesystem::create_symlink(port_path_, options_.link, ec);
}

Status ReaderSimulator::replug() {
  {
    std::lock_guard lock(mutex_);
    if (!unplugged_) return Error{Completion::kUserError, "the simulated reader is plugged in"};
  }
  thread_.join();
  uint64_t drained = 0;
  [[maybe_unused]] auto r = read(stop_fd_, &drained, sizeof drained);
  auto pty = open_pty();
  if (!pty) return pty.error();
  {
    std::lock_guard lock(mutex_);
    close(slave_fd_);
    master_fd_ = pty->master;
    slave_fd_ = pty->slave;
    port_path_ = pty->path;
    unplugged_ = false;
    found_since_laid_ = false;
  }
  update_link();
  thread_ = std::thread([this] { run(); });
  return ok_status();
}

void ReaderSimulator::lay_card(IdentityCard card) {
  std::lock_guard lock(mutex_);
  card_ = std::move(card);
  found_since_laid_ = false;
}

void ReaderSimulator::lift_card() {
  std::lock_guard lock(mutex_);
  if (card_) card_->wipe();
  card_.reset();
  found_since_laid_ = false;
}

bool ReaderSimulator::card_present() {
  std::lock_guard lock(mutex_);
  return card_.has_value();
}

void ReaderSimulator::inject(Fault fault) {
  std::lock_guard lock(mutex_);
  switch (fault) {
    case Fault::kSilent:
      silent_ = true;
      break;
    case Fault::kUnplug:
      unplugged_ = true;
      break;
    default:
      one_shot_ = fault;
  }
  if (fault == Fault::kUnplug) {
    // Closing the master end is what unplugging a USB-serial adapter looks like to the host:
    // the port hangs up and every read fails; udev's symlink goes.
    uint64_t one = 1;
    [[maybe_unused]] auto r = write(stop_fd_, &one, sizeof one);
    if (!options_.link.empty()) {
      std::error_code ec;
      std::filesystem::remove(options_.link, ec);
    }
  }
}

void ReaderSimulator::clear_faults() {
  std::lock_guard lock(mutex_);
  one_shot_.reset();
  silent_ = false;
}

void ReaderSimulator::set_answer_delay(std::chrono::milliseconds delay) {
  std::lock_guard lock(mutex_);
  delay_ = delay;
}

void ReaderSimulator::run() {
  std::vector<uint8_t> pending;
  uint8_t buf[512];
  for (;;) {
    pollfd fds[2] = {{master_fd_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents) {
      std::lock_guard lock(mutex_);
      if (unplugged_) {
        close(master_fd_);
        master_fd_ = -1;
      }
      return;
    }
    ssize_t n = read(master_fd_, buf, sizeof buf);
    if (n <= 0) continue;
    pending.insert(pending.end(), buf, buf + n);
    for (;;) {
      FrameScan scan = scan_frame(pending, 2);
      if (scan.status == FrameStatus::kIncomplete) break;
      ++commands_received_;
      if (scan.status != FrameStatus::kComplete) {
        // A real reader answers a damaged command with SW3 10/11 and forgets what it got.
        const size_t got = pending.size();
        pending.clear();
        if (auto a = answer({}); a)
          send({reply(scan.status == FrameStatus::kBadLength ? sw3::kLengthError
                                                             : sw3::kChecksumError)},
               got);
        break;
      }
      std::vector<uint8_t> request(pending.begin(), pending.begin() + scan.frame_size);
      pending.erase(pending.begin(), pending.begin() + scan.frame_size);
      if (auto a = answer(request); a) send(*a, request.size());
    }
  }
}

ReaderSimulator::Answer ReaderSimulator::apply_one_shot_faults(Answer a, bool is_read) {
  if (!one_shot_) return a;
  switch (*one_shot_) {
    case Fault::kCorruptChecksum:
      a.bytes.back() ^= 0x5A;
      break;
    case Fault::kGarbage:
      for (size_t i = 0; i < a.bytes.size(); ++i) a.bytes[i] = static_cast<uint8_t>(i * 37 + 11);
      break;
    case Fault::kPullMidRead:
      if (!is_read) return a;  // waits for the read it is meant to spoil
      a.send_only = a.bytes.size() / 3;
      if (card_) card_->wipe();
      card_.reset();
      found_since_laid_ = false;
      break;
    default:
      break;
  }
  one_shot_.reset();
  return a;
}

// Empty request: a damaged command; only the silence and delay faults apply to its answer.
std::optional<ReaderSimulator::Answer> ReaderSimulator::answer(
    const std::vector<uint8_t>& request) {
  std::lock_guard lock(mutex_);
  if (silent_ || unplugged_) return std::nullopt;
  if (request.empty()) return Answer{};
  auto command = decode_command(request);
  const uint16_t op = static_cast<uint16_t>((command->cmd << 8) | command->para);
  Answer a;
  switch (op) {
    case 0x10FF:  // reset
    case 0x11FF:  // SAM status
      a.bytes = reply(sw3::kOk);
      break;
    case 0x12FF:  // SAM id: 16 bytes, LE u16 u16 u32 u32 u32
      a.bytes = reply(sw3::kOk, {0x05, 0x00, 0x01, 0x00, 0x39, 0x30, 0x00, 0x00, 0xD2, 0x04, 0x00,
                                 0x00, 0x2E, 0x16, 0x00, 0x00});
      break;
    case 0x6150:  // set max RF frame size
      a.bytes = reply(sw3::kOk);
      break;
    case 0x2001:  // find
      if (!card_ || found_since_laid_) {
        a.bytes = reply(sw3::kFindFailed);
      } else {
        found_since_laid_ = true;
        a.bytes = reply(sw3::kFindOk, {0, 0, 0, 0});
      }
      break;
    case 0x2002:  // select: answers while a card lies in the field, even one already read
      a.bytes = card_ ? reply(sw3::kOk, std::vector<uint8_t>(8, 0)) : reply(sw3::kSelectFailed);
      break;
    case 0x3001:  // read base message
    case 0x3010:  // read with fingerprint (this card has none)
      if (!card_) {
        a.bytes = reply(sw3::kReadFailed);
      } else if (op == 0x3001) {
        a.bytes = reply(sw3::kOk, encode_base_message(*card_));
      } else {
        auto data = encode_base_message(*card_);
        data.insert(data.begin() + 4, {0x00, 0x00});  // fpLen 0
        a.bytes = reply(sw3::kOk, std::move(data));
      }
      return apply_one_shot_faults(std::move(a), true);
    default:
      a.bytes = reply(sw3::kCommandError);
  }
  return apply_one_shot_faults(std::move(a), false);
}

void ReaderSimulator::send(const Answer& answer, size_t request_size) {
  std::chrono::milliseconds delay;
  {
    std::lock_guard lock(mutex_);
    delay = delay_;
  }
  // Paced like a UART: the command takes its wire time to arrive, then byte k of the answer
  // leaves no earlier than k × 10 bits / baud after the first.
  const double seconds_per_byte = options_.paced ? 10.0 / options_.baud : 0.0;
  auto at = [&](size_t bytes) {
    return std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(seconds_per_byte * bytes));
  };
  const auto start = Clock::now() + delay + at(request_size);
  const size_t total = std::min(answer.bytes.size(), answer.send_only);
  constexpr size_t kChunk = 64;
  for (size_t sent = 0; sent < total;) {
    const size_t n = std::min(kChunk, total - sent);
    std::this_thread::sleep_until(start + at(sent + n));
    ssize_t w = write(master_fd_, answer.bytes.data() + sent, n);
    if (w <= 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      return;
    }
    sent += static_cast<size_t>(w);
  }
}

Result<IdentityCard> load_card_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return Error{Completion::kInvalidData, "cannot read " + path.string()};
  std::string text(kMaxCardJsonBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  auto card = card_from_json(text, path.string());
  if (!card) return card;
  // The holder's picture for the chip: "photo": {"file": PATH, "crop": [x, y, w, h]}, the file
  // absolute or beside the card file.
  const nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
  const nlohmann::json photo = json.value("photo", nlohmann::json());
  if (photo.is_null()) return card;
  if (!photo.is_object() || !photo.value("file", nlohmann::json()).is_string())
    return Error{Completion::kInvalidData, path.string() + ": photo needs a file"};
  std::filesystem::path file = photo["file"].get<std::string>();
  if (file.is_relative()) file = path.parent_path() / file;
  cv::Rect crop;
  if (const auto c = photo.value("crop", nlohmann::json()); !c.is_null()) {
    if (!c.is_array() || c.size() != 4 ||
        !std::all_of(c.begin(), c.end(), [](const auto& v) { return v.is_number_integer(); }))
      return Error{Completion::kInvalidData, path.string() + ": photo crop is [x, y, w, h]"};
    crop = cv::Rect(c[0].get<int>(), c[1].get<int>(), c[2].get<int>(), c[3].get<int>());
  }
  const cv::Mat portrait = cv::imread(file.string(), cv::IMREAD_COLOR);
  if (portrait.empty())
    return Error{Completion::kInvalidData, path.string() + ": cannot read the photo " +
                                               file.string() + " (./dev installs its package)"};
  auto block = encode_sim_photo(portrait, crop);
  if (!block) return Error{block.code(), path.string() + ": " + block.error().message};
  card->photo = std::move(block.value());
  return card;
}

}  // namespace smzc::idcard

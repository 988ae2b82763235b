#include "drivers/idcard/simulator.h"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <sys/eventfd.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include <nlohmann/json.hpp>

#include "drivers/idcard/frame.h"

namespace smzc::idcard {
namespace {

using Clock = std::chrono::steady_clock;

Response reply(uint8_t sw3, std::vector<uint8_t> data = {}) {
  return Response{0x00, 0x00, sw3, std::move(data)};
}

}  // namespace

Result<std::unique_ptr<ReaderSimulator>> ReaderSimulator::start(Options options) {
  int master = -1, slave = -1;
  char name[128] = {};
  if (openpty(&master, &slave, name, nullptr, nullptr) != 0)
    return Error{Completion::kHardwareError, std::string("openpty: ") + strerror(errno)};
  // Raw on both ends from the start, so no byte is echoed or translated before the driver opens.
  termios tio{};
  tcgetattr(slave, &tio);
  cfmakeraw(&tio);
  tcsetattr(slave, TCSANOW, &tio);
  fcntl(master, F_SETFD, FD_CLOEXEC);
  fcntl(slave, F_SETFD, FD_CLOEXEC);
  int stop_fd = eventfd(0, EFD_CLOEXEC);
  return std::unique_ptr<ReaderSimulator>(
      new ReaderSimulator(master, slave, stop_fd, name, options));
}

ReaderSimulator::ReaderSimulator(int master, int slave, int stop_fd, std::string path,
                                 Options options)
    : master_fd_(master),
      slave_fd_(slave),
      stop_fd_(stop_fd),
      port_path_(std::move(path)),
      options_(options),
      thread_([this] { run(); }) {}

ReaderSimulator::~ReaderSimulator() {
  uint64_t one = 1;
  [[maybe_unused]] auto r = write(stop_fd_, &one, sizeof one);
  thread_.join();
  close(master_fd_);
  close(slave_fd_);
  close(stop_fd_);
}

void ReaderSimulator::lay_card(IdentityCard card) {
  std::lock_guard lock(card_mutex_);
  card_ = std::move(card);
  found_since_laid_ = false;
}

void ReaderSimulator::lift_card() {
  std::lock_guard lock(card_mutex_);
  if (card_) card_->wipe();
  card_.reset();
  found_since_laid_ = false;
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
    if (fds[1].revents) return;
    ssize_t n = read(master_fd_, buf, sizeof buf);
    if (n <= 0) continue;
    pending.insert(pending.end(), buf, buf + n);
    for (;;) {
      FrameScan scan = scan_frame(pending, 2);
      if (scan.status == FrameStatus::kIncomplete) break;
      if (scan.status != FrameStatus::kComplete) {
        // A real reader answers a damaged command with SW3 10/11 and forgets what it got.
        send(encode(reply(scan.status == FrameStatus::kBadLength ? sw3::kLengthError
                                                                 : sw3::kChecksumError)));
        pending.clear();
        break;
      }
      std::vector<uint8_t> request(pending.begin(), pending.begin() + scan.frame_size);
      pending.erase(pending.begin(), pending.begin() + scan.frame_size);
      send(answer(request));
      ++commands_answered_;
    }
  }
}

std::vector<uint8_t> ReaderSimulator::answer(const std::vector<uint8_t>& request) {
  auto command = decode_command(request);
  std::lock_guard lock(card_mutex_);
  const uint16_t op = static_cast<uint16_t>((command->cmd << 8) | command->para);
  switch (op) {
    case 0x10FF:  // reset
    case 0x11FF:  // SAM status
      return encode(reply(sw3::kOk));
    case 0x12FF:  // SAM id
      return encode(reply(sw3::kOk, std::vector<uint8_t>(16, 0x01)));
    case 0x2001:  // find
      if (!card_ || found_since_laid_) return encode(reply(sw3::kFindFailed));
      found_since_laid_ = true;
      return encode(reply(sw3::kFindOk, {0, 0, 0, 0}));
    case 0x2002:  // select
      if (!card_) return encode(reply(sw3::kSelectFailed));
      return encode(reply(sw3::kOk, std::vector<uint8_t>(8, 0)));
    case 0x3001:  // read base message
      if (!card_) return encode(reply(sw3::kReadFailed));
      return encode(reply(sw3::kOk, encode_base_message(*card_)));
    default:
      return encode(reply(sw3::kCommandError));
  }
}

void ReaderSimulator::send(const std::vector<uint8_t>& bytes) {
  // Paced like a UART: byte k leaves no earlier than k × 10 bits / baud after the first.
  const auto start = Clock::now();
  const double seconds_per_byte = 10.0 / options_.baud;
  constexpr size_t kChunk = 64;
  for (size_t sent = 0; sent < bytes.size();) {
    const size_t n = std::min(kChunk, bytes.size() - sent);
    if (options_.paced) {
      std::this_thread::sleep_until(
          start + std::chrono::duration_cast<Clock::duration>(
                      std::chrono::duration<double>(seconds_per_byte * (sent + n))));
    }
    ssize_t w = write(master_fd_, bytes.data() + sent, n);
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
  auto json = nlohmann::json::parse(in, nullptr, false);
  if (json.is_discarded() || !json.is_object())
    return Error{Completion::kInvalidData, path.string() + " is not a JSON object"};
  IdentityCard card;
  auto field = [&json](const char* key) { return json.value(key, std::string()); };
  card.name = field("name");
  card.sex_code = field("sex");
  card.nation_code = field("nation");
  card.birth_date = field("birth");
  card.address = field("address");
  card.id_number = field("id_number");
  card.authority = field("authority");
  card.valid_from = field("valid_from");
  card.valid_to = field("valid_to");
  if (card.name.empty() || card.id_number.empty())
    return Error{Completion::kInvalidData, path.string() + " needs at least name and id_number"};
  return card;
}

}  // namespace smzc::idcard

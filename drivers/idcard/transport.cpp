#include "drivers/idcard/transport.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace smzc::idcard {
namespace {

speed_t baud_constant(int baud) {
  switch (baud) {
    case 9600:
      return B9600;
    case 19200:
      return B19200;
    case 38400:
      return B38400;
    case 57600:
      return B57600;
    case 115200:
      return B115200;
    case 230400:
      return B230400;
    default:
      return 0;
  }
}

Error os_error(const std::string& what) {
  const bool gone = errno == EIO || errno == ENXIO || errno == ENODEV || errno == ENOENT;
  return Error{gone ? Completion::kDeviceNotReady : Completion::kHardwareError,
               what + ": " + strerror(errno)};
}

}  // namespace

Result<std::unique_ptr<SerialTransport>> SerialTransport::open(const std::string& path, int baud) {
  const speed_t speed = baud_constant(baud);
  if (speed == 0)
    return Error{Completion::kInvalidData, "unsupported baud rate " + std::to_string(baud)};
  int fd = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return os_error("cannot open " + path);
  termios tio{};
  if (tcgetattr(fd, &tio) != 0) {
    Error e = os_error(path + " is not a serial port");
    ::close(fd);
    return e;
  }
  cfmakeraw(&tio);
  tio.c_cflag |= CLOCAL | CREAD;
  tio.c_cflag &= ~(CSTOPB | PARENB | CRTSCTS);
  cfsetispeed(&tio, speed);
  cfsetospeed(&tio, speed);
  if (tcsetattr(fd, TCSANOW, &tio) != 0) {
    Error e = os_error("cannot configure " + path);
    ::close(fd);
    return e;
  }
  int cancel_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (cancel_fd < 0) {
    Error e = os_error("eventfd");
    ::close(fd);
    return e;
  }
  return std::unique_ptr<SerialTransport>(new SerialTransport(fd, cancel_fd, path));
}

SerialTransport::~SerialTransport() {
  ::close(fd_);
  ::close(cancel_fd_);
}

Status SerialTransport::wait(short events, Clock::time_point deadline) {
  for (;;) {
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return Error{Completion::kTimeout, "the reader did not answer in time"};
    pollfd fds[2] = {{fd_, events, 0}, {cancel_fd_, POLLIN, 0}};
    int n = poll(fds, 2, static_cast<int>(left));
    if (n < 0) {
      if (errno == EINTR) continue;
      return os_error("poll " + path_);
    }
    if (fds[1].revents & POLLIN) {
      uint64_t drained;
      [[maybe_unused]] auto r = ::read(cancel_fd_, &drained, sizeof drained);
      return Error{Completion::kCanceled, "canceled"};
    }
    if (fds[0].revents & (POLLERR | POLLNVAL))
      return Error{Completion::kDeviceNotReady, "the reader at " + path_ + " is gone"};
    if (fds[0].revents & (events | POLLHUP)) return ok_status();
  }
}

Status SerialTransport::write(std::span<const uint8_t> bytes, Clock::time_point deadline) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n > 0) {
      bytes = bytes.subspan(static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno != EAGAIN && errno != EINTR) return os_error("write " + path_);
    if (auto s = wait(POLLOUT, deadline); !s) return s;
  }
  return ok_status();
}

Result<size_t> SerialTransport::read_some(std::span<uint8_t> buffer, Clock::time_point deadline) {
  for (;;) {
    ssize_t n = ::read(fd_, buffer.data(), buffer.size());
    if (n > 0) return static_cast<size_t>(n);
    if (n == 0) return Error{Completion::kDeviceNotReady, "the reader at " + path_ + " hung up"};
    if (errno != EAGAIN && errno != EINTR) return os_error("read " + path_);
    if (auto s = wait(POLLIN, deadline); !s) return s.error();
  }
}

void SerialTransport::discard_input() {
  tcflush(fd_, TCIFLUSH);
}

void SerialTransport::cancel() {
  uint64_t one = 1;
  [[maybe_unused]] auto r = ::write(cancel_fd_, &one, sizeof one);
}

void SerialTransport::clear_cancel() {
  uint64_t drained;
  [[maybe_unused]] auto r = ::read(cancel_fd_, &drained, sizeof drained);
}

}  // namespace smzc::idcard

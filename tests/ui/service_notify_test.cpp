// The kiosk under systemd (Type=notify, WatchdogSec): READY=1 once up, WATCHDOG=1 pings from the
// UI thread's event loop and none while that thread is kept from it, STOPPING=1 on the way out.
// The notifications go to a real datagram socket named by NOTIFY_SOCKET, as systemd's would.
#include <QCoreApplication>
#include <QEventLoop>

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>

#include "kiosk/service_notify.h"
#include "tests/support/test_support.h"

namespace smzc::kiosk {
namespace {

using namespace std::chrono_literals;

// systemd's end of the notification socket.
class NotifySocket {
 public:
  explicit NotifySocket(const std::filesystem::path& path) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
    bound_ = ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::setenv("NOTIFY_SOCKET", path.c_str(), 1);
  }
  ~NotifySocket() {
    ::unsetenv("NOTIFY_SOCKET");
    ::unsetenv("WATCHDOG_USEC");
    ::unsetenv("WATCHDOG_PID");
    ::close(fd_);
  }
  bool bound() const { return bound_; }
  // The next notification, if one comes within `within`.
  std::optional<std::string> receive(std::chrono::milliseconds within) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(within.count())) != 1) return std::nullopt;
    char buf[512];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return std::nullopt;
    return std::string(buf, static_cast<size_t>(n));
  }
  void drain() {
    while (receive(0ms)) {
    }
  }

 private:
  int fd_ = -1;
  bool bound_ = false;
};

TEST(ServiceNotifier, SaysReadyAndPingsTheWatchdogOnlyFromTheEventLoop) {
  testing::TempDir dir;
  NotifySocket systemd(dir / "notify");
  ASSERT_TRUE(systemd.bound());
  ::setenv("WATCHDOG_USEC", "100000", 1);  // WatchdogSec=100ms
  ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
  ServiceNotifier service;
  EXPECT_EQ(service.watchdog_interval(), 100ms);
  service.ready();
  EXPECT_EQ(systemd.receive(10s), "READY=1");

  // The event loop runs: pings come (the deadline only bounds a broken build).
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  std::optional<std::string> ping;
  while (!ping && std::chrono::steady_clock::now() < deadline) {
    QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    ping = systemd.receive(0ms);
  }
  EXPECT_EQ(ping, "WATCHDOG=1");

  // The UI thread is kept from its loop, as by a hang: three intervals pass without a ping
  // (none can come unless something other than the loop sends them).
  systemd.drain();
  EXPECT_EQ(systemd.receive(300ms), std::nullopt);

  service.stopping();
  EXPECT_EQ(systemd.receive(10s), "STOPPING=1");
}

TEST(ServiceNotifier, TakesTheWatchdogOfItsParentCageButNotAnotherProcesss) {
  ::setenv("WATCHDOG_USEC", "2000000", 1);
  ::setenv("WATCHDOG_PID", std::to_string(::getppid()).c_str(), 1);
  EXPECT_EQ(ServiceNotifier().watchdog_interval(), 2s) << "the kiosk runs as cage's child";
  const pid_t other = std::max(::getpid(), ::getppid()) + 1;
  ::setenv("WATCHDOG_PID", std::to_string(other).c_str(), 1);
  EXPECT_EQ(ServiceNotifier().watchdog_interval(), 0us);
  ::unsetenv("WATCHDOG_USEC");
  ::unsetenv("WATCHDOG_PID");
}

// Without NOTIFY_SOCKET there is nowhere to send to: no watchdog, and ready() and stopping() are
// harmless no-ops (nothing could observe what was not sent).
TEST(ServiceNotifier, OutsideSystemdThereIsNoWatchdogAndNotifyingIsHarmless) {
  ::unsetenv("NOTIFY_SOCKET");
  ::unsetenv("WATCHDOG_USEC");
  ServiceNotifier service;
  EXPECT_EQ(service.watchdog_interval(), 0us);
  service.ready();
  service.stopping();
}

}  // namespace
}  // namespace smzc::kiosk

// The kiosk as a systemd service (Type=notify): it says when it is ready and when it stops, and
// pings the service watchdog from the Qt event loop, so a UI that hangs stops the pings and
// systemd restarts the service. Outside systemd (no NOTIFY_SOCKET) every call does nothing.
#pragma once

#include <QObject>
#include <QTimer>
#include <chrono>

namespace smzc::kiosk {

/// Lives on the UI thread; its timer runs only while that thread's event loop does.
class ServiceNotifier : public QObject {
 public:
  explicit ServiceNotifier(QObject* parent = nullptr);
  /// READY=1, and the watchdog pings start at half the interval systemd asked for (WatchdogSec,
  /// passed as WATCHDOG_USEC). Call once the window is up.
  void ready();
  /// STOPPING=1: the service is shutting down on purpose.
  void stopping();
  /// The watchdog interval systemd asked for; zero when there is no watchdog.
  std::chrono::microseconds watchdog_interval() const { return interval_; }

 private:
  QTimer ping_;
  std::chrono::microseconds interval_{0};
};

}  // namespace smzc::kiosk

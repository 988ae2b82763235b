#include "kiosk/service_notify.h"

#include <systemd/sd-daemon.h>

#include <cstdint>

namespace smzc::kiosk {

ServiceNotifier::ServiceNotifier(QObject* parent) : QObject(parent) {
  uint64_t usec = 0;
  // 0: the variables stay set for the rest of the process (the watchdog PID check is libsystemd's).
  if (sd_watchdog_enabled(0, &usec) > 0) interval_ = std::chrono::microseconds(usec);
  connect(&ping_, &QTimer::timeout, this, [] { sd_notify(0, "WATCHDOG=1"); });
}

void ServiceNotifier::ready() {
  sd_notify(0, "READY=1");
  if (interval_.count() == 0) return;
  // Half the interval leaves room for one late ping, as sd_watchdog_enabled(3) advises.
  ping_.start(std::chrono::duration_cast<std::chrono::milliseconds>(interval_ / 2));
}

void ServiceNotifier::stopping() {
  ping_.stop();
  sd_notify(0, "STOPPING=1");
}

}  // namespace smzc::kiosk

#include "kiosk/service_notify.h"

#include <systemd/sd-daemon.h>

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>

namespace smzc::kiosk {

ServiceNotifier::ServiceNotifier(QObject* parent) : QObject(parent) {
  // The service's main process is cage, which starts the kiosk, so WATCHDOG_PID names the kiosk's
  // parent; sd_watchdog_enabled() would see another process's watchdog and say there is none.
  // The unit has NotifyAccess=all, so the pings are the kiosk's to send.
  const char* usec = std::getenv("WATCHDOG_USEC");
  const char* pid = std::getenv("WATCHDOG_PID");
  const long long watched = pid ? std::atoll(pid) : 0;
  if (usec && (!pid || watched == ::getpid() || watched == ::getppid()))
    interval_ = std::chrono::microseconds(std::max(0LL, std::atoll(usec)));
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

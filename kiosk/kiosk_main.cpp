// kiosk: the touch shell of a terminal. `kiosk --config FILE`; the demo on simulated devices is
// smzc-demo, which production systems do not install.
#include <QApplication>

#include <pthread.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <csignal>
#include <thread>

#include "base/privacy.h"
#include "kiosk/service_notify.h"
#include "kiosk/shell.h"

int main(int argc, char** argv) {
  // Citizens' data lives in this process: a crash must not write it to disk.
  smzc::forbid_core_dumps();
  // SIGTERM (systemd stopping the service) and SIGINT end the event loop as closing the window
  // would: the terminal then finishes its step and shuts its devices down. Blocked before any
  // thread starts, so that only the thread waiting for them below takes them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  CLI::App app{"市民之窗 kiosk shell"};
  std::string config_path = "/etc/smzc/kiosk.json";
  bool windowed = false;
  app.add_option("--config", config_path, "terminal configuration")->capture_default_str();
  app.add_flag("--windowed", windowed, "a window instead of full screen");
  CLI11_PARSE(app, argc, argv);

  auto config = smzc::services::load_config(config_path);
  if (!config) {
    spdlog::error("{}", config.error().message);
    return 2;
  }
  auto terminal = smzc::kiosk::start_terminal(config.value());
  if (!terminal) {
    spdlog::error("{}", terminal.error().message);
    return 1;
  }
  QApplication qapp(argc, argv);
  smzc::ui::KioskWindow window(terminal.value()->engine());
  smzc::kiosk::show(window, windowed);
  smzc::kiosk::ServiceNotifier service;
  service.ready();
  std::thread([&] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    QMetaObject::invokeMethod(
        &qapp,
        [&, signal] {
          spdlog::info("stopping on signal {}", signal);
          service.stopping();
          qapp.quit();
        },
        Qt::QueuedConnection);
  }).detach();
  return qapp.exec();
}

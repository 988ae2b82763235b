// kiosk: the touch shell of a terminal. `kiosk --config FILE`; the demo on simulated devices is
// smzc-demo, which production systems do not install.
#include <QApplication>

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "base/privacy.h"
#include "kiosk/service_notify.h"
#include "kiosk/shell.h"

int main(int argc, char** argv) {
  // Citizens' data lives in this process: a crash must not write it to disk.
  smzc::forbid_core_dumps();
  smzc::kiosk::block_stop_signals();
  CLI::App app{"市民之窗 kiosk shell"};
  std::string config_path = "/etc/smzc/kiosk.json";
  bool windowed = false, show_cursor = false;
  app.add_option("--config", config_path, "terminal configuration")->capture_default_str();
  app.add_flag("--windowed", windowed,
               "a window instead of full screen, and none of the lockdown (development)");
  app.add_flag("--show-cursor", show_cursor, "keep the mouse pointer (it is hidden on a terminal)");
  CLI11_PARSE(app, argc, argv);

  auto config = smzc::services::load_config(config_path);
  if (!config) {
    spdlog::error("{}", config.error().message);
    return 2;
  }
  // One kiosk per journal: a second would interleave its entries and print the same certificate.
  auto lock = smzc::kiosk::InstanceLock::acquire(config->journal);
  if (!lock) {
    spdlog::error("{}", lock.error().message);
    return 1;
  }
  auto terminal = smzc::kiosk::start_terminal(config.value());
  if (!terminal) {
    spdlog::error("{}", terminal.error().message);
    return 1;
  }
  smzc::kiosk::prepare_qt_environment();
  QApplication qapp(argc, argv);
  smzc::ui::KioskWindow window(terminal.value()->engine());
  smzc::kiosk::show(window, windowed);
  if (!windowed) {
    window.lock_down();
    if (!show_cursor) QApplication::setOverrideCursor(Qt::BlankCursor);
  }
  smzc::kiosk::ServiceNotifier service;
  service.ready();
  smzc::kiosk::quit_on_stop_signals(qapp, [&service](int) { service.stopping(); });
  return qapp.exec();
}

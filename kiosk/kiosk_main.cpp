// kiosk: the touch shell of a terminal. `kiosk --config FILE`; `kiosk --screenshot FILE` writes
// the attract screen and exits. The demo on simulated devices is smzc-demo, which production
// systems do not install.
#include <QApplication>

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <optional>

#include "base/privacy.h"
#include "kiosk/service_notify.h"
#include "kiosk/shell.h"
#include "services/heartbeat.h"
#include "services/logging.h"
#include "services/technician.h"
#include "ui/technician_panel.h"

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
  std::string screenshot, screen = "attract", language = "zh-CN";
  bool elderly = false;
  app.add_option("--screenshot", screenshot,
                 "start, write the screen as a PNG file and exit (docs, tests, start-up timing)");
  app.add_option("--screen", screen,
                 "with --screenshot: attract, read_card, choose_item, form, camera, "
                 "applications, done or error (with sample data)")
      ->check(CLI::IsMember({"attract", "read_card", "choose_item", "form", "camera",
                             "applications", "done", "error"}))
      ->capture_default_str();
  app.add_option("--lang", language, "with --screenshot: zh-CN, zh-HK or en")
      ->check(CLI::IsMember({"zh-CN", "zh-HK", "en"}))
      ->capture_default_str();
  app.add_flag("--elderly", elderly, "with --screenshot: in elderly mode");
  CLI11_PARSE(app, argc, argv);
  if (!screenshot.empty()) {
    windowed = true;
    setenv("QT_QPA_PLATFORM", "offscreen", 1);
  }

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
  // After the lock: one kiosk writes its log files.
  if (screenshot.empty())
    smzc::services::start_logging(config->log_dir, "kiosk", config->terminal_id);
  // A screenshot only looks: no device supervision, no start-up recovery.
  auto terminal = screenshot.empty() ? smzc::kiosk::start_terminal(config.value())
                                     : smzc::services::Terminal::open(config.value());
  if (!terminal) {
    spdlog::error("{}", terminal.error().message);
    return 1;
  }
  smzc::kiosk::prepare_qt_environment();
  QApplication qapp(argc, argv);
  // Made before the window and gone after it: the technician panel the window owns uses them.
  std::optional<smzc::services::Heartbeat> heartbeat;
  std::optional<smzc::services::TechnicianGate> gate;
  smzc::ui::KioskWindow window(terminal.value()->engine());
  smzc::kiosk::show(window, windowed);
  if (!screenshot.empty()) {
    if (!window.set_language(QString::fromStdString(language))) return 2;
    window.set_elderly(elderly);
    int rc = 1;
    QObject::connect(&window, &smzc::ui::KioskWindow::screenShown, [&](const QString& name) {
      // The attract screen comes first; the screen asked for is shown from there.
      if (name == "attract" && screen != "attract") {
        if (!window.show_sample(QString::fromStdString(screen))) {
          rc = 2;
          qapp.quit();
        }
        return;
      }
      if (name != QString::fromStdString(screen)) return;
      rc = window.grab().save(QString::fromStdString(screenshot), "PNG") ? 0 : 1;
      if (rc != 0) spdlog::error("cannot write {}", screenshot);
      qapp.quit();
    });
    qapp.exec();
    return rc;
  }
  if (!windowed) {
    window.lock_down();
    if (!show_cursor) QApplication::setOverrideCursor(Qt::BlankCursor);
  }
  // The fleet hears from the terminal on a timer of its own, whatever the screen shows.
  heartbeat.emplace(*terminal.value(), smzc::services::Heartbeat::Options{.version = SMZC_VERSION});
  heartbeat->start();
  // Technician mode, behind the hidden corner and a technician's PIN.
  gate.emplace(config->technicians, terminal.value()->journal(), smzc::system_clock());
  window.add_technician_panel(new smzc::ui::TechnicianPanel(
      *terminal.value(), *gate, [&heartbeat] { return heartbeat->report("technician"); }));
  smzc::kiosk::ServiceNotifier service;
  service.ready();
  smzc::kiosk::quit_on_stop_signals(qapp, [&service](int) { service.stopping(); });
  return qapp.exec();
}

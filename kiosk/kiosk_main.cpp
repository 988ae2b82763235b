// kiosk: the touch shell. `kiosk --config FILE` on a terminal; `kiosk --demo` on simulated devices.
#include <QApplication>
#include <QDir>
#include <QPixmap>
#include <QTimer>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "drivers/idcard/usb_transport.h"
#include "kiosk/config.h"
#include "kiosk/demo.h"
#include "ui/kiosk_window.h"

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

bool has_display() {
  auto set = [](const char* name) {
    const char* v = std::getenv(name);
    return v && *v;
  };
  return set("DISPLAY") || set("WAYLAND_DISPLAY");
}

// summary.json of a demo run: what happened, and how long each step took.
json summary(const smzc::services::Outcome& outcome, const std::string& screen_failed) {
  json timings = json::object();
  for (const auto& [step, ms] : outcome.timings_ms) timings[smzc::services::to_string(step)] = ms;
  json j = {{"status", outcome.status},
            {"item_code", outcome.item_code},
            {"transaction_id", outcome.transaction_id},
            {"application_id", outcome.application_id},
            {"certificate_serial", outcome.certificate_serial},
            {"print_job_id", outcome.job_id},
            {"print_job_state", outcome.job_state},
            {"timings_ms", timings}};
  if (outcome.status != "printed") {
    j["status"] = "failed";
    j["outcome"] = outcome.status;
    j["step"] =
        outcome.failed_step ? smzc::services::to_string(*outcome.failed_step) : screen_failed;
    j["reason"] = outcome.reason;
    if (!outcome.reasons.empty()) j["reasons"] = outcome.reasons;
  }
  return j;
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream(path) << text << '\n';
}

// Drives the demo: lays the card when asked for it, takes a screenshot of every screen, and, when
// `scripted`, taps through the flow as a citizen would.
class DemoDriver : public QObject {
 public:
  DemoDriver(smzc::ui::KioskWindow& window, smzc::kiosk::DemoEnvironment& env, fs::path out,
             bool scripted)
      : window_(window), env_(env), out_(std::move(out)), scripted_(scripted) {
    connect(&window_, &smzc::ui::KioskWindow::screenShown, this, &DemoDriver::on_screen);
  }
  int exit_code() const { return exit_code_; }

 private:
  void on_screen(const QString& name) {
    const fs::path shot =
        out_ / "screens" / (std::to_string(++shots_) + "-" + name.toStdString() + ".png");
    window_.grab().save(QString::fromStdString(shot.string()));
    if (name == "read_card") env_.reader().lay_card(env_.card());
    if (name == "done" || name == "error") finish(name.toStdString());
    if (!scripted_) return;
    if (name == "attract" && !finished_) tap("start");
    if (name == "choose_item") tap("NH-SB-0001");
  }

  void tap(const char* button) {
    if (!window_.tap(button)) {
      spdlog::error("demo: no button '{}' on screen {}", button,
                    window_.current_screen().toStdString());
      finish("tap " + std::string(button));
    }
  }

  void finish(const std::string& where) {
    env_.reader().lift_card();
    if (finished_) return;
    finished_ = true;
    const auto& outcome = window_.last_outcome();
    json j = summary(outcome, where);
    const auto docs = env_.printer().received_documents();
    if (!docs.empty()) {
      fs::copy_file(docs.back(), out_ / "certificate.pdf", fs::copy_options::overwrite_existing);
      j["certificate_pdf"] = "certificate.pdf";
    }
    write_text(out_ / "summary.json", j.dump(2));
    exit_code_ = j["status"] == "printed" ? 0 : 1;
    spdlog::info("demo {}: summary in {}", j["status"].get<std::string>(),
                 (out_ / "summary.json").string());
    if (scripted_) QTimer::singleShot(0, qApp, [code = exit_code_] { qApp->exit(code); });
  }

  smzc::ui::KioskWindow& window_;
  smzc::kiosk::DemoEnvironment& env_;
  fs::path out_;
  bool scripted_;
  bool finished_ = false;
  int shots_ = 0;
  int exit_code_ = 1;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"市民之窗 kiosk shell"};
  std::string config_path = "/etc/smzc/kiosk.json";
  std::string out_dir = "demo-out";
  bool demo = false, headless = false, windowed = false;
  app.add_option("--config", config_path, "terminal configuration")->capture_default_str();
  app.add_flag("--demo", demo,
               "run on simulated devices, a real IPP printer and the reference backend");
  app.add_flag("--headless", headless, "no display: offscreen rendering and scripted taps (demo)");
  app.add_flag("--windowed", windowed, "a window instead of full screen");
  app.add_option("--out", out_dir, "demo output folder")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  if (demo && !has_display()) headless = true;
  if (headless) setenv("QT_QPA_PLATFORM", "offscreen", 1);

  const fs::path out = fs::absolute(out_dir);
  std::unique_ptr<smzc::kiosk::DemoEnvironment> env;
  smzc::kiosk::Config config;
  if (demo) {
    fs::remove_all(out);
    fs::create_directories(out / "screens");
    auto started = smzc::kiosk::DemoEnvironment::start(out);
    if (!started) {
      write_text(
          out / "summary.json",
          json{{"status", "failed"}, {"step", "start"}, {"reason", started.error().message}}.dump(
              2));
      spdlog::error("demo: {}", started.error().message);
      return 1;
    }
    env = std::move(started.value());
    config = env->config();
  } else {
    auto loaded = smzc::kiosk::load_config(config_path);
    if (!loaded) {
      spdlog::error("{}", loaded.error().message);
      return 2;
    }
    config = loaded.value();
  }

  auto journal = smzc::services::Journal::open(config.journal);
  if (!journal) {
    spdlog::error("{}", journal.error().message);
    return 1;
  }
  // The print ledger lives in the journal's database file, in a table of its own.
  auto ledger = smzc::services::PrintLedger::open(config.journal);
  if (!ledger) {
    spdlog::error("{}", ledger.error().message);
    return 1;
  }
  // Personal data at rest (the store-and-forward queue) is sealed with the terminal's data key.
  auto data_key = smzc::certs::DataKey::load_or_create(config.data_key);
  if (!data_key) {
    spdlog::error("data key: {}", data_key.error().message);
    return 1;
  }
  auto queue = smzc::services::ForwardQueue::open(config.forward_queue, data_key.value());
  if (!queue) {
    spdlog::error("{}", queue.error().message);
    return 1;
  }
  auto transport = smzc::idcard::open_transport(config.reader_port, config.reader_baud);
  if (!transport) {
    spdlog::error("ID-card reader: {}", transport.error().message);
    return 1;
  }
  smzc::idcard::Reader reader(std::move(transport.value()));
  auto issuer_key = smzc::certs::Sm2Key::from_pem_file(config.certificate_key);
  if (!issuer_key) {
    spdlog::error("certificate issuer key: {}", issuer_key.error().message);
    return 1;
  }
  smzc::printer::IppPrinter printer(config.printer_uri);
  const smzc::services::BackendClient::Options client_options{.terminal_id = config.terminal_id,
                                                              .ca_file = config.backend_ca,
                                                              .client_cert = config.terminal_cert,
                                                              .client_key = config.terminal_key};
  smzc::services::BackendClient backend(config.backend_url, client_options);
  // Partner regions: a backend client and the key that signs their documents, each.
  std::map<std::string, smzc::services::BackendClient> partner_clients;
  std::map<std::string, smzc::certs::Sm2Key> partner_keys;
  std::map<std::string, smzc::services::RegionBackend> partners;
  for (const auto& [region, p] : config.partners) {
    auto key = smzc::certs::Sm2Key::from_pem_file(p.certificate_key);
    if (!key) {
      spdlog::error("partner {}: {}", region, key.error().message);
      return 1;
    }
    partner_keys.emplace(region, std::move(key.value()));
    partner_clients.emplace(region, smzc::services::BackendClient(p.backend_url, client_options));
    partners[region] = {&partner_clients.at(region), &partner_keys.at(region),
                        config.catalogue_cache.parent_path() / ("catalogue-" + region + ".json")};
  }
  smzc::services::TransactionEngine engine(
      *journal.value(), *ledger.value(), backend, reader, printer,
      {.work_dir = config.work_dir,
       .print_fault_policy = config.print_fault_policy == "hold"
                                 ? smzc::printer::FaultPolicy::kHold
                                 : smzc::printer::FaultPolicy::kCancel,
       .certificate_key = &issuer_key.value(),
       .catalogue_cache = config.catalogue_cache,
       .partners = partners,
       .site = config.site,
       .queue = queue.value().get(),
       .decision_timeout = std::chrono::milliseconds(config.decision_timeout_ms)});

  // Whatever a crash or power cut left unfinished is settled before the first citizen.
  if (auto recovered = engine.recover(); !recovered) {
    spdlog::error("start-up recovery: {}", recovered.error().message);
  } else {
    for (const auto& note : recovered->notes) spdlog::info("recovery: {}", note);
  }

  QApplication qapp(argc, argv);
  smzc::ui::KioskWindow window(engine);
  std::unique_ptr<DemoDriver> driver;
  if (env) driver = std::make_unique<DemoDriver>(window, *env, out, headless);
  if (headless || windowed) {
    window.resize(1280, 800);
    window.show();
  } else {
    window.showFullScreen();
  }
  int rc = qapp.exec();
  return driver && headless ? driver->exit_code() : rc;
}

// smzc-demo: the kiosk on simulated devices — the reader simulator on a pty, CUPS's
// ippeveprinter and the reference backend — with scripted taps and a summary when there is no
// display (`./dev demo`). It links the simulators, so production systems do not install it.
#include <QApplication>

#include <QDir>
#include <QPixmap>
#include <QTimer>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "base/privacy.h"
#include "certs/render.h"
#include "certs/verify_code.h"
#include "kiosk/demo.h"
#include "kiosk/shell.h"
#include "services/terminal.h"

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
  using smzc::services::OutcomeStatus;
  json timings = json::object();
  for (const auto& [step, ms] : outcome.timings_ms) timings[smzc::services::to_string(step)] = ms;
  json j = {{"status", smzc::services::to_string(outcome.status)},
            {"item_code", outcome.item_code},
            {"transaction_id", outcome.transaction_id},
            {"application_id", outcome.application_id},
            {"certificate_serial", outcome.certificate_serial},
            {"print_job_id", outcome.job_id},
            {"print_job_state", smzc::printer::to_string(outcome.job_state)},
            {"timings_ms", timings}};
  // The face check as the journal records it.
  if (outcome.face_check) j["face_check"] = json::parse(outcome.face_check->to_json());
  if (outcome.status != OutcomeStatus::kPrinted) {
    j["status"] = "failed";
    j["outcome"] = smzc::services::to_string(outcome.status);
    j["step"] =
        outcome.failed_step ? smzc::services::to_string(*outcome.failed_step) : screen_failed;
    j["reason"] = outcome.reason;
    if (!outcome.reasons.empty()) j["reasons"] = outcome.reasons;
    j["notice"] = smzc::services::to_string(outcome.notice);
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
             bool scripted, bool impostor)
      : window_(window), env_(env), out_(std::move(out)), scripted_(scripted), impostor_(impostor) {
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
    // The citizen lays their card, then asks for a 户籍证明, which only the card's holder may
    // have: the face check (against the chip photo, then the register photo) runs before it is
    // applied for.
    if (name == "attract" && !finished_) tap("start");
    if (name == "choose_item") tap("NH-GA-0001");
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
      // What a bank clerk would do with the paper's PDF: check it against the issuers' keys the
      // terminal trusts (the same as `kioskctl cert verify certificate.pdf`).
      auto ring = smzc::services::trusted_keyring(env_.config(), false);
      auto data = smzc::certs::read_attachment(out_ / "certificate.pdf");
      if (ring && data) {
        const auto verdict = smzc::certs::verify_certificate_json(data.value(), ring.value());
        j["certificate_check"] = verdict.genuine ? "genuine" : verdict.reason;
        smzc::wipe(data.value());
      } else {
        j["certificate_check"] = ring ? data.error().message : ring.error().message;
      }
    }
    write_text(out_ / "summary.json", j.dump(2));
    // An impostor's run succeeds when the face check refused them and nothing was applied for.
    exit_code_ = impostor_ ? (j.value("step", "") == "face_check" &&
                                      j["face_check"].value("decision", "") == "not-matched" &&
                                      outcome.application_id.empty()
                                  ? 0
                                  : 1)
                           : (j["status"] == "printed" ? 0 : 1);
    spdlog::info("demo {}: summary in {}, certificate {}, screenshots in {}",
                 j["status"].get<std::string>(), (out_ / "summary.json").string(),
                 (out_ / "certificate.pdf").string(), (out_ / "screens").string());
    if (scripted_) QTimer::singleShot(0, qApp, [code = exit_code_] { qApp->exit(code); });
  }

  smzc::ui::KioskWindow& window_;
  smzc::kiosk::DemoEnvironment& env_;
  fs::path out_;
  bool scripted_;
  bool impostor_;
  bool finished_ = false;
  int shots_ = 0;
  int exit_code_ = 1;
};

}  // namespace

int main(int argc, char** argv) {
  // Citizens' data lives in this process: a crash must not write it to disk.
  smzc::forbid_core_dumps();
  // Stopped by SIGTERM or Ctrl-C, the demo still stops the printer simulator and the backend it
  // started, as when its window closes.
  smzc::kiosk::block_stop_signals();
  CLI::App app{"市民之窗 demo: the kiosk on simulated devices"};
  std::string out_dir = "demo-out";
  bool headless = false, windowed = false;
  app.add_flag("--headless", headless, "no display: offscreen rendering and scripted taps");
  app.add_flag("--windowed", windowed, "a window instead of full screen");
  app.add_option("--out", out_dir, "output folder")->capture_default_str();
  bool impostor = false;
  app.add_flag("--impostor", impostor,
               "someone else than the card's holder at the face camera: the face check refuses "
               "them and nothing is applied for (exit 0 when it does)");
  smzc::kiosk::ExternalBackend external;
  auto* backend_url = app.add_option("--backend", external.url,
                                     "a running backend to use instead of starting one (https://…; "
                                     "needs --backend-pki, --issuer-key and --eid-code)");
  app.add_option("--backend-pki", external.pki,
                 "with --backend: the folder of ca.pem, terminal.pem and terminal.key")
      ->needs(backend_url);
  app.add_option("--issuer-key", external.issuer_key,
                 "with --backend: the backend's issuing public key (its --public-key-out)")
      ->needs(backend_url);
  app.add_option("--eid-code", external.eid_code,
                 "with --backend: the demo resident's e-ID code (the backend's --demo-eid-out)")
      ->needs(backend_url);
  CLI11_PARSE(app, argc, argv);
  if (!external.url.empty() &&
      (external.pki.empty() || external.issuer_key.empty() || external.eid_code.empty())) {
    std::cerr << "--backend needs --backend-pki, --issuer-key and --eid-code\n";
    return 2;
  }

  if (!has_display()) headless = true;
  if (headless) setenv("QT_QPA_PLATFORM", "offscreen", 1);

  const fs::path out = fs::absolute(out_dir);
  fs::remove_all(out);
  fs::create_directories(out / "screens");
  auto failed = [&out](const std::string& step, const std::string& why) {
    write_text(out / "summary.json",
               json{{"status", "failed"}, {"step", step}, {"reason", why}}.dump(2));
    spdlog::error("demo: {}", why);
    return 1;
  };
  auto env = smzc::kiosk::DemoEnvironment::start(
      out, external.url.empty() ? std::nullopt : std::optional(external), impostor);
  if (!env) return failed("start", env.error().message);
  smzc::services::Terminal::Parts parts;
  parts.challenge_seed = smzc::kiosk::kDemoChallengeSeed;
  auto terminal = smzc::kiosk::start_terminal(env.value()->config(), std::move(parts));
  if (!terminal) return failed("start", terminal.error().message);

  smzc::kiosk::prepare_qt_environment();
  QApplication qapp(argc, argv);
  smzc::ui::KioskWindow window(terminal.value()->engine());
  DemoDriver driver(window, *env.value(), out, headless, impostor);
  smzc::kiosk::show(window, headless || windowed);
  bool stopped = false;
  smzc::kiosk::quit_on_stop_signals(qapp, [&stopped](int) { stopped = true; });
  int rc = qapp.exec();
  if (stopped) return 128 + SIGTERM;
  return headless ? driver.exit_code() : rc;
}

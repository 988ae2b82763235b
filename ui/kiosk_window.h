// The touch UI's window: it hosts the screens of the journey (ui/journey.h), one at a time, under
// a banner (language, spoken guidance, elderly mode), with the idle warning over them.
#pragma once

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QStackedWidget>
#include <QTimer>
#include <QTranslator>
#include <QVBoxLayout>
#include <QWidget>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <optional>

#include "services/transaction_engine.h"
#include "ui/journey.h"
#include "ui/speech.h"

namespace smzc::ui {

class TechnicianPanel;

/// The kiosk window. The Journey makes the screens and walks the citizen through them (it alone
/// calls the TransactionEngine, off the UI thread); the window hosts them and owns what is the
/// same on every screen: the banner, the idle warning and its timers, the lockdown, spoken
/// guidance and the hidden technician entry. The engine must outlive the window.
class KioskWindow : public QWidget {
  Q_OBJECT

 public:
  explicit KioskWindow(services::TransactionEngine& engine, QWidget* parent = nullptr);
  ~KioskWindow() override;

  /// The name of the screen on show: attract, read_card, choose_item, form, progress, done,
  /// error.
  QString current_screen() const;
  /// Taps the button with this object name on the current screen (scripted demos, tests).
  /// Returns false when the screen has no such enabled button.
  bool tap(const QString& button_name);
  /// Types `text` into the form field named `field` on the form screen (scripted demos, tests).
  bool fill(const QString& field, const QString& text);
  /// The last transaction's outcome (valid after done or error).
  const services::Outcome& last_outcome() const { return journey_->outcome(); }
  /// Whether the printer can print, as it last reported.
  bool printer_ready() const { return journey_->device_usable(DeviceKind::kPrinter); }
  /// Whether the device of `kind` can serve, as it last reported.
  bool device_usable(DeviceKind kind) const { return journey_->device_usable(kind); }
  /// A citizen who touches nothing for this long on the item list, the form or a result screen
  /// has left: the session ends and the attract screen returns.
  static constexpr int kInactivityMs = 90000;
  void set_inactivity_timeout(int ms) { inactivity_timer_->setInterval(ms); }
  /// Before the session ends for want of a touch, a warning counts this many seconds down and
  /// offers to continue (WCAG 2.2.1 asks for at least 20 to react).
  static constexpr int kIdleWarningSeconds = 30;
  void set_idle_warning_seconds(int seconds) { idle_warning_seconds_ = seconds; }
  /// Elderly mode (适老化): larger text and targets, higher contrast; one tap on every screen
  /// (the banner's 长辈模式), and back to standard when the session ends.
  void set_elderly(bool on);
  bool elderly() const { return elderly_; }
  /// A terminal's window cannot be left by a citizen: the keys that close a window, switch away
  /// or reach the system (Alt+F4, Alt+Tab, Super, Ctrl+Alt+Backspace/Delete/F1–F12, Ctrl+Esc,
  /// Ctrl+Q/W) are swallowed, and a request to close it is refused. The program still ends on
  /// SIGTERM.
  void lock_down() { locked_down_ = true; }
  bool locked_down() const { return locked_down_; }
  /// Spoken guidance (the banner's 语音播报), off until switched on, and off again for the next
  /// citizen.
  Speaker& speaker() { return *speaker_; }
  void set_speech(bool on);
  /// The language every text is in: "zh-CN" (the default), "zh-HK" (湾区通办 points, Hong Kong
  /// and Macau residents) or "en"; one tap away on every screen (the banner's language button),
  /// and back to zh-CN when the session ends. False for a language there is no translation of.
  bool set_language(const QString& locale);
  const QString& language() const { return language_; }
  /// Shows `screen` (see Journey::show_sample) with sample data and nothing of any citizen, for
  /// screenshots (kiosk --screenshot --screen); false for a screen it has no sample of.
  bool show_sample(const QString& screen) { return journey_->show_sample(screen); }
  /// The screens and the way through them.
  Journey& journey() const { return *journey_; }
  /// Technician mode behind the hidden entry: kCornerTaps taps within kCornerWindowMs in the
  /// top-left kCornerPx square of the attract screen show `panel`'s PIN page; when the panel
  /// closes, the attract screen returns. The window takes ownership of the panel.
  void add_technician_panel(TechnicianPanel* panel);
  static constexpr int kCornerPx = 96;
  static constexpr int kCornerTaps = 5;
  static constexpr int kCornerWindowMs = 3000;
  /// Whether the idle warning is up, and the seconds it has left.
  bool idle_warning_shown() const;
  int idle_seconds_left() const { return idle_seconds_left_; }

 signals:
  /// Emitted once a screen is on show and laid out.
  void screenShown(const QString& name);
  /// Emitted after every idle check of the devices.
  void devicesChecked(bool printer_ready);
  /// Emitted on the UI thread after a device's status changed and the screens show it.
  void deviceStatusChanged(const QString& device_id);

 private:
  void on_shown(QWidget* screen);
  void on_session_ended();
  // No touch for a while: the warning, its countdown, and its end.
  void show_idle_warning();
  void hide_idle_warning();
  void idle_tick();
  void show_countdown();
  // Any touch or key restarts the inactivity timer; escape keys are swallowed when locked down.
  bool eventFilter(QObject* watched, QEvent* event) override;
  void closeEvent(QCloseEvent* event) override;
  // Says what the screen on show asks, when spoken guidance is on.
  void announce();
  void retranslate();
  // The site's identity in the banner (site.kind and site.branding).
  void show_branding();
  // A tap in the hidden corner of the attract screen; the fifth in time opens technician mode.
  void corner_tap(const QPoint& global);

  const services::SiteProfile site_;
  QStackedWidget* stack_;
  Navigator* navigator_;
  QWidget* banner_;
  QLabel* branding_ = nullptr;
  QPushButton* language_button_;
  QPushButton* elderly_button_;
  QPushButton* speech_button_;
  Speaker* speaker_;
  QString language_ = "zh-CN";
  std::unique_ptr<QTranslator> translator_;
  bool elderly_ = false;
  bool locked_down_ = false;
  QTimer* inactivity_timer_;
  QWidget* idle_warning_;  // over the whole window, outside the screens
  QLabel* idle_countdown_;
  QTimer* idle_tick_timer_;
  int idle_warning_seconds_ = kIdleWarningSeconds;
  int idle_seconds_left_ = 0;
  TechnicianPanel* technician_ = nullptr;
  std::vector<std::chrono::steady_clock::time_point> corner_taps_;  // when the corner was tapped
  // Last: destroyed first (it cancels the engine and joins its workers before the screens go).
  std::unique_ptr<Journey> journey_;
};

}  // namespace smzc::ui

// The touch UI: one window, one screen at a time, Chinese first, large text.
// Screens: attract → read_card → choose_item → [form] → progress → done (or error).
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
#include "ui/keyboard.h"
#include "ui/speech.h"
#include "ui/worker.h"

namespace smzc::ui {

class TechnicianPanel;

/// The kiosk window. Talks to the services layer only through the TransactionEngine, whose calls
/// block, so they run in order on one worker thread (idle checks on a second) and their results
/// come back to the UI thread as queued calls. The devices' status changes arrive the same way.
/// "Back" and idle timeouts cancel the engine's session, which ends whatever it waits for; the
/// screen changes when the worker's answer comes back. The engine must outlive the window.
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
  const services::Outcome& last_outcome() const { return outcome_; }
  /// Whether the printer can print, as it last reported.
  bool printer_ready() const { return device_usable(DeviceKind::kPrinter); }
  /// Whether the device of `kind` can serve, as it last reported.
  bool device_usable(DeviceKind kind) const;
  /// How often the attract screen checks the devices.
  static constexpr int kDeviceCheckMs = 5000;
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
  /// Shows `screen` ("read_card", "done", "error") with sample data and nothing of any citizen,
  /// for screenshots (kiosk --screenshot --screen); false for a screen it has no sample of.
  bool show_sample(const QString& screen);
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
  void show_screen(QWidget* screen);
  void start_identify();
  void start_identify_by_code();
  void start_check_certificate();
  void on_identified(const Result<services::Citizen>& citizen);
  void show_camera(const QString& title);
  void start_capture(const services::Material& material);
  void wipe_captures();
  void show_items(const services::Catalogue& catalogue);
  void start_process(const services::ServiceItem& item);
  void show_form(const services::ServiceItem& item, const std::vector<services::Problem>& problems);
  void run_process(const services::ServiceItem& item, const services::ApplicationInput& input);
  // A problem with the item's label for its field or material in the language on show.
  services::Problem localized(services::Problem problem, const services::ServiceItem& item) const;
  void show_outcome(const services::Outcome& outcome);
  void show_error(const QString& title, const QString& detail);
  void go_home();
  // No touch for a while: the warning, its countdown, and its end.
  void show_idle_warning();
  void hide_idle_warning();
  void idle_tick();
  // Any touch or key restarts the inactivity timer.
  bool eventFilter(QObject* watched, QEvent* event) override;
  // The idle work, off the UI thread: drain the store-and-forward queue; one check at a time.
  // (The heartbeat runs on a timer of its own: services/heartbeat.h.)
  void check_devices();
  // Shows what the devices' status means for the citizen: the attract notice, and the items on
  // the list that need a device that cannot serve now.
  void apply_device_status(const DeviceStatus& status, DeviceKind kind, const QString& id);
  void refresh_item_availability();
  // Shows the items of the scope chosen (all when none), and the chips of the scopes offered.
  void apply_item_filter();
  std::string scope_filter_;
  std::vector<QPushButton*> scope_chips_;
  // Leaves the current session: cancels what the engine waits for; the screen changes when the
  // worker's answer comes back (or at once when nothing runs).
  void leave();
  // Runs `work` on the worker thread, then `done` on the UI thread.
  template <typename Work, typename Done>
  void run_async(Work work, Done done);

  services::TransactionEngine& engine_;
  services::Outcome outcome_;
  QStackedWidget* stack_;
  QWidget* attract_;
  QWidget* read_card_;
  QWidget* choose_item_;
  QVBoxLayout* item_list_;
  QWidget* form_;
  QVBoxLayout* form_fields_;
  QLabel* form_problems_;
  std::optional<services::ServiceItem> form_item_;
  std::map<std::string, QLineEdit*> form_edits_;
  OnScreenKeyboard* keyboard_ = nullptr;  // on the form screen
  QScrollArea* form_scroll_ = nullptr;
  // Paper materials the citizen captured and accepted, by material name (wiped on leaving).
  std::map<std::string, std::string> scans_;
  // The capture on show for the citizen to accept or retake.
  std::optional<services::Material> capturing_;
  services::TransactionEngine::CapturedMaterial captured_page_;
  QWidget* captured_;
  QLabel* captured_view_;
  QWidget* progress_;
  QLabel* progress_steps_;
  QWidget* done_;
  QLabel* done_detail_;
  QWidget* error_;
  QLabel* error_title_;
  QLabel* error_detail_;
  QWidget* checked_;  // the answer to "is this certificate genuine?"
  QLabel* check_title_;
  QLabel* check_detail_;
  QWidget* camera_;  // the live preview: e-ID code, face check, certificate code
  QLabel* camera_title_;
  QLabel* camera_view_;
  QLabel* camera_advice_;
  QLabel* citizen_label_;
  QLabel* attract_notice_;
  QTimer* device_timer_;
  // Says what the screen on show asks, when spoken guidance is on.
  void announce();
  // Shows (and says) "take your card" while a card lies on the reader after the citizen is done.
  void update_card_reminder();
  void closeEvent(QCloseEvent* event) override;
  bool locked_down_ = false;
  void retranslate();
  // Screens that end the session when nobody touches them.
  bool waits_for_citizen(const QWidget* screen) const;
  void show_countdown();
  // The attract screen's notice of devices that cannot serve, in the language on show.
  void refresh_attract_notice();
  // The site's identity in the banner (site.kind and site.branding).
  void show_branding();
  QLabel* branding_ = nullptr;
  QWidget* banner_;
  QPushButton* elderly_button_;
  QPushButton* speech_button_;
  Speaker* speaker_;
  QLabel* card_reminder_;
  QPushButton* language_button_;
  QString language_ = "zh-CN";
  std::unique_ptr<QTranslator> translator_;
  bool elderly_ = false;
  QTimer* inactivity_timer_;
  QWidget* idle_warning_;  // over the whole window, outside the screens
  QLabel* idle_countdown_;
  QTimer* idle_tick_timer_;
  int idle_warning_seconds_ = kIdleWarningSeconds;
  int idle_seconds_left_ = 0;
  std::map<DeviceKind, DeviceStatus> device_status_;  // UI thread only
  std::vector<std::pair<services::ServiceItem, QPushButton*>> item_buttons_;
  std::atomic<bool> device_check_running_{false};
  bool busy_ = false;  // a worker task of the citizen's is running
  std::vector<std::pair<Device*, int>> device_listeners_;
  TechnicianPanel* technician_ = nullptr;
  std::vector<std::chrono::steady_clock::time_point> corner_taps_;  // when the corner was tapped
  // A tap in the hidden corner of the attract screen; the fifth in time opens technician mode.
  void corner_tap(const QPoint& global);
  // Last: destroyed first, so no task runs once the widgets go.
  std::unique_ptr<Worker> device_worker_;
  std::unique_ptr<Worker> worker_;
};

}  // namespace smzc::ui

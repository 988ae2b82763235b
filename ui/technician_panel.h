// Technician mode at the screen, behind the kiosk's hidden entry (five taps in the top-left
// corner of the attract screen) and a technician's PIN: every device with its live status and a
// self-test, the terminal's health (consumables, counters, queue, journal head, backend
// reachability with its TLS certificate's expiry), recent logs, the journal's latest
// transactions (masked), and the authorised reprint of a certificate whose print is unknown.
// Everything a technician does is journaled with their name (services/technician.h).
#pragma once

#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTimer>
#include <QWidget>
#include <functional>
#include <map>
#include <memory>

#include "services/technician.h"
#include "services/terminal.h"
#include "ui/keyboard.h"
#include "ui/worker.h"

namespace smzc::ui {

class TechnicianPanel : public QWidget {
  Q_OBJECT

 public:
  /// `terminal` and `gate` must outlive the panel; `report` gives the heartbeat's report (JSON
  /// text) for the health tab. Blocking work runs on the panel's own worker thread, never while a
  /// citizen is served (the panel is only reached from the attract screen).
  TechnicianPanel(services::Terminal& terminal, services::TechnicianGate& gate,
                  std::function<std::string()> report, QWidget* parent = nullptr);
  ~TechnicianPanel() override;

  /// Shows the PIN page, empty.
  void ask_pin();
  /// "pin" or "tools".
  QString page() const;
  /// Whether a background action is running (its buttons are disabled meanwhile).
  bool busy() const { return busy_; }
  /// A technician left alone this long is let out (journaled), and the attract screen returns.
  static constexpr int kIdleMs = 180000;
  /// Frames a camera preview shows (about ten seconds at a camera's usual rate).
  static constexpr int kPreviewFrames = 150;
  void set_preview_frames(int frames) { preview_frames_ = frames; }
  void set_idle_timeout(int ms) { idle_->setInterval(ms); }

 signals:
  /// The PIN was cancelled or the technician left: the kiosk returns to its attract screen.
  void closed();
  /// A background action finished and what it found is on show (tests wait for it).
  void workDone();
  /// A camera preview's frame is on show.
  void previewFrameShown();

 private:
  QWidget* build_pin_page();
  QWidget* build_tools_page();
  QWidget* build_devices_tab();
  QWidget* build_health_tab();
  // A read-only text with a refresh button under it (the logs, the journal).
  QWidget* build_text_tab(QPlainTextEdit*& text, const QString& name,
                          void (TechnicianPanel::*refresh)());
  QWidget* build_reprint_tab();
  QWidget* build_camera_tab();
  void submit_pin();
  void refresh_devices();
  // The health tab from a heartbeat report (gathered on the worker: it reads the journal).
  void show_health(const std::string& report);
  void refresh_logs();
  void refresh_journal();
  // The prints whose fate is unknown (read on the worker: it reads the ledger), and showing them.
  QStringList unknown_prints() const;
  void show_unknown_prints(const QStringList& serials);
  void self_test(const std::string& device_id);
  // The device's work end to end: a card read (masked), a test page printed, a page scanned.
  void try_device(const std::string& device_id);
  void check_backend();
  // Frames from the camera with the faces it finds boxed and any QR code it reads noted, for
  // kPreviewFrames frames; nothing is kept.
  void preview(const std::string& camera_id);
  void reprint();
  void leave();
  bool eventFilter(QObject* watched, QEvent* event) override;
  // Runs `work` on the worker, then `done` on the UI thread; one at a time.
  void run(std::function<std::function<void()>()> work);

  services::Terminal& terminal_;
  services::TechnicianGate& gate_;
  std::function<std::string()> report_;
  QStackedWidget* pages_;
  QWidget* pin_page_;
  QWidget* tools_page_;
  QLineEdit* pin_;
  QLabel* pin_message_;
  OnScreenKeyboard* pin_keys_;
  QLabel* who_;
  QTabWidget* tabs_;
  std::map<std::string, QLabel*> device_status_;
  std::map<std::string, QLabel*> device_result_;
  std::vector<QPushButton*> action_buttons_;
  QLabel* health_;
  QLabel* backend_;
  QPlainTextEdit* logs_;
  QPlainTextEdit* journal_;
  QLabel* unknown_prints_;
  QLineEdit* reprint_serial_;
  QLineEdit* reprint_reason_;
  QLabel* reprint_result_;
  QLabel* camera_view_ = nullptr;
  QLabel* camera_found_ = nullptr;
  int preview_frames_ = kPreviewFrames;
  OnScreenKeyboard* tool_keys_;
  QTimer* refresh_;
  QTimer* idle_;
  bool busy_ = false;
  // Last: destroyed first, so no task runs once the widgets go.
  std::unique_ptr<Worker> worker_;
};

}  // namespace smzc::ui

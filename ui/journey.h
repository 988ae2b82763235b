// The citizen's way through the screens: which screen follows which, and the engine's calls in
// between, on a worker thread.
#pragma once

#include <QObject>
#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "services/transaction_engine.h"
#include "ui/screen.h"
#include "ui/screens/applications_screen.h"
#include "ui/screens/attract_screen.h"
#include "ui/screens/camera_screen.h"
#include "ui/screens/captured_screen.h"
#include "ui/screens/confirm_screen.h"
#include "ui/screens/done_screen.h"
#include "ui/screens/find_application_screen.h"
#include "ui/screens/form_screen.h"
#include "ui/screens/items_screen.h"
#include "ui/screens/message_screen.h"
#include "ui/screens/progress_screen.h"
#include "ui/screens/read_card_screen.h"
#include "ui/worker.h"

namespace smzc::ui {

/// Walks a citizen through attract → identify (card, e-ID code) → items → form (captures) →
/// confirm → progress (face check) → done or error; through find_application → identify →
/// applications (办理进度) → collect (progress) → done, or find_application → applications by an
/// application number; and the certificate check. It makes the screens (into the
/// navigator's stack) and reaches the services layer only through the TransactionEngine, whose
/// calls block: they run in order on a worker thread (the idle work on a second), and their results
/// come back to the UI thread as queued calls. The devices' status changes arrive the same way.
/// Leaving cancels the engine's session, which ends whatever it waits for; the screen changes when
/// the worker's answer comes back. The engine must outlive the journey.
class Journey : public QObject {
  Q_OBJECT

 public:
  Journey(services::TransactionEngine& engine, Navigator& navigator, QWidget* screens_parent);
  ~Journey() override;

  AttractScreen& attract() const { return *attract_; }
  FormScreen& form() const { return *form_; }
  ItemsScreen& items() const { return *items_; }
  DoneScreen& done() const { return *done_; }
  /// The last transaction's outcome (valid after done or error).
  const services::Outcome& outcome() const { return outcome_; }
  /// Whether the device of `kind` can serve, as it last reported.
  bool device_usable(DeviceKind kind) const;
  /// Leaves the current session (the citizen tapped back, or went away): cancels what the
  /// engine waits for, and goes home when its answer comes back, whatever it is (at once when
  /// nothing runs).
  void leave();
  /// Ends the session now: every screen wiped, what the engine waits for cancelled, attract
  /// shown. The engine's session ends at once, or, while a task runs, on the worker once it has
  /// finished; that task's answer is dropped.
  void go_home();
  /// Shows the texts made from data again in the language now chosen.
  void retranslate();
  /// Shows `screen` with sample data and nothing of any citizen (kiosk --screenshot): read_card,
  /// choose_item, form, camera, applications, done, error; false for a screen it has no sample
  /// of. The item list, the form and the applications show the terminal's catalogue, fetched off
  /// the UI thread: the screen comes up once it is there.
  bool show_sample(const QString& screen);
  /// How often the attract screen drains the store-and-forward queue.
  static constexpr int kDeviceCheckMs = 5000;

 signals:
  /// The session ended (the citizen left, finished or timed out): the window resets what the
  /// citizen chose (language, elderly mode, speech).
  void sessionEnded();
  /// Emitted after every idle check.
  void devicesChecked(bool printer_ready);
  /// A device's status changed and the screens show it.
  void deviceStatusChanged(const QString& device_id);
  /// Something to be said aloud now (spoken guidance decides whether it is).
  void remind(const QString& text);

 private:
  void start_identify();
  // 办理进度: the citizen identifies, then sees their applications instead of the items.
  void start_my_applications();
  void show_my_applications();
  // 办理进度 by an application number alone.
  void look_up_application();
  // The catalogue for the items' names on 办理进度 (none when it cannot be had).
  services::Catalogue catalogue_or_none();
  void collect(const services::ApplicationSummary& application);
  // Shows each step of a transaction on the progress screen (the camera for a face check), from
  // the engine's thread.
  std::function<void(services::Step)> step_reporter();
  void start_identify_by_code();
  void start_check_certificate();
  void on_identified(const Result<services::Citizen>& citizen);
  void start_capture(const services::Material& material);
  void show_items(const services::Catalogue& catalogue);
  void start_process(const services::ServiceItem& item);
  void show_form(const services::ServiceItem& item, const std::vector<services::Problem>& problems);
  void run_process(const services::ServiceItem& item, const services::ApplicationInput& input);
  void show_outcome(const services::Outcome& outcome);
  void show_error(const QString& title, const QString& detail);
  void on_shown(QWidget* screen);
  void wipe_captures();
  static void wipe_input(services::ApplicationInput& input);
  // The idle work, off the UI thread: drain the store-and-forward queue; one check at a time.
  void check_devices();
  void apply_device_status(const DeviceStatus& status, DeviceKind kind, const QString& id);
  // The attract screen's notice of devices that cannot serve, in the language on show.
  void refresh_attract_notice();
  // Why an item cannot be served now (its hours, a device it needs); empty when it can.
  QString why_unavailable(const services::ServiceItem& item) const;
  void update_card_reminder();
  // Runs `work` on the worker thread, then `done` on the UI thread.
  template <typename Work, typename Done>
  void run_async(Work work, Done done);

  services::TransactionEngine& engine_;
  Navigator& navigator_;
  services::Outcome outcome_;
  QString greeting_;
  AttractScreen* attract_;
  ReadCardScreen* read_card_;
  ItemsScreen* items_;
  FormScreen* form_;
  ProgressScreen* progress_;
  DoneScreen* done_;
  MessageScreen* error_;
  MessageScreen* checked_;  // the answer to "is this certificate genuine?"
  CameraScreen* camera_;
  CapturedScreen* captured_;
  ApplicationsScreen* applications_;
  ConfirmScreen* confirm_;
  FindApplicationScreen* find_application_;
  services::ApplicationInput to_confirm_;  // what the confirm screen shows, sent on confirm
  bool wants_applications_ = false;
  std::vector<Screen*> screens_;  // every one, for what is done to all (wipe, retranslate)  //
                                  // identified for 办理进度, not for a new application
  // One for every screen that types: the pinyin engine is one per process.
  OnScreenKeyboard* keyboard_;
  // Paper materials the citizen captured and accepted, by material name (wiped on leaving).
  std::map<std::string, std::string> scans_;
  // The capture on show for the citizen to accept or retake.
  std::optional<services::Material> capturing_;
  services::TransactionEngine::CapturedMaterial captured_page_;
  QTimer* device_timer_;
  std::map<DeviceKind, DeviceStatus> device_status_;  // UI thread only
  std::vector<std::pair<Device*, int>> device_listeners_;
  std::atomic<bool> device_check_running_{false};
  uint64_t session_ = 0;  // counts sessions ended: a worker's answer from an earlier one is dropped
  int running_ = 0;       // the citizen's worker tasks not answered yet
  bool leaving_ = false;  // the citizen left while one ran: its answer brings them home
  camera::Advice last_spoken_advice_ = camera::Advice::kGood;  // the instruction last spoken
  // Last: destroyed first, so no task runs once the screens go.
  std::unique_ptr<Worker> device_worker_;
  std::unique_ptr<Worker> worker_;
};

}  // namespace smzc::ui

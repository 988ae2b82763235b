// What the kiosk and the demo share: the terminal opened from its configuration, its devices
// supervised, a crash's leftovers settled, and the window on screen.
#pragma once

#include <QCoreApplication>

#include <filesystem>
#include <functional>
#include <memory>
#include <utility>

#include "services/terminal.h"
#include "ui/kiosk_window.h"

namespace smzc::kiosk {

/// Opens the terminal, starts supervising its devices (absent ones are fine: the kiosk comes up
/// and offers what it can) and settles what a crash or power cut left unfinished.
Result<std::unique_ptr<services::Terminal>> start_terminal(const services::Config& config,
                                                           services::Terminal::Parts parts = {});
/// Full screen on a terminal: frameless, and sized to the screen itself, since a bare X server
/// has no window manager to honour a full-screen request. A 1280×800 window when `windowed`
/// (development, headless runs).
void show(ui::KioskWindow& window, bool windowed);

/// One kiosk per terminal: an exclusive lock on `state_file` + ".lock" (the journal's), held
/// while the returned descriptor stays open, and released by the kernel however the process ends.
/// A second kiosk on the same journal gets an error naming the one that holds it.
class InstanceLock {
 public:
  static Result<InstanceLock> acquire(const std::filesystem::path& state_file);
  InstanceLock(InstanceLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  InstanceLock& operator=(InstanceLock&&) = delete;
  ~InstanceLock();

 private:
  explicit InstanceLock(int fd) : fd_(fd) {}
  int fd_;
};

/// Before the QApplication: Qt wants a private runtime folder (XDG_RUNTIME_DIR, which a login
/// session sets; one is made in /tmp when it is missing, as in CI or over SSH), and the offscreen
/// platform's warning that it cannot propagate size hints says nothing a technician can act on.
void prepare_qt_environment();

/// SIGTERM (systemd stopping the service) and SIGINT end the event loop as closing the window
/// would, so that the terminal finishes its step, closes its devices and stops what it started.
/// Call first thing in main, before any thread starts: the signals are blocked in every thread
/// and taken only by the one quit_on_stop_signals() starts.
void block_stop_signals();
/// Once one of them arrives, `on_stop(signal)` runs on `app`'s thread and the loop quits.
void quit_on_stop_signals(QCoreApplication& app, std::function<void(int)> on_stop);

}  // namespace smzc::kiosk

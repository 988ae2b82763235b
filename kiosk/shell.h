// What the kiosk and the demo share: the terminal opened from its configuration, its devices
// supervised, a crash's leftovers settled, and the window on screen.
#pragma once

#include <QCoreApplication>

#include <functional>
#include <memory>

#include "services/terminal.h"
#include "ui/kiosk_window.h"

namespace smzc::kiosk {

/// Opens the terminal, starts supervising its devices (absent ones are fine: the kiosk comes up
/// and offers what it can) and settles what a crash or power cut left unfinished.
Result<std::unique_ptr<services::Terminal>> start_terminal(const services::Config& config,
                                                           services::Terminal::Parts parts = {});
/// Full screen on a terminal; a 1280×800 window when `windowed` (development, headless runs).
void show(ui::KioskWindow& window, bool windowed);

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

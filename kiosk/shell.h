// What the kiosk and the demo share: the terminal opened from its configuration, its devices
// supervised, a crash's leftovers settled, and the window on screen.
#pragma once

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

}  // namespace smzc::kiosk

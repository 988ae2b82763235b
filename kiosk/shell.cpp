#include "kiosk/shell.h"

#include <spdlog/spdlog.h>

namespace smzc::kiosk {

Result<std::unique_ptr<services::Terminal>> start_terminal(const services::Config& config,
                                                           services::Terminal::Parts parts) {
  auto terminal = services::Terminal::open(config, std::move(parts));
  if (!terminal) return terminal.error();
  terminal.value()->start_devices();
  // Whatever a crash or power cut left unfinished is settled before the first citizen.
  if (auto recovered = terminal.value()->engine().recover(); !recovered) {
    spdlog::error("start-up recovery: {}", recovered.error().message);
  } else {
    for (const auto& note : recovered->notes) spdlog::info("recovery: {}", note);
  }
  return terminal;
}

void show(ui::KioskWindow& window, bool windowed) {
  if (windowed) {
    window.resize(1280, 800);
    window.show();
  } else {
    window.showFullScreen();
  }
}

}  // namespace smzc::kiosk

// Look and size of the touch UI, sized for elderly mode (MIIT 适老化): body ≥ 18 dp, headings
// ≥ 30, touch targets ≥ 60×60, contrast ≥ 4.5:1.
#pragma once

#include <QString>

namespace smzc::ui {

inline constexpr int kMinTouchTarget = 72;
/// The kiosk's look; `elderly`: larger text and targets, higher contrast (适老化).
QString style_sheet(bool elderly = false);

}  // namespace smzc::ui

// Look and size of the touch UI, sized for elderly mode (MIIT 适老化): body ≥ 18 dp, headings
// ≥ 30, touch targets ≥ 60×60, contrast ≥ 4.5:1.
#pragma once

#include <QString>

namespace smzc::ui {

inline constexpr int kMinTouchTarget = 72;
QString style_sheet();

}  // namespace smzc::ui

// Look and size of the touch UI, sized for elderly mode (MIIT 适老化): body ≥ 18 dp, headings
// ≥ 30, touch targets ≥ 60×60, contrast ≥ 4.5:1.
#pragma once

#include <QString>

namespace smzc::ui {

inline constexpr int kMinTouchTarget = 72;
/// The kiosk's look; `elderly`: larger text and targets, higher contrast (适老化). `font_family`:
/// the Noto Sans CJK of the language on show, so that characters take their own region's forms
/// (Hong Kong's in zh-HK).
QString style_sheet(bool elderly = false, const QString& font_family = "Noto Sans CJK SC");
/// The font family for a language: "Noto Sans CJK HK" for zh-HK, "Noto Sans CJK SC" otherwise.
QString font_family_for(const QString& language);

}  // namespace smzc::ui

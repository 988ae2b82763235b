#include "ui/theme.h"

namespace smzc::ui {

QString font_family_for(const QString& language) {
  return language == "zh-HK" ? "Noto Sans CJK HK" : "Noto Sans CJK SC";
}

QString style_sheet(bool elderly, const QString& font_family) {
  // Standard: navy on white and white on navy, both above 10:1. Elderly mode (适老化): larger
  // still, and black on white with yellow on black for what acts, above 15:1.
  struct Look {
    int banner, heading, body, button, item, key, field;
    const char *text, *muted, *accent, *on_accent, *button_bg, *pressed;
  };
  const Look l = elderly ? Look{32,        52,        34,        38,        40,        36,       36,
                                "#000000", "#000000", "#000000", "#ffff00", "#ffffff", "#e0e0e0"}
                         : Look{26,        44,        26,        30,        32,        30,       28,
                                "#10233f", "#2b3a52", "#0b3d91", "#ffffff", "#e8eef8", "#c9d6ee"};
  return QString(R"(
    QWidget#kiosk { background: #ffffff; }
    QScrollArea, QScrollArea > QWidget > QWidget { background: transparent; }
    QWidget { font-family: "%14"; color: %8; }
    QWidget#banner { background: %10; }
    QLabel#banner_title { color: %11; font-size: %1px; padding: 18px 32px; }
    QLabel#branding { color: %11; font-size: %1px; font-weight: bold; padding: 18px 0; }
    QPushButton#elderly, QPushButton#language, QPushButton#speech { font-size: %1px; padding: 8px 20px; margin: 8px 16px;
                          background: %11; color: %10; border: none; }
    QLabel#heading { font-size: %2px; font-weight: bold; }
    QLabel#body, QLabel[body="true"] { font-size: %3px; color: %9; }
    QLabel#notice, QLabel#form_problems, QLabel#card_reminder { font-size: %3px; color: #ffffff; background: #a61b1b;
                                          padding: 14px; border-radius: 8px; }
    QPushButton { font-size: %4px; padding: 18px 36px; border-radius: 12px;
                  background: %12; border: 3px solid %10; color: %10; }
    QPushButton[primary="true"] { background: %10; color: %11; }
    QPushButton[item="true"] { text-align: left; font-size: %5px; padding: 26px 36px; }
    QPushButton:pressed { background: %13; }
    QPushButton[chip="true"] { font-size: %3px; padding: 8px 20px; border-radius: 24px; }
    QPushButton[chip="true"]:checked { background: %10; color: %11; }
    QWidget#idle_warning { background: rgba(16, 35, 63, 170); }
    QFrame#idle_panel { background: #ffffff; border-radius: 16px; }
    QLabel#idle_countdown { font-size: %4px; font-weight: bold; color: #a61b1b; }
    QWidget#keyboard { background: #dfe6f2; border-top: 2px solid %10; }
    QPushButton[key="true"] { font-size: %6px; padding: 8px 14px; border-radius: 8px;
                              background: #ffffff; }
    QPushButton[key="true"][primary="true"] { background: %10; color: %11; }
    QPushButton[candidate="true"] { font-size: %6px; border: none; background: transparent; }
    QLabel#composition { font-size: %3px; color: %9; padding: 0 12px; }
    QLineEdit { font-size: %7px; padding: 8px 12px; border: 2px solid #5a6a86; border-radius: 8px;
                background: #ffffff; }
    QLineEdit:focus { border: 3px solid %10; }
  )")
      .arg(l.banner)
      .arg(l.heading)
      .arg(l.body)
      .arg(l.button)
      .arg(l.item)
      .arg(l.key)
      .arg(l.field)
      .arg(l.text, l.muted, l.accent, l.on_accent, l.button_bg, l.pressed, font_family);
}

}  // namespace smzc::ui

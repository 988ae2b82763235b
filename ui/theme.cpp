#include "ui/theme.h"

namespace smzc::ui {

QString style_sheet() {
  // Navy on white and white on navy: both above 10:1 contrast.
  return R"(
    QWidget#kiosk { background: #ffffff; }
    QScrollArea, QScrollArea > QWidget > QWidget { background: transparent; }
    QWidget { font-family: "Noto Sans CJK SC"; color: #10233f; }
    QLabel#banner { background: #0b3d91; color: #ffffff; font-size: 26px; padding: 18px 32px; }
    QLabel#heading { font-size: 44px; font-weight: bold; }
    QLabel#body { font-size: 26px; color: #2b3a52; }
    QLabel#notice, QLabel#form_problems { font-size: 26px; color: #ffffff; background: #a61b1b; padding: 14px;
                    border-radius: 8px; }
    QPushButton { font-size: 30px; padding: 18px 36px; border-radius: 12px;
                  background: #e8eef8; border: 2px solid #0b3d91; color: #0b3d91; }
    QPushButton[primary="true"] { background: #0b3d91; color: #ffffff; }
    QPushButton[item="true"] { text-align: left; font-size: 32px; padding: 26px 36px; }
    QPushButton:pressed { background: #c9d6ee; }
    QWidget#idle_warning { background: rgba(16, 35, 63, 170); }
    QFrame#idle_panel { background: #ffffff; border-radius: 16px; }
    QLabel#idle_countdown { font-size: 30px; font-weight: bold; color: #a61b1b; }
    QWidget#keyboard { background: #dfe6f2; border-top: 2px solid #0b3d91; }
    QPushButton[key="true"] { font-size: 30px; padding: 8px 14px; border-radius: 8px;
                              background: #ffffff; }
    QPushButton[key="true"][primary="true"] { background: #0b3d91; color: #ffffff; }
    QPushButton[candidate="true"] { font-size: 32px; border: none; background: transparent; }
    QLabel#composition { font-size: 26px; color: #2b3a52; padding: 0 12px; }
    QLineEdit { font-size: 28px; padding: 8px 12px; border: 2px solid #7a8aa6; border-radius: 8px; }
    QLineEdit:focus { border-color: #0b3d91; }
  )";
}

}  // namespace smzc::ui

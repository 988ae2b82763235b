#include "ui/screens/read_card_screen.h"

namespace smzc::ui {

ReadCardScreen::ReadCardScreen(QWidget* parent) : Screen("read_card", parent) {
  column()->addWidget(heading(QT_TR_NOOP("请将身份证放在读卡区")));
  column()->addWidget(body(QT_TR_NOOP("放好后请勿移动，读取约需一秒")));
  column()->addStretch();
  auto* cancel = button(QT_TR_NOOP("返回首页"), "cancel");
  connect(cancel, &QPushButton::clicked, this, &ReadCardScreen::cancelTapped);
  column()->addWidget(cancel);
}

}  // namespace smzc::ui

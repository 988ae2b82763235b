#include "ui/screens/find_application_screen.h"

#include "ui/theme.h"

namespace smzc::ui {

FindApplicationScreen::FindApplicationScreen(QWidget* parent, OnScreenKeyboard& keyboard)
    : Screen("find_application", parent), keyboard_(&keyboard) {
  column()->addWidget(heading(QT_TR_NOOP("办理进度查询")));
  column()->addWidget(body(QT_TR_NOOP("刷身份证：查看您的全部办件，并打印已审批通过的证照")));
  auto* by_card = button(QT_TR_NOOP("刷身份证查询"), "by_card");
  by_card->setProperty("primary", true);
  connect(by_card, &QPushButton::clicked, this, &FindApplicationScreen::byCardTapped);
  column()->addWidget(by_card);
  column()->addWidget(body(QT_TR_NOOP("或输入回执、短信上的申请编号")));
  number_ = new QLineEdit(this);
  number_->setObjectName("application_number");
  number_->setMinimumHeight(kMinTouchTarget);
  number_->setMaxLength(32);
  column()->addWidget(number_);
  not_found_ = body(QT_TR_NOOP("未找到该申请编号，请核对后重新输入"));
  not_found_->setObjectName("not_found");
  not_found_->hide();
  column()->addWidget(not_found_);
  unreachable_ = body(QT_TR_NOOP("暂时无法查询，请稍后重试"));
  unreachable_->setObjectName("unreachable");
  unreachable_->hide();
  column()->addWidget(unreachable_);
  auto* lookup = button(QT_TR_NOOP("按编号查询"), "lookup");
  connect(lookup, &QPushButton::clicked, this, &FindApplicationScreen::lookupTapped);
  column()->addWidget(lookup);
  column()->addStretch();
  keyboard_slot_ = new QVBoxLayout();
  keyboard_slot_->setContentsMargins(0, 0, 0, 0);
  column()->addLayout(keyboard_slot_);
  keyboard_->serve(number_, KeyboardLayout::kLetters, keyboard_slot_);
  connect(keyboard_, &OnScreenKeyboard::done, this, [this] {
    if (keyboard_->field() == number_) keyboard_->detach();
  });
  auto* home = button(QT_TR_NOOP("返回首页"), "home");
  connect(home, &QPushButton::clicked, this, &FindApplicationScreen::homeTapped);
  column()->addWidget(home);
  // A number changed is a new question: the last answer goes.
  connect(number_, &QLineEdit::textChanged, this, [this] {
    not_found_->hide();
    unreachable_->hide();
  });
}

QString FindApplicationScreen::number() const {
  return number_->text().toUpper().remove(' ');
}

void FindApplicationScreen::show_not_found(bool reachable) {
  not_found_->setVisible(reachable);
  unreachable_->setVisible(!reachable);
}

void FindApplicationScreen::wipe() {
  if (keyboard_->field() == number_) keyboard_->detach();
  number_->clear();
  not_found_->hide();
  unreachable_->hide();
}

}  // namespace smzc::ui

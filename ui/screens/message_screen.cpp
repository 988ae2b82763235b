#include "ui/screens/message_screen.h"

namespace smzc::ui {

MessageScreen::MessageScreen(const QString& name, const QString& label_prefix,
                             bool waits_for_citizen, QWidget* parent)
    : Screen(name, parent), waits_(waits_for_citizen) {
  title_ = heading_label(this);
  detail_ = body_label(this);
  if (!label_prefix.isEmpty()) {
    title_->setObjectName(label_prefix + "_title");
    detail_->setObjectName(label_prefix + "_detail");
  }
  column()->addWidget(title_);
  column()->addWidget(detail_);
  column()->addStretch();
  auto* home = button(QT_TR_NOOP("返回首页"), "home");
  connect(home, &QPushButton::clicked, this, &MessageScreen::homeTapped);
  column()->addWidget(home);
}

void MessageScreen::set_message(const QString& title, const QString& detail) {
  title_->setText(title);
  detail_->setText(detail);
}

}  // namespace smzc::ui

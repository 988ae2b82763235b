#include "ui/screens/progress_screen.h"

namespace smzc::ui {

ProgressScreen::ProgressScreen(QWidget* parent) : Screen("progress", parent) {
  column()->addWidget(heading(QT_TR_NOOP("正在办理，请稍候")));
  steps_ = body_label(this);
  steps_->setTextFormat(Qt::RichText);
  column()->addWidget(steps_);
  column()->addStretch();
  auto* cancel = button(QT_TR_NOOP("返回首页"), "cancel");
  connect(cancel, &QPushButton::clicked, this, &ProgressScreen::cancelTapped);
  column()->addWidget(cancel);
}

void ProgressScreen::add_step(const QString& text) {
  steps_->setText(steps_->text() + QString("<p>● %1</p>").arg(text.toHtmlEscaped()));
}

void ProgressScreen::wipe() {
  steps_->clear();
}

}  // namespace smzc::ui

#include "ui/screens/done_screen.h"

namespace smzc::ui {

DoneScreen::DoneScreen(QWidget* parent) : Screen("done", parent) {
  column()->addWidget(heading(QT_TR_NOOP("办理完成，请取走证照和身份证")));
  detail_ = body_label(this);
  column()->addWidget(detail_);
  card_reminder_ = body(QT_TR_NOOP("请取走您的身份证"));
  card_reminder_->setObjectName("card_reminder");
  card_reminder_->hide();
  column()->addWidget(card_reminder_);
  certificate_reminder_ = body(QT_TR_NOOP("请取走出纸口的证照，以免遗留"));
  certificate_reminder_->setObjectName("certificate_reminder");
  certificate_reminder_->hide();
  column()->addWidget(certificate_reminder_);
  certificate_timer_ = new QTimer(this);
  certificate_timer_->setSingleShot(true);
  certificate_timer_->setInterval(kCertificateReminderMs);
  connect(certificate_timer_, &QTimer::timeout, this, [this] {
    certificate_reminder_->show();
    emit remind(certificate_reminder_->text());
  });
  column()->addStretch();
  auto* finish = button(QT_TR_NOOP("完成"), "finish");
  finish->setProperty("primary", true);
  connect(finish, &QPushButton::clicked, this, &DoneScreen::finishTapped);
  column()->addWidget(finish);
}

void DoneScreen::set_detail(const QString& detail) {
  detail_->setText(detail);
}

void DoneScreen::set_card_left(bool on) {
  const bool came_up = on && card_reminder_->isHidden();
  card_reminder_->setVisible(on);
  if (came_up) emit remind(card_reminder_->text());
}

void DoneScreen::set_printed(bool printed) {
  certificate_reminder_->hide();
  if (printed)
    certificate_timer_->start();
  else
    certificate_timer_->stop();
}

void DoneScreen::hideEvent(QHideEvent* event) {
  certificate_timer_->stop();
  Screen::hideEvent(event);
}

QString DoneScreen::spoken() const {
  QString words = Screen::spoken();
  if (!card_reminder_->isHidden()) words += "。" + card_reminder_->text();
  return words;
}

void DoneScreen::wipe() {
  detail_->clear();
  card_reminder_->hide();
  set_printed(false);
}

}  // namespace smzc::ui

#include "ui/screens/attract_screen.h"

namespace smzc::ui {

AttractScreen::AttractScreen(QWidget* parent) : Screen("attract", parent) {
  column()->addWidget(heading(QT_TR_NOOP("欢迎使用市民之窗")));
  column()->addWidget(body(QT_TR_NOOP("社保凭证、不动产、营业执照……秒办秒批秒打证")));
  notice_ = body_label(this);
  notice_->setObjectName("notice");
  notice_->hide();
  column()->addWidget(notice_);
  column()->addStretch();
  start_ = button(QT_TR_NOOP("开始办理"), "start");
  start_->setProperty("primary", true);
  connect(start_, &QPushButton::clicked, this, &AttractScreen::startTapped);
  column()->addWidget(start_);
  // 粤省事-style e-ID codes, where the terminal has a face camera to read them.
  eid_ = button(QT_TR_NOOP("出示电子身份码"), "eid");
  connect(eid_, &QPushButton::clicked, this, &AttractScreen::eidTapped);
  column()->addWidget(eid_);
  // Anyone holding a certificate (the citizen, a bank clerk) can check that it is genuine.
  check_ = button(QT_TR_NOOP("核验证照真伪"), "check");
  connect(check_, &QPushButton::clicked, this, &AttractScreen::checkTapped);
  column()->addWidget(check_);
  // 办理进度: earlier applications, and certificates approved since.
  auto* progress = button(QT_TR_NOOP("办理进度查询"), "progress");
  connect(progress, &QPushButton::clicked, this, &AttractScreen::progressTapped);
  column()->addWidget(progress);
}

void AttractScreen::set_notices(const QStringList& notices) {
  notice_->setText(notices.join("\n"));
  notice_->setVisible(!notices.isEmpty());
}

void AttractScreen::set_reader_usable(bool usable) {
  start_->setEnabled(usable);
}

void AttractScreen::set_has_camera(bool has) {
  eid_->setVisible(has);
  check_->setVisible(has);
}

}  // namespace smzc::ui

#include "ui/screens/camera_screen.h"

#include <QPainter>
#include <QPixmap>

#include "ui/messages.h"

namespace smzc::ui {

CameraScreen::CameraScreen(QWidget* parent) : Screen("camera", parent) {
  title_ = heading_label(this);
  column()->addWidget(title_);
  view_ = new QLabel(this);
  view_->setObjectName("camera_view");
  view_->setAlignment(Qt::AlignCenter);
  // Small minimums: on a short screen the picture is cut rather than the window pushed past it.
  view_->setMinimumSize(320, 180);
  view_->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
  column()->addWidget(view_);
  advice_ = body_label(this);
  advice_->setObjectName("camera_advice");
  column()->addWidget(advice_);
  column()->addStretch();
  auto* cancel = button(QT_TR_NOOP("返回首页"), "cancel");
  connect(cancel, &QPushButton::clicked, this, &CameraScreen::cancelTapped);
  column()->addWidget(cancel);
}

void CameraScreen::begin(const QString& title, bool face_guide) {
  wipe();
  title_->setText(title);
  face_guide_ = face_guide;
}

void CameraScreen::show_frame(const QImage& view, camera::Advice advice) {
  QPixmap shown = QPixmap::fromImage(view);
  if (face_guide_) {
    // An upright oval about as large as the face the check wants, green once the frame is good.
    QPainter painter(&shown);
    painter.setRenderHint(QPainter::Antialiasing);
    const bool good = advice == camera::Advice::kGood;
    painter.setPen(QPen(good ? QColor(0, 160, 80) : QColor(255, 255, 255), 5, Qt::DashLine));
    const qreal h = shown.height() * 0.78, w = h * 0.72;
    painter.drawEllipse(QRectF((shown.width() - w) / 2, (shown.height() - h) / 2, w, h));
  }
  view_->setPixmap(shown);
  advice_->setText(advice_text(advice));
}

void CameraScreen::wipe() {
  title_->clear();
  view_->clear();
  advice_->clear();
}

}  // namespace smzc::ui

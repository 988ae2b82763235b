#include "ui/screens/captured_screen.h"

#include <QPixmap>

namespace smzc::ui {

CapturedScreen::CapturedScreen(QWidget* parent) : Screen("captured", parent) {
  column()->addWidget(heading(QT_TR_NOOP("请确认材料清晰完整")));
  view_ = new QLabel(this);
  view_->setObjectName("captured_view");
  view_->setAlignment(Qt::AlignCenter);
  view_->setMinimumSize(210, 297);
  view_->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
  column()->addWidget(view_);
  column()->addStretch();
  auto* accept = button(QT_TR_NOOP("使用此页"), "accept");
  accept->setProperty("primary", true);
  connect(accept, &QPushButton::clicked, this, &CapturedScreen::acceptTapped);
  column()->addWidget(accept);
  auto* retake = button(QT_TR_NOOP("重新拍摄"), "retake");
  connect(retake, &QPushButton::clicked, this, &CapturedScreen::retakeTapped);
  column()->addWidget(retake);
}

void CapturedScreen::set_page(const QImage& page) {
  view_->setPixmap(QPixmap::fromImage(page));
}

void CapturedScreen::wipe() {
  view_->clear();
}

}  // namespace smzc::ui

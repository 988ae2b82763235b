// A captured paper material, for the citizen to accept or retake.
#pragma once

#include <QImage>

#include "ui/screen.h"

namespace smzc::ui {

/// "captured": the page as captured ("captured_view"), accept and retake.
class CapturedScreen : public Screen {
  Q_OBJECT

 public:
  explicit CapturedScreen(QWidget* parent);
  void set_page(const QImage& page);
  void wipe() override;

 signals:
  void acceptTapped();
  void retakeTapped();

 private:
  QLabel* view_;
};

}  // namespace smzc::ui

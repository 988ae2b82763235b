// The screen of an application under way.
#pragma once

#include "ui/screen.h"

namespace smzc::ui {

/// "progress": the steps begun so far, one line each, and cancel (back to the start: every wait
/// ends at once; the application itself, once sent, is not taken back).
class ProgressScreen : public Screen {
  Q_OBJECT

 public:
  explicit ProgressScreen(QWidget* parent);
  void add_step(const QString& text);
  void wipe() override;

 signals:
  void cancelTapped();

 private:
  QLabel* steps_;
};

}  // namespace smzc::ui

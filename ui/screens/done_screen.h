// The end of a served session.
#pragma once

#include "ui/screen.h"

namespace smzc::ui {

/// "done": what came of the application (the certificate's serial, the application number and
/// how the result comes), a reminder while the card is still on the reader, and finish.
class DoneScreen : public Screen {
  Q_OBJECT

 public:
  explicit DoneScreen(QWidget* parent);
  void set_detail(const QString& detail);
  /// Shows the card reminder while `on` (the card lies on the reader); true when it just came
  /// up, for it to be said aloud.
  bool set_card_left(bool on);
  QString spoken() const override;
  bool waits_for_citizen() const override { return true; }
  void wipe() override;

 signals:
  void finishTapped();

 private:
  QLabel* detail_;
  QLabel* card_reminder_;
};

}  // namespace smzc::ui

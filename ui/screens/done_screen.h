// The end of a served session.
#pragma once

#include <QTimer>

#include "ui/screen.h"

namespace smzc::ui {

/// "done": what came of the application (the certificate's serial, the application number and
/// how the result comes), a reminder while the card is still on the reader, a reminder of the
/// printed certificate ("certificate_reminder") once the screen has been up a while, and finish.
/// No printer says whether a page still lies in its tray, so the reminder comes after a delay
/// whenever something was printed, and goes with the screen.
class DoneScreen : public Screen {
  Q_OBJECT

 public:
  explicit DoneScreen(QWidget* parent);
  void set_detail(const QString& detail);
  /// Shows the card reminder while `on` (the card lies on the reader); remind() says it when it
  /// comes up.
  void set_card_left(bool on);
  /// Something was printed (or not): the certificate reminder comes after the delay.
  void set_printed(bool printed);
  /// How long after a print the reminder comes (tests shorten it).
  static constexpr int kCertificateReminderMs = 8000;
  void set_certificate_reminder_ms(int ms) { certificate_timer_->setInterval(ms); }
  bool certificate_reminder_due() const { return certificate_timer_->isActive(); }
  QString spoken() const override;
  bool waits_for_citizen() const override { return true; }
  void wipe() override;

 signals:
  void finishTapped();
  /// A reminder (the card, the certificate) came up: `text` to be said aloud.
  void remind(const QString& text);

 private:
  QLabel* detail_;
  QLabel* card_reminder_;
  QLabel* certificate_reminder_;
  QTimer* certificate_timer_;
  void hideEvent(QHideEvent* event) override;
};

}  // namespace smzc::ui

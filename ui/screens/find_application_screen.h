// 办理进度's first step: by card (every application, and collecting), or by an application number.
#pragma once

#include <QLineEdit>

#include "ui/keyboard.h"
#include "ui/screen.h"

namespace smzc::ui {

/// "find_application": by_card (lay the ID card: every application of the citizen, and printing
/// a certificate approved since), or an application number typed into "application_number" on
/// the on-screen keys and looked up with "lookup" (where that one stands; nothing is printed
/// without the card); "not_found" says when a number led nowhere; home.
class FindApplicationScreen : public Screen {
  Q_OBJECT

 public:
  /// `keyboard`: the journey's one on-screen keyboard, taken into this screen's layout when the
  /// number field is tapped.
  FindApplicationScreen(QWidget* parent, OnScreenKeyboard& keyboard);
  /// The number as typed, in capitals and without spaces (numbers are Crockford base32).
  QString number() const;
  /// Says the number led nowhere (or could not be asked about: `reachable` false).
  void show_not_found(bool reachable);
  bool waits_for_citizen() const override { return true; }
  void wipe() override;

 signals:
  void byCardTapped();
  void lookupTapped();
  void homeTapped();

 private:
  OnScreenKeyboard* keyboard_;
  QVBoxLayout* keyboard_slot_;
  QLineEdit* number_;
  QLabel* not_found_;
  QLabel* unreachable_;
};

}  // namespace smzc::ui

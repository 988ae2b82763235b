// What every screen of the citizen's journey is, and the navigator that shows one at a time.
#pragma once

#include <QStackedWidget>
#include <QVBoxLayout>
#include <QWidget>

#include "ui/widgets.h"

namespace smzc::ui {

/// One screen of the journey (attract, read_card, choose_item, form, …): a widget with its
/// object name, laid out in one column. A screen shows what it is given and says what the
/// citizen tapped through its signals; it calls nothing below the UI (the Journey does).
class Screen : public QWidget {
  Q_OBJECT

 public:
  Screen(const QString& name, QWidget* parent);
  QString name() const { return objectName(); }
  /// Whether nobody touching it for a while means the citizen has gone (the window then warns,
  /// and ends the session): screens that wait for the citizen, not for a device or the backend.
  virtual bool waits_for_citizen() const { return false; }
  /// What spoken guidance says when it comes up: its headings and any reminder on show.
  virtual QString spoken() const;
  /// Shows the texts it made from data (not fixed texts: retranslate_fixed_texts() redoes those)
  /// again in the language now chosen.
  virtual void retranslate() {}
  /// Forgets whatever of the citizen's it shows (the session ended).
  virtual void wipe() {}

 protected:
  QVBoxLayout* column() const { return column_; }
  // Fixed texts in the screen's own translation context (its class name, as lupdate sees it).
  QLabel* heading(const char* source);
  QLabel* body(const char* source);
  QPushButton* button(const char* source, const QString& name);
  template <typename W>
  W* fixed(W* widget, const char* source) {
    return fixed_text(widget, metaObject()->className(), source);
  }

 private:
  QVBoxLayout* column_;
};

/// Shows one screen at a time, and tells who cares which one is up.
class Navigator : public QObject {
  Q_OBJECT

 public:
  explicit Navigator(QStackedWidget* stack);
  /// Takes `screen` into the stack (the stack owns it).
  void add(QWidget* screen);
  /// Brings `screen` up, then emits shown(); again when it already is up (a new step on it).
  void show(QWidget* screen);
  QWidget* current() const { return stack_->currentWidget(); }
  /// The screen on show as a Screen; null for another page (the technician panel).
  Screen* current_screen() const { return qobject_cast<Screen*>(current()); }
  QString current_name() const { return current()->objectName(); }

 signals:
  /// `screen` came up (synchronously, before it is laid out).
  void shown(QWidget* screen);
  /// `name` is on show and laid out (the event loop ran once since): a screenshot taken now
  /// shows the final page.
  void laidOut(const QString& name);

 private:
  QStackedWidget* stack_;
};

}  // namespace smzc::ui

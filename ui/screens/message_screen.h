// A screen that says one thing and offers the way home.
#pragma once

#include "ui/screen.h"

namespace smzc::ui {

/// A title, its detail and home: "error" (what went wrong and what happens next; waits for the
/// citizen) and "checked" (what a certificate check found; labels check_title and check_detail).
class MessageScreen : public Screen {
  Q_OBJECT

 public:
  /// `label_prefix`: the title and detail labels are named PREFIX_title and PREFIX_detail; none:
  /// "heading" and "body", like every screen's.
  MessageScreen(const QString& name, const QString& label_prefix, bool waits_for_citizen,
                QWidget* parent);
  void set_message(const QString& title, const QString& detail);
  QString title() const { return title_->text(); }
  QString spoken() const override { return title_->text(); }
  bool waits_for_citizen() const override { return waits_; }
  void wipe() override { set_message({}, {}); }

 signals:
  void homeTapped();

 private:
  bool waits_;
  QLabel* title_;
  QLabel* detail_;
};

}  // namespace smzc::ui

#include "ui/screen.h"

#include <QTimer>

namespace smzc::ui {

Screen::Screen(const QString& name, QWidget* parent) : QWidget(parent) {
  setObjectName(name);
  column_ = new QVBoxLayout(this);
  column_->setContentsMargins(80, 60, 80, 60);
  column_->setSpacing(28);
}

QString Screen::spoken() const {
  QStringList words;
  for (auto* label : findChildren<QLabel*>())
    if (label->objectName() == "heading" && label->isVisibleTo(this) && !label->text().isEmpty())
      words << label->text();
  return words.join("。");
}

QLabel* Screen::heading(const char* source) {
  return fixed(heading_label(this), source);
}

QLabel* Screen::body(const char* source) {
  return fixed(body_label(this), source);
}

QPushButton* Screen::button(const char* source, const QString& name) {
  return fixed(touch_button(name, this), source);
}

Navigator::Navigator(QStackedWidget* stack) : QObject(stack), stack_(stack) {}

void Navigator::add(QWidget* screen) {
  stack_->addWidget(screen);
}

void Navigator::show(QWidget* screen) {
  stack_->setCurrentWidget(screen);
  emit shown(screen);
  QTimer::singleShot(0, this, [this, name = screen->objectName()] {
    if (current_name() == name) emit laidOut(name);
  });
}

}  // namespace smzc::ui

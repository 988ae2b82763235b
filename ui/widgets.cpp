#include "ui/widgets.h"

#include <QCoreApplication>
#include <QFrame>
#include <QLocale>
#include <QScroller>

#include "ui/theme.h"

namespace smzc::ui {

void retranslate_fixed_texts(QWidget* root) {
  for (auto* w : root->findChildren<QWidget*>()) {
    const QVariant source = w->property("source_text");
    if (!source.isValid()) continue;
    const QByteArray context = w->property("source_context").toString().toUtf8();
    const QByteArray text = source.toString().toUtf8();
    const QString shown = QCoreApplication::translate(context.constData(), text.constData());
    if (auto* label = qobject_cast<QLabel*>(w)) label->setText(shown);
    if (auto* b = qobject_cast<QAbstractButton*>(w)) b->setText(shown);
  }
}

QLabel* heading_label(QWidget* parent, const QString& text) {
  auto* label = new QLabel(parent);
  // Plain text always: what a label shows may come from outside (a certificate's code, a
  // catalogue, a backend's reasons), and markup in it must show as the characters it is.
  label->setTextFormat(Qt::PlainText);
  label->setText(text);
  label->setObjectName("heading");
  label->setAlignment(Qt::AlignCenter);
  label->setWordWrap(true);
  return label;
}

QLabel* body_label(QWidget* parent, const QString& text) {
  auto* label = new QLabel(parent);
  label->setTextFormat(Qt::PlainText);  // as heading_label's
  label->setText(text);
  label->setObjectName("body");
  label->setProperty("body", true);  // styled as body text under any name it is given
  label->setAlignment(Qt::AlignCenter);
  label->setWordWrap(true);
  return label;
}

QPushButton* touch_button(const QString& name, QWidget* parent, const QString& text) {
  auto* b = new QPushButton(text, parent);
  b->setObjectName(name);
  b->setMinimumSize(kMinTouchTarget, kMinTouchTarget);
  b->setCursor(Qt::PointingHandCursor);
  return b;
}

std::string language_on_show() {
  const QLocale locale;
  if (locale.language() != QLocale::Chinese) return "en";
  return locale.territory() == QLocale::HongKong ? "zh-HK" : "zh-CN";
}

QScrollArea* scrolling_column(QWidget* parent, QVBoxLayout*& column, int spacing, bool flick) {
  auto* scroll = new QScrollArea(parent);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  if (flick) QScroller::grabGesture(scroll->viewport(), QScroller::LeftMouseButtonGesture);
  auto* inside = new QWidget(scroll);
  column = new QVBoxLayout(inside);
  column->setSpacing(spacing);
  column->setContentsMargins(0, 0, 0, 0);
  scroll->setWidget(inside);
  return scroll;
}

void clear_layout(QLayout* layout) {
  while (QLayoutItem* item = layout->takeAt(0)) {
    delete item->widget();
    delete item;
  }
}

}  // namespace smzc::ui

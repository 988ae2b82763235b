// The pieces every citizen's screen is made of, named for the style sheet (theme.h): headings,
// body text and buttons large enough for a finger, and texts that follow the language chosen.
#pragma once

#include <QCoreApplication>
#include <QLabel>
#include <QLayout>
#include <QPushButton>
#include <QScrollArea>
#include <QString>
#include <QVBoxLayout>
#include <string>

namespace smzc::ui {

/// Shows `source` (Simplified Chinese, as written in the code under QT_TR_NOOP) translated in
/// `context`, and remembers both, so retranslate_fixed_texts() can show it again in another
/// language. `context` is the class the text is written in (its metaObject()->className()).
template <typename W>
W* fixed_text(W* widget, const char* context, const char* source) {
  widget->setProperty("source_context", QString::fromUtf8(context));
  widget->setProperty("source_text", QString::fromUtf8(source));
  widget->setText(QCoreApplication::translate(context, source));
  return widget;
}
/// Shows every fixed text under `root` again in the language now installed.
void retranslate_fixed_texts(QWidget* root);

/// A heading (object name "heading"), centred and wrapped.
QLabel* heading_label(QWidget* parent, const QString& text = {});
/// Body text (object name "body", and styled as body text when renamed), centred and wrapped.
QLabel* body_label(QWidget* parent, const QString& text = {});
/// A button named `name` (what tests and scripted demos tap), at least kMinTouchTarget square.
QPushButton* touch_button(const QString& name, QWidget* parent, const QString& text = {});
/// The language on show, "zh-CN", "zh-HK" or "en": the one the window chose (it sets QLocale's
/// default with it, so dates and numbers follow).
std::string language_on_show();
/// A column that scrolls (the item list, the applications, the form's fields): the scroll area
/// to lay out, with the column's layout in `column`. `flick`: it scrolls under a dragging finger
/// (not where a drag selects text).
QScrollArea* scrolling_column(QWidget* parent, QVBoxLayout*& column, int spacing, bool flick);
/// Deletes every widget `layout` holds, and its items.
void clear_layout(QLayout* layout);

}  // namespace smzc::ui

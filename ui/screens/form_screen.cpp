#include "ui/screens/form_screen.h"

#include <QEvent>
#include <QFrame>
#include <QPointer>
#include <QTimer>

#include "ui/messages.h"
#include "ui/theme.h"

namespace smzc::ui {

FormScreen::FormScreen(QWidget* parent, OnScreenKeyboard& keyboard)
    : Screen("form", parent), keyboard_(&keyboard) {
  column()->addWidget(heading(QT_TR_NOOP("请核对并填写申请信息")));
  problems_label_ = body_label(this);
  problems_label_->setObjectName("form_problems");
  problems_label_->hide();
  column()->addWidget(problems_label_);
  // The fields scroll, so the keyboard below them leaves every one reachable.
  scroll_ = scrolling_column(this, fields_, 16, false);
  column()->addWidget(scroll_, 1);
  auto* submit = button(QT_TR_NOOP("提交申请"), "submit");
  submit->setProperty("primary", true);
  connect(submit, &QPushButton::clicked, this, &FormScreen::submitTapped);
  column()->addWidget(submit);
  auto* back = button(QT_TR_NOOP("返回事项列表"), "back");
  connect(back, &QPushButton::clicked, this, &FormScreen::backTapped);
  column()->addWidget(back);
  keyboard_slot_ = new QVBoxLayout();
  keyboard_slot_->setContentsMargins(0, 0, 0, 0);
  column()->addLayout(keyboard_slot_);
  keyboard_slot_->addWidget(keyboard_);
  // The keyboard takes the lower part of the screen: the field typed into stays in sight.
  connect(keyboard_, &OnScreenKeyboard::attached, this, [this](QLineEdit* edit) {
    if (isAncestorOf(edit))
      QTimer::singleShot(0, this, [this, edit = QPointer<QLineEdit>(edit)] {
        if (edit) scroll_->ensureWidgetVisible(edit);
      });
  });
  // While typing, the keyboard has the buttons' room; "done" gives it back.
  connect(keyboard_, &OnScreenKeyboard::shownChanged, this, [this, submit, back](bool shown) {
    const bool typing = shown && keyboard_->parentWidget() == this;
    submit->setVisible(!typing);
    back->setVisible(!typing);
  });
}

void FormScreen::set_item(const services::ServiceItem& item,
                          const std::vector<services::FilledField>& fields) {
  wipe();
  item_ = item;
  for (const auto& filled : fields) {
    auto* label = body_label(this);
    label->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    auto* edit = new QLineEdit(QString::fromStdString(filled.value), this);
    edit->setObjectName(QString::fromStdString(filled.field.name));
    edit->setMinimumHeight(kMinTouchTarget);
    if (filled.field.type == "phone") edit->setInputMethodHints(Qt::ImhDialableCharactersOnly);
    keyboard_->serve(edit, layout_for_field(filled.field.type), keyboard_slot_);
    fields_->addWidget(label);
    fields_->addWidget(edit);
    edits_[filled.field.name] = edit;
    field_labels_.emplace_back(label, filled.field);
  }
  // Paper materials: captured here, on the scanner or under the document camera.
  for (const auto& m : item.materials) {
    if (m.source != "scan") continue;
    auto* capture = touch_button(QString::fromStdString("capture_" + m.name), this);
    connect(capture, &QPushButton::clicked, this, [this, m] { emit captureTapped(m); });
    fields_->addWidget(capture);
    capture_buttons_.emplace_back(capture, m);
  }
  fields_->addStretch();  // the fields sit together at the top
  retranslate();
}

void FormScreen::show_problems(const std::vector<services::Problem>& problems) {
  problems_ = problems;
  retranslate();
}

services::Problem FormScreen::localized(services::Problem problem) const {
  if (!item_) return problem;
  const std::string locale = language_on_show();
  for (const auto& f : item_->form)
    if (f.name == problem.subject) problem.label = f.label_in(locale);
  for (const auto& m : item_->materials)
    if (m.name == problem.subject) problem.label = m.label_in(locale);
  return problem;
}

void FormScreen::retranslate() {
  const std::string locale = language_on_show();
  for (auto& [label, field] : field_labels_)
    label->setText(QString::fromStdString(field.label_in(locale) + (field.required ? " *" : "")));
  for (auto& [b, material] : capture_buttons_)
    b->setText(tr("拍摄材料：%1").arg(QString::fromStdString(material.label_in(locale))));
  QStringList lines;
  for (const auto& p : problems_) lines << problem_text(localized(p));
  problems_label_->setText(lines.join("\n"));
  problems_label_->setVisible(!lines.isEmpty());
}

std::map<std::string, std::string> FormScreen::values() const {
  std::map<std::string, std::string> values;
  for (const auto& [name, edit] : edits_) values[name] = edit->text().toStdString();
  return values;
}

bool FormScreen::fill(const std::string& name, const QString& text) {
  auto it = edits_.find(name);
  if (it == edits_.end()) return false;
  it->second->setText(text);
  return true;
}

void FormScreen::wipe() {
  keyboard_->detach();
  item_.reset();
  problems_.clear();
  edits_.clear();
  field_labels_.clear();
  capture_buttons_.clear();
  clear_layout(fields_);
  problems_label_->clear();
  problems_label_->hide();
}

}  // namespace smzc::ui

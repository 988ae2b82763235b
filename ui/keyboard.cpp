#include "ui/keyboard.h"

#include <QEvent>
#include <QHBoxLayout>
#include <algorithm>

#include "ui/theme.h"

namespace smzc::ui {

KeyboardLayout layout_for_field(const std::string& type) {
  if (type == "phone") return KeyboardLayout::kPhone;
  if (type == "id_number") return KeyboardLayout::kIdNumber;
  if (type == "number" || type == "postcode" || type == "digits") return KeyboardLayout::kDigits;
  return KeyboardLayout::kPinyin;
}

OnScreenKeyboard::OnScreenKeyboard(QWidget* parent) : QWidget(parent) {
  setObjectName("keyboard");
  setAttribute(Qt::WA_StyledBackground);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(16, 12, 16, 12);
  layout->setSpacing(8);
  // What is being composed on a line of its own, its candidates below it.
  candidate_bar_ = new QWidget(this);
  auto* composing = new QVBoxLayout(candidate_bar_);
  composing->setContentsMargins(0, 0, 0, 0);
  composition_label_ = new QLabel(candidate_bar_);
  composition_label_->setObjectName("composition");
  composing->addWidget(composition_label_);
  auto* bar = new QHBoxLayout();
  composing->addLayout(bar);
  for (int i = 0; i < kCandidatesPerPage; ++i) {
    auto* b = key(QString(), QString("candidate_%1").arg(i));
    b->setProperty("candidate", true);
    connect(b, &QPushButton::clicked, this, [this, i] { choose(i); });
    bar->addWidget(b);
    candidate_buttons_.push_back(b);
  }
  more_ = key("›", "candidates_more");
  // The next page of candidates, and after the last, the first again.
  connect(more_, &QPushButton::clicked, this, [this] {
    const auto shown = (candidate_page_ + 1) * kCandidatesPerPage;
    candidate_page_ = shown < pinyin_->candidates().size() ? candidate_page_ + 1 : 0;
    refresh_candidates();
  });
  bar->addWidget(more_);
  bar->addStretch();
  layout->addWidget(candidate_bar_);
  keys_ = new QWidget(this);
  rows_ = new QVBoxLayout(keys_);
  rows_->setContentsMargins(0, 0, 0, 0);
  rows_->setSpacing(8);
  layout->addWidget(keys_);
  candidate_bar_->hide();
  hide();
}

OnScreenKeyboard::~OnScreenKeyboard() = default;

void OnScreenKeyboard::changeEvent(QEvent* event) {
  // Another language: the keys that have words (空格, 完成, the mode key) say them in it.
  if (event->type() == QEvent::LanguageChange && field_) rebuild();
  QWidget::changeEvent(event);
}

void OnScreenKeyboard::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  emit shownChanged(true);
}

void OnScreenKeyboard::hideEvent(QHideEvent* event) {
  QWidget::hideEvent(event);
  emit shownChanged(false);
}

QPushButton* OnScreenKeyboard::key(const QString& label, const QString& name) {
  auto* b = new QPushButton(label);
  b->setObjectName(name);
  b->setProperty("key", true);
  // The field keeps the focus, and with it its cursor.
  b->setFocusPolicy(Qt::NoFocus);
  b->setMinimumSize(kMinTouchTarget, kMinTouchTarget);
  return b;
}

void OnScreenKeyboard::attach(QLineEdit* field, KeyboardLayout layout) {
  // The dictionary is loaded when a field first wants pinyin, not at start: the attract screen
  // comes up sooner and smaller.
  if (layout == KeyboardLayout::kPinyin && !pinyin_ && pinyin_error_.isEmpty()) {
    if (auto decoder = PinyinDecoder::open())
      pinyin_ = std::move(decoder.value());
    else
      pinyin_error_ = QString::fromStdString(decoder.error().message);
  }
  if (layout == KeyboardLayout::kPinyin && !pinyin_) layout = KeyboardLayout::kLetters;
  if (pinyin_) pinyin_->clear();
  field_ = field;
  layout_ = layout;
  digits_page_ = false;
  rebuild();
  show();
}

void OnScreenKeyboard::serve(QLineEdit* field, KeyboardLayout layout, QBoxLayout* dock) {
  served_[field] = {layout, dock};
  field->installEventFilter(this);
  connect(field, &QObject::destroyed, this, [this, field] { served_.erase(field); });
}

bool OnScreenKeyboard::eventFilter(QObject* watched, QEvent* event) {
  const auto type = event->type();
  if ((type == QEvent::FocusIn || type == QEvent::MouseButtonPress) && watched != field_)
    if (auto it = served_.find(watched); it != served_.end() && it->second.dock) {
      auto* field = static_cast<QLineEdit*>(watched);
      it->second.dock->addWidget(this);  // from whichever screen it was on
      attach(field, it->second.layout);
      emit attached(field);
    }
  return QWidget::eventFilter(watched, event);
}

void OnScreenKeyboard::detach() {
  if (pinyin_) pinyin_->clear();
  field_ = nullptr;
  refresh_candidates();
  hide();
}

QString OnScreenKeyboard::composition() const {
  return pinyin_ ? pinyin_->composition() : QString();
}

QStringList OnScreenKeyboard::candidates() const {
  return pinyin_ ? pinyin_->candidates() : QStringList();
}

void OnScreenKeyboard::add_row(const QString& keys) {
  auto* row = new QHBoxLayout();
  row->setSpacing(8);
  row->addStretch();
  for (const QChar c : keys) {
    auto* b = key(c, "key_" + QString(c));
    if (c.isLetter() && c.isLower())
      connect(b, &QPushButton::clicked, this, [this, c] { letter(c.toLatin1()); });
    else
      connect(b, &QPushButton::clicked, this, [this, c] { type(QString(c)); });
    row->addWidget(b);
  }
  row->addStretch();
  rows_->addLayout(row);
}

void OnScreenKeyboard::rebuild() {
  // The old keys go once control returns to the event loop: the one tapped (the mode key) is
  // still in its click handler.
  while (QLayoutItem* item = rows_->takeAt(0)) {
    if (auto* row = item->layout())
      while (QLayoutItem* k = row->takeAt(0)) {
        if (auto* w = k->widget()) {
          w->hide();
          w->setObjectName({});
          w->deleteLater();
        }
        delete k;
      }
    delete item;
  }
  const bool letters =
      (layout_ == KeyboardLayout::kLetters || layout_ == KeyboardLayout::kPinyin) && !digits_page_;
  auto* last = new QHBoxLayout();
  last->setSpacing(8);
  if (letters) {
    add_row("qwertyuiop");
    add_row("asdfghjkl");
    add_row("zxcvbnm");
  } else if (layout_ == KeyboardLayout::kLetters || layout_ == KeyboardLayout::kPinyin) {
    add_row("1234567890");
    add_row("-_@.()");
  } else {
    add_row("123");
    add_row("456");
    add_row("789");
    if (layout_ == KeyboardLayout::kIdNumber)
      add_row("X0");
    else if (layout_ == KeyboardLayout::kPhone)
      add_row("-0");
    else
      add_row("0");
  }
  if (layout_ == KeyboardLayout::kLetters || layout_ == KeyboardLayout::kPinyin) {
    // The mode key names where it goes: 中 → 英 → 123 → 中.
    const QString next = digits_page_                         ? (pinyin_ ? tr("中") : tr("英"))
                         : layout_ == KeyboardLayout::kPinyin ? tr("英")
                                                              : tr("123");
    auto* mode = key(next, "key_mode");
    connect(mode, &QPushButton::clicked, this, &OnScreenKeyboard::switch_mode);
    last->addWidget(mode);
    auto* space_key = key(tr("空格"), "key_space");
    space_key->setMinimumWidth(kMinTouchTarget * 4);
    connect(space_key, &QPushButton::clicked, this, &OnScreenKeyboard::space);
    last->addWidget(space_key, 1);
  } else {
    last->addStretch();
  }
  auto* back = key("⌫", "key_backspace");
  back->setAccessibleName(tr("删除"));
  connect(back, &QPushButton::clicked, this, &OnScreenKeyboard::backspace);
  last->addWidget(back);
  auto* finish = key(tr("完成"), "key_done");
  finish->setProperty("primary", true);
  connect(finish, &QPushButton::clicked, this, [this] {
    // What is composed is what the citizen sees: it goes into the field as it stands.
    if (pinyin_ && !pinyin_->letters().empty()) {
      type(pinyin_->composition());
      pinyin_->clear();
    }
    emit done();
    detach();
  });
  last->addWidget(finish);
  rows_->addLayout(last);
  // Widgets added to a shown parent appear only once the event loop runs; the keys are there at
  // once (a tap may come before).
  for (auto* b : keys_->findChildren<QPushButton*>())
    if (!b->objectName().isEmpty()) b->show();
  refresh_candidates();
}

void OnScreenKeyboard::type(const QString& text) {
  if (field_) field_->insert(text);
}

void OnScreenKeyboard::letter(char c) {
  if (layout_ == KeyboardLayout::kPinyin && pinyin_) {
    // Letters past the engine's limit are refused rather than cut.
    pinyin_->set_letters(pinyin_->letters() + c);
    candidate_page_ = 0;
    refresh_candidates();
  } else {
    type(QString(QChar(c)));
  }
}

void OnScreenKeyboard::backspace() {
  if (pinyin_ && !pinyin_->letters().empty()) {
    auto letters = pinyin_->letters();
    letters.pop_back();
    pinyin_->set_letters(letters);
    candidate_page_ = 0;
    refresh_candidates();
  } else if (field_) {
    field_->backspace();
  }
}

void OnScreenKeyboard::space() {
  if (pinyin_ && !pinyin_->letters().empty()) {
    candidate_page_ = 0;  // the best candidate, whatever the page on show
    choose(0);
  } else
    type(" ");
}

void OnScreenKeyboard::switch_mode() {
  if (pinyin_) pinyin_->clear();
  if (digits_page_) {
    digits_page_ = false;
    layout_ = pinyin_ ? KeyboardLayout::kPinyin : KeyboardLayout::kLetters;
  } else if (layout_ == KeyboardLayout::kPinyin) {
    layout_ = KeyboardLayout::kLetters;
  } else {
    digits_page_ = true;
  }
  rebuild();
}

void OnScreenKeyboard::choose(int index_on_page) {
  if (!pinyin_) return;
  const int index = candidate_page_ * kCandidatesPerPage + index_on_page;
  if (index < 0) return;
  if (auto text = pinyin_->choose(static_cast<size_t>(index))) type(*text);
  candidate_page_ = 0;
  refresh_candidates();
}

void OnScreenKeyboard::refresh_candidates() {
  const bool composing = pinyin_ && !pinyin_->letters().empty();
  candidate_bar_->setVisible(composing);
  if (!composing) return;
  composition_label_->setText(pinyin_->composition());
  const QStringList all = pinyin_->candidates();
  const int first = candidate_page_ * kCandidatesPerPage;
  for (int i = 0; i < kCandidatesPerPage; ++i) {
    auto* b = candidate_buttons_[static_cast<size_t>(i)];
    const bool shown = first + i < all.size();
    b->setText(shown ? all[first + i] : QString());
    // As wide as its text: a long phrase is never cut to its middle.
    b->setMinimumWidth(std::max(kMinTouchTarget, b->sizeHint().width()));
    b->setVisible(shown);
  }
  more_->setVisible(all.size() > kCandidatesPerPage);
}

}  // namespace smzc::ui

#include "ui/screens/items_screen.h"

#include <QEvent>
#include <QFrame>
#include <QHBoxLayout>
#include <QScrollArea>
#include <QScroller>
#include <QTimer>
#include <algorithm>
#include <set>

#include "ui/theme.h"

namespace smzc::ui {
namespace {

// A row that scrolls sideways under a finger when its chips are wider than the screen.
QScrollArea* chip_strip(QWidget* row, QWidget* parent) {
  auto* strip = new QScrollArea(parent);
  strip->setWidget(row);
  strip->setWidgetResizable(true);
  strip->setFrameShape(QFrame::NoFrame);
  strip->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  strip->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  strip->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
  QScroller::grabGesture(strip->viewport(), QScroller::LeftMouseButtonGesture);
  return strip;
}

QPushButton* chip(const QString& name, QWidget* parent) {
  auto* b = touch_button(name, parent);
  b->setProperty("chip", true);
  b->setCheckable(true);
  return b;
}

}  // namespace

ItemsScreen::ItemsScreen(QWidget* parent, Availability availability, OnScreenKeyboard& keyboard)
    : Screen("choose_item", parent), availability_(std::move(availability)), keyboard_(&keyboard) {
  // The most crowded screen: the list keeps what room the chips and the search leave.
  column()->setContentsMargins(80, 24, 80, 24);
  column()->setSpacing(16);
  column()->addWidget(heading(QT_TR_NOOP("请选择办理事项")));
  greeting_label_ = body_label(this);
  column()->addWidget(greeting_label_);

  // Where the items are served (本地, 跨城, 跨省, 湾区通办).
  auto* scopes = new QWidget(this);
  auto* scope_row = new QHBoxLayout(scopes);
  scope_row->setContentsMargins(0, 0, 0, 0);
  const std::pair<const char*, const char*> scope_names[] = {
      {"", QT_TR_NOOP("全部事项")},
      {"local", QT_TR_NOOP("本地")},
      {"cross-city", QT_TR_NOOP("跨城通办")},
      {"cross-province", QT_TR_NOOP("跨省通办")},
      {"gba", QT_TR_NOOP("湾区通办")}};
  for (const auto& [scope, name] : scope_names) {
    auto* b = fixed(chip(QString("scope_") + (*scope ? scope : "all"), scopes), name);
    connect(b, &QPushButton::clicked, this, [this, scope = std::string(scope)] {
      scope_ = scope;
      apply_filter();
    });
    scope_row->addWidget(b);
    scope_chips_.push_back(b);
  }
  scope_row->addStretch();
  column()->addWidget(scopes);

  // What they are about (社会保障, 不动产 …), from the catalogue.
  category_row_ = new QWidget(this);
  category_chips_ = new QHBoxLayout(category_row_);
  category_chips_->setContentsMargins(0, 0, 0, 0);
  // Each chip as wide as its name: the row scrolls rather than squeeze them.
  category_chips_->setSizeConstraint(QLayout::SetFixedSize);
  category_strip_ = chip_strip(category_row_, this);
  column()->addWidget(category_strip_);

  // Search by name: typed on the on-screen keyboard, so it takes pinyin.
  search_ = new QLineEdit(this);
  search_->setObjectName("search");
  search_->setMinimumHeight(kMinTouchTarget);
  search_->setClearButtonEnabled(true);
  connect(search_, &QLineEdit::textChanged, this, &ItemsScreen::apply_filter);
  column()->addWidget(search_);

  // Dozens of items: they scroll under a finger, the exit button stays put.
  column()->addWidget(scrolling_column(this, list_, 20, true), 1);
  nothing_found_ = body(QT_TR_NOOP("没有找到相符的事项，请换个说法或选择“全部事项”"));
  nothing_found_->setObjectName("nothing_found");
  nothing_found_->hide();
  column()->addWidget(nothing_found_);

  keyboard_slot_ = new QVBoxLayout();
  keyboard_slot_->setContentsMargins(0, 0, 0, 0);
  column()->addLayout(keyboard_slot_);
  keyboard_->serve(search_, KeyboardLayout::kPinyin, keyboard_slot_);
  connect(keyboard_, &OnScreenKeyboard::done, this, [this] {
    if (keyboard_->field() == search_) keyboard_->detach();
  });
  leave_ = button(QT_TR_NOOP("退出"), "leave");
  connect(leave_, &QPushButton::clicked, this, &ItemsScreen::leaveTapped);
  column()->addWidget(leave_);
  // While typing, the keyboard has the exit button's room.
  connect(keyboard_, &OnScreenKeyboard::shownChanged, this, [this](bool shown) {
    leave_->setVisible(!(shown && keyboard_->parentWidget() == this));
  });
  retranslate();
}

void ItemsScreen::show_catalogue(const services::Catalogue& catalogue, const QString& greeting) {
  if (keyboard_->field() == search_) keyboard_->detach();
  clear_layout(list_);
  buttons_.clear();
  catalogue_ = catalogue;
  greeting_ = greeting;
  for (const auto& item : catalogue_.items) {
    auto* b = touch_button(QString::fromStdString(item.code), this);
    b->setProperty("item", true);
    connect(b, &QPushButton::clicked, this, [this, item] { emit itemChosen(item); });
    list_->addWidget(b);
    buttons_.emplace_back(item, b);
  }
  list_->addStretch();
  scope_.clear();
  category_.clear();
  search_->clear();
  build_categories();
  retranslate();
}

void ItemsScreen::build_categories() {
  clear_layout(category_chips_);
  std::vector<std::string> categories;  // in the catalogue's order
  for (const auto& item : catalogue_.items)
    if (!item.category.empty() &&
        std::find(categories.begin(), categories.end(), item.category) == categories.end())
      categories.push_back(item.category);
  if (categories.size() < 2) return;  // one category narrows nothing
  categories.insert(categories.begin(), "");
  for (const auto& category : categories) {
    auto* b = chip("category_" + QString::fromStdString(category.empty() ? "all" : category),
                   category_row_);
    b->setProperty("category", QString::fromStdString(category));
    if (category.empty()) fixed(b, QT_TR_NOOP("全部类别"));
    connect(b, &QPushButton::clicked, this, [this, category] {
      category_ = category;
      apply_filter();
    });
    category_chips_->addWidget(b);
  }
}

void ItemsScreen::changeEvent(QEvent* event) {
  // Elderly mode's larger chips: the strip grows with them, never cutting them off.
  if (event->type() == QEvent::StyleChange) fit_category_strip();
  Screen::changeEvent(event);
}

void ItemsScreen::fit_category_strip() {
  for (auto* b : category_row_->findChildren<QPushButton*>()) b->ensurePolished();
  category_strip_->setFixedHeight(category_row_->sizeHint().height());
  category_strip_->setVisible(category_chips_->count() > 0);
}

void ItemsScreen::retranslate() {
  greeting_label_->setText(
      greeting_ + (catalogue_.offline ? tr("（网络中断，部分事项可能暂不可办）") : QString()));
  greeting_label_->setVisible(!greeting_label_->text().isEmpty());
  search_->setPlaceholderText(tr("搜索事项名称"));
  const std::string locale = language_on_show();
  for (int i = 0; i < category_chips_->count(); ++i)
    if (auto* b = qobject_cast<QPushButton*>(category_chips_->itemAt(i)->widget())) {
      const std::string category = b->property("category").toString().toStdString();
      if (!category.empty())
        b->setText(QString::fromStdString(catalogue_.category_name(category, locale)));
    }
  fit_category_strip();
  refresh_availability();
  apply_filter();  // the search matches names in the language on show
}

void ItemsScreen::refresh_availability() {
  const std::string locale = language_on_show();
  for (auto& [item, b] : buttons_) {
    const QString why_not = availability_(item);
    b->setText(QString::fromStdString(item.name(locale)) + why_not);
    b->setEnabled(why_not.isEmpty());
    b->ensurePolished();  // the style sheet's padding counts in the size hint only once polished
    b->setMinimumHeight(std::max(kMinTouchTarget, b->sizeHint().height()));
  }
}

void ItemsScreen::apply_filter() {
  const std::string locale = language_on_show();
  const QString words = search_->text().trimmed();
  std::set<std::string> scopes;
  int shown = 0;
  for (const auto& [item, b] : buttons_) {
    scopes.insert(item.scope);
    const bool found =
        words.isEmpty() ||
        QString::fromStdString(item.name(locale)).contains(words, Qt::CaseInsensitive) ||
        QString::fromStdString(item.name()).contains(words, Qt::CaseInsensitive) ||
        QString::fromStdString(item.code).contains(words, Qt::CaseInsensitive);
    const bool show = found && (scope_.empty() || item.scope == scope_) &&
                      (category_.empty() || item.category == category_);
    b->setVisible(show);
    shown += show;
  }
  nothing_found_->setVisible(shown == 0 && !buttons_.empty());
  // A scope with nothing offered here has no chip; the chips of what is chosen are pressed.
  for (auto* b : scope_chips_) {
    const std::string scope = b->objectName().mid(6).toStdString();
    b->setVisible(scope == "all" || scopes.count(scope));
    b->setChecked(scope == (scope_.empty() ? "all" : scope_));
  }
  for (int i = 0; i < category_chips_->count(); ++i)
    if (auto* b = qobject_cast<QPushButton*>(category_chips_->itemAt(i)->widget()))
      b->setChecked(b->property("category").toString().toStdString() == category_);
}

std::vector<std::string> ItemsScreen::shown_items() const {
  std::vector<std::string> codes;
  for (const auto& [item, b] : buttons_)
    if (!b->isHidden()) codes.push_back(item.code);
  return codes;
}

void ItemsScreen::wipe() {
  if (keyboard_->field() == search_) keyboard_->detach();
  clear_layout(list_);
  clear_layout(category_chips_);
  buttons_.clear();
  catalogue_ = {};
  greeting_.clear();
  search_->clear();
  retranslate();
}

}  // namespace smzc::ui

// The item list: the catalogue offered here, by scope, by category and by search.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <QLineEdit>
#include <QScrollArea>

#include "services/catalogue.h"
#include "ui/keyboard.h"
#include "ui/screen.h"

namespace smzc::ui {

/// "choose_item": a greeting naming the citizen (masked), the items as buttons named by their
/// code, and three ways to narrow them that combine:
/// - where they are served: chips scope_all, scope_local, scope_cross-city, scope_cross-province,
///   scope_gba (a scope with nothing offered has no chip);
/// - what they are about: chips category_all and category_NAME (NAME as the catalogue gives it,
///   shown in the language on show);
/// - a search field ("search", typed on the on-screen keyboard, pinyin included) matched against
///   the item's name in the language on show and in Simplified Chinese, and its code.
/// An item that cannot be served now stays on the list, disabled, with the reason.
class ItemsScreen : public Screen {
  Q_OBJECT

 public:
  /// Why `item` cannot be served now, in the language on show; empty when it can.
  using Availability = std::function<QString(const services::ServiceItem&)>;
  /// `keyboard` is the journey's one on-screen keyboard (one pinyin engine per process): the
  /// screen takes it into its layout when the search field is tapped.
  ItemsScreen(QWidget* parent, Availability availability, OnScreenKeyboard& keyboard);
  /// Shows `catalogue`'s items under `greeting`, every filter cleared.
  void show_catalogue(const services::Catalogue& catalogue, const QString& greeting);
  /// Asks Availability again for every item (a device changed, the hour turned).
  void refresh_availability();
  /// The items shown now, by code, in order (tests, scripted demos).
  std::vector<std::string> shown_items() const;
  bool waits_for_citizen() const override { return true; }
  void retranslate() override;
  void wipe() override;

 signals:
  void itemChosen(const services::ServiceItem& item);
  void leaveTapped();

 private:
  void changeEvent(QEvent* event) override;
  void fit_category_strip();
  void apply_filter();
  void build_categories();

  Availability availability_;
  services::Catalogue catalogue_;
  QString greeting_;
  std::string scope_ = "";     // empty: every scope
  std::string category_ = "";  // empty: every category
  QLabel* greeting_label_;
  std::vector<QPushButton*> scope_chips_;
  QWidget* category_row_;
  QScrollArea* category_strip_;
  QHBoxLayout* category_chips_;
  QLineEdit* search_;
  QLabel* nothing_found_;
  QVBoxLayout* list_;
  std::vector<std::pair<services::ServiceItem, QPushButton*>> buttons_;
  OnScreenKeyboard* keyboard_;
  QVBoxLayout* keyboard_slot_;
  QPushButton* leave_;
};

}  // namespace smzc::ui

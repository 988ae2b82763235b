// The application form of one item.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <QLineEdit>
#include <QScrollArea>

#include "services/transaction_engine.h"
#include "ui/keyboard.h"
#include "ui/screen.h"

namespace smzc::ui {

/// "form": the item's fields prefilled from the card (a QLineEdit named by each field), a
/// button capture_NAME for each paper material, what was found wrong above them, and submit and
/// back. A tap on a field brings up the keys its catalogue type needs; no physical keyboard.
class FormScreen : public Screen {
  Q_OBJECT

 public:
  /// `keyboard` is the journey's one on-screen keyboard (one pinyin engine per process): the
  /// screen takes it into its layout when a field is tapped.
  FormScreen(QWidget* parent, OnScreenKeyboard& keyboard);
  /// Lays out `item`'s form with `fields` (as TransactionEngine::form_for fills them).
  void set_item(const services::ServiceItem& item,
                const std::vector<services::FilledField>& fields);
  const std::optional<services::ServiceItem>& item() const { return item_; }
  /// Shows what must be put right; none hides the list.
  void show_problems(const std::vector<services::Problem>& problems);
  /// What the citizen typed, by field name.
  std::map<std::string, std::string> values() const;
  /// Types `text` into the field `name`; false when the form has no such field.
  bool fill(const std::string& name, const QString& text);
  /// `problem` with the label of its field or material in the language on show.
  services::Problem localized(services::Problem problem) const;
  bool waits_for_citizen() const override { return true; }
  void retranslate() override;
  void wipe() override;

 signals:
  void submitTapped();
  void backTapped();
  void captureTapped(const services::Material& material);

 private:
  std::optional<services::ServiceItem> item_;
  std::vector<services::Problem> problems_;
  QLabel* problems_label_;
  QScrollArea* scroll_;
  QVBoxLayout* fields_;
  std::map<std::string, QLineEdit*> edits_;
  // Field labels and capture buttons, redone in another language.
  std::vector<std::pair<QLabel*, services::FormField>> field_labels_;
  std::vector<std::pair<QPushButton*, services::Material>> capture_buttons_;
  OnScreenKeyboard* keyboard_;
  QVBoxLayout* keyboard_slot_;
};

}  // namespace smzc::ui

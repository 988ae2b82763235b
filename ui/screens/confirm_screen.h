// What is about to be sent, for the citizen to confirm before it goes.
#pragma once

#include "services/transaction_engine.h"
#include "ui/screen.h"

namespace smzc::ui {

/// "confirm": the item, each field as filled ("confirm_fields"; an ID number masked) and each
/// material and where it comes from ("confirm_materials": captured here, or fetched by the
/// platform from the e-licence library), then confirm (send it) or edit (back to the form).
class ConfirmScreen : public Screen {
  Q_OBJECT

 public:
  explicit ConfirmScreen(QWidget* parent);
  void show_application(const services::ServiceItem& item, const services::ApplicationInput& input);
  bool waits_for_citizen() const override { return true; }
  void retranslate() override;
  void wipe() override;

 signals:
  void confirmTapped();
  void editTapped();

 private:
  std::optional<services::ServiceItem> item_;
  std::map<std::string, std::string> fields_;
  std::map<std::string, bool> captured_;  // the scans' names
  QLabel* item_name_;
  QLabel* field_lines_;
  QLabel* material_lines_;
};

}  // namespace smzc::ui

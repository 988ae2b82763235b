// 办理进度: a citizen's earlier applications, and the certificates approved since.
#pragma once

#include <vector>

#include "services/catalogue.h"
#include "services/transaction_engine.h"
#include "ui/screen.h"

namespace smzc::ui {

/// "applications": the identified citizen's applications, newest first, each with its item's
/// name, state, date and number ("application_ID" labels); one whose certificate was approved
/// since and not yet printed has a button collect_ID. An empty list says so; home ends it.
class ApplicationsScreen : public Screen {
  Q_OBJECT

 public:
  explicit ApplicationsScreen(QWidget* parent);
  /// Shows `applications` under `greeting`; item names come from `catalogue` (the code when it
  /// has no such item).
  /// `can_collect`: the citizen identified by card, so certificates approved since may be
  /// printed (found by number alone, they are only said to be ready).
  void show_applications(const std::vector<services::ApplicationSummary>& applications,
                         const services::Catalogue& catalogue, const QString& greeting,
                         bool can_collect = true);
  bool waits_for_citizen() const override { return true; }
  void retranslate() override;
  void wipe() override;

 signals:
  void collectTapped(const services::ApplicationSummary& application);
  void homeTapped();

 private:
  void rebuild();

  std::vector<services::ApplicationSummary> applications_;
  services::Catalogue catalogue_;
  QString greeting_;
  bool can_collect_ = true;
  QLabel* greeting_label_;
  QLabel* empty_;
  QVBoxLayout* list_;
};

}  // namespace smzc::ui

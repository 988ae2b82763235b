#include "ui/screens/applications_screen.h"

#include <QDateTime>
#include <QFrame>
#include <QLocale>
#include <QScrollArea>
#include <QScroller>

namespace smzc::ui {

ApplicationsScreen::ApplicationsScreen(QWidget* parent) : Screen("applications", parent) {
  column()->addWidget(heading(QT_TR_NOOP("办理进度")));
  greeting_label_ = body_label(this);
  column()->addWidget(greeting_label_);
  empty_ = body(QT_TR_NOOP("暂无办理记录"));
  empty_->setObjectName("no_applications");
  empty_->hide();
  column()->addWidget(empty_);
  column()->addWidget(scrolling_column(this, list_, 20, true), 1);
  auto* home = button(QT_TR_NOOP("返回首页"), "home");
  connect(home, &QPushButton::clicked, this, &ApplicationsScreen::homeTapped);
  column()->addWidget(home);
}

void ApplicationsScreen::show_applications(
    const std::vector<services::ApplicationSummary>& applications,
    const services::Catalogue& catalogue, const QString& greeting, bool can_collect) {
  can_collect_ = can_collect;
  applications_ = applications;
  catalogue_ = catalogue;
  greeting_ = greeting;
  rebuild();
}

void ApplicationsScreen::rebuild() {
  clear_layout(list_);
  const std::string locale = language_on_show();
  for (const auto& a : applications_) {
    auto* row = new QFrame(this);
    row->setObjectName("application");
    row->setProperty("card", true);
    auto* lines = new QVBoxLayout(row);
    const auto* item = catalogue_.find(a.item_code);
    auto* name = body_label(row, QString::fromStdString(item ? item->name(locale) : a.item_code));
    name->setAlignment(Qt::AlignLeft);
    QString state;
    if (a.status == "approved")
      state = !a.certificate                 ? tr("已通过")
              : a.print_state == "completed" ? tr("已通过，证照已打印")
              : can_collect_                 ? tr("已通过，证照可在本机打印")
                             : tr("已通过，刷身份证后可在本机打印证照");
    else if (a.status == "rejected")
      state = tr("未通过");
    else
      state = tr("审核中，结果将以短信通知");
    QString when;
    if (a.submitted_ms > 0)
      when =
          QLocale().toString(QDateTime::fromMSecsSinceEpoch(a.submitted_ms), QLocale::ShortFormat);
    auto* detail =
        body_label(row, tr("申请编号 %1").arg(QString::fromStdString(a.application_id)) +
                            (when.isEmpty() ? QString() : "  ·  " + when) + "\n" + state);
    detail->setObjectName(QString::fromStdString("application_" + a.application_id));
    detail->setAlignment(Qt::AlignLeft);
    lines->addWidget(name);
    lines->addWidget(detail);
    if (can_collect_ && a.collectable()) {
      auto* collect =
          touch_button(QString::fromStdString("collect_" + a.application_id), row, tr("打印证照"));
      collect->setProperty("primary", true);
      connect(collect, &QPushButton::clicked, this, [this, a] { emit collectTapped(a); });
      lines->addWidget(collect);
    }
    list_->addWidget(row);
  }
  list_->addStretch();
  greeting_label_->setText(greeting_);
  greeting_label_->setVisible(!greeting_.isEmpty());
  empty_->setVisible(applications_.empty() && can_collect_ && !greeting_.isEmpty());
}

void ApplicationsScreen::retranslate() {
  rebuild();
}

void ApplicationsScreen::wipe() {
  applications_.clear();
  catalogue_ = {};
  greeting_.clear();
  rebuild();
}

}  // namespace smzc::ui

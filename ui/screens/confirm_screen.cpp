#include "ui/screens/confirm_screen.h"

#include "base/privacy.h"

namespace smzc::ui {

ConfirmScreen::ConfirmScreen(QWidget* parent) : Screen("confirm", parent) {
  column()->addWidget(heading(QT_TR_NOOP("请确认申请内容")));
  item_name_ = body_label(this);
  item_name_->setObjectName("confirm_item");
  column()->addWidget(item_name_);
  field_lines_ = body_label(this);
  field_lines_->setObjectName("confirm_fields");
  field_lines_->setAlignment(Qt::AlignLeft);
  column()->addWidget(field_lines_);
  material_lines_ = body_label(this);
  material_lines_->setObjectName("confirm_materials");
  material_lines_->setAlignment(Qt::AlignLeft);
  column()->addWidget(material_lines_);
  column()->addStretch();
  auto* confirm = button(QT_TR_NOOP("确认提交"), "confirm");
  confirm->setProperty("primary", true);
  connect(confirm, &QPushButton::clicked, this, &ConfirmScreen::confirmTapped);
  column()->addWidget(confirm);
  auto* edit = button(QT_TR_NOOP("返回修改"), "edit");
  connect(edit, &QPushButton::clicked, this, &ConfirmScreen::editTapped);
  column()->addWidget(edit);
}

void ConfirmScreen::show_application(const services::ServiceItem& item,
                                     const services::ApplicationInput& input) {
  item_ = item;
  fields_ = input.fields;
  captured_.clear();
  for (const auto& [name, bytes] : input.scans) captured_[name] = !bytes.empty();
  retranslate();
}

void ConfirmScreen::retranslate() {
  if (!item_) return;
  const std::string locale = language_on_show();
  item_name_->setText(QString::fromStdString(item_->name(locale)));
  QStringList fields;
  for (const auto& f : item_->form) {
    const auto it = fields_.find(f.name);
    std::string value = it == fields_.end() ? std::string() : it->second;
    // Shown on a screen others may see: an ID number as the receipt shows it.
    if (f.type == "id_number" && !value.empty()) value = mask_id_number(value);
    fields << tr("%1：%2").arg(QString::fromStdString(f.label_in(locale)),
                               value.empty() ? tr("（未填）") : QString::fromStdString(value));
  }
  field_lines_->setText(fields.join("\n"));
  field_lines_->setVisible(!fields.isEmpty());
  QStringList materials;
  for (const auto& m : item_->materials) {
    const QString label = QString::fromStdString(m.label_in(locale));
    if (m.source == "elicense")
      materials << tr("%1：由平台调取电子证照（免提交）").arg(label);
    else
      materials << tr("%1：%2").arg(label, captured_.count(m.name) ? tr("已拍摄") : tr("未拍摄"));
  }
  material_lines_->setText(materials.join("\n"));
  material_lines_->setVisible(!materials.isEmpty());
}

void ConfirmScreen::wipe() {
  item_.reset();
  for (auto& [name, value] : fields_) std::fill(value.begin(), value.end(), '\0');
  fields_.clear();
  captured_.clear();
  item_name_->clear();
  field_lines_->clear();
  material_lines_->clear();
}

}  // namespace smzc::ui

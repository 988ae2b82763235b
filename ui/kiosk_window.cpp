#include "ui/kiosk_window.h"

#include <QImage>
#include <QPixmap>

#include <QApplication>
#include <QCloseEvent>
#include <QEvent>
#include <QFrame>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLocale>
#include <QMetaObject>
#include <QMouseEvent>
#include <QPointer>
#include <QScrollArea>
#include <QScroller>
#include <QTimer>
#include <QTranslator>
#include <algorithm>
#include <opencv2/imgproc.hpp>
#include <set>

#include <spdlog/spdlog.h>

#include "ui/image.h"
#include "ui/messages.h"
#include "ui/speech.h"
#include "ui/technician_panel.h"
#include "ui/theme.h"

namespace smzc::ui {
namespace {

// Fixed texts are kept as written (marked QT_TR_NOOP where they are, in the window's context)
// and shown translated; retranslate() shows them again when the language changes.
constexpr const char* kContext = "smzc::ui::KioskWindow";
QString translated(const char* source) {
  return QCoreApplication::translate(kContext, source);
}
template <typename W>
W* fixed_text(W* widget, const char* source) {
  widget->setProperty("source_text", QString::fromUtf8(source));
  widget->setText(translated(source));
  return widget;
}

QLabel* heading(const QString& text, QWidget* parent) {
  auto* label = new QLabel(text, parent);
  label->setObjectName("heading");
  label->setAlignment(Qt::AlignCenter);
  label->setWordWrap(true);
  return label;
}
QLabel* heading(const char* source, QWidget* parent) {
  return fixed_text(heading(QString(), parent), source);
}

QLabel* body(const QString& text, QWidget* parent) {
  auto* label = new QLabel(text, parent);
  label->setObjectName("body");
  label->setAlignment(Qt::AlignCenter);
  label->setWordWrap(true);
  return label;
}
QLabel* body(const char* source, QWidget* parent) {
  return fixed_text(body(QString(), parent), source);
}

QPushButton* button(const QString& text, const QString& name, QWidget* parent) {
  auto* b = new QPushButton(text, parent);
  b->setObjectName(name);
  b->setMinimumSize(kMinTouchTarget, kMinTouchTarget);
  b->setCursor(Qt::PointingHandCursor);
  return b;
}
QPushButton* button(const char* source, const QString& name, QWidget* parent) {
  return fixed_text(button(QString(), name, parent), source);
}

QWidget* make_screen(const QString& name, QWidget* parent) {
  auto* w = new QWidget(parent);
  w->setObjectName(name);
  auto* layout = new QVBoxLayout(w);
  layout->setContentsMargins(80, 60, 80, 60);
  layout->setSpacing(28);
  return w;
}

// Deletes every widget a layout holds.
void clear_layout(QLayout* layout) {
  while (QLayoutItem* item = layout->takeAt(0)) {
    delete item->widget();
    delete item;
  }
}

}  // namespace

KioskWindow::KioskWindow(services::TransactionEngine& engine, QWidget* parent)
    : QWidget(parent), engine_(engine) {
  setObjectName("kiosk");
  setWindowTitle("市民之窗");
  QLocale::setDefault(QLocale("zh_CN"));  // the language every citizen starts in
  setStyleSheet(style_sheet());
  stack_ = new QStackedWidget(this);
  auto* root = new QVBoxLayout(this);
  root->setContentsMargins(0, 0, 0, 0);
  // The banner is on every screen, and with it what every screen offers: elderly mode.
  banner_ = new QWidget(this);
  banner_->setObjectName("banner");
  banner_->setAttribute(Qt::WA_StyledBackground);
  auto* banner_row = new QHBoxLayout(banner_);
  banner_row->setContentsMargins(0, 0, 0, 0);
  auto* title = fixed_text(new QLabel(banner_), QT_TR_NOOP("市民之窗  ·  政务服务自助终端"));
  title->setObjectName("banner_title");
  banner_row->addWidget(title);
  // Whose point this is: a bank's 政银合作 point names the bank, a partner city's point says so.
  branding_ = new QLabel(banner_);
  branding_->setObjectName("branding");
  banner_row->addWidget(branding_, 1);
  show_branding();
  // The language (简体 → 繁體 → English), named in the language it leads to.
  language_button_ = button(QString("繁體"), "language", banner_);
  connect(language_button_, &QPushButton::clicked, this, [this] {
    set_language(language_ == "zh-CN" ? "zh-HK" : language_ == "zh-HK" ? "en" : "zh-CN");
  });
  banner_row->addWidget(language_button_);
  speaker_ = new Speaker(this);
  speech_button_ = button(QT_TR_NOOP("语音播报"), "speech", banner_);
  connect(speech_button_, &QPushButton::clicked, this,
          [this] { set_speech(!speaker_->enabled()); });
  banner_row->addWidget(speech_button_);
  elderly_button_ = button(QT_TR_NOOP("长辈模式"), "elderly", banner_);
  connect(elderly_button_, &QPushButton::clicked, this, [this] { set_elderly(!elderly_); });
  banner_row->addWidget(elderly_button_);
  root->addWidget(banner_);
  root->addWidget(stack_, 1);

  attract_ = make_screen("attract", stack_);
  attract_->layout()->addWidget(heading(QT_TR_NOOP("欢迎使用市民之窗"), attract_));
  attract_->layout()->addWidget(
      body(QT_TR_NOOP("社保凭证、不动产、营业执照……秒办秒批秒打证"), attract_));
  attract_notice_ = body("", attract_);
  attract_notice_->setObjectName("notice");
  attract_notice_->hide();
  attract_->layout()->addWidget(attract_notice_);
  auto* start = button(QT_TR_NOOP("开始办理"), "start", attract_);
  start->setProperty("primary", true);
  connect(start, &QPushButton::clicked, this, &KioskWindow::start_identify);
  static_cast<QVBoxLayout*>(attract_->layout())->addStretch();
  attract_->layout()->addWidget(start);
  // 粤省事-style e-ID codes, where the terminal has a face camera to read them.
  auto* eid = button(QT_TR_NOOP("出示电子身份码"), "eid", attract_);
  connect(eid, &QPushButton::clicked, this, &KioskWindow::start_identify_by_code);
  eid->setVisible(engine_.has_face_camera());
  attract_->layout()->addWidget(eid);
  // Anyone holding a certificate (the citizen, a bank clerk) can check that it is genuine.
  auto* check = button(QT_TR_NOOP("核验证照真伪"), "check", attract_);
  connect(check, &QPushButton::clicked, this, &KioskWindow::start_check_certificate);
  check->setVisible(engine_.has_face_camera());
  attract_->layout()->addWidget(check);

  read_card_ = make_screen("read_card", stack_);
  read_card_->layout()->addWidget(heading(QT_TR_NOOP("请将身份证放在读卡区"), read_card_));
  read_card_->layout()->addWidget(body(QT_TR_NOOP("放好后请勿移动，读取约需一秒"), read_card_));
  static_cast<QVBoxLayout*>(read_card_->layout())->addStretch();
  auto* cancel = button(QT_TR_NOOP("返回首页"), "cancel", read_card_);
  connect(cancel, &QPushButton::clicked, this, &KioskWindow::leave);
  read_card_->layout()->addWidget(cancel);

  choose_item_ = make_screen("choose_item", stack_);
  choose_item_->layout()->addWidget(heading(QT_TR_NOOP("请选择办理事项"), choose_item_));
  citizen_label_ = body("", choose_item_);
  choose_item_->layout()->addWidget(citizen_label_);
  // Where the items are served (本地, 跨城, 跨省, 湾区通办): one tap narrows the list to one scope.
  auto* scopes = new QWidget(choose_item_);
  auto* scope_row = new QHBoxLayout(scopes);
  scope_row->setContentsMargins(0, 0, 0, 0);
  const std::pair<const char*, const char*> scope_names[] = {
      {"", QT_TR_NOOP("全部事项")},
      {"local", QT_TR_NOOP("本地")},
      {"cross-city", QT_TR_NOOP("跨城通办")},
      {"cross-province", QT_TR_NOOP("跨省通办")},
      {"gba", QT_TR_NOOP("湾区通办")}};
  for (const auto& [scope, name] : scope_names) {
    auto* chip = button(name, QString("scope_") + (*scope ? scope : "all"), scopes);
    chip->setProperty("chip", true);
    chip->setCheckable(true);
    chip->setChecked(!*scope);
    connect(chip, &QPushButton::clicked, this, [this, scope = std::string(scope)] {
      scope_filter_ = scope;
      apply_item_filter();
    });
    scope_row->addWidget(chip);
    scope_chips_.push_back(chip);
  }
  scope_row->addStretch();
  choose_item_->layout()->addWidget(scopes);
  // Dozens of items: they scroll under a finger, the exit button stays put.
  auto* scroll = new QScrollArea(choose_item_);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  QScroller::grabGesture(scroll->viewport(), QScroller::LeftMouseButtonGesture);
  auto* list = new QWidget(scroll);
  item_list_ = new QVBoxLayout(list);
  item_list_->setSpacing(20);
  item_list_->setContentsMargins(0, 0, 0, 0);
  scroll->setWidget(list);
  static_cast<QVBoxLayout*>(choose_item_->layout())->addWidget(scroll, 1);
  auto* leave = button(QT_TR_NOOP("退出"), "leave", choose_item_);
  connect(leave, &QPushButton::clicked, this, &KioskWindow::go_home);
  choose_item_->layout()->addWidget(leave);

  // The item's form: prefilled from the card; what the engine finds wrong is shown above it.
  form_ = make_screen("form", stack_);
  form_->layout()->addWidget(heading(QT_TR_NOOP("请核对并填写申请信息"), form_));
  form_problems_ = body("", form_);
  form_problems_->setObjectName("form_problems");
  form_->layout()->addWidget(form_problems_);
  // The fields scroll, so the keyboard below them leaves every one reachable.
  auto* field_scroll = form_scroll_ = new QScrollArea(form_);
  field_scroll->setWidgetResizable(true);
  field_scroll->setFrameShape(QFrame::NoFrame);
  auto* fields = new QWidget(field_scroll);
  form_fields_ = new QVBoxLayout(fields);
  form_fields_->setSpacing(16);
  form_fields_->setContentsMargins(0, 0, 0, 0);
  field_scroll->setWidget(fields);
  static_cast<QVBoxLayout*>(form_->layout())->addWidget(field_scroll, 1);
  auto* submit = button(QT_TR_NOOP("提交申请"), "submit", form_);
  submit->setProperty("primary", true);
  connect(submit, &QPushButton::clicked, this, [this] {
    if (!form_item_) return;
    services::ApplicationInput input;
    for (const auto& [name, edit] : form_edits_) input.fields[name] = edit->text().toStdString();
    input.scans = scans_;
    run_process(*form_item_, input);
  });
  form_->layout()->addWidget(submit);
  auto* back_to_items = button(QT_TR_NOOP("返回事项列表"), "back", form_);
  connect(back_to_items, &QPushButton::clicked, this, [this] { show_screen(choose_item_); });
  form_->layout()->addWidget(back_to_items);
  // No physical keyboard anywhere: a tap on a field brings up the keys its type needs.
  keyboard_ = new OnScreenKeyboard(form_);
  form_->layout()->addWidget(keyboard_);
  // While typing, the keyboard has the buttons' room; "done" gives it back.
  connect(keyboard_, &OnScreenKeyboard::shownChanged, this, [submit, back_to_items](bool shown) {
    submit->setVisible(!shown);
    back_to_items->setVisible(!shown);
  });

  progress_ = make_screen("progress", stack_);
  progress_->layout()->addWidget(heading(QT_TR_NOOP("正在办理，请稍候"), progress_));
  progress_steps_ = body("", progress_);
  progress_steps_->setTextFormat(Qt::RichText);
  progress_->layout()->addWidget(progress_steps_);
  static_cast<QVBoxLayout*>(progress_->layout())->addStretch();
  // Leaving mid-way ends every wait at once (the application itself, once sent, is not taken
  // back: its result can be collected later).
  auto* stop = button(QT_TR_NOOP("返回首页"), "cancel", progress_);
  connect(stop, &QPushButton::clicked, this, &KioskWindow::leave);
  progress_->layout()->addWidget(stop);

  done_ = make_screen("done", stack_);
  done_->layout()->addWidget(heading(QT_TR_NOOP("办理完成，请取走证照和身份证"), done_));
  done_detail_ = body("", done_);
  done_->layout()->addWidget(done_detail_);
  // A card still on the reader when the citizen is done: said on screen and aloud.
  card_reminder_ = body(QT_TR_NOOP("请取走您的身份证"), done_);
  card_reminder_->setObjectName("card_reminder");
  card_reminder_->hide();
  done_->layout()->addWidget(card_reminder_);
  static_cast<QVBoxLayout*>(done_->layout())->addStretch();
  auto* finish = button(QT_TR_NOOP("完成"), "finish", done_);
  finish->setProperty("primary", true);
  connect(finish, &QPushButton::clicked, this, &KioskWindow::go_home);
  done_->layout()->addWidget(finish);

  error_ = make_screen("error", stack_);
  error_title_ = heading("", error_);
  error_detail_ = body("", error_);
  error_->layout()->addWidget(error_title_);
  error_->layout()->addWidget(error_detail_);
  static_cast<QVBoxLayout*>(error_->layout())->addStretch();
  auto* back = button(QT_TR_NOOP("返回首页"), "home", error_);
  connect(back, &QPushButton::clicked, this, &KioskWindow::go_home);
  error_->layout()->addWidget(back);

  checked_ = make_screen("checked", stack_);
  check_title_ = heading("", checked_);
  check_title_->setObjectName("check_title");
  check_detail_ = body("", checked_);
  check_detail_->setObjectName("check_detail");
  checked_->layout()->addWidget(check_title_);
  checked_->layout()->addWidget(check_detail_);
  static_cast<QVBoxLayout*>(checked_->layout())->addStretch();
  auto* checked_home = button(QT_TR_NOOP("返回首页"), "home", checked_);
  connect(checked_home, &QPushButton::clicked, this, &KioskWindow::go_home);
  checked_->layout()->addWidget(checked_home);

  // What the camera sees, with the one instruction of the moment.
  camera_ = make_screen("camera", stack_);
  camera_title_ = heading("", camera_);
  camera_->layout()->addWidget(camera_title_);
  camera_view_ = new QLabel(camera_);
  camera_view_->setObjectName("camera_view");
  camera_view_->setAlignment(Qt::AlignCenter);
  // Small minimums: on a short screen the picture is cut rather than the window pushed past it.
  camera_view_->setMinimumSize(320, 180);
  camera_view_->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
  camera_->layout()->addWidget(camera_view_);
  camera_advice_ = body("", camera_);
  camera_advice_->setObjectName("camera_advice");
  camera_->layout()->addWidget(camera_advice_);
  static_cast<QVBoxLayout*>(camera_->layout())->addStretch();
  auto* camera_cancel = button(QT_TR_NOOP("返回首页"), "cancel", camera_);
  connect(camera_cancel, &QPushButton::clicked, this, &KioskWindow::leave);
  camera_->layout()->addWidget(camera_cancel);
  // A captured page, for the citizen to accept or retake.
  captured_ = make_screen("captured", stack_);
  captured_->layout()->addWidget(heading(QT_TR_NOOP("请确认材料清晰完整"), captured_));
  captured_view_ = new QLabel(captured_);
  captured_view_->setObjectName("captured_view");
  captured_view_->setAlignment(Qt::AlignCenter);
  captured_view_->setMinimumSize(210, 297);
  captured_view_->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
  captured_->layout()->addWidget(captured_view_);
  static_cast<QVBoxLayout*>(captured_->layout())->addStretch();
  auto* accept = button(QT_TR_NOOP("使用此页"), "accept", captured_);
  accept->setProperty("primary", true);
  connect(accept, &QPushButton::clicked, this, [this] {
    if (!capturing_ || !form_item_) return;
    scans_[capturing_->name] = captured_page_.bytes;
    captured_page_.wipe();
    captured_view_->clear();
    capturing_.reset();
    show_form(*form_item_, {});
  });
  captured_->layout()->addWidget(accept);
  auto* retake = button(QT_TR_NOOP("重新拍摄"), "retake", captured_);
  connect(retake, &QPushButton::clicked, this, [this] {
    if (capturing_) start_capture(*capturing_);
  });
  captured_->layout()->addWidget(retake);

  // Frames come on the engine's thread: a scaled copy crosses to this one (the engine wipes its
  // frame as soon as this returns).
  engine_.set_preview([this](const cv::Mat& frame, camera::Advice advice) {
    if (frame.empty() || frame.type() != CV_8UC3) return;
    QImage view = to_qimage(frame, {640, 640});
    QMetaObject::invokeMethod(
        this,
        [this, view = std::move(view), advice] {
          camera_view_->setPixmap(QPixmap::fromImage(view));
          camera_advice_->setText(advice_text(advice));
        },
        Qt::QueuedConnection);
  });

  for (QWidget* w : {attract_, read_card_, choose_item_, form_, progress_, done_, error_, camera_,
                     captured_, checked_})
    stack_->addWidget(w);
  worker_ = std::make_unique<Worker>();
  device_worker_ = std::make_unique<Worker>();
  // Devices report on their own threads; the screens change on this one.
  for (Device* device :
       {static_cast<Device*>(&engine_.reader()), static_cast<Device*>(&engine_.printer())}) {
    const int handle = device->add_listener([this](const Device& d, const DeviceStatus& st) {
      QMetaObject::invokeMethod(
          this,
          [this, st, kind = d.kind(), id = QString::fromStdString(d.id())] {
            apply_device_status(st, kind, id);
          },
          Qt::QueuedConnection);
    });
    device_listeners_.emplace_back(device, handle);
    device_status_[device->kind()] = device->status();
  }
  // What the devices said before the window existed is on the attract screen from the start.
  apply_device_status(device_status_[DeviceKind::kCardReader], DeviceKind::kCardReader,
                      QString::fromStdString(engine_.reader().id()));
  inactivity_timer_ = new QTimer(this);
  inactivity_timer_->setSingleShot(true);
  inactivity_timer_->setInterval(kInactivityMs);
  connect(inactivity_timer_, &QTimer::timeout, this, &KioskWindow::show_idle_warning);
  // The warning covers the window; a touch anywhere on it, or its button, continues.
  idle_warning_ = new QWidget(this);
  idle_warning_->setObjectName("idle_warning");
  idle_warning_->setAttribute(Qt::WA_StyledBackground);
  auto* veil = new QVBoxLayout(idle_warning_);
  auto* panel = new QFrame(idle_warning_);
  panel->setObjectName("idle_panel");
  auto* panel_layout = new QVBoxLayout(panel);
  panel_layout->setContentsMargins(60, 48, 60, 48);
  panel_layout->setSpacing(28);
  panel_layout->addWidget(heading(QT_TR_NOOP("您还在办理吗？"), panel));
  idle_countdown_ = body("", panel);
  idle_countdown_->setObjectName("idle_countdown");
  panel_layout->addWidget(idle_countdown_);
  panel_layout->addWidget(body(QT_TR_NOOP("返回首页时，您填写的信息将被清除"), panel));
  panel->setMinimumWidth(720);
  auto* still_here = button(QT_TR_NOOP("继续办理"), "still_here", panel);
  still_here->setProperty("primary", true);
  connect(still_here, &QPushButton::clicked, this, &KioskWindow::hide_idle_warning);
  panel_layout->addWidget(still_here);
  veil->addStretch();
  veil->addWidget(panel, 0, Qt::AlignHCenter);
  veil->addStretch();
  idle_warning_->hide();
  idle_tick_timer_ = new QTimer(this);
  idle_tick_timer_->setInterval(1000);
  connect(idle_tick_timer_, &QTimer::timeout, this, &KioskWindow::idle_tick);
  qApp->installEventFilter(this);
  device_timer_ = new QTimer(this);
  device_timer_->setInterval(kDeviceCheckMs);
  connect(device_timer_, &QTimer::timeout, this, &KioskWindow::check_devices);
  QTimer::singleShot(0, this, [this] { show_screen(attract_); });
}

KioskWindow::~KioskWindow() {
  for (auto [device, handle] : device_listeners_) device->remove_listener(handle);
  engine_.cancel();
  worker_.reset();  // the running task ends (cancelled) and is joined
  device_worker_.reset();
  engine_.end_session();
}

bool KioskWindow::device_usable(DeviceKind kind) const {
  auto it = device_status_.find(kind);
  return it != device_status_.end() && it->second.usable();
}

void KioskWindow::leave() {
  engine_.cancel();
  if (!busy_) go_home();  // else the worker's answer (canceled) brings the citizen home
}

QString KioskWindow::current_screen() const {
  return stack_->currentWidget()->objectName();
}

void KioskWindow::set_elderly(bool on) {
  if (on == elderly_) return;
  elderly_ = on;
  setStyleSheet(style_sheet(on, font_family_for(language_)));
  fixed_text(elderly_button_, on ? QT_TR_NOOP("标准模式") : QT_TR_NOOP("长辈模式"));
}

void KioskWindow::set_speech(bool on) {
  speaker_->set_enabled(on);
  fixed_text(speech_button_, on ? QT_TR_NOOP("关闭语音") : QT_TR_NOOP("语音播报"));
  announce();
}

bool KioskWindow::set_language(const QString& locale) {
  if (locale == language_) return true;
  if (locale != "zh-CN" && locale != "zh-HK" && locale != "en") return false;
  if (translator_) QCoreApplication::removeTranslator(translator_.get());
  translator_.reset();
  if (locale != "zh-CN") {
    auto translator = std::make_unique<QTranslator>();
    const QString file = ":/i18n/smzc_" + QString(locale).replace('-', '_') + ".qm";
    if (!translator->load(file)) {
      spdlog::error("no translation {}", file.toStdString());
      return false;
    }
    translator_ = std::move(translator);
    QCoreApplication::installTranslator(translator_.get());
  }
  language_ = locale;
  setStyleSheet(style_sheet(elderly_, font_family_for(locale)));
  // Dates and numbers follow the language too (Messages formats them with the default locale).
  QLocale::setDefault(QLocale(locale == "en" ? "en_GB" : QString(locale).replace('-', '_')));
  // The window's texts are redone here, at once, so a caller sees the new language when this
  // returns; the keyboard redoes its keys on the LanguageChange the translator sends.
  retranslate();
  return true;
}

void KioskWindow::closeEvent(QCloseEvent* event) {
  if (locked_down_) return event->ignore();
  QWidget::closeEvent(event);
}

namespace {
// A key that would take a citizen out of the kiosk, to another window or to the system.
bool escape_key(const QKeyEvent& e) {
  const auto key = e.key();
  const auto mods = e.modifiers();
  if (key == Qt::Key_Super_L || key == Qt::Key_Super_R || key == Qt::Key_Meta ||
      (mods & Qt::MetaModifier))
    return true;
  if ((mods & Qt::AltModifier) &&
      (key == Qt::Key_F4 || key == Qt::Key_Tab || key == Qt::Key_Backtab || key == Qt::Key_Escape))
    return true;
  if ((mods & Qt::ControlModifier) && (mods & Qt::AltModifier) &&
      (key == Qt::Key_Backspace || key == Qt::Key_Delete ||
       (key >= Qt::Key_F1 && key <= Qt::Key_F12)))
    return true;
  return (mods & Qt::ControlModifier) &&
         (key == Qt::Key_Escape || key == Qt::Key_Q || key == Qt::Key_W);
}
}  // namespace

void KioskWindow::refresh_attract_notice() {
  QStringList notices;
  if (!device_usable(DeviceKind::kCardReader))
    notices << tr("读卡器暂不可用，需要身份证的事项暂停办理");
  if (!device_usable(DeviceKind::kPrinter))
    notices << tr("%1，需要打印的事项暂停办理")
                   .arg(device_status_text(DeviceKind::kPrinter,
                                           device_status_[DeviceKind::kPrinter]));
  attract_notice_->setText(notices.join("\n"));
  attract_notice_->setVisible(!notices.isEmpty());
}

void KioskWindow::show_branding() {
  const auto& site = engine_.site();
  const QString name = QString::fromStdString(site.branding);
  QString text;
  if (site.kind == "bank")
    text = name.isEmpty() ? tr("政银合作服务点") : tr("%1 · 政银合作服务点").arg(name);
  else if (site.kind == "partner")
    text = name.isEmpty() ? tr("异地通办服务点") : tr("%1 · 异地通办服务点").arg(name);
  else
    text = name;
  branding_->setText(text);
  branding_->setVisible(!text.isEmpty());
}

void KioskWindow::retranslate() {
  for (auto* w : findChildren<QWidget*>()) {
    const QVariant source = w->property("source_text");
    if (!source.isValid()) continue;
    const QByteArray text = source.toString().toUtf8();
    if (auto* label = qobject_cast<QLabel*>(w)) label->setText(translated(text.constData()));
    if (auto* b = qobject_cast<QPushButton*>(w)) b->setText(translated(text.constData()));
  }
  show_branding();
  refresh_attract_notice();
  language_button_->setText(language_ == "zh-CN"   ? QString("繁體")
                            : language_ == "zh-HK" ? QString("English")
                                                   : QString("简体"));
  if (idle_warning_->isVisible()) show_countdown();
  refresh_item_availability();
}

bool KioskWindow::waits_for_citizen(const QWidget* screen) const {
  return screen == choose_item_ || screen == form_ || screen == done_ || screen == error_;
}

void KioskWindow::show_countdown() {
  idle_countdown_->setText(tr("%1 秒后将返回首页").arg(idle_seconds_left_));
}

bool KioskWindow::idle_warning_shown() const {
  return idle_warning_->isVisible();
}

void KioskWindow::show_idle_warning() {
  idle_seconds_left_ = idle_warning_seconds_;
  show_countdown();
  idle_warning_->setGeometry(rect());
  idle_warning_->raise();
  idle_warning_->show();
  idle_tick_timer_->start();
}

void KioskWindow::hide_idle_warning() {
  idle_tick_timer_->stop();
  idle_warning_->hide();
  if (waits_for_citizen(stack_->currentWidget())) inactivity_timer_->start();
}

void KioskWindow::idle_tick() {
  if (--idle_seconds_left_ > 0) {
    show_countdown();
    return;
  }
  idle_tick_timer_->stop();
  idle_warning_->hide();
  spdlog::info("no touch on {} after the warning: session ended", current_screen().toStdString());
  leave();
}

bool KioskWindow::tap(const QString& button_name) {
  // The idle warning is over every screen: while it is up, it is what a finger meets. The
  // banner's buttons are on every screen.
  QWidget* surface = idle_warning_->isVisible() ? idle_warning_ : stack_->currentWidget();
  auto* b = surface->findChild<QPushButton*>(button_name);
  if (!b && surface != idle_warning_) b = banner_->findChild<QPushButton*>(button_name);
  if (!b || !b->isEnabled() || !b->isVisible()) return false;
  b->click();
  return true;
}

void KioskWindow::show_screen(QWidget* screen) {
  stack_->setCurrentWidget(screen);
  idle_tick_timer_->stop();
  idle_warning_->hide();
  // Screens that wait for the citizen end the session when nobody touches them.
  if (waits_for_citizen(screen))
    inactivity_timer_->start();
  else
    inactivity_timer_->stop();
  // Idle monitoring runs while nobody is being served.
  if (screen == attract_) {
    check_devices();
    device_timer_->start();
  } else {
    device_timer_->stop();
  }
  update_card_reminder();
  announce();
  // Announce after the layout settles, so a screenshot taken on the signal shows the final page.
  QTimer::singleShot(0, this, [this, name = screen->objectName()] {
    if (current_screen() == name) emit screenShown(name);
  });
}

void KioskWindow::update_card_reminder() {
  const bool left = stack_->currentWidget() == done_ &&
                    device_status_[DeviceKind::kCardReader].media == MediaState::kCardPresent;
  if (left && !card_reminder_->isVisible()) speaker_->say(card_reminder_->text(), language_);
  card_reminder_->setVisible(left);
}

void KioskWindow::announce() {
  if (!speaker_->enabled()) return;
  // What the screen asks of the citizen: its heading (and a reminder of the card, when due).
  QStringList words;
  if (auto* title = stack_->currentWidget()->findChild<QLabel*>("heading"); title)
    words << title->text();
  if (stack_->currentWidget() == error_ || stack_->currentWidget() == checked_)
    words << (stack_->currentWidget() == error_ ? error_title_ : check_title_)->text();
  if (card_reminder_->isVisible()) words << card_reminder_->text();
  words.removeAll(QString());
  speaker_->say(words.join("。"), language_);
}

template <typename Work, typename Done>
void KioskWindow::run_async(Work work, Done done) {
  busy_ = true;
  // std::function wants copyable callables: the pieces travel in a shared holder.
  auto job = std::make_shared<std::pair<Work, Done>>(std::move(work), std::move(done));
  worker_->post([this, job] {
    auto result = std::make_shared<decltype(job->first())>(job->first());
    QMetaObject::invokeMethod(
        this,
        [this, job, result] {
          busy_ = false;
          job->second(*result);
        },
        Qt::QueuedConnection);
  });
}

void KioskWindow::start_identify() {
  show_screen(read_card_);
  run_async([this] { return engine_.identify(); },
            [this](const Result<services::Citizen>& citizen) { on_identified(citizen); });
}

void KioskWindow::show_camera(const QString& title) {
  camera_title_->setText(title);
  camera_advice_->setText("");
  camera_view_->clear();
  show_screen(camera_);
}

void KioskWindow::start_capture(const services::Material& material) {
  capturing_ = material;
  captured_page_.wipe();
  show_camera(tr("请将材料放入扫描仪，或平放在拍摄区"));
  run_async(
      [this, material] { return engine_.capture(material); },
      [this](Result<services::TransactionEngine::CapturedMaterial> page) {
        if (!page) {
          if (page.code() == Completion::kCanceled) return go_home();
          spdlog::warn("capture: {}", page.error().message);
          if (form_item_)
            return show_form(*form_item_, {{services::Problem::Kind::kScanMissing, capturing_->name,
                                            capturing_->label}});
          return go_home();
        }
        captured_view_->setPixmap(QPixmap::fromImage(to_qimage(page->first_page, {420, 594})));
        captured_page_ = std::move(page.value());
        show_screen(captured_);
      });
}

void KioskWindow::wipe_captures() {
  for (auto& [name, bytes] : scans_) std::fill(bytes.begin(), bytes.end(), '\0');
  scans_.clear();
  captured_page_.wipe();
  capturing_.reset();
  captured_view_->clear();
}

void KioskWindow::start_identify_by_code() {
  show_camera(tr("请将手机上的电子身份码对准摄像头"));
  run_async([this] { return engine_.identify_by_code(); },
            [this](const Result<services::Citizen>& citizen) { on_identified(citizen); });
}

void KioskWindow::start_check_certificate() {
  show_camera(tr("请将证照上的二维码对准摄像头"));
  run_async(
      [this] { return engine_.check_certificate_code(); },
      [this](const Result<certs::Verification>& verdict) {
        if (!verdict) {
          if (verdict.code() == Completion::kCanceled || verdict.code() == Completion::kTimeout)
            return go_home();
          spdlog::warn("certificate check: {}", verdict.error().message);
          return show_error(tr("暂时无法核验"), tr("请稍后再试，或到服务窗口核验"));
        }
        check_title_->setText(check_title(verdict.value()));
        check_detail_->setText(check_detail(verdict.value()));
        show_screen(checked_);
      });
}

void KioskWindow::on_identified(const Result<services::Citizen>& citizen) {
  if (!citizen) {
    outcome_ = engine_.current();
    // The citizen left, or never laid a card: back to the start.
    if (citizen.code() == Completion::kCanceled || citizen.code() == Completion::kTimeout)
      return go_home();
    return show_error(tr("未能完成身份核验"), notice_text(outcome_));
  }
  citizen_label_->setText(tr("您好，%1（%2 %3）")
                              .arg(QString::fromStdString(citizen->masked_name),
                                   card_type_text(citizen->card_type),
                                   QString::fromStdString(citizen->masked_id_number)));
  run_async([this] { return engine_.catalogue(); },
            [this](const Result<services::Catalogue>& catalogue) {
              // The citizen left while the catalogue was on its way.
              if (!catalogue && catalogue.code() == Completion::kCanceled) return go_home();
              if (!catalogue) {
                spdlog::warn("catalogue: {}", catalogue.error().message);
                return show_error(tr("暂时无法连接政务服务平台"), tr("请稍后重试"));
              }
              show_items(catalogue.value());
            });
}

void KioskWindow::show_items(const services::Catalogue& catalogue) {
  clear_layout(item_list_);
  item_buttons_.clear();
  if (catalogue.offline)
    citizen_label_->setText(citizen_label_->text() + tr("（网络中断，部分事项可能暂不可办）"));
  for (const auto& item : catalogue.items) {
    auto* b = button(QString::fromStdString(item.name(language_.toStdString())),
                     QString::fromStdString(item.code), choose_item_);
    b->setProperty("item", true);
    connect(b, &QPushButton::clicked, this, [this, item] { start_process(item); });
    item_list_->addWidget(b);
    item_buttons_.emplace_back(item, b);
  }
  item_list_->addStretch();
  refresh_item_availability();
  scope_filter_.clear();
  apply_item_filter();
  show_screen(choose_item_);
}

void KioskWindow::apply_item_filter() {
  std::set<std::string> offered;
  for (const auto& [item, b] : item_buttons_) {
    offered.insert(item.scope);
    b->setVisible(scope_filter_.empty() || item.scope == scope_filter_);
  }
  // A scope with nothing offered here has no chip; the chip of the scope on show is pressed.
  for (auto* chip : scope_chips_) {
    const std::string scope = chip->objectName().mid(6).toStdString();
    chip->setVisible(scope == "all" || offered.count(scope));
    chip->setChecked(scope == (scope_filter_.empty() ? "all" : scope_filter_));
  }
}

// An item is offered only while it is open and every device it needs can serve; otherwise it
// stays on the list, disabled, with the reason.
void KioskWindow::refresh_item_availability() {
  for (auto& [item, b] : item_buttons_) {
    QString label = QString::fromStdString(item.name(language_.toStdString()));
    bool available = engine_.open_now(item);
    if (!available) {
      label += tr("（办理时间 %1）").arg(QString::fromStdString(item.hours));
    } else {
      for (DeviceKind kind : {DeviceKind::kCardReader, DeviceKind::kPrinter, DeviceKind::kCamera,
                              DeviceKind::kScanner}) {
        if (!item.needs(to_string(kind)) || device_usable(kind)) continue;
        // Kinds the engine does not drive yet (cameras, scanners) are judged by the site.
        if (kind == DeviceKind::kCamera || kind == DeviceKind::kScanner) continue;
        available = false;
        label += tr("（%1）").arg(device_unavailable_text(kind));
        break;
      }
    }
    b->setText(label);
    b->setEnabled(available);
    b->ensurePolished();  // the style sheet's padding counts in the size hint only once polished
    b->setMinimumHeight(std::max(kMinTouchTarget, b->sizeHint().height()));
  }
}

bool KioskWindow::fill(const QString& field, const QString& text) {
  auto it = form_edits_.find(field.toStdString());
  if (current_screen() != "form" || it == form_edits_.end()) return false;
  it->second->setText(text);
  return true;
}

void KioskWindow::start_process(const services::ServiceItem& item) {
  const bool captures = std::any_of(item.materials.begin(), item.materials.end(),
                                    [](const services::Material& m) { return m.source == "scan"; });
  if (item.form.empty() && !captures) return run_process(item, {});
  keyboard_->detach();
  form_edits_.clear();
  clear_layout(form_fields_);
  for (const auto& filled : engine_.form_for(item)) {
    const auto& f = filled.field;
    auto* label = new QLabel(
        QString::fromStdString(f.label_in(language_.toStdString()) + (f.required ? " *" : "")),
        form_);
    label->setObjectName("body");
    auto* edit = new QLineEdit(QString::fromStdString(filled.value), form_);
    edit->setObjectName(QString::fromStdString(f.name));
    edit->setMinimumHeight(kMinTouchTarget);
    edit->setProperty("field_type", QString::fromStdString(f.type));
    if (f.type == "phone") edit->setInputMethodHints(Qt::ImhDialableCharactersOnly);
    form_fields_->addWidget(label);
    form_fields_->addWidget(edit);
    form_edits_[f.name] = edit;
  }
  // Paper materials: captured here, on the scanner or under the document camera.
  for (const auto& m : item.materials) {
    if (m.source != "scan") continue;
    auto* capture =
        button(tr("拍摄材料：%1").arg(QString::fromStdString(m.label_in(language_.toStdString()))),
               QString::fromStdString("capture_" + m.name), form_);
    connect(capture, &QPushButton::clicked, this, [this, m] { start_capture(m); });
    form_fields_->addWidget(capture);
  }
  form_fields_->addStretch();  // the fields sit together at the top
  show_form(item, {});
}

services::Problem KioskWindow::localized(services::Problem problem,
                                         const services::ServiceItem& item) const {
  const std::string locale = language_.toStdString();
  for (const auto& f : item.form)
    if (f.name == problem.subject) problem.label = f.label_in(locale);
  for (const auto& m : item.materials)
    if (m.name == problem.subject) problem.label = m.label_in(locale);
  return problem;
}

void KioskWindow::show_form(const services::ServiceItem& item,
                            const std::vector<services::Problem>& problems) {
  form_item_ = item;
  QStringList lines;
  for (const auto& p : problems) lines << problem_text(localized(p, item));
  form_problems_->setText(lines.join("\n"));
  form_problems_->setVisible(!problems.empty());
  show_screen(form_);
}

void KioskWindow::run_process(const services::ServiceItem& item,
                              const services::ApplicationInput& input) {
  progress_steps_->setText("");
  show_screen(progress_);
  auto on_step = [this](services::Step step) {
    QMetaObject::invokeMethod(
        this,
        [this, step] {
          // 人证核验 shows the camera; the steps after it, the progress again.
          if (step == services::Step::kFaceCheck)
            show_camera(tr("人脸核验：请本人正对摄像头"));
          else if (stack_->currentWidget() == camera_)
            show_screen(progress_);
          progress_steps_->setText(progress_steps_->text() +
                                   QString("<p>● %1</p>").arg(step_text(step)));
        },
        Qt::QueuedConnection);
  };
  run_async([this, item, input, on_step] { return engine_.process(item, input, on_step); },
            [this, item](const services::Outcome& outcome) {
              // Something to correct: back to the form, or, for an item without one (a
              // material missing), to the error screen below.
              if (outcome.status == services::OutcomeStatus::kIncomplete && !item.form.empty())
                return show_form(item, outcome.problems);
              show_outcome(outcome);
            });
}

void KioskWindow::show_outcome(const services::Outcome& outcome) {
  using services::OutcomeStatus;
  outcome_ = outcome;
  switch (outcome.status) {
    case OutcomeStatus::kPrinted:
      done_detail_->setText(
          tr("证照编号 %1").arg(QString::fromStdString(outcome.certificate_serial)));
      return show_screen(done_);
    case OutcomeStatus::kSubmitted: {
      const QString how =
          outcome.delivery == "mail" ? tr("结果将以邮政快递(包邮)寄送") : tr("结果将以短信通知");
      QString detail =
          tr("申请编号 %1，%2").arg(QString::fromStdString(outcome.application_id), how);
      if (outcome.notice != services::Notice::kNone) detail += "\n" + notice_text(outcome);
      done_detail_->setText(detail);
      return show_screen(done_);
    }
    case OutcomeStatus::kQueued:
    case OutcomeStatus::kPending:
      done_detail_->setText(notice_text(outcome));
      return show_screen(done_);
    case OutcomeStatus::kRejected: {
      QStringList reasons;
      for (const auto& r : outcome.reasons) reasons << QString::fromStdString(r);
      return show_error(tr("申请未通过"), reasons.join("\n"));
    }
    case OutcomeStatus::kIncomplete: {
      QStringList problems;
      for (const auto& p : outcome.problems)
        problems << problem_text(form_item_ ? localized(p, *form_item_) : p);
      return show_error(tr("申请材料不全"), problems.join("\n"));
    }
    case OutcomeStatus::kCanceled:
      return go_home();  // the citizen left
    default:
      // The technician's reason is in the log; the citizen gets the plain notice.
      return show_error(tr("办理未完成"), notice_text(outcome));
  }
}

void KioskWindow::show_error(const QString& title, const QString& detail) {
  error_title_->setText(title);
  error_detail_->setText(detail);
  show_screen(error_);
}

void KioskWindow::check_devices() {
  if (device_check_running_.exchange(true)) return;
  device_worker_->post([this] {
    // While nobody is served, applications waiting for the link go out. The devices themselves
    // are watched by the device manager; their changes reach the screens through the listeners.
    if (auto drained = engine_.drain_queue(); !drained)
      spdlog::warn("store-and-forward queue: {}", drained.error().message);
    QMetaObject::invokeMethod(
        this,
        [this] {
          device_check_running_ = false;
          emit devicesChecked(device_usable(DeviceKind::kPrinter));
        },
        Qt::QueuedConnection);
  });
}

void KioskWindow::apply_device_status(const DeviceStatus& status, DeviceKind kind,
                                      const QString& id) {
  device_status_[kind] = status;
  refresh_attract_notice();
  // The citizen starts with the card: without a reader there is nothing to start.
  if (auto* start = attract_->findChild<QPushButton*>("start"))
    start->setEnabled(device_usable(DeviceKind::kCardReader));
  refresh_item_availability();
  if (kind == DeviceKind::kCardReader) update_card_reminder();
  emit deviceStatusChanged(id);
}

bool KioskWindow::eventFilter(QObject* watched, QEvent* event) {
  const auto type = event->type();
  if (locked_down_ && (type == QEvent::KeyPress || type == QEvent::KeyRelease) &&
      escape_key(*static_cast<QKeyEvent*>(event)))
    return true;
  const bool touched =
      type == QEvent::MouseButtonPress || type == QEvent::TouchBegin || type == QEvent::KeyPress;
  if (type == QEvent::MouseButtonPress && technician_ && stack_->currentWidget() == attract_)
    if (auto* w = qobject_cast<QWidget*>(watched); w && w->window() == this) {
      // Each press is seen once per widget it travels up through: count it at the widget it
      // was delivered to first, the deepest one under the finger.
      const QPoint global = static_cast<QMouseEvent*>(event)->globalPosition().toPoint();
      QWidget* deepest = childAt(mapFromGlobal(global));
      if (w == (deepest ? deepest : this)) corner_tap(global);
    }
  if (touched && inactivity_timer_ && inactivity_timer_->isActive()) inactivity_timer_->start();
  // Any touch while the warning is up says the citizen is still there.
  if (touched && idle_warning_ && idle_warning_->isVisible()) hide_idle_warning();
  // A form field tapped (or given the focus): the keyboard types into it.
  if (type == QEvent::FocusIn || type == QEvent::MouseButtonPress)
    if (auto* edit = qobject_cast<QLineEdit*>(watched);
        edit && keyboard_ && edit != keyboard_->field() && edit->property("field_type").isValid()) {
      keyboard_->attach(edit,
                        layout_for_field(edit->property("field_type").toString().toStdString()));
      // The keyboard takes the lower part of the screen: the field stays in sight above it.
      QTimer::singleShot(0, this, [this, edit = QPointer<QLineEdit>(edit)] {
        if (edit) form_scroll_->ensureWidgetVisible(edit);
      });
    }
  return QWidget::eventFilter(watched, event);
}

bool KioskWindow::show_sample(const QString& screen) {
  services::Outcome sample;
  if (screen == "read_card") {
    show_screen(read_card_);
  } else if (screen == "done") {
    sample.status = services::OutcomeStatus::kPrinted;
    sample.certificate_serial = "SMZC-SAMPLE-000001";
    show_outcome(sample);
  } else if (screen == "error") {
    sample.status = services::OutcomeStatus::kFailed;
    sample.failed_step = services::Step::kPrint;
    sample.notice = services::Notice::kPrinterNotReady;
    sample.printer_reason = "media-empty";
    show_outcome(sample);
  } else {
    return false;
  }
  return true;
}

void KioskWindow::add_technician_panel(TechnicianPanel* panel) {
  technician_ = panel;
  stack_->addWidget(panel);
  connect(panel, &TechnicianPanel::closed, this, [this] { go_home(); });
}

void KioskWindow::corner_tap(const QPoint& global) {
  const QPoint at = mapFromGlobal(global);
  if (at.x() < 0 || at.y() < 0 || at.x() >= kCornerPx || at.y() >= kCornerPx) {
    corner_taps_.clear();  // a tap elsewhere breaks the sequence
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  std::erase_if(corner_taps_,
                [now](auto t) { return now - t > std::chrono::milliseconds(kCornerWindowMs); });
  corner_taps_.push_back(now);
  if (static_cast<int>(corner_taps_.size()) < kCornerTaps) return;
  corner_taps_.clear();
  spdlog::info("technician entry opened at the screen");
  technician_->ask_pin();
  show_screen(technician_);
}

void KioskWindow::go_home() {
  // What the citizen typed goes with them; the next citizen chooses their own way to be served.
  keyboard_->detach();
  set_elderly(false);
  set_speech(false);
  set_language("zh-CN");
  form_item_.reset();
  form_edits_.clear();
  clear_layout(form_fields_);
  camera_view_->clear();  // the last frame of the citizen's face goes too
  check_title_->clear();
  check_detail_->clear();
  wipe_captures();
  engine_.end_session();
  show_screen(attract_);
}

}  // namespace smzc::ui

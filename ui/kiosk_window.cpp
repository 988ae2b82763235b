#include "ui/kiosk_window.h"

#include <QApplication>
#include <QCloseEvent>
#include <QEvent>
#include <QFrame>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QTimer>

#include <spdlog/spdlog.h>

#include "ui/technician_panel.h"
#include "ui/theme.h"
#include "ui/widgets.h"

namespace smzc::ui {
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

KioskWindow::KioskWindow(services::TransactionEngine& engine, QWidget* parent)
    : QWidget(parent), site_(engine.site()) {
  setObjectName("kiosk");
  setWindowTitle("市民之窗");
  QLocale::setDefault(QLocale("zh_CN"));  // the language every citizen starts in
  setStyleSheet(style_sheet());
  const char* context = metaObject()->className();
  auto* root = new QVBoxLayout(this);
  root->setContentsMargins(0, 0, 0, 0);
  // The banner is on every screen, and with it what every screen offers: the language, spoken
  // guidance and elderly mode.
  banner_ = new QWidget(this);
  banner_->setObjectName("banner");
  banner_->setAttribute(Qt::WA_StyledBackground);
  auto* banner_row = new QHBoxLayout(banner_);
  banner_row->setContentsMargins(0, 0, 0, 0);
  auto* title =
      fixed_text(new QLabel(banner_), context, QT_TR_NOOP("市民之窗  ·  政务服务自助终端"));
  title->setObjectName("banner_title");
  banner_row->addWidget(title);
  // Whose point this is: a bank's 政银合作 point names the bank, a partner city's point says so.
  branding_ = new QLabel(banner_);
  branding_->setObjectName("branding");
  banner_row->addWidget(branding_, 1);
  show_branding();
  // The language (简体 → 繁體 → English), named in the language it leads to.
  language_button_ = touch_button("language", banner_, "繁體");
  connect(language_button_, &QPushButton::clicked, this, [this] {
    set_language(language_ == "zh-CN" ? "zh-HK" : language_ == "zh-HK" ? "en" : "zh-CN");
  });
  banner_row->addWidget(language_button_);
  speaker_ = new Speaker(this);
  speech_button_ = fixed_text(touch_button("speech", banner_), context, QT_TR_NOOP("语音播报"));
  connect(speech_button_, &QPushButton::clicked, this,
          [this] { set_speech(!speaker_->enabled()); });
  banner_row->addWidget(speech_button_);
  elderly_button_ = fixed_text(touch_button("elderly", banner_), context, QT_TR_NOOP("长辈模式"));
  connect(elderly_button_, &QPushButton::clicked, this, [this] { set_elderly(!elderly_); });
  banner_row->addWidget(elderly_button_);
  root->addWidget(banner_);
  stack_ = new QStackedWidget(this);
  root->addWidget(stack_, 1);

  navigator_ = new Navigator(stack_);
  connect(navigator_, &Navigator::shown, this, &KioskWindow::on_shown);
  connect(navigator_, &Navigator::laidOut, this, &KioskWindow::screenShown);
  journey_ = std::make_unique<Journey>(engine, *navigator_, stack_);
  connect(journey_.get(), &Journey::sessionEnded, this, &KioskWindow::on_session_ended);
  connect(journey_.get(), &Journey::devicesChecked, this, &KioskWindow::devicesChecked);
  connect(journey_.get(), &Journey::deviceStatusChanged, this, &KioskWindow::deviceStatusChanged);
  connect(journey_.get(), &Journey::remind, this,
          [this](const QString& text) { speaker_->say(text, language_); });

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
  panel_layout->addWidget(fixed_text(heading_label(panel), context, QT_TR_NOOP("您还在办理吗？")));
  idle_countdown_ = body_label(panel);
  idle_countdown_->setObjectName("idle_countdown");
  panel_layout->addWidget(idle_countdown_);
  panel_layout->addWidget(
      fixed_text(body_label(panel), context, QT_TR_NOOP("返回首页时，您填写的信息将被清除")));
  panel->setMinimumWidth(720);
  auto* still_here = fixed_text(touch_button("still_here", panel), context, QT_TR_NOOP("继续办理"));
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
  QTimer::singleShot(0, this, [this] { navigator_->show(&journey_->attract()); });
}

KioskWindow::~KioskWindow() {
  qApp->removeEventFilter(this);
  journey_.reset();  // cancels the engine's waits and joins its workers while the screens exist
}

QString KioskWindow::current_screen() const {
  return navigator_->current_name();
}

void KioskWindow::set_elderly(bool on) {
  if (on == elderly_) return;
  elderly_ = on;
  setStyleSheet(style_sheet(on, font_family_for(language_)));
  fixed_text(elderly_button_, metaObject()->className(),
             on ? QT_TR_NOOP("标准模式") : QT_TR_NOOP("长辈模式"));
}

void KioskWindow::set_speech(bool on) {
  speaker_->set_enabled(on);
  fixed_text(speech_button_, metaObject()->className(),
             on ? QT_TR_NOOP("关闭语音") : QT_TR_NOOP("语音播报"));
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
  // Dates and numbers follow the language too (Messages formats them with the default locale),
  // and the screens read the language on show from it (language_on_show()).
  QLocale::setDefault(QLocale(locale == "en" ? "en_GB" : QString(locale).replace('-', '_')));
  // The window's texts are redone here, at once, so a caller sees the new language when this
  // returns; the keyboards redo their keys on the LanguageChange the translator sends.
  retranslate();
  return true;
}

void KioskWindow::closeEvent(QCloseEvent* event) {
  if (locked_down_) return event->ignore();
  QWidget::closeEvent(event);
}

void KioskWindow::show_branding() {
  const QString name = QString::fromStdString(site_.branding);
  QString text;
  if (site_.kind == "bank")
    text = name.isEmpty() ? tr("政银合作服务点") : tr("%1 · 政银合作服务点").arg(name);
  else if (site_.kind == "partner")
    text = name.isEmpty() ? tr("异地通办服务点") : tr("%1 · 异地通办服务点").arg(name);
  else
    text = name;
  branding_->setText(text);
  branding_->setVisible(!text.isEmpty());
}

void KioskWindow::retranslate() {
  retranslate_fixed_texts(this);
  show_branding();
  language_button_->setText(language_ == "zh-CN"   ? QString("繁體")
                            : language_ == "zh-HK" ? QString("English")
                                                   : QString("简体"));
  if (idle_warning_->isVisible()) show_countdown();
  journey_->retranslate();
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
  if (auto* screen = navigator_->current_screen(); screen && screen->waits_for_citizen())
    inactivity_timer_->start();
}

void KioskWindow::idle_tick() {
  if (--idle_seconds_left_ > 0) {
    show_countdown();
    return;
  }
  idle_tick_timer_->stop();
  idle_warning_->hide();
  spdlog::info("no touch on {} after the warning: session ended", current_screen().toStdString());
  journey_->leave();
}

bool KioskWindow::tap(const QString& button_name) {
  // The idle warning is over every screen: while it is up, it is what a finger meets. The
  // banner's buttons are on every screen.
  QWidget* surface = idle_warning_->isVisible() ? idle_warning_ : navigator_->current();
  auto* b = surface->findChild<QPushButton*>(button_name);
  if (!b && surface != idle_warning_) b = banner_->findChild<QPushButton*>(button_name);
  if (!b || !b->isEnabled() || !b->isVisible()) return false;
  b->click();
  return true;
}

bool KioskWindow::fill(const QString& field, const QString& text) {
  return current_screen() == "form" && journey_->form().fill(field.toStdString(), text);
}

void KioskWindow::on_shown(QWidget* screen) {
  idle_tick_timer_->stop();
  idle_warning_->hide();
  // Screens that wait for the citizen end the session when nobody touches them.
  auto* s = qobject_cast<Screen*>(screen);
  if (s && s->waits_for_citizen())
    inactivity_timer_->start();
  else
    inactivity_timer_->stop();
  announce();
}

void KioskWindow::on_session_ended() {
  // The next citizen chooses their own way to be served.
  set_elderly(false);
  set_speech(false);
  set_language("zh-CN");
}

void KioskWindow::announce() {
  if (!speaker_->enabled()) return;
  if (auto* screen = navigator_->current_screen())
    if (const QString words = screen->spoken(); !words.isEmpty()) speaker_->say(words, language_);
}

bool KioskWindow::eventFilter(QObject* watched, QEvent* event) {
  const auto type = event->type();
  if (locked_down_ && (type == QEvent::KeyPress || type == QEvent::KeyRelease) &&
      escape_key(*static_cast<QKeyEvent*>(event)))
    return true;
  const bool touched =
      type == QEvent::MouseButtonPress || type == QEvent::TouchBegin || type == QEvent::KeyPress;
  if (type == QEvent::MouseButtonPress && technician_ &&
      navigator_->current() == &journey_->attract())
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
  return QWidget::eventFilter(watched, event);
}

void KioskWindow::add_technician_panel(TechnicianPanel* panel) {
  technician_ = panel;
  navigator_->add(panel);
  connect(panel, &TechnicianPanel::closed, journey_.get(), &Journey::go_home);
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
  navigator_->show(technician_);
}

}  // namespace smzc::ui

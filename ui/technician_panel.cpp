#include "ui/technician_panel.h"

#include <QApplication>
#include <QDateTime>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QScrollArea>
#include <QVBoxLayout>
#include <chrono>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <opencv2/imgproc.hpp>

#include "base/deadline.h"
#include "drivers/camera/analysis.h"
#include "drivers/camera/camera.h"
#include "services/device_checks.h"
#include "services/heartbeat.h"
#include "services/logging.h"
#include "ui/image.h"

namespace smzc::ui {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

QString q(const std::string& s) {
  return QString::fromStdString(s);
}

int64_t ms_since(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count();
}

QString status_text(const DeviceStatus& s) {
  QString text = QString::fromUtf8(to_string(s.state));
  if (s.media != MediaState::kNotApplicable && s.media != MediaState::kUnknown)
    text += " · " + QString::fromUtf8(to_string(s.media));
  if (s.cover_open) text += " · cover open";
  if (s.last_error != Completion::kSuccess)
    text += " · last error " + QString::fromUtf8(to_string(s.last_error));
  return text;
}

QString local_time(int64_t at_ms) {
  return QDateTime::fromMSecsSinceEpoch(at_ms).toString("yyyy-MM-dd HH:mm:ss");
}

QPushButton* button(const QString& text, const QString& name, QWidget* parent) {
  auto* b = new QPushButton(text, parent);
  b->setObjectName(name);
  b->setFocusPolicy(Qt::NoFocus);
  return b;
}

QLabel* label(const QString& name, QWidget* parent) {
  auto* l = new QLabel(parent);
  l->setObjectName(name);
  l->setWordWrap(true);
  l->setTextInteractionFlags(Qt::NoTextInteraction);
  return l;
}

}  // namespace

TechnicianPanel::TechnicianPanel(services::Terminal& terminal, services::TechnicianGate& gate,
                                 std::function<std::string()> report, QWidget* parent)
    : QWidget(parent),
      terminal_(terminal),
      gate_(gate),
      report_(std::move(report)),
      worker_(std::make_unique<Worker>()) {
  setObjectName("technician");
  // A technician works by touch too: tabs and text sized for a finger and an arm's length.
  setStyleSheet(
      "QLabel { font-size: 22px; } QPlainTextEdit { font-size: 18px; }"
      "QTabBar::tab { min-height: 64px; min-width: 180px; font-size: 22px; padding: 0 12px; }");
  auto* layout = new QVBoxLayout(this);
  pages_ = new QStackedWidget(this);
  layout->addWidget(pages_);
  pin_page_ = build_pin_page();
  tools_page_ = build_tools_page();
  pages_->addWidget(pin_page_);
  pages_->addWidget(tools_page_);

  refresh_ = new QTimer(this);
  refresh_->setInterval(2000);
  connect(refresh_, &QTimer::timeout, this, [this] {
    if (isVisible() && pages_->currentWidget() == tools_page_) refresh_devices();
  });
  refresh_->start();
  idle_ = new QTimer(this);
  idle_->setSingleShot(true);
  idle_->setInterval(kIdleMs);
  connect(idle_, &QTimer::timeout, this, [this] {
    if (!isVisible()) return;
    if (busy_) return idle_->start();  // a self-test or a reprint runs: wait for it
    if (pages_->currentWidget() == tools_page_) return leave();
    emit closed();
  });
  qApp->installEventFilter(this);
}

TechnicianPanel::~TechnicianPanel() {
  qApp->removeEventFilter(this);
}

QWidget* TechnicianPanel::build_pin_page() {
  auto* page = new QWidget(this);
  auto* layout = new QVBoxLayout(page);
  auto* title = new QLabel("技术员登录 · Technician", page);
  title->setObjectName("title");
  layout->addWidget(title);
  pin_ = new QLineEdit(page);
  pin_->setObjectName("pin");
  pin_->setEchoMode(QLineEdit::Password);
  pin_->setMaxLength(32);
  layout->addWidget(pin_);
  pin_message_ = label("pin_message", page);
  layout->addWidget(pin_message_);
  auto* row = new QHBoxLayout;
  auto* enter = button("进入 Enter", "pin_enter", page);
  auto* cancel = button("取消 Cancel", "pin_cancel", page);
  row->addWidget(cancel);
  row->addWidget(enter);
  layout->addLayout(row);
  layout->addStretch();
  pin_keys_ = new OnScreenKeyboard(page);
  layout->addWidget(pin_keys_);
  action_buttons_.push_back(enter);
  connect(enter, &QPushButton::clicked, this, &TechnicianPanel::submit_pin);
  connect(pin_keys_, &OnScreenKeyboard::done, this, &TechnicianPanel::submit_pin);
  connect(cancel, &QPushButton::clicked, this, [this] {
    pin_->clear();
    emit closed();
  });
  return page;
}

QWidget* TechnicianPanel::build_tools_page() {
  auto* page = new QWidget(this);
  auto* layout = new QVBoxLayout(page);
  auto* bar = new QHBoxLayout;
  who_ = label("who", page);
  bar->addWidget(who_, 1);
  auto* exit = button("退出 Exit", "tech_exit", page);
  action_buttons_.push_back(exit);
  connect(exit, &QPushButton::clicked, this, &TechnicianPanel::leave);
  bar->addWidget(exit);
  layout->addLayout(bar);
  tabs_ = new QTabWidget(page);
  tabs_->setObjectName("tabs");
  tabs_->addTab(build_devices_tab(), "设备 Devices");
  tabs_->addTab(build_health_tab(), "运行 Health");
  tabs_->addTab(build_text_tab(logs_, "logs", &TechnicianPanel::refresh_logs), "日志 Logs");
  tabs_->addTab(build_text_tab(journal_, "journal", &TechnicianPanel::refresh_journal),
                "交易 Journal");
  tabs_->addTab(build_reprint_tab(), "补打 Reprint");
  tabs_->addTab(build_camera_tab(), "摄像头 Camera");
  layout->addWidget(tabs_, 1);
  tool_keys_ = new OnScreenKeyboard(page);
  tool_keys_->hide();
  layout->addWidget(tool_keys_);
  return page;
}

QWidget* TechnicianPanel::build_devices_tab() {
  auto* tab = new QWidget(this);
  auto* grid = new QGridLayout(tab);
  int row = 0;
  for (const auto& d : terminal_.devices().snapshot()) {
    const QString id = q(d.id);
    grid->addWidget(new QLabel(id + " (" + QString::fromUtf8(to_string(d.kind)) + ")", tab), row,
                    0);
    device_status_[d.id] = label("status_" + id, tab);
    grid->addWidget(device_status_[d.id], row, 1);
    auto* test = button("自检 Self-test", "selftest_" + id, tab);
    action_buttons_.push_back(test);
    connect(test, &QPushButton::clicked, this, [this, id = d.id] { self_test(id); });
    grid->addWidget(test, row, 2);
    const char* work = d.kind == DeviceKind::kCardReader ? "读卡 Read a card"
                       : d.kind == DeviceKind::kPrinter  ? "测试页 Test page"
                       : d.kind == DeviceKind::kScanner  ? "扫描 Scan a page"
                                                         : nullptr;  // cameras: the camera tab
    if (work) {
      auto* go = button(work, "try_" + id, tab);
      action_buttons_.push_back(go);
      connect(go, &QPushButton::clicked, this, [this, id = d.id] { try_device(id); });
      grid->addWidget(go, row, 3);
    }
    device_result_[d.id] = label("result_" + id, tab);
    grid->addWidget(device_result_[d.id], row + 1, 0, 1, 4);
    row += 2;
  }
  grid->setRowStretch(row, 1);
  return tab;
}

QWidget* TechnicianPanel::build_health_tab() {
  auto* tab = new QWidget(this);
  auto* layout = new QVBoxLayout(tab);
  health_ = label("health", tab);
  layout->addWidget(health_);
  backend_ = label("backend", tab);
  layout->addWidget(backend_);
  auto* check = button("检查后台 Check backend", "check_backend", tab);
  action_buttons_.push_back(check);
  connect(check, &QPushButton::clicked, this, &TechnicianPanel::check_backend);
  layout->addWidget(check);
  layout->addStretch();
  return tab;
}

QWidget* TechnicianPanel::build_text_tab(QPlainTextEdit*& text, const QString& name,
                                         void (TechnicianPanel::*refresh)()) {
  auto* tab = new QWidget(this);
  auto* layout = new QVBoxLayout(tab);
  text = new QPlainTextEdit(tab);
  text->setObjectName(name);
  text->setReadOnly(true);
  text->setFocusPolicy(Qt::NoFocus);
  layout->addWidget(text, 1);
  auto* again = button("刷新 Refresh", name + "_refresh", tab);
  action_buttons_.push_back(again);
  connect(again, &QPushButton::clicked, this, refresh);
  layout->addWidget(again);
  return tab;
}

QWidget* TechnicianPanel::build_reprint_tab() {
  auto* tab = new QWidget(this);
  auto* layout = new QVBoxLayout(tab);
  unknown_prints_ = label("unknown_prints", tab);
  layout->addWidget(unknown_prints_);
  layout->addWidget(new QLabel("证书编号 Serial", tab));
  reprint_serial_ = new QLineEdit(tab);
  reprint_serial_->setObjectName("reprint_serial");
  reprint_serial_->setMaxLength(64);
  layout->addWidget(reprint_serial_);
  layout->addWidget(new QLabel("原因 Reason", tab));
  reprint_reason_ = new QLineEdit(tab);
  reprint_reason_->setObjectName("reprint_reason");
  reprint_reason_->setMaxLength(200);
  layout->addWidget(reprint_reason_);
  auto* go = button("授权补打 Authorise reprint", "reprint", tab);
  action_buttons_.push_back(go);
  connect(go, &QPushButton::clicked, this, &TechnicianPanel::reprint);
  layout->addWidget(go);
  reprint_result_ = label("reprint_result", tab);
  layout->addWidget(reprint_result_);
  layout->addStretch();
  return tab;
}

QWidget* TechnicianPanel::build_camera_tab() {
  auto* tab = new QWidget(this);
  auto* layout = new QVBoxLayout(tab);
  auto* row = new QHBoxLayout;
  for (const auto& d : terminal_.devices().snapshot()) {
    if (d.kind != DeviceKind::kCamera) continue;
    auto* go = button("预览 Preview " + q(d.id), "preview_" + q(d.id), tab);
    action_buttons_.push_back(go);
    connect(go, &QPushButton::clicked, this, [this, id = d.id] { preview(id); });
    row->addWidget(go);
  }
  layout->addLayout(row);
  camera_found_ = label("preview_found", tab);
  layout->addWidget(camera_found_);
  camera_view_ = label("preview_view", tab);
  camera_view_->setMinimumSize(640, 360);
  layout->addWidget(camera_view_, 1);
  return tab;
}

QString TechnicianPanel::page() const {
  return pages_->currentWidget() == pin_page_ ? "pin" : "tools";
}

void TechnicianPanel::ask_pin() {
  pin_->clear();
  pin_message_->setText(gate_.configured() ? "请输入技术员密码 Enter your PIN"
                                           : "本机未设技术员 No technician is configured here");
  pages_->setCurrentWidget(pin_page_);
  pin_keys_->attach(pin_, KeyboardLayout::kDigits);
  idle_->start();
}

void TechnicianPanel::run(std::function<std::function<void()>()> work) {
  if (busy_) return;
  busy_ = true;
  for (auto* b : action_buttons_) b->setEnabled(false);
  worker_->post([this, work = std::move(work)] {
    auto done = work();
    QMetaObject::invokeMethod(
        this,
        [this, done = std::move(done)] {
          busy_ = false;
          for (auto* b : action_buttons_) b->setEnabled(true);
          if (done) done();
          emit workDone();
        },
        Qt::QueuedConnection);
  });
}

void TechnicianPanel::submit_pin() {
  std::string pin = pin_->text().toStdString();
  pin_->clear();
  run([this, pin = std::move(pin)]() mutable -> std::function<void()> {
    auto entered = gate_.enter(pin);
    std::fill(pin.begin(), pin.end(), '\0');
    // What the tools page opens on, read here, off the UI thread.
    const std::string report = entered && report_ ? report_() : std::string("{}");
    const QStringList unknown = entered ? unknown_prints() : QStringList();
    return [this, entered, report, unknown] {
      if (!entered) {
        pin_message_->setText(q(entered.error().message));
        return;
      }
      pin_keys_->detach();
      who_->setText("技术员 Technician: " + q(entered.value()));
      pages_->setCurrentWidget(tools_page_);
      tabs_->setCurrentIndex(0);
      refresh_devices();
      show_health(report);
      reprint_result_->clear();
      for (auto& [id, result] : device_result_) result->clear();
      show_unknown_prints(unknown);
    };
  });
}

void TechnicianPanel::refresh_devices() {
  for (const auto& d : terminal_.devices().snapshot())
    if (auto it = device_status_.find(d.id); it != device_status_.end())
      it->second->setText(status_text(d.status));
}

void TechnicianPanel::show_health(const std::string& report) {
  const json r = json::parse(report, nullptr, false);
  if (!r.is_object()) return health_->setText("—");
  QStringList lines;
  lines << "版本 Version: " + q(r.value("version", std::string()));
  const auto member = [&r](const char* key, json fallback) {
    auto it = r.find(key);
    return it != r.end() && it->type() == fallback.type() ? *it : fallback;
  };
  const json consumables = member("consumables", json::object());
  for (auto it = consumables.begin(); it != consumables.end(); ++it) {
    if (!it->is_object()) continue;
    QStringList supplies;
    if (auto s = it->find("supplies"); s != it->end() && s->is_array())
      for (const auto& supply : *s)
        if (supply.is_object() && supply.value("level", -1) >= 0)
          supplies << q(supply.value("name", std::string())) +
                          QString(" %1%").arg(supply.value("level", -1));
    lines << "耗材 Supplies (" + q(it.key()) + "): paper " +
                 q(it->value("paper", std::string("?"))) +
                 (supplies.isEmpty() ? QString() : ", " + supplies.join(", "));
  }
  const json counters = member("counters", json::object());
  lines << QString("计数 Counters: sessions %1, cards read %2, certificates printed %3, jams %4")
               .arg(counters.value("sessions", 0))
               .arg(counters.value("cards_read", 0))
               .arg(counters.value("certificates_printed", 0))
               .arg(counters.value("jams_since_start", 0));
  lines << QString("排队 Queue waiting: %1").arg(r.value("queue_waiting", 0));
  lines << QString("日记 Journal head: %1")
               .arg(member("journal_head", json::object()).value("seq", 0));
  const json days = r.value("certificate_days_left", json());
  lines << "终端证书 Terminal certificate: " + (days.is_number()
                                                    ? QString("%1 days left").arg(days.get<int>())
                                                    : QString("none (plain HTTP)"));
  QStringList alerts;
  const json listed = member("alerts", json::array());
  for (const auto& a : listed)
    if (a.is_object())
      alerts << q(a.value("code", std::string())) +
                    (a.value("device", std::string()).empty()
                         ? QString()
                         : " (" + q(a.value("device", std::string())) + ")");
  lines << "告警 Alerts: " + (alerts.isEmpty() ? QString("none") : alerts.join(", "));
  health_->setText(lines.join("\n"));
}

void TechnicianPanel::self_test(const std::string& device_id) {
  device_result_[device_id]->setText("自检中 Testing…");
  run([this, device_id]() -> std::function<void()> {
    Device* device = terminal_.devices().find(device_id);
    const auto start = Clock::now();
    Status result = device ? device->self_test(after(std::chrono::seconds(30)), std::stop_token{})
                           : Status(Error{Completion::kInvalidData, "no such device"});
    const int64_t ms = ms_since(start);
    (void)gate_.record("selftest", json{{"device", device_id},
                                        {"passed", result.ok()},
                                        {"ms", ms},
                                        {"error", result.ok() ? "" : result.error().message}}
                                       .dump());
    return [this, device_id, result, ms] {
      device_result_[device_id]->setText(
          result ? QString("通过 Passed in %1 ms").arg(ms)
                 : QString("失败 Failed in %1 ms: %2").arg(ms).arg(q(result.error().message)));
      refresh_devices();
    };
  });
}

void TechnicianPanel::try_device(const std::string& device_id) {
  Device* device = terminal_.devices().find(device_id);
  device_result_[device_id]->setText(device && device->kind() == DeviceKind::kCardReader
                                         ? "请放卡 Lay a card on the reader…"
                                         : "进行中 Working…");
  run([this, device_id, device]() -> std::function<void()> {
    const auto start = Clock::now();
    Result<std::string> said = Error{Completion::kInvalidData, "no such device"};
    if (auto* reader = dynamic_cast<idcard::CardReader*>(device)) {
      said = services::read_test_card(*reader, after(std::chrono::seconds(30)));
    } else if (auto* printer = dynamic_cast<printer::Printer*>(device)) {
      auto job = services::print_test_page(*printer, after(std::chrono::minutes(2)));
      said = job ? Result<std::string>("job " + std::to_string(job->job_id) + " completed")
                 : Result<std::string>(job.error());
    } else if (auto* scanner = dynamic_cast<scanner::Scanner*>(device)) {
      said = services::scan_test_page(*scanner, after(std::chrono::minutes(1)));
    }
    const int64_t ms = ms_since(start);
    // The journal gets whether it worked; what a card said stays on the screen only.
    (void)gate_.record("function-test", json{{"device", device_id},
                                             {"passed", said.ok()},
                                             {"ms", ms},
                                             {"error", said ? "" : said.error().message}}
                                            .dump());
    return [this, device_id, said, ms] {
      device_result_[device_id]->setText(
          said ? QString("通过 Passed in %1 ms: %2").arg(ms).arg(q(said.value()))
               : QString("失败 Failed in %1 ms: %2").arg(ms).arg(q(said.error().message)));
      refresh_devices();
    };
  });
}

void TechnicianPanel::check_backend() {
  backend_->setText("检查中 Checking…");
  run([this]() -> std::function<void()> {
    const auto start = Clock::now();
    auto anchor = terminal_.backend().journal_anchor();
    const int64_t ms = ms_since(start);
    const auto days = services::certificate_days_left(terminal_.config().terminal_cert);
    (void)gate_.record("backend-check", json{{"reachable", anchor.ok()}, {"ms", ms}}.dump());
    return [this, anchor, ms, days] {
      const QString url = q(terminal_.config().backend_url);
      const QString tls =
          terminal_.config().terminal_cert.empty()
              ? QString("plain HTTP, no client certificate")
              : QString("mutual TLS, terminal certificate %1")
                    .arg(days ? QString("%1 days left").arg(*days) : QString("unreadable"));
      backend_->setText(
          anchor ? QString("后台可达 Backend reachable: %1 in %2 ms; %3").arg(url).arg(ms).arg(tls)
                 : QString("后台不可达 Backend unreachable: %1 (%2); %3")
                       .arg(url, q(anchor.error().message), tls));
    };
  });
}

void TechnicianPanel::preview(const std::string& camera_id) {
  camera_found_->setText("预览中 Previewing…");
  run([this, camera_id]() -> std::function<void()> {
    auto* camera = dynamic_cast<camera::Camera*>(terminal_.devices().find(camera_id));
    auto detector = camera::FaceDetector::load();
    Status result = !camera     ? Status(Error{Completion::kInvalidData, "no such camera"})
                    : !detector ? Status(detector.error())
                                : camera->start();
    int frames = 0, most_faces = 0, codes = 0;
    for (; result && frames < preview_frames_; ++frames) {
      auto frame = camera->next_frame(after(std::chrono::seconds(2)), std::stop_token{});
      if (!frame) {
        result = frame.error();
        break;
      }
      cv::Mat& image = frame->image;
      const auto faces = detector->detect(image);
      const auto read = camera::decode_qr(image);
      most_faces = std::max(most_faces, static_cast<int>(faces.size()));
      codes += read.empty() ? 0 : 1;
      for (const auto& f : faces) cv::rectangle(image, f, cv::Scalar(0, 200, 0), 6);
      // A code may be a citizen's e-ID: its length is enough to show that the camera reads it.
      const QString found =
          QString("人脸 Faces: %1 · 二维码 QR: %2")
              .arg(faces.size())
              .arg(read.empty() ? QString("none") : QString("read, %1 bytes").arg(read[0].size()));
      QImage view = to_qimage(image, {640, 640});
      image.setTo(0);
      QMetaObject::invokeMethod(
          this,
          [this, view = std::move(view), found] {
            camera_view_->setPixmap(QPixmap::fromImage(view));
            camera_found_->setText(found);
            emit previewFrameShown();
          },
          Qt::QueuedConnection);
    }
    if (camera) camera->stop();
    (void)gate_.record("camera-preview", json{{"device", camera_id},
                                              {"frames", frames},
                                              {"most_faces", most_faces},
                                              {"frames_with_code", codes},
                                              {"error", result ? "" : result.error().message}}
                                             .dump());
    return [this, result, frames, most_faces, codes] {
      camera_view_->clear();  // a person's face stays on screen no longer than the preview
      camera_found_->setText(
          result ? QString("预览结束 Preview ended: %1 frames, at most %2 faces, a QR code in %3")
                       .arg(frames)
                       .arg(most_faces)
                       .arg(codes)
                 : "失败 Failed: " + q(result.error().message));
    };
  });
}

void TechnicianPanel::refresh_logs() {
  run([this]() -> std::function<void()> {
    QStringList lines;
    for (const auto& l : services::read_logs(terminal_.config().log_dir, "kiosk", 200))
      lines << q(l.at + " [" + l.level + "] " + l.message);
    return [this, lines] {
      logs_->setPlainText(lines.isEmpty() ? QString("(no log lines yet)") : lines.join("\n"));
      logs_->moveCursor(QTextCursor::End);
    };
  });
}

void TechnicianPanel::refresh_journal() {
  run([this]() -> std::function<void()> {
    QStringList lines;
    auto ids = terminal_.journal().transaction_ids();
    if (ids) {
      const auto& all = ids.value();
      const size_t first = all.size() > 20 ? all.size() - 20 : 0;
      for (size_t i = all.size(); i-- > first;) {
        auto entries = terminal_.journal().entries(all[i]);
        if (!entries || entries->empty()) continue;
        QStringList steps;
        for (const auto& e : entries.value()) steps << q(e.step);
        lines << q(all[i]) + "  " + local_time(entries->front().at_ms) + "\n    " +
                     steps.join(", ");
      }
    }
    return [this, lines, ok = ids.ok()] {
      journal_->setPlainText(ok ? lines.join("\n") : QString("(the journal cannot be read)"));
    };
  });
}

QStringList TechnicianPanel::unknown_prints() const {
  auto unknown = terminal_.ledger().unknown();
  QStringList serials;
  if (unknown)
    for (const auto& e : unknown.value()) serials << q(e.serial);
  return serials;
}

void TechnicianPanel::show_unknown_prints(const QStringList& serials) {
  unknown_prints_->setText("打印结果未知 Print unknown: " +
                           (serials.isEmpty() ? QString("none") : serials.join(", ")));
}

void TechnicianPanel::reprint() {
  const std::string serial = reprint_serial_->text().trimmed().toStdString();
  const std::string reason = reprint_reason_->text().trimmed().toStdString();
  if (serial.empty() || reason.empty()) {
    reprint_result_->setText("请填写编号和原因 Give the serial and the reason");
    return;
  }
  tool_keys_->detach();
  reprint_result_->setText("补打中 Printing…");
  run([this, serial, reason]() -> std::function<void()> {
    auto outcome = services::authorised_reprint(terminal_, serial, gate_.who(), reason);
    const QStringList unknown = unknown_prints();
    return [this, serial, outcome, unknown] {
      if (!outcome)
        reprint_result_->setText("未补打 Not reprinted: " + q(outcome.error().message));
      else if (outcome->status == services::OutcomeStatus::kPrinted)
        reprint_result_->setText("已补打 Reprinted: " + q(serial));
      else
        reprint_result_->setText("未补打 Not reprinted: " + q(outcome->reason));
      reprint_serial_->clear();
      reprint_reason_->clear();
      show_unknown_prints(unknown);
    };
  });
}

void TechnicianPanel::leave() {
  tool_keys_->detach();
  run([this]() -> std::function<void()> {
    (void)gate_.leave();
    return [this] {
      logs_->clear();
      journal_->clear();
      pages_->setCurrentWidget(pin_page_);
      emit closed();
    };
  });
}

bool TechnicianPanel::eventFilter(QObject* watched, QEvent* event) {
  const auto type = event->type();
  if (isVisible() &&
      (type == QEvent::MouseButtonPress || type == QEvent::KeyPress || type == QEvent::TouchBegin))
    idle_->start();
  if ((type == QEvent::FocusIn || type == QEvent::MouseButtonPress) &&
      (watched == reprint_serial_ || watched == reprint_reason_)) {
    auto* edit = static_cast<QLineEdit*>(watched);
    if (tool_keys_->field() != edit)
      tool_keys_->attach(
          edit, edit == reprint_serial_ ? KeyboardLayout::kLetters : KeyboardLayout::kPinyin);
  }
  return QWidget::eventFilter(watched, event);
}

}  // namespace smzc::ui

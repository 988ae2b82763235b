#include "ui/journey.h"

#include <QDateTime>
#include <QMetaObject>
#include <QTimer>
#include <algorithm>
#include <type_traits>

#include <spdlog/spdlog.h>
#include <opencv2/imgproc.hpp>

#include "ui/image.h"
#include "ui/messages.h"

namespace smzc::ui {

Journey::Journey(services::TransactionEngine& engine, Navigator& navigator, QWidget* screens_parent)
    : engine_(engine), navigator_(navigator) {
  attract_ = new AttractScreen(screens_parent);
  attract_->set_has_camera(engine_.has_face_camera());
  connect(attract_, &AttractScreen::startTapped, this, &Journey::start_identify);
  connect(attract_, &AttractScreen::eidTapped, this, &Journey::start_identify_by_code);
  connect(attract_, &AttractScreen::checkTapped, this, &Journey::start_check_certificate);
  connect(attract_, &AttractScreen::progressTapped, this,
          [this] { navigator_.show(find_application_); });
  applications_ = new ApplicationsScreen(screens_parent);
  connect(applications_, &ApplicationsScreen::collectTapped, this, &Journey::collect);
  connect(applications_, &ApplicationsScreen::homeTapped, this, &Journey::go_home);

  read_card_ = new ReadCardScreen(screens_parent);
  connect(read_card_, &ReadCardScreen::cancelTapped, this, &Journey::leave);

  keyboard_ = new OnScreenKeyboard(screens_parent);
  items_ = new ItemsScreen(
      screens_parent, [this](const services::ServiceItem& item) { return why_unavailable(item); },
      *keyboard_);
  connect(items_, &ItemsScreen::itemChosen, this, &Journey::start_process);
  connect(items_, &ItemsScreen::leaveTapped, this, &Journey::go_home);

  form_ = new FormScreen(screens_parent, *keyboard_);
  find_application_ = new FindApplicationScreen(screens_parent, *keyboard_);
  connect(find_application_, &FindApplicationScreen::byCardTapped, this,
          &Journey::start_my_applications);
  connect(find_application_, &FindApplicationScreen::lookupTapped, this,
          &Journey::look_up_application);
  connect(find_application_, &FindApplicationScreen::homeTapped, this, &Journey::go_home);
  // What the terminal can check is checked before the citizen confirms what is sent.
  connect(form_, &FormScreen::submitTapped, this, [this] {
    if (!form_->item()) return;
    wipe_input(to_confirm_);
    to_confirm_.fields = form_->values();
    to_confirm_.scans = scans_;
    if (auto problems = engine_.check_input(*form_->item(), to_confirm_); !problems.empty())
      return show_form(*form_->item(), problems);
    confirm_->show_application(*form_->item(), to_confirm_);
    navigator_.show(confirm_);
  });
  confirm_ = new ConfirmScreen(screens_parent);
  connect(confirm_, &ConfirmScreen::confirmTapped, this, [this] {
    if (form_->item()) run_process(*form_->item(), to_confirm_);
  });
  connect(confirm_, &ConfirmScreen::editTapped, this, [this] { navigator_.show(form_); });
  connect(form_, &FormScreen::backTapped, this, [this] { navigator_.show(items_); });
  connect(form_, &FormScreen::captureTapped, this, &Journey::start_capture);

  progress_ = new ProgressScreen(screens_parent);
  connect(progress_, &ProgressScreen::cancelTapped, this, &Journey::leave);
  done_ = new DoneScreen(screens_parent);
  connect(done_, &DoneScreen::finishTapped, this, &Journey::go_home);
  connect(done_, &DoneScreen::remind, this, &Journey::remind);
  error_ = new MessageScreen("error", "", true, screens_parent);
  connect(error_, &MessageScreen::homeTapped, this, &Journey::go_home);
  checked_ = new MessageScreen("checked", "check", false, screens_parent);
  connect(checked_, &MessageScreen::homeTapped, this, &Journey::go_home);
  camera_ = new CameraScreen(screens_parent);
  connect(camera_, &CameraScreen::cancelTapped, this, &Journey::leave);

  captured_ = new CapturedScreen(screens_parent);
  connect(captured_, &CapturedScreen::acceptTapped, this, [this] {
    if (!capturing_ || !form_->item()) return;
    scans_[capturing_->name] = captured_page_.bytes;
    captured_page_.wipe();
    captured_->wipe();
    capturing_.reset();
    show_form(*form_->item(), {});
  });
  connect(captured_, &CapturedScreen::retakeTapped, this, [this] {
    if (capturing_) start_capture(*capturing_);
  });

  screens_ = {attract_,      read_card_, items_,           form_,     progress_,
              done_,         error_,     camera_,          captured_, checked_,
              applications_, confirm_,   find_application_};
  for (Screen* screen : screens_) navigator_.add(screen);
  connect(&navigator_, &Navigator::shown, this, &Journey::on_shown);

  // Frames come on the engine's thread: a scaled copy crosses to this one (the engine wipes its
  // frame as soon as this returns).
  engine_.set_preview([this](const cv::Mat& frame, camera::Advice advice) {
    if (frame.empty() || frame.type() != CV_8UC3) return;
    QImage view = to_qimage(frame, {640, 640});
    QMetaObject::invokeMethod(
        this,
        [this, view = std::move(view), advice] {
          camera_->show_frame(view, advice);
          // The face check's challenge and a new try are spoken as they come.
          const bool asked = advice >= camera::Advice::kTurnLeft;
          if (asked && advice != last_spoken_advice_) emit remind(advice_text(advice));
          last_spoken_advice_ = advice;
        },
        Qt::QueuedConnection);
  });

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
  device_timer_ = new QTimer(this);
  device_timer_->setInterval(kDeviceCheckMs);
  connect(device_timer_, &QTimer::timeout, this, &Journey::check_devices);
}

Journey::~Journey() {
  for (auto [device, handle] : device_listeners_) device->remove_listener(handle);
  engine_.cancel();
  worker_.reset();  // the running task ends (cancelled) and is joined
  device_worker_.reset();
  engine_.set_preview({});  // no task runs now that could be calling it
  engine_.end_session();
}

bool Journey::device_usable(DeviceKind kind) const {
  auto it = device_status_.find(kind);
  return it != device_status_.end() && it->second.usable();
}

void Journey::on_shown(QWidget* screen) {
  // Keys are for the field tapped on the screen on show; another screen starts without them.
  keyboard_->detach();
  // Idle work runs while nobody is being served.
  if (screen == attract_) {
    check_devices();
    device_timer_->start();
  } else {
    device_timer_->stop();
  }
  update_card_reminder();
}

template <typename Work, typename Done>
void Journey::run_async(Work work, Done done) {
  // std::function wants copyable callables: the pieces travel in a shared holder.
  auto job = std::make_shared<std::pair<Work, Done>>(std::move(work), std::move(done));
  ++running_;
  worker_->post([this, job, session = session_] {
    using Answer = decltype(job->first());
    auto result = std::make_shared<Answer>(job->first());
    QMetaObject::invokeMethod(
        this,
        [this, job, result, session] {
          --running_;
          // The answer of a session that has ended shows nothing to whoever stands there now.
          if (session != session_) return;
          if (!leaving_) return job->second(*result);
          // The citizen left while it ran: whatever it brought, they go home (how it ended is
          // kept for the technician and the tests).
          if constexpr (std::is_same_v<Answer, services::Outcome>)
            outcome_ = *result;
          else
            outcome_ = engine_.current();
          if (running_ == 0) go_home();
        },
        Qt::QueuedConnection);
  });
}

void Journey::leave() {
  if (running_ == 0) return go_home();
  // What runs is cut short; the citizen goes home with its answer.
  leaving_ = true;
  engine_.cancel();
}

void Journey::start_identify() {
  navigator_.show(read_card_);
  run_async([this] { return engine_.identify(); },
            [this](const Result<services::Citizen>& citizen) { on_identified(citizen); });
}

void Journey::start_my_applications() {
  start_identify();
  wants_applications_ = true;
}

void Journey::show_my_applications() {
  using Listed = std::pair<Result<std::vector<services::ApplicationSummary>>, services::Catalogue>;
  run_async(
      [this, on_step = step_reporter()]() -> Listed {
        // The platform serves a citizen's records only once their face is verified here: the
        // face check runs first when it has not yet.
        auto listed = engine_.my_applications(on_step);
        return {std::move(listed), listed ? catalogue_or_none() : services::Catalogue{}};
      },
      [this](const Listed& answer) {
        const auto& [listed, catalogue] = answer;
        if (!listed && listed.code() == Completion::kCanceled) return go_home();
        if (!listed && engine_.current().face_check &&
            engine_.current().face_check->decision != "matched")
          return show_error(tr("未能完成身份核验"), notice_text(engine_.current()));
        if (!listed) {
          spdlog::warn("applications: {}", listed.error().message);
          return show_error(tr("暂时无法连接政务服务平台"), tr("请稍后重试"));
        }
        applications_->show_applications(listed.value(), catalogue, greeting_);
        navigator_.show(applications_);
      });
}

services::Catalogue Journey::catalogue_or_none() {
  // The items' names; a catalogue that cannot be had leaves their codes.
  auto catalogue = engine_.catalogue();
  return catalogue ? std::move(catalogue.value()) : services::Catalogue{};
}

void Journey::look_up_application() {
  const std::string number = find_application_->number().toStdString();
  if (number.empty()) return;
  // Nothing else is tapped while it is looked up; cancel goes home.
  progress_->wipe();
  navigator_.show(progress_);
  using Found = std::pair<Result<services::ApplicationSummary>, services::Catalogue>;
  run_async(
      [this, number]() -> Found {
        auto found = engine_.application_progress(number);
        return {std::move(found), found ? catalogue_or_none() : services::Catalogue{}};
      },
      [this](const Found& answer) {
        const auto& [found, catalogue] = answer;
        if (!found && found.code() == Completion::kCanceled) return go_home();
        if (!found) {
          spdlog::info("application number not found: {}", found.error().message);
          // A refusal is the backend's answer (no such number); anything else, no answer.
          navigator_.show(find_application_);
          return find_application_->show_not_found(found.code() == Completion::kInvalidData);
        }
        applications_->show_applications({found.value()}, catalogue, {}, false);
        navigator_.show(applications_);
      });
}

void Journey::collect(const services::ApplicationSummary& application) {
  progress_->wipe();
  navigator_.show(progress_);
  run_async(
      [this, application, on_step = step_reporter()] {
        return engine_.collect_certificate(application, on_step);
      },
      [this](const services::Outcome& outcome) { show_outcome(outcome); });
}

std::function<void(services::Step)> Journey::step_reporter() {
  return [this](services::Step step) {
    QMetaObject::invokeMethod(
        this,
        [this, step] {
          // 人证核验 shows the camera; the steps after it, the progress again.
          if (step == services::Step::kFaceCheck) {
            camera_->begin(tr("人脸核验：请本人正对摄像头，按提示动作"), /*face_guide=*/true);
            navigator_.show(camera_);
          } else if (navigator_.current() == camera_) {
            navigator_.show(progress_);
          }
          progress_->add_step(step_text(step));
        },
        Qt::QueuedConnection);
  };
}

void Journey::start_identify_by_code() {
  camera_->begin(tr("请将手机上的电子身份码对准摄像头"));
  navigator_.show(camera_);
  run_async([this] { return engine_.identify_by_code(); },
            [this](const Result<services::Citizen>& citizen) { on_identified(citizen); });
}

void Journey::start_check_certificate() {
  camera_->begin(tr("请将证照上的二维码对准摄像头"));
  navigator_.show(camera_);
  run_async(
      [this] { return engine_.check_certificate_code(); },
      [this](const Result<certs::Verification>& verdict) {
        if (!verdict) {
          if (verdict.code() == Completion::kCanceled || verdict.code() == Completion::kTimeout)
            return go_home();
          spdlog::warn("certificate check: {}", verdict.error().message);
          return show_error(tr("暂时无法核验"), tr("请稍后再试，或到服务窗口核验"));
        }
        checked_->set_message(check_title(verdict.value()), check_detail(verdict.value()));
        navigator_.show(checked_);
      });
}

void Journey::on_identified(const Result<services::Citizen>& citizen) {
  if (!citizen) {
    outcome_ = engine_.current();
    // The citizen left, or never laid a card: back to the start.
    if (citizen.code() == Completion::kCanceled || citizen.code() == Completion::kTimeout)
      return go_home();
    return show_error(tr("未能完成身份核验"), notice_text(outcome_));
  }
  greeting_ =
      tr("您好，%1（%2 %3）")
          .arg(QString::fromStdString(citizen->masked_name), card_type_text(citizen->card_type),
               QString::fromStdString(citizen->masked_id_number));
  if (wants_applications_) return show_my_applications();
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

void Journey::show_items(const services::Catalogue& catalogue) {
  items_->show_catalogue(catalogue, greeting_);
  navigator_.show(items_);
}

QString Journey::why_unavailable(const services::ServiceItem& item) const {
  if (!engine_.open_now(item)) return tr("（办理时间 %1）").arg(QString::fromStdString(item.hours));
  for (DeviceKind kind : {DeviceKind::kCardReader, DeviceKind::kPrinter}) {
    // Cameras and scanners are judged by the site: items needing one it lacks are not offered.
    if (item.needs(to_string(kind)) && !device_usable(kind))
      return tr("（%1）").arg(device_unavailable_text(kind));
  }
  return {};
}

void Journey::start_capture(const services::Material& material) {
  capturing_ = material;
  captured_page_.wipe();
  camera_->begin(tr("请将材料放入扫描仪，或平放在拍摄区"));
  navigator_.show(camera_);
  run_async([this, material] { return engine_.capture(material); },
            [this](Result<services::TransactionEngine::CapturedMaterial> page) {
              if (!page) {
                if (page.code() == Completion::kCanceled) return go_home();
                spdlog::warn("capture: {}", page.error().message);
                if (form_->item())
                  return show_form(*form_->item(), {{services::Problem::Kind::kScanMissing,
                                                     capturing_->name, capturing_->label}});
                return go_home();
              }
              captured_->set_page(to_qimage(page->first_page, {420, 594}));
              captured_page_ = std::move(page.value());
              navigator_.show(captured_);
            });
}

void Journey::wipe_input(services::ApplicationInput& input) {
  for (auto* values : {&input.fields, &input.scans}) {
    for (auto& [name, value] : *values) std::fill(value.begin(), value.end(), '\0');
    values->clear();
  }
}

void Journey::wipe_captures() {
  for (auto& [name, bytes] : scans_) std::fill(bytes.begin(), bytes.end(), '\0');
  scans_.clear();
  captured_page_.wipe();
  capturing_.reset();
  captured_->wipe();
}

void Journey::start_process(const services::ServiceItem& item) {
  const bool captures = std::any_of(item.materials.begin(), item.materials.end(),
                                    [](const services::Material& m) { return m.source == "scan"; });
  if (item.form.empty() && !captures) return run_process(item, {});
  form_->set_item(item, engine_.form_for(item));
  show_form(item, {});
}

void Journey::show_form(const services::ServiceItem& item,
                        const std::vector<services::Problem>& problems) {
  if (!form_->item() || form_->item()->code != item.code)
    form_->set_item(item, engine_.form_for(item));
  form_->show_problems(problems);
  navigator_.show(form_);
}

void Journey::run_process(const services::ServiceItem& item,
                          const services::ApplicationInput& input) {
  progress_->wipe();
  navigator_.show(progress_);
  run_async([this, item, input,
             on_step = step_reporter()] { return engine_.process(item, input, on_step); },
            [this, item](const services::Outcome& outcome) {
              // Something to correct: back to the form, or, for an item without one (a
              // material missing), to the error screen below.
              if (outcome.status == services::OutcomeStatus::kIncomplete && !item.form.empty())
                return show_form(item, outcome.problems);
              show_outcome(outcome);
            });
}

void Journey::show_outcome(const services::Outcome& outcome) {
  using services::OutcomeStatus;
  outcome_ = outcome;
  // A certificate, or a manual item's receipt, came out of the printer.
  done_->set_printed(outcome.job_state == printer::JobState::kCompleted);
  switch (outcome.status) {
    case OutcomeStatus::kPrinted:
      done_->set_detail(tr("证照编号 %1").arg(QString::fromStdString(outcome.certificate_serial)));
      return navigator_.show(done_);
    case OutcomeStatus::kSubmitted: {
      const QString how =
          outcome.delivery == "mail" ? tr("结果将以邮政快递(包邮)寄送") : tr("结果将以短信通知");
      QString detail =
          tr("申请编号 %1，%2").arg(QString::fromStdString(outcome.application_id), how);
      if (outcome.notice != services::Notice::kNone) detail += "\n" + notice_text(outcome);
      done_->set_detail(detail);
      return navigator_.show(done_);
    }
    case OutcomeStatus::kQueued:
    case OutcomeStatus::kPending:
      done_->set_detail(notice_text(outcome));
      return navigator_.show(done_);
    case OutcomeStatus::kRejected: {
      QStringList reasons;
      for (const auto& r : outcome.reasons) reasons << QString::fromStdString(r);
      return show_error(tr("申请未通过"), reasons.join("\n"));
    }
    case OutcomeStatus::kIncomplete: {
      QStringList problems;
      for (const auto& p : outcome.problems) problems << problem_text(form_->localized(p));
      return show_error(tr("申请材料不全"), problems.join("\n"));
    }
    case OutcomeStatus::kCanceled:
      return go_home();  // the citizen left
    default:
      // The technician's reason is in the log; the citizen gets the plain notice.
      return show_error(tr("办理未完成"), notice_text(outcome));
  }
}

void Journey::show_error(const QString& title, const QString& detail) {
  error_->set_message(title, detail);
  navigator_.show(error_);
}

void Journey::check_devices() {
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

void Journey::apply_device_status(const DeviceStatus& status, DeviceKind kind, const QString& id) {
  device_status_[kind] = status;
  refresh_attract_notice();
  attract_->set_reader_usable(device_usable(DeviceKind::kCardReader));
  items_->refresh_availability();
  if (kind == DeviceKind::kCardReader) update_card_reminder();
  emit deviceStatusChanged(id);
}

void Journey::refresh_attract_notice() {
  QStringList notices;
  if (!device_usable(DeviceKind::kCardReader))
    notices << tr("读卡器暂不可用，需要身份证的事项暂停办理");
  if (!device_usable(DeviceKind::kPrinter))
    notices << tr("%1，需要打印的事项暂停办理")
                   .arg(device_status_text(DeviceKind::kPrinter,
                                           device_status_[DeviceKind::kPrinter]));
  attract_->set_notices(notices);
}

void Journey::update_card_reminder() {
  // A card still on the reader when the citizen is done: said on screen and aloud.
  const bool left = navigator_.current() == done_ &&
                    device_status_[DeviceKind::kCardReader].media == MediaState::kCardPresent;
  done_->set_card_left(left);
}

void Journey::retranslate() {
  refresh_attract_notice();
  for (Screen* screen : screens_) screen->retranslate();
}

bool Journey::show_sample(const QString& screen) {
  services::Outcome sample;
  if (screen == "read_card") {
    navigator_.show(read_card_);
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
  } else if (screen == "camera") {
    camera_->begin(tr("请将手机上的电子身份码对准摄像头"));
    navigator_.show(camera_);
  } else if (screen == "choose_item" || screen == "form" || screen == "applications") {
    // The catalogue this terminal has (a failure leaves the screen empty, never unshown), under
    // a made-up masked greeting: nothing of any citizen.
    greeting_ = tr("您好，%1（%2 %3）")
                    .arg("陈**", card_type_text(CardType::kResident), "440605********1234");
    run_async([this] { return engine_.catalogue(); },
              [this, screen](const Result<services::Catalogue>& catalogue) {
                const services::Catalogue shown =
                    catalogue ? catalogue.value() : services::Catalogue{};
                if (screen == "choose_item") return show_items(shown);
                if (screen == "applications") {
                  const int64_t now = QDateTime::currentMSecsSinceEpoch();
                  applications_->show_applications(
                      {{"SAMPLE00000001", "NH-SB-0001", "approved", now, true, "", ""},
                       {"SAMPLE00000002", "NH-GA-0003", "submitted", now - 86'400'000, true,
                        "completed", ""}},
                      shown, greeting_);
                  return navigator_.show(applications_);
                }
                const auto with_form = std::find_if(shown.items.begin(), shown.items.end(),
                                                    [](const auto& i) { return !i.form.empty(); });
                if (with_form != shown.items.end())
                  form_->set_item(*with_form, engine_.form_for(*with_form));
                navigator_.show(form_);
              });
  } else {
    return false;
  }
  return true;
}

void Journey::go_home() {
  // What the citizen typed, captured and was shown goes with them.
  for (Screen* screen : screens_) screen->wipe();
  greeting_.clear();
  wants_applications_ = false;
  wipe_input(to_confirm_);
  wipe_captures();
  // Whatever the engine waits for ends now. The session ends at once when nothing runs, else on
  // the worker after the task that runs (whose answer is dropped: run_async) and before the next
  // citizen's first.
  ++session_;
  leaving_ = false;
  engine_.cancel();
  if (running_ == 0) {
    engine_.end_session();
  } else {
    // Counted like a task, so that no second end_session() runs beside it.
    ++running_;
    worker_->post([this] {
      engine_.end_session();
      QMetaObject::invokeMethod(
          this, [this] { --running_; }, Qt::QueuedConnection);
    });
  }
  emit sessionEnded();
  navigator_.show(attract_);
}

}  // namespace smzc::ui

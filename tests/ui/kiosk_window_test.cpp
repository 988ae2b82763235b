// The touch UI, offscreen, on a terminal whose devices are fakes (the same interfaces as the
// drivers) and the reference backend: the screens a citizen walks through, and what the screens
// show as devices come, go and fail. The drivers themselves are tested against their real parts
// in the integration suite.
#include <gtest/gtest.h>

#include <QApplication>
#include <QFontInfo>
#include <QImage>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMouseEvent>
#include <QPushButton>
#include <QRegularExpression>
#include <QScreen>
#include <QTabWidget>
#include <QTimer>
#include <chrono>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "certs/pin_hash.h"
#include "drivers/camera/camera.h"
#include "drivers/camera/scenes.h"
#include "drivers/scanner/scanner.h"
#include "kiosk/shell.h"
#include "services/technician.h"
#include "tests/support/face_support.h"
#include "tests/support/simulated_terminal.h"
#include "tests/support/test_support.h"
#include "ui/kiosk_window.h"
#include "ui/messages.h"
#include "ui/technician_panel.h"

namespace smzc::ui {
namespace {

using services::OutcomeStatus;

// Runs the event loop until `done` holds: it waits on events (the workers post them), not on time,
// but never past `limit` — a screen that never comes is a failure, not a hang.
template <typename Pred>
bool run_until(Pred done, std::chrono::seconds limit = std::chrono::seconds(30)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  QTimer wake;  // wakes the loop now and then, only to look at the deadline
  wake.start(50);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) {
      ADD_FAILURE() << "waited " << limit.count() << " s for the UI in vain";
      return false;
    }
    QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
  }
  return true;
}

// Writes what the window shows as a PNG test artefact, build/tests/ui-screens/NAME.png (under
// ctest's working directory), for a person to look at.
void save_screen(QWidget& window, const QString& name) {
  // Laid out as the citizen would see it: pending layout and scrolling first.
  QCoreApplication::processEvents();
  QCoreApplication::processEvents();
  const auto dir = std::filesystem::current_path() / "ui-screens";
  std::filesystem::create_directories(dir);
  EXPECT_TRUE(
      window.grab().save(QString::fromStdString((dir / name.toStdString()).string()) + ".png"));
}

class KioskWindowTest : public ::testing::Test {
 protected:
  void start(bool reader_present = true) {
    auto t = testing::FakeTerminal::start(dir_.path(), reader_present);
    ASSERT_TRUE(t) << t.error().message;
    terminal_ = std::move(t.value());
  }
  void SetUp() override { start(); }
  // The window, once its first idle check has come back.
  std::unique_ptr<KioskWindow> open_window() {
    auto window = std::make_unique<KioskWindow>(terminal_->engine());
    bool checked = false;
    auto connection =
        QObject::connect(window.get(), &KioskWindow::devicesChecked, [&] { checked = true; });
    window->resize(1280, 800);
    window->show();
    run_until([&] { return checked; });
    QObject::disconnect(connection);  // `checked` goes when this returns; later checks come too
    return window;
  }
  // Runs the event loop until the window has shown a change of `device`'s status.
  void await_device(KioskWindow& window, const char* device, std::function<void()> change) {
    bool seen = false;
    auto connection = QObject::connect(&window, &KioskWindow::deviceStatusChanged,
                                       [&](const QString& id) { seen = seen || id == device; });
    change();
    run_until([&] { return seen; });
    QObject::disconnect(connection);
  }
  void identify(KioskWindow& window) {
    ASSERT_TRUE(window.tap("start"));
    terminal_->reader->lay(terminal_->card());
    run_until([&] { return window.current_screen() == "choose_item"; });
  }
  testing::TempDir dir_;
  std::unique_ptr<testing::FakeTerminal> terminal_;
};

TEST_F(KioskWindowTest, ACitizenWalksThroughToAPrintedCertificate) {
  auto window = open_window();
  EXPECT_TRUE(window->printer_ready());
  window->journey().done().set_certificate_reminder_ms(1);
  identify(*window);
  ASSERT_TRUE(window->tap("NH-SB-0001"));
  run_until(
      [&] { return window->current_screen() == "done" || window->current_screen() == "error"; });
  ASSERT_EQ(window->current_screen(), "done") << window->last_outcome().reason;
  EXPECT_EQ(window->last_outcome().status, OutcomeStatus::kPrinted);
  // The certificate is in the tray: a while later the screen reminds the citizen to take it.
  auto* reminder = window->findChild<QLabel*>("certificate_reminder");
  ASSERT_NE(reminder, nullptr);
  run_until([&] { return reminder->isVisible(); });
  ASSERT_TRUE(window->tap("finish"));
  EXPECT_FALSE(window->journey().done().certificate_reminder_due());
  run_until([&] { return window->current_screen() == "attract"; });
  EXPECT_EQ(terminal_->printer->jobs().size(), 1u);
}

// Hong Kong, Macao and Taiwan residents and foreigners are served with their own cards: the
// greeting names the document and shows only masked details (an English name when the card has
// no Chinese one).
TEST_F(KioskWindowTest, PermitsAndForeignersCardsIdentifyTheirHolders) {
  auto window = open_window();
  const std::vector<std::pair<std::string, QString>> cards = {
      {"permit-hk.json", "港澳台居民居住证"},
      {"foreigner-2017.json", "外国人永久居留证"},
      {"foreigner-2023.json", "外国人永久居留身份证"}};
  for (const auto& [file, kind] : cards) {
    auto card = idcard::load_card_json(testing::source_dir() / "drivers/idcard/sim/cards" / file);
    ASSERT_TRUE(card) << file;
    ASSERT_TRUE(window->tap("start")) << file;
    terminal_->reader->lay(card.value());
    run_until([&] { return window->current_screen() == "choose_item"; });
    QString greeting;  // the label that greets the citizen on the item list
    for (auto* label : window->findChildren<QLabel*>())
      if (label->isVisible() && label->text().startsWith("您好")) greeting = label->text();
    EXPECT_TRUE(greeting.contains(kind)) << file << ": " << greeting.toStdString();
    EXPECT_TRUE(greeting.contains("*")) << greeting.toStdString();
    EXPECT_FALSE(greeting.contains(QString::fromStdString(card->id_number))) << file;
    const std::string& name = card->name.empty() ? card->english_name : card->name;
    EXPECT_FALSE(greeting.contains(QString::fromStdString(name))) << file;
    terminal_->reader->lift();
    ASSERT_TRUE(window->tap("leave"));
    run_until([&] { return window->current_screen() == "attract"; });
  }
}

// Dates follow the language chosen on the screen: a certificate's issue time on the check screen
// in each language's own order, the issuer's time as written.
TEST_F(KioskWindowTest, DatesAreShownInTheLanguageChosen) {
  auto window = open_window();
  const std::string issued = "2026-11-24T09:05:00+08:00";
  std::map<QString, QString> shown;
  for (const char* language : {"zh-CN", "zh-HK", "en"}) {
    ASSERT_TRUE(window->set_language(language));
    shown[language] = local_date_time(issued);
  }
  ASSERT_TRUE(window->set_language("zh-CN"));
  EXPECT_EQ(shown["zh-CN"], "2026/11/24 09:05");
  EXPECT_EQ(shown["en"], "24/11/2026 09:05");
  EXPECT_TRUE(shown["zh-HK"].contains("2026")) << shown["zh-HK"].toStdString();
  EXPECT_NE(shown["zh-HK"], shown["en"]);
  EXPECT_EQ(local_date_time("not a date"), "not a date");
}

// Traditional Chinese for Hong Kong is set in Noto Sans CJK HK, so that characters take Hong
// Kong's forms; the other languages in SC; the font as rendered, not as asked for.
TEST_F(KioskWindowTest, HongKongChineseIsSetInItsOwnForms) {
  auto window = open_window();
  const auto family = [&] {
    auto* title = window->findChild<QLabel*>("banner_title");
    return QFontInfo(title->font()).family();
  };
  EXPECT_EQ(family(), "Noto Sans CJK SC");
  ASSERT_TRUE(window->set_language("zh-HK"));
  EXPECT_EQ(family(), "Noto Sans CJK HK");
  ASSERT_TRUE(window->set_language("en"));
  EXPECT_EQ(family(), "Noto Sans CJK SC");
  ASSERT_TRUE(window->set_language("zh-CN"));
}

// The item list narrows to one scope with a tap (湾区通办 here), and widens again; only scopes
// that have items here get a chip.
TEST_F(KioskWindowTest, TheItemListNarrowsToAScope) {
  auto window = open_window();
  identify(*window);
  auto* local = window->findChild<QPushButton*>("NH-SB-0001");
  auto* gba = window->findChild<QPushButton*>("NH-GBA-0001");
  ASSERT_TRUE(local && gba);
  EXPECT_TRUE(local->isVisible() && gba->isVisible());
  ASSERT_TRUE(window->tap("scope_gba"));
  EXPECT_FALSE(local->isVisible());
  EXPECT_TRUE(gba->isVisible());
  EXPECT_TRUE(window->findChild<QPushButton*>("scope_gba")->isChecked());
  ASSERT_TRUE(window->tap("scope_all"));
  EXPECT_TRUE(local->isVisible() && gba->isVisible());
  EXPECT_TRUE(window->findChild<QPushButton*>("scope_all")->isChecked());
}

TEST_F(KioskWindowTest, AnItemWithAFormAsksForWhatIsMissingThenSubmits) {
  auto window = open_window();
  identify(*window);
  ASSERT_TRUE(window->tap("NH-GA-0003"));  // a manual item: the result comes by SMS
  ASSERT_EQ(window->current_screen(), "form");
  ASSERT_TRUE(window->fill("phone", "12345"));
  ASSERT_TRUE(window->tap("submit"));
  run_until([&] { return window->current_screen() != "progress"; });
  ASSERT_EQ(window->current_screen(), "form");
  auto* problems = window->findChild<QLabel*>("form_problems");
  ASSERT_NE(problems, nullptr);
  // The engine said "malformed" as a code; the UI worded it.
  EXPECT_EQ(problems->text(), "联系电话：格式不正确") << problems->text().toStdString();
  EXPECT_EQ(terminal_->backend->application_count(), 0u);  // nothing was sent

  ASSERT_TRUE(window->fill("phone", "13812345678"));
  ASSERT_TRUE(window->tap("submit"));
  // What is sent is shown first, the phone number as typed.
  ASSERT_EQ(window->current_screen(), "confirm");
  EXPECT_TRUE(window->findChild<QLabel*>("confirm_fields")->text().contains("13812345678"));
  ASSERT_TRUE(window->tap("edit"));
  ASSERT_EQ(window->current_screen(), "form");
  EXPECT_EQ(window->findChild<QLineEdit*>("phone")->text(), "13812345678") << "kept for editing";
  ASSERT_TRUE(window->tap("submit"));
  ASSERT_TRUE(window->tap("confirm"));
  run_until([&] { return window->current_screen() != "progress"; });
  ASSERT_EQ(window->current_screen(), "done") << window->last_outcome().reason;
  EXPECT_EQ(window->last_outcome().status, OutcomeStatus::kSubmitted);
  EXPECT_EQ(terminal_->backend->application_count(), 1u);
}

TEST_F(KioskWindowTest, BackOnTheCardScreenIsNeverLost) {
  auto window = open_window();
  // Tapped at once, before the worker can have begun waiting for the card.
  ASSERT_TRUE(window->tap("start"));
  ASSERT_TRUE(window->tap("cancel"));
  run_until([&] { return window->current_screen() == "attract"; });
  EXPECT_EQ(window->last_outcome().status, OutcomeStatus::kCanceled);  // not a wait that ran out
  // And the next citizen is served as usual.
  identify(*window);
}

TEST_F(KioskWindowTest, BackWhileTheCertificatePrintsEndsTheWaitAndCancelsTheJob) {
  auto window = open_window();
  identify(*window);
  terminal_->printer->hold_jobs(true);  // a slow printer: the job stays "processing"
  // The job reaching the printer wakes this thread's loop.
  terminal_->printer->on_submit([] {
    QMetaObject::invokeMethod(
        qApp, [] {}, Qt::QueuedConnection);
  });
  ASSERT_TRUE(window->tap("NH-SB-0001"));
  run_until([&] { return terminal_->printer->jobs().size() == 1u; });
  ASSERT_TRUE(window->tap("cancel"));
  run_until([&] { return window->current_screen() == "attract"; });
  EXPECT_EQ(window->last_outcome().status, OutcomeStatus::kCanceled);
  EXPECT_EQ(window->last_outcome().failed_step, services::Step::kPrint);
  // Nobody finds the citizen's certificate in the tray: the job was cancelled.
  auto job = terminal_->printer->job_status(1);
  ASSERT_TRUE(job);
  EXPECT_EQ(job->state, printer::JobState::kCanceled);
  // The journal says what happened.
  auto entries = terminal_->parts.journal->entries(window->last_outcome().transaction_id);
  ASSERT_TRUE(entries);
  ASSERT_FALSE(entries->empty());
  EXPECT_EQ(entries->back().step, "print.failed");
  EXPECT_NE(entries->back().detail.find("canceled"), std::string::npos) << entries->back().detail;
}

TEST_F(KioskWindowTest, ACitizenWhoWalksAwayIsForgotten) {
  auto window = open_window();
  identify(*window);
  ASSERT_TRUE(window->tap("NH-GA-0003"));
  ASSERT_TRUE(window->fill("phone", "13812345678"));
  window->set_idle_warning_seconds(1);
  window->set_inactivity_timeout(1);  // nobody touches the form again
  bool warned = false;
  run_until([&] {
    warned = warned || window->idle_warning_shown();
    return window->current_screen() == "attract";
  });
  EXPECT_TRUE(warned) << "the session ended without a warning";
  EXPECT_FALSE(window->idle_warning_shown());
  EXPECT_FALSE(window->fill("phone", "x"));  // the form and what was typed are gone
  EXPECT_EQ(terminal_->engine().state(), services::TxState::kIdle);
  EXPECT_EQ(terminal_->backend->application_count(), 0u);
}

// Before a session ends for want of a touch, a warning counts down from 30 s (WCAG 2.2.1: at
// least 20 to react); "continue" keeps the citizen where they were, with what they typed.
TEST_F(KioskWindowTest, TheIdleWarningCountsDownAndContinuingKeepsTheForm) {
  auto window = open_window();
  identify(*window);
  ASSERT_TRUE(window->tap("NH-GA-0003"));
  ASSERT_TRUE(window->fill("phone", "13812345678"));
  window->set_inactivity_timeout(1);
  run_until([&] { return window->idle_warning_shown(); });
  EXPECT_GE(window->idle_seconds_left(), 20);
  auto* countdown = window->findChild<QLabel*>("idle_countdown");
  ASSERT_NE(countdown, nullptr);
  EXPECT_TRUE(countdown->text().contains("30")) << countdown->text().toStdString();
  EXPECT_EQ(window->current_screen(), "form");
  save_screen(*window, "idle-warning");
  EXPECT_FALSE(window->tap("submit")) << "the warning is over the form";
  window->set_inactivity_timeout(KioskWindow::kInactivityMs);
  ASSERT_TRUE(window->tap("still_here"));
  EXPECT_FALSE(window->idle_warning_shown());
  EXPECT_EQ(window->current_screen(), "form");
  EXPECT_EQ(window->findChild<QLineEdit*>("phone")->text(), "13812345678");
}

TEST_F(KioskWindowTest, PaperOutShowsANoticeAndDisablesPrintingItems) {
  terminal_->printer->set_media(MediaState::kPaperOut);
  auto window = open_window();
  EXPECT_FALSE(window->printer_ready());
  auto* notice = window->findChild<QLabel*>("notice");
  ASSERT_NE(notice, nullptr);
  EXPECT_TRUE(notice->isVisible());
  EXPECT_TRUE(notice->text().contains("打印纸已用完")) << notice->text().toStdString();

  identify(*window);
  auto* item = window->findChild<QPushButton*>("NH-SB-0001");
  ASSERT_NE(item, nullptr);
  EXPECT_FALSE(item->isEnabled());
  EXPECT_TRUE(item->text().contains("打印机暂不可用")) << item->text().toStdString();
  EXPECT_FALSE(window->tap("NH-SB-0001"));
  EXPECT_TRUE(terminal_->printer->jobs().empty());

  // Paper is loaded while the citizen looks at the list: the item becomes available.
  await_device(*window, "printer", [&] { terminal_->printer->set_media(MediaState::kPaperOk); });
  EXPECT_TRUE(item->isEnabled());
  EXPECT_FALSE(item->text().contains("打印机暂不可用"));
}

class KioskWithoutAReaderTest : public KioskWindowTest {
 protected:
  void SetUp() override { start(/*reader_present=*/false); }
};

// A 24-hour hall cannot send someone to restart the box: the kiosk comes up without its reader,
// says so, and serves the first citizen once the reader is plugged in.
TEST_F(KioskWithoutAReaderTest, StartsSaysWhyAndServesOnceTheReaderAppears) {
  auto window = open_window();
  EXPECT_FALSE(window->device_usable(DeviceKind::kCardReader));
  auto* notice = window->findChild<QLabel*>("notice");
  ASSERT_NE(notice, nullptr);
  EXPECT_TRUE(notice->isVisible());
  EXPECT_TRUE(notice->text().contains("读卡器暂不可用")) << notice->text().toStdString();
  EXPECT_FALSE(window->tap("start"));  // nothing to start without a reader

  await_device(*window, "reader", [&] { terminal_->reader->plug(); });
  EXPECT_TRUE(window->device_usable(DeviceKind::kCardReader));
  EXPECT_FALSE(notice->isVisible());
  identify(*window);
  ASSERT_TRUE(window->tap("NH-SB-0001"));
  run_until([&] { return window->current_screen() == "done"; });

  // Pulled out mid-day, plugged back: used again without a restart.
  ASSERT_TRUE(window->tap("finish"));
  await_device(*window, "reader", [&] { terminal_->reader->unplug(); });
  EXPECT_FALSE(window->tap("start"));
  await_device(*window, "reader", [&] { terminal_->reader->plug(); });
  terminal_->reader->lift();
  identify(*window);
}

// Presses on a widget as a finger does (the application's event filters see it), at `at` in the
// widget's coordinates (its centre when not given).
void press(QWidget* widget, std::optional<QPointF> where = std::nullopt) {
  const QPointF at = where.value_or(QPointF(widget->width() / 2.0, widget->height() / 2.0));
  QMouseEvent down(QEvent::MouseButtonPress, at, widget->mapToGlobal(at), Qt::LeftButton,
                   Qt::LeftButton, Qt::NoModifier);
  QCoreApplication::sendEvent(widget, &down);
  QMouseEvent up(QEvent::MouseButtonRelease, at, widget->mapToGlobal(at), Qt::LeftButton,
                 Qt::NoButton, Qt::NoModifier);
  QCoreApplication::sendEvent(widget, &up);
}

// WCAG's relative luminance of an sRGB colour, and the contrast ratio of two.
double luminance(QColor c) {
  const auto channel = [](double v) {
    v /= 255.0;
    return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue());
}
double contrast(QColor a, QColor b) {
  const double x = luminance(a), y = luminance(b);
  return (std::max(x, y) + 0.05) / (std::min(x, y) + 0.05);
}

// The text a widget shows a citizen, when it is on show (scrolled out of sight is not) and is a
// label, a button or a field; nothing otherwise.
std::optional<QString> text_on_show(QWidget* w) {
  if (!w->isVisible() || w->visibleRegion().isEmpty()) return std::nullopt;
  if (auto* label = qobject_cast<QLabel*>(w)) return label->text();
  if (auto* button = qobject_cast<QPushButton*>(w)) return button->text();
  if (auto* edit = qobject_cast<QLineEdit*>(w)) return edit->text();
  return std::nullopt;
}

// What is on show, measured as rendered: every visible text's pixel size (at least 18, headings
// at least 30), every button's laid-out size (at least 60 × 60), and the contrast of each text
// against what is behind it in the window's own rendering (at least 4.5:1): the most common
// colour in the widget's rectangle is its background, the colour furthest from it its text.
struct Measured {
  int texts = 0;
  int buttons = 0;
  std::map<std::string, int> font_px;  // by object name and text
  std::vector<std::string> problems;
};
Measured measure(QWidget& window) {
  QCoreApplication::processEvents();
  QCoreApplication::processEvents();
  const QImage shot = window.grab().toImage();
  Measured m;
  for (auto* w : window.findChildren<QWidget*>()) {
    const auto shown = text_on_show(w);
    if (!shown) continue;
    const QString text = *shown;
    const std::string name = w->objectName().toStdString() + " \"" + text.toStdString() + "\"";
    if (auto* button = qobject_cast<QPushButton*>(w)) {
      ++m.buttons;
      if (button->width() < 60 || button->height() < 60)
        m.problems.push_back(name + ": a " + std::to_string(button->width()) + " x " +
                             std::to_string(button->height()) + " target");
    }
    if (text.trimmed().isEmpty() || text.startsWith("<")) continue;  // rich text: its own sizes
    ++m.texts;
    const int px = QFontInfo(w->font()).pixelSize();
    m.font_px[name] = px;
    const int floor = w->objectName() == "heading" ? 30 : 18;
    if (px < floor)
      m.problems.push_back(name + ": " + std::to_string(px) + " px text, under " +
                           std::to_string(floor));
    const QRect r(w->mapTo(&window, QPoint(0, 0)), w->size());
    std::map<QRgb, int> counts;
    for (int y = r.top(); y <= r.bottom() && y < shot.height(); ++y)
      for (int x = r.left(); x <= r.right() && x < shot.width(); ++x) ++counts[shot.pixel(x, y)];
    if (counts.empty()) continue;
    const QColor background(
        std::max_element(counts.begin(), counts.end(), [](const auto& a, const auto& b) {
          return a.second < b.second;
        })->first);
    double best = 1;
    for (const auto& [rgb, n] : counts) best = std::max(best, contrast(QColor(rgb), background));
    if (best < 4.5)
      m.problems.push_back(name + ": contrast " + std::to_string(best).substr(0, 4) + ":1");
  }
  return m;
}

// Every screen a citizen meets, in standard and in elderly mode (one tap on each, in the
// banner), measured as rendered rather than read back from the style sheet.
TEST_F(KioskWindowTest, EveryScreenIsReadableAndTouchableInEitherMode) {
  auto window = open_window();
  int texts = 0, buttons = 0;
  std::map<std::string, int> standard_px, elderly_px;
  const auto check = [&](const char* screen) {
    SCOPED_TRACE(screen);
    ASSERT_EQ(window->current_screen(), screen);
    for (const bool elderly : {false, true}) {
      if (window->elderly() != elderly) {
        ASSERT_TRUE(window->tap("elderly"));
      }
      ASSERT_EQ(window->elderly(), elderly);
      const Measured m = measure(*window);
      for (const auto& p : m.problems) ADD_FAILURE() << (elderly ? "elderly: " : "") << p;
      texts += m.texts;
      buttons += m.buttons;
      save_screen(*window, QString(screen) + (elderly ? "-elderly" : ""));
      (elderly ? elderly_px : standard_px).insert(m.font_px.begin(), m.font_px.end());
    }
    ASSERT_TRUE(window->tap("elderly"));  // back to standard for the next step
  };
  check("attract");
  ASSERT_TRUE(window->tap("start"));
  check("read_card");
  terminal_->reader->lay(terminal_->card());
  run_until([&] { return window->current_screen() == "choose_item"; });
  check("choose_item");
  ASSERT_TRUE(window->tap("NH-GA-0003"));
  auto* phone = window->findChild<QLineEdit*>("phone");
  ASSERT_NE(phone, nullptr);
  press(phone);
  check("form");
  for (const QChar c : QString("13812345678")) ASSERT_TRUE(window->tap("key_" + QString(c)));
  ASSERT_TRUE(window->tap("key_done"));
  ASSERT_TRUE(window->tap("submit"));
  check("confirm");
  ASSERT_TRUE(window->tap("confirm"));
  run_until([&] { return window->current_screen() == "done"; });
  check("done");
  // 办理进度, listing the application just made.
  ASSERT_TRUE(window->tap("finish"));
  run_until([&] { return window->current_screen() == "attract"; });
  ASSERT_TRUE(window->tap("progress"));
  check("find_application");
  // The list itself needs the citizen's face verified (a camera this terminal lacks): shown here
  // with sample data, as `kiosk --screenshot --screen applications` does.
  ASSERT_TRUE(window->show_sample("applications"));
  run_until([&] { return window->current_screen() == "applications"; });
  check("applications");
  EXPECT_GT(texts, 40);
  EXPECT_GT(buttons, 40);
  // Elderly mode is larger, not only large enough: every text measured in both grew.
  int compared = 0;
  for (const auto& [name, px] : standard_px)
    if (auto it = elderly_px.find(name); it != elderly_px.end()) {
      ++compared;
      EXPECT_GT(it->second, px) << name;
    }
  EXPECT_GT(compared, 10);
}

// Texts on show that the language's translations would have put otherwise: a fixed text left in
// Simplified Chinese (any language), or Chinese characters at all in English (but for the
// citizen's own masked name, and the keyboard's key back to Chinese).
std::vector<std::string> untranslated(QWidget& window, const QString& language) {
  std::vector<std::string> found;
  static const char* const contexts[] = {"smzc::ui::KioskWindow", "smzc::ui::Messages",
                                         "smzc::ui::OnScreenKeyboard"};
  static const QRegularExpression han("[\\x{4e00}-\\x{9fff}]");
  for (auto* w : window.findChildren<QWidget*>()) {
    const auto shown = text_on_show(w);
    if (!shown || shown->isEmpty() || qobject_cast<QLineEdit*>(w)) continue;  // fields: typed
    const QString& text = *shown;
    for (const char* context : contexts)
      if (QCoreApplication::translate(context, text.toUtf8().constData()) != text)
        found.push_back(w->objectName().toStdString() + ": \"" + text.toStdString() + "\"");
    const bool personal = w->objectName() == "body" && text.contains("**");
    // The language button names the next language in that language (简体 back from English).
    const bool own_name = w->objectName() == "key_mode" || w->objectName() == "language";
    if (language == "en" && text.contains(han) && !personal && !own_name)
      found.push_back(w->objectName().toStdString() + ": \"" + text.toStdString() + "\"");
  }
  return found;
}

// One tap on any screen changes the language; everything on show follows, the catalogue's item
// names included, and the next citizen starts in Simplified Chinese again.
TEST_F(KioskWindowTest, EveryScreenSpeaksTheLanguageChosenOnIt) {
  auto window = open_window();
  auto* welcome = window->findChild<QWidget*>("attract")->findChild<QLabel*>("heading");
  ASSERT_NE(welcome, nullptr);
  EXPECT_EQ(welcome->text(), "欢迎使用市民之窗");
  ASSERT_TRUE(window->tap("language"));
  EXPECT_EQ(window->language(), "zh-HK");
  EXPECT_EQ(welcome->text(), "歡迎使用市民之窗");
  for (const auto& t : untranslated(*window, "zh-HK")) ADD_FAILURE() << "zh-HK: " << t;
  save_screen(*window, "attract-zh-HK");
  ASSERT_TRUE(window->tap("language"));
  EXPECT_EQ(window->language(), "en");
  EXPECT_EQ(welcome->text(), "Welcome to Citizen Window");

  const auto check = [&](const char* screen) {
    SCOPED_TRACE(screen);
    ASSERT_EQ(window->current_screen(), screen);
    QCoreApplication::processEvents();
    for (const auto& t : untranslated(*window, "en")) ADD_FAILURE() << "en: " << t;
    save_screen(*window, QString(screen) + "-en");
  };
  check("attract");
  ASSERT_TRUE(window->tap("start"));
  check("read_card");
  terminal_->reader->lay(terminal_->card());
  run_until([&] { return window->current_screen() == "choose_item"; });
  check("choose_item");
  auto* item = window->findChild<QPushButton*>("NH-GA-0003");
  ASSERT_NE(item, nullptr);
  EXPECT_FALSE(item->text().contains(QRegularExpression("[\\x{4e00}-\\x{9fff}]")))
      << item->text().toStdString();
  ASSERT_TRUE(window->tap("NH-GA-0003"));
  press(window->findChild<QLineEdit*>("phone"));
  check("form");
  for (const QChar c : QString("13812345678")) ASSERT_TRUE(window->tap("key_" + QString(c)));
  ASSERT_TRUE(window->tap("key_done"));
  ASSERT_TRUE(window->tap("submit"));
  check("confirm");
  ASSERT_TRUE(window->tap("confirm"));
  run_until([&] { return window->current_screen() == "done"; });
  check("done");
  ASSERT_TRUE(window->tap("finish"));
  run_until([&] { return window->current_screen() == "attract"; });
  EXPECT_EQ(window->language(), "zh-CN");
  EXPECT_EQ(welcome->text(), "欢迎使用市民之窗");
}

// Switched on from the screen, each step is read aloud by espeak-ng in the language on show
// (recorded here as WAV files instead of played); a card left on the reader when the citizen is
// done is shown and said; the next citizen starts with the voice off.
TEST_F(KioskWindowTest, SpokenGuidanceReadsEachStepAndRemindsOfTheCard) {
  auto window = open_window();
  window->speaker().record_into(dir_.path());
  int ended = 0, failed = 0;
  QObject::connect(&window->speaker(), &Speaker::finished,
                   [&](bool ok) { ok ? ++ended : ++failed; });
  ASSERT_TRUE(window->tap("speech"));
  EXPECT_TRUE(window->speaker().enabled());
  EXPECT_EQ(window->speaker().last_said(), "欢迎使用市民之窗");
  // Spoken in full: espeak-ng ends and leaves a recording of it.
  run_until([&] { return ended + failed > 0; });
  EXPECT_EQ(failed, 0) << "espeak-ng failed";
  ASSERT_TRUE(std::filesystem::exists(dir_ / "1.wav"));
  EXPECT_GT(std::filesystem::file_size(dir_ / "1.wav"), 1000u);
  ASSERT_TRUE(window->tap("start"));
  EXPECT_EQ(window->speaker().last_said(), "请将身份证放在读卡区");
  terminal_->reader->lay(terminal_->card());
  run_until([&] { return window->current_screen() == "choose_item"; });
  ASSERT_TRUE(window->tap("NH-SB-0001"));
  run_until([&] { return window->current_screen() == "done"; });
  auto* reminder = window->findChild<QLabel*>("card_reminder");
  ASSERT_NE(reminder, nullptr);
  EXPECT_TRUE(reminder->isVisible()) << "the card is still on the reader";
  EXPECT_TRUE(window->speaker().last_said().contains("请取走您的身份证"))
      << window->speaker().last_said().toStdString();
  await_device(*window, "reader", [&] { terminal_->reader->lift(); });
  EXPECT_FALSE(reminder->isVisible());
  ASSERT_TRUE(window->tap("finish"));
  run_until([&] { return window->current_screen() == "attract"; });
  EXPECT_FALSE(window->speaker().enabled());
}

// A bank's 政银合作 point names the bank in the banner, in every language; a hall shows nothing
// more than the government's own title.
TEST(KioskWindowSiteTest, ABankPointNamesTheBank) {
  testing::TempDir dir;
  auto t = testing::FakeTerminal::start(dir / "bank", true, &testing::test_clock(), {}, {},
                                        [](services::Config& c) {
                                          c.site.kind = "bank";
                                          c.site.branding = "中国银行佛山南海支行";
                                        });
  ASSERT_TRUE(t) << t.error().message;
  KioskWindow window(t.value()->engine());
  auto* branding = window.findChild<QLabel*>("branding");
  ASSERT_NE(branding, nullptr);
  EXPECT_EQ(branding->text(), "中国银行佛山南海支行 · 政银合作服务点");
  ASSERT_TRUE(window.set_language("en"));
  EXPECT_EQ(branding->text(), "中国银行佛山南海支行 · Government services at this bank");
  ASSERT_TRUE(window.set_language("zh-CN"));

  testing::TempDir hall_dir;
  auto hall = testing::FakeTerminal::start(hall_dir.path());
  ASSERT_TRUE(hall) << hall.error().message;
  KioskWindow hall_window(hall.value()->engine());
  EXPECT_TRUE(hall_window.findChild<QLabel*>("branding")->text().isEmpty());
}

// A face camera (the real driver) replaying `portrait`'s person following the terminal's
// challenges for `tries` tries.
std::vector<std::unique_ptr<Device>> face_camera(const std::filesystem::path& dir,
                                                 const cv::Mat& portrait, int tries) {
  std::vector<std::unique_ptr<Device>> cameras;
  cameras.push_back(std::make_unique<camera::OpenCvCamera>(
      "face",
      camera::OpenCvCamera::Options{
          .address =
              "file:" + camera::sim::write_sequence(
                            dir, testing::following_challenges(
                                     portrait, testing::SimulatedTerminal::kChallengeSeed, tries)),
          .file_fps = 0}));
  return cameras;
}

// 办理进度: a citizen who left with the decision still to come returns, finds the application
// approved since under 办理进度 and prints its certificate there; then it is listed as printed,
// with nothing to collect. Another citizen's card finds none of it.
TEST(KioskWindowApplicationsTest, ACertificateApprovedLaterIsCollectedUnderMyApplications) {
  testing::TempDir dir;
  // The citizen's face at the camera: the platform serves their records once it is verified.
  auto t = testing::FakeTerminal::start(
      dir.path(), true, &testing::test_clock(),
      face_camera(dir / "face", camera::sim::load_picture(camera::sim::kGraceHopper), 1), {},
      [](services::Config& c) { c.decision_timeout_ms = 0; });
  ASSERT_TRUE(t) << t.error().message;
  auto& terminal = *t.value();
  KioskWindow window(terminal.engine());
  window.resize(1280, 800);
  window.show();
  const auto come_with = [&](const IdentityCard& card, const char* expected = "applications") {
    run_until([&] { return window.current_screen() == "attract"; });
    ASSERT_TRUE(window.tap("progress"));
    ASSERT_EQ(window.current_screen(), "find_application");
    ASSERT_TRUE(window.tap("by_card"));
    terminal.reader->lift();
    terminal.reader->lay(card);
    run_until([&] {
      return window.current_screen() == "applications" || window.current_screen() == "error";
    });
    ASSERT_EQ(window.current_screen(), expected) << window.last_outcome().reason;
  };
  run_until([&] { return window.current_screen() == "attract"; });
  ASSERT_TRUE(window.tap("start"));
  terminal.reader->lay(terminal.card());
  run_until([&] { return window.current_screen() == "choose_item"; });
  terminal.backend->set_faults({.pending_polls = 1000});
  ASSERT_TRUE(window.tap("NH-SB-0001"));
  run_until(
      [&] { return window.current_screen() == "done" || window.current_screen() == "error"; });
  ASSERT_EQ(window.last_outcome().status, OutcomeStatus::kPending);
  const QString id = QString::fromStdString(window.last_outcome().application_id);
  terminal.backend->set_faults({});
  ASSERT_TRUE(window.tap("finish"));

  auto other = idcard::load_card_json(testing::source_dir() /
                                      "drivers/idcard/sim/cards/foreigner-2023.json");
  ASSERT_TRUE(other);
  // Another citizen's card, with the holder's face at the camera: the platform verifies nobody,
  // and nothing of anyone's is listed.
  come_with(other.value(), "error");
  EXPECT_EQ(window.findChild<QLabel*>("application_" + id), nullptr);
  ASSERT_TRUE(window.tap("home"));

  come_with(terminal.card());
  auto* listed = window.findChild<QLabel*>("application_" + id);
  ASSERT_NE(listed, nullptr);
  EXPECT_TRUE(listed->text().contains("可在本机打印")) << listed->text().toStdString();
  save_screen(window, "applications");
  ASSERT_TRUE(window.tap("collect_" + id));
  run_until(
      [&] { return window.current_screen() == "done" || window.current_screen() == "error"; });
  ASSERT_EQ(window.current_screen(), "done") << window.last_outcome().reason;
  EXPECT_EQ(window.last_outcome().status, OutcomeStatus::kPrinted);
  EXPECT_EQ(terminal.printer->jobs().size(), 1u);
  ASSERT_TRUE(window.tap("finish"));

  come_with(terminal.card());
  listed = window.findChild<QLabel*>("application_" + id);
  ASSERT_NE(listed, nullptr);
  EXPECT_TRUE(listed->text().contains("已打印")) << listed->text().toStdString();
  EXPECT_FALSE(window.tap("collect_" + id)) << "printed once: a second is a reprint";
  ASSERT_TRUE(window.set_language("en"));
  listed = window.findChild<QLabel*>("application_" + id);  // the list is redone in English
  ASSERT_NE(listed, nullptr);
  EXPECT_TRUE(listed->text().contains("was printed")) << listed->text().toStdString();
  ASSERT_TRUE(window.tap("home"));
  run_until([&] { return window.current_screen() == "attract"; });
  EXPECT_EQ(window.findChild<QLabel*>("application_" + id), nullptr) << "wiped on leaving";

  // By the number alone, typed on the screen's keys: where it stands, and nothing to print.
  const auto look_up = [&](const QString& number) {
    auto* field = window.findChild<QLineEdit*>("application_number");
    ASSERT_NE(field, nullptr);
    field->clear();
    press(field);
    for (const QChar c : number) {
      const QString key = "key_" + QString(c.toLower());
      bool typed = window.tap(key);
      for (int page = 0; page < 2 && !typed; ++page) {  // letters ⇄ digits
        ASSERT_TRUE(window.tap("key_mode"));
        typed = window.tap(key);
      }
      ASSERT_TRUE(typed) << key.toStdString();
    }
    ASSERT_TRUE(window.tap("lookup"));
  };
  ASSERT_TRUE(window.tap("progress"));
  look_up("A0000000000000000");
  auto* not_found = window.findChild<QLabel*>("not_found");
  run_until([&] { return not_found->isVisible(); });
  EXPECT_EQ(window.current_screen(), "find_application");
  look_up(id);
  run_until([&] { return window.current_screen() == "applications"; });
  listed = window.findChild<QLabel*>("application_" + id);
  ASSERT_NE(listed, nullptr);
  EXPECT_TRUE(listed->text().contains("已打印")) << listed->text().toStdString();
  EXPECT_FALSE(window.tap("collect_" + id));
  ASSERT_TRUE(window.tap("home"));
}

// A key sink: counts the key presses that reach it.
class KeyProbe : public QWidget {
 public:
  using QWidget::QWidget;
  int presses = 0;

 protected:
  void keyPressEvent(QKeyEvent*) override { ++presses; }
};

// On a terminal the window fills the screen without a window manager's help, has no frame, and
// neither the keys that leave a window nor a close request get a citizen out of it.
TEST_F(KioskWindowTest, ALockedDownWindowFillsTheScreenAndCannotBeLeft) {
  KioskWindow window(terminal_->engine());
  kiosk::show(window, /*windowed=*/false);
  ASSERT_NE(window.screen(), nullptr);
  EXPECT_EQ(window.geometry(), window.screen()->geometry());
  EXPECT_TRUE(window.windowFlags() & Qt::FramelessWindowHint);
  window.lock_down();
  KeyProbe probe(&window);
  probe.show();
  const auto press_key = [&](int key, Qt::KeyboardModifiers mods) {
    QKeyEvent e(QEvent::KeyPress, key, mods);
    QCoreApplication::sendEvent(&probe, &e);
  };
  for (const auto& [key, mods] : std::vector<std::pair<int, Qt::KeyboardModifiers>>{
           {Qt::Key_F4, Qt::AltModifier},
           {Qt::Key_Tab, Qt::AltModifier},
           {Qt::Key_Super_L, Qt::NoModifier},
           {Qt::Key_D, Qt::MetaModifier},
           {Qt::Key_Backspace, Qt::ControlModifier | Qt::AltModifier},
           {Qt::Key_F2, Qt::ControlModifier | Qt::AltModifier},
           {Qt::Key_Escape, Qt::ControlModifier},
           {Qt::Key_Q, Qt::ControlModifier}})
    press_key(key, mods);
  EXPECT_EQ(probe.presses, 0) << "a key that leaves the kiosk got through";
  press_key(Qt::Key_A, Qt::NoModifier);
  press_key(Qt::Key_Backspace, Qt::NoModifier);
  EXPECT_EQ(probe.presses, 2) << "ordinary keys still work";
  EXPECT_FALSE(window.close());
  EXPECT_TRUE(window.isVisible());
}

// A fake terminal with SANE's test scanner and `more` devices, found before the first card.
std::unique_ptr<testing::FakeTerminal> terminal_with_scanner(
    const std::filesystem::path& dir, std::vector<std::unique_ptr<Device>> more = {}) {
  setenv("SANE_CONFIG_DIR", (testing::source_dir() / "drivers/scanner/sim").c_str(), 1);
  more.push_back(std::make_unique<scanner::SaneScanner>("scanner", "test:0"));
  auto t = testing::FakeTerminal::start(dir, true, &testing::test_clock(), std::move(more));
  if (!t) {
    ADD_FAILURE() << t.error().message;
    return nullptr;
  }
  t.value()->parts.terminal->devices().poll_all();
  return std::move(t.value());
}

// Shows `window` at `size` and takes the test card to the item list.
void to_items(KioskWindow& window, testing::FakeTerminal& terminal, QSize size) {
  window.resize(size);
  window.show();
  ASSERT_TRUE(window.tap("start"));
  terminal.reader->lay(terminal.card());
  run_until([&] { return window.current_screen() == "choose_item"; });
}

// The whole journey of an item that needs the face check and a scanned material: on the real
// camera driver replaying a person, SANE's test scanner and the fake reader and printer.
TEST(KioskWindowCameraTest, AFaceCheckAndAScannedLeaseCarryTheApplicationThrough) {
  testing::TempDir dir;
  auto t = terminal_with_scanner(
      dir / "terminal",
      face_camera(dir / "face", camera::sim::load_picture(camera::sim::kGraceHopper), 1));
  ASSERT_TRUE(t);
  auto& terminal = *t;
  KioskWindow window(terminal.engine());
  to_items(window, terminal, {1280, 800});
  ASSERT_TRUE(window.tap("NH-GJJ-0003"));  // 公积金提取(租房): face check, lease scanned
  ASSERT_EQ(window.current_screen(), "form");
  ASSERT_TRUE(window.tap("capture_lease"));
  run_until([&] { return window.current_screen() == "captured"; });
  auto* page = window.findChild<QLabel*>("captured_view");
  ASSERT_NE(page, nullptr);
  EXPECT_FALSE(page->pixmap().isNull()) << "the citizen sees the captured page";
  ASSERT_TRUE(window.tap("retake"));  // once more, then accept
  run_until([&] { return window.current_screen() == "captured"; });
  ASSERT_TRUE(window.tap("accept"));
  ASSERT_EQ(window.current_screen(), "form");
  ASSERT_TRUE(window.fill("phone", "13812345678"));
  ASSERT_TRUE(window.tap("submit"));
  ASSERT_TRUE(window.tap("confirm"));
  bool saw_camera = false;
  run_until([&] {
    saw_camera = saw_camera || window.current_screen() == "camera";
    return window.current_screen() == "done" || window.current_screen() == "error";
  });
  ASSERT_EQ(window.current_screen(), "done") << window.last_outcome().reason;
  EXPECT_EQ(window.last_outcome().status, OutcomeStatus::kSubmitted);
  EXPECT_TRUE(saw_camera) << "the face check showed the camera";
  auto* advice = window.findChild<QLabel*>("camera_advice");
  ASSERT_NE(advice, nullptr);
  EXPECT_EQ(advice->text(), "很好，请保持");
  ASSERT_TRUE(window.tap("finish"));
  run_until([&] { return window.current_screen() == "attract"; });
  // Nothing of the citizen stays on the screens.
  EXPECT_TRUE(page->pixmap().isNull());
  EXPECT_TRUE(window.findChild<QLabel*>("camera_view")->pixmap().isNull());
}

// Someone else than the card's holder at the camera: they follow every challenge, are refused on
// the terminal three times, nothing is applied for, and they are told the ways that remain.
TEST(KioskWindowCameraTest, SomeoneElseAtTheCameraIsToldTheWaysThatRemain) {
  testing::TempDir dir;
  auto t = terminal_with_scanner(dir / "terminal",
                                 face_camera(dir / "face", testing::another_person(), 3));
  ASSERT_TRUE(t);
  auto& terminal = *t;
  const size_t applications = terminal.backend->application_count();
  KioskWindow window(terminal.engine());
  to_items(window, terminal, {1280, 800});
  ASSERT_TRUE(window.tap("NH-GA-0001"));  // 户籍证明: the face check first
  bool saw_try_again = false;
  run_until([&] {
    if (auto* advice = window.findChild<QLabel*>("camera_advice"))
      saw_try_again = saw_try_again || advice->text() == "未能核验，请再试一次";
    return window.current_screen() == "done" || window.current_screen() == "error";
  });
  ASSERT_EQ(window.current_screen(), "error");
  EXPECT_EQ(window.last_outcome().notice, services::Notice::kFaceNotMatched);
  EXPECT_EQ(window.last_outcome().face_check->attempts, 3);
  EXPECT_TRUE(saw_try_again) << "each new try says so";
  EXPECT_EQ(terminal.backend->application_count(), applications);
  bool told = false;
  for (auto* label : window.findChildren<QLabel*>())
    told = told || (label->isVisible() && label->text().contains("电子身份码") &&
                    label->text().contains("人工服务窗口"));
  EXPECT_TRUE(told) << "the e-ID code and the staffed counter are offered";
  for (auto* label : window.findChildren<QLabel*>())
    EXPECT_FALSE(label->isVisible() && label->text().contains(QRegularExpression("0\\.[0-9]{2}")))
        << "no score is shown: " << label->text().toStdString();
}

// The item list is browsed by category (named in the language on show) and searched by name,
// typed in pinyin on the screen's own keys; the narrowings combine, and a search that finds
// nothing says so.
TEST_F(KioskWindowTest, TheItemListIsBrowsedByCategoryAndSearchedInPinyin) {
  auto window = open_window();
  identify(*window);
  auto& items = window->journey().items();
  const auto shown = [&] { return items.shown_items(); };
  const auto has = [&](const std::string& code) {
    const auto codes = shown();
    return std::find(codes.begin(), codes.end(), code) != codes.end();
  };
  ASSERT_TRUE(has("NH-SB-0001") && has("NH-BDC-0003"));
  ASSERT_TRUE(window->tap("category_不动产"));
  EXPECT_FALSE(has("NH-SB-0001"));
  EXPECT_TRUE(has("NH-BDC-0001") && has("NH-BDC-0003"));
  // Real estate served across cities: NH-BDC-0003 is local only.
  ASSERT_TRUE(window->tap("scope_cross-city"));
  EXPECT_TRUE(has("NH-BDC-0001"));
  EXPECT_FALSE(has("NH-BDC-0003"));
  ASSERT_TRUE(window->tap("scope_all"));
  ASSERT_TRUE(window->tap("category_all"));
  EXPECT_TRUE(has("NH-SB-0001") && has("NH-BDC-0003"));

  auto* search = window->findChild<QLineEdit*>("search");
  ASSERT_NE(search, nullptr);
  press(search);
  auto* keyboard = window->findChild<OnScreenKeyboard*>();
  ASSERT_TRUE(keyboard && keyboard->isVisible());
  EXPECT_EQ(keyboard->layout(), KeyboardLayout::kPinyin);
  for (const QChar c : QString("shebao")) ASSERT_TRUE(window->tap("key_" + QString(c)));
  bool chosen = false;
  for (int page = 0; page < 10 && !chosen; ++page) {
    for (int i = 0; i < OnScreenKeyboard::kCandidatesPerPage && !chosen; ++i) {
      auto* c = keyboard->findChild<QPushButton*>(QString("candidate_%1").arg(i));
      if (c && c->isVisible() && c->text() == "社保") chosen = window->tap(c->objectName());
    }
    if (!chosen) {
      ASSERT_TRUE(window->tap("candidates_more"));
    }
  }
  ASSERT_TRUE(chosen) << keyboard->candidates().join(" ").toStdString();
  EXPECT_EQ(search->text(), "社保");
  EXPECT_TRUE(has("NH-SB-0001") && has("NH-SW-0002"));
  EXPECT_FALSE(has("NH-BDC-0003"));
  for (const auto& code : shown())
    EXPECT_TRUE(
        window->findChild<QPushButton*>(QString::fromStdString(code))->text().contains("社保"))
        << code;
  save_screen(*window, "items-searched");
  auto* nothing = window->findChild<QLabel*>("nothing_found");
  ASSERT_NE(nothing, nullptr);
  EXPECT_FALSE(nothing->isVisible());
  ASSERT_TRUE(window->tap("category_不动产"));
  EXPECT_TRUE(shown().empty());
  EXPECT_TRUE(nothing->isVisible());
  ASSERT_TRUE(window->tap("key_done"));

  // The categories' names come from the catalogue, in the language on show.
  ASSERT_TRUE(window->set_language("en"));
  EXPECT_EQ(window->findChild<QPushButton*>("category_不动产")->text(), "Real estate");
  search->clear();
  search->setText("registration");  // an English name matches in English
  EXPECT_TRUE(has("NH-BDC-0001"));
  EXPECT_FALSE(has("NH-BDC-0003"));
  EXPECT_FALSE(nothing->isVisible());
  ASSERT_TRUE(window->tap("leave"));
  EXPECT_TRUE(search->text().isEmpty()) << "the search goes with the citizen";
}

// A company started with nothing but the screen: the phone number on the digit keys, the
// company's name in pinyin, the lease on SANE's test scanner.
TEST(KioskWindowKeyboardTest, ACompanyNameIsTypedInPinyinOnTheScreen) {
  testing::TempDir dir;
  auto t = terminal_with_scanner(dir / "terminal");
  ASSERT_TRUE(t);
  auto& terminal = *t;
  KioskWindow window(terminal.engine());
  to_items(window, terminal, {1280, 1024});
  ASSERT_TRUE(window.tap("NH-SC-0003"));  // 企业开办
  ASSERT_EQ(window.current_screen(), "form");
  auto* keyboard = window.findChild<OnScreenKeyboard*>();
  ASSERT_NE(keyboard, nullptr);
  EXPECT_FALSE(keyboard->isVisible()) << "no keys until a field is tapped";
  const auto type = [&](const QString& keys) {
    for (const QChar c : keys)
      if (!window.tap("key_" + QString(c))) return false;
    return true;
  };

  auto* phone = window.findChild<QLineEdit*>("phone");
  ASSERT_NE(phone, nullptr);
  press(phone);
  ASSERT_TRUE(keyboard->isVisible());
  EXPECT_EQ(keyboard->layout(), KeyboardLayout::kPhone);
  EXPECT_FALSE(window.tap("key_a"));
  ASSERT_TRUE(type("13812345678"));
  EXPECT_EQ(phone->text(), "13812345678");
  save_screen(window, "form-phone-keys");

  auto* company = window.findChild<QLineEdit*>("company_name");
  ASSERT_NE(company, nullptr);
  press(company);
  EXPECT_EQ(keyboard->field(), company);
  EXPECT_EQ(keyboard->layout(), KeyboardLayout::kPinyin);
  ASSERT_TRUE(type("nanhai"));
  // 男孩 comes before 南海 in the dictionary: the citizen pages to it.
  bool chosen = false;
  for (int page = 0; page < 10 && !chosen; ++page) {
    for (int i = 0; i < OnScreenKeyboard::kCandidatesPerPage && !chosen; ++i) {
      auto* c = keyboard->findChild<QPushButton*>(QString("candidate_%1").arg(i));
      if (c && c->isVisible() && c->text() == "南海") chosen = window.tap(c->objectName());
    }
    if (!chosen) {
      ASSERT_TRUE(window.tap("candidates_more"));
    }
  }
  ASSERT_TRUE(chosen) << keyboard->candidates().join(" ").toStdString();
  ASSERT_TRUE(type("kejigongsi"));
  save_screen(window, "form-pinyin");
  ASSERT_TRUE(window.tap("key_space"));
  EXPECT_EQ(company->text(), "南海科技公司");
  ASSERT_TRUE(window.tap("key_done"));
  EXPECT_FALSE(keyboard->isVisible());

  ASSERT_TRUE(window.tap("capture_lease"));
  run_until([&] { return window.current_screen() == "captured"; });
  ASSERT_TRUE(window.tap("accept"));
  ASSERT_TRUE(window.tap("submit"));
  ASSERT_EQ(window.current_screen(), "confirm");
  EXPECT_TRUE(window.findChild<QLabel*>("confirm_materials")->text().contains("已拍摄"));
  ASSERT_TRUE(window.tap("confirm"));
  run_until(
      [&] { return window.current_screen() == "done" || window.current_screen() == "error"; });
  ASSERT_EQ(window.current_screen(), "done") << window.last_outcome().reason;
  EXPECT_EQ(window.last_outcome().status, OutcomeStatus::kSubmitted);
  ASSERT_TRUE(window.tap("finish"));
  run_until([&] { return window.current_screen() == "attract"; });
  EXPECT_EQ(keyboard->field(), nullptr);
  EXPECT_TRUE(keyboard->composition().isEmpty());
}

// Anyone holding a certificate shows its code to the camera and is told whether it is genuine,
// with the fields the code carries (masked); a forged code is named as such.
class KioskWindowCheckTest : public ::testing::TestWithParam<bool> {};

TEST_P(KioskWindowCheckTest, ACertificatesCodeIsCheckedAtTheCamera) {
  const bool forged = GetParam();
  testing::TempDir dir;
  std::vector<std::unique_ptr<Device>> more;
  // The camera's recording is written once the backend has issued the certificate to show it.
  more.push_back(std::make_unique<camera::OpenCvCamera>(
      "face", camera::OpenCvCamera::Options{
                  .address = "file:" + (dir / "code" / "%03d.png").string(), .file_fps = 0}));
  auto t =
      testing::FakeTerminal::start(dir / "terminal", true, &testing::test_clock(), std::move(more));
  ASSERT_TRUE(t) << t.error().message;
  auto& terminal = *t.value();
  services::BackendClient client(terminal.backend->base_url());
  services::Applicant who{terminal.card().id_number,
                          terminal.card().name,
                          terminal.card().valid_to,
                          terminal.card().birth_date,
                          {},
                          {},
                          {},
                          {}};
  auto decision = client.submit("NH-SB-0001", who, "check-1");
  ASSERT_TRUE(decision);
  auto issued = client.certificate_json(decision->application_id);
  ASSERT_TRUE(issued);
  std::string code = nlohmann::json::parse(issued.value())["verify_payload"];
  if (forged) code.replace(code.find("正常参保"), std::string("正常参保").size(), "暂停参保");
  const cv::Mat shown = camera::sim::qr_image(code, 6);
  camera::sim::write_sequence(dir / "code", {shown, shown, shown});

  KioskWindow window(terminal.engine());
  window.resize(1280, 800);
  window.show();
  run_until([&] { return window.current_screen() == "attract"; });
  ASSERT_TRUE(window.tap("check"));
  run_until(
      [&] { return window.current_screen() == "checked" || window.current_screen() == "error"; });
  ASSERT_EQ(window.current_screen(), "checked");
  const QString title = window.findChild<QLabel*>("check_title")->text();
  const QString detail = window.findChild<QLabel*>("check_detail")->text();
  const QString serial =
      QString::fromStdString(nlohmann::json::parse(issued.value())["serial"].get<std::string>());
  if (forged) {
    // What failed, and nothing of what the forged code says (its serial, its fields).
    EXPECT_EQ(title, "二维码签名不符，此证照可能系伪造");
    EXPECT_EQ(detail, "请到服务窗口人工核验");
    EXPECT_FALSE(detail.contains(serial));
  } else {
    EXPECT_EQ(title, "证照真实有效");
    EXPECT_TRUE(detail.contains("440605********2315")) << detail.toStdString();
    EXPECT_TRUE(detail.contains(serial));
  }
  EXPECT_EQ(window.findChild<QLabel*>("check_detail")->textFormat(), Qt::PlainText);
  EXPECT_FALSE(detail.contains(QString::fromStdString(terminal.card().id_number)));
  ASSERT_TRUE(window.tap("home"));
  EXPECT_TRUE(window.findChild<QLabel*>("check_detail")->text().isEmpty());
}

INSTANTIATE_TEST_SUITE_P(Genuine, KioskWindowCheckTest, ::testing::Values(false));
INSTANTIATE_TEST_SUITE_P(Forged, KioskWindowCheckTest, ::testing::Values(true));

// Shows the technician panel's tab whose title starts with `title`.
void show_tab(KioskWindow& window, const QString& title) {
  auto* tabs = window.findChild<QTabWidget*>("tabs");
  ASSERT_NE(tabs, nullptr);
  for (int i = 0; i < tabs->count(); ++i)
    if (tabs->tabText(i).startsWith(title)) return tabs->setCurrentIndex(i);
  ADD_FAILURE() << "no tab " << title.toStdString();
}

// Taps the top-left corner as a finger does: at the widget the tap lands on.
void tap_corner(KioskWindow& window) {
  const QPoint at(10, 10);
  QWidget* target = window.childAt(at);
  ASSERT_NE(target, nullptr);
  press(target, QPointF(target->mapFrom(&window, at)));
}

// Technician mode: the hidden corner, the PIN with its lockout, a self-test, a reprint refused
// for an unknown serial, and the way out, every step journaled with the technician's name.
class TechnicianModeTest : public KioskWindowTest {
 protected:
  void SetUp() override {
    KioskWindowTest::SetUp();
    auto pin = certs::hash_pin("246810", 1000);  // few iterations: a test needs no slowness
    ASSERT_TRUE(pin) << pin.error().message;
    services::Config::Technician zhang{"张工", pin.value()};
    gate_ = std::make_unique<services::TechnicianGate>(
        std::vector<services::Config::Technician>{zhang}, *terminal_->parts.journal, clock_);
  }
  // Types a PIN and presses enter; returns what the panel says once the gate answered.
  QString try_pin(KioskWindow& window, TechnicianPanel& panel, const QString& pin) {
    window.findChild<QLineEdit*>("pin")->setText(pin);
    bool answered = false;
    auto c = QObject::connect(&panel, &TechnicianPanel::workDone, [&] { answered = true; });
    EXPECT_TRUE(window.tap("pin_enter"));
    run_until([&] { return answered; });
    QObject::disconnect(c);
    return window.findChild<QLabel*>("pin_message")->text();
  }
  void tap_and_wait(KioskWindow& window, TechnicianPanel& panel, const QString& button) {
    bool done = false;
    auto c = QObject::connect(&panel, &TechnicianPanel::workDone, [&] { done = true; });
    ASSERT_TRUE(window.tap(button)) << button.toStdString();
    run_until([&] { return done; });
    QObject::disconnect(c);
  }
  std::vector<std::string> technician_steps() {
    std::vector<std::string> steps;
    const auto ids = terminal_->parts.journal->transaction_ids();
    if (!ids) return steps;
    for (const auto& id : ids.value()) {
      const auto entries = terminal_->parts.journal->entries(id);
      if (!entries) continue;
      for (const auto& e : entries.value())
        if (e.step.rfind("technician.", 0) == 0) steps.push_back(e.step);
    }
    return steps;
  }
  FakeClock clock_{FakeClock::local_time("2026-11-24 09:00:00")};
  std::unique_ptr<services::TechnicianGate> gate_;
};

TEST_F(TechnicianModeTest, TheCornerAndAPinOpenItWrongPinsLockItAndEveryStepIsJournaled) {
  auto window = open_window();
  auto* panel = new TechnicianPanel(*terminal_->parts.terminal, *gate_,
                                    [] { return std::string(R"({"version": "test"})"); });
  window->add_technician_panel(panel);

  for (int i = 0; i < KioskWindow::kCornerTaps - 1; ++i) tap_corner(*window);
  EXPECT_EQ(window->current_screen(), "attract") << "four taps opened it";
  tap_corner(*window);
  ASSERT_EQ(window->current_screen(), "technician");
  EXPECT_EQ(panel->page(), "pin");

  for (int i = 1; i < services::TechnicianGate::kMaxFailures; ++i)
    EXPECT_TRUE(try_pin(*window, *panel, "111111").contains("wrong PIN"));
  EXPECT_TRUE(try_pin(*window, *panel, "111111").contains("locked"));
  // Locked: even the right PIN is refused until the lockout ends.
  EXPECT_TRUE(try_pin(*window, *panel, "246810").contains("locked"));
  EXPECT_EQ(panel->page(), "pin");
  clock_.advance(services::TechnicianGate::kLockout + std::chrono::seconds(1));
  try_pin(*window, *panel, "246810");
  ASSERT_EQ(panel->page(), "tools");
  EXPECT_TRUE(window->findChild<QLabel*>("who")->text().contains("张工"));
  EXPECT_TRUE(window->findChild<QLabel*>("health")->text().contains("test"));
  EXPECT_FALSE(window->findChild<QLabel*>("status_printer")->text().isEmpty());
  save_screen(*window, "technician-devices");

  tap_and_wait(*window, *panel, "selftest_printer");
  EXPECT_TRUE(window->findChild<QLabel*>("result_printer")->text().contains("Passed"))
      << window->findChild<QLabel*>("result_printer")->text().toStdString();
  // The devices' work end to end: a card read and shown masked, a test page printed.
  terminal_->reader->lay(terminal_->card());
  tap_and_wait(*window, *panel, "try_reader");
  const QString read = window->findChild<QLabel*>("result_reader")->text();
  EXPECT_TRUE(read.contains("Passed") && read.contains("********")) << read.toStdString();
  EXPECT_FALSE(read.contains(QString::fromStdString(terminal_->card().id_number)));
  EXPECT_FALSE(read.contains(QString::fromStdString(terminal_->card().name)));
  tap_and_wait(*window, *panel, "try_printer");
  EXPECT_TRUE(window->findChild<QLabel*>("result_printer")->text().contains("Passed"))
      << window->findChild<QLabel*>("result_printer")->text().toStdString();
  EXPECT_EQ(terminal_->printer->jobs(), std::vector<std::string>{"test-page"});

  terminal_->printer->set_media(MediaState::kPaperOut);
  tap_and_wait(*window, *panel, "selftest_printer");
  EXPECT_TRUE(window->findChild<QLabel*>("result_printer")->text().contains("Failed"));

  show_tab(*window, "补打");
  EXPECT_TRUE(window->findChild<QLabel*>("unknown_prints")->text().contains("none"));
  window->findChild<QLineEdit*>("reprint_serial")->setText("NO-SUCH-SERIAL");
  window->findChild<QLineEdit*>("reprint_reason")->setText("卡纸");
  tap_and_wait(*window, *panel, "reprint");
  EXPECT_TRUE(window->findChild<QLabel*>("reprint_result")->text().contains("Not reprinted"));
  EXPECT_EQ(terminal_->printer->jobs().size(), 1u) << "only the test page";

  tap_and_wait(*window, *panel, "tech_exit");
  run_until([&] { return window->current_screen() == "attract"; });
  const std::vector<std::string> expected = {
      "technician.denied",   "technician.denied",        "technician.denied",
      "technician.denied",   "technician.locked",        "technician.enter",
      "technician.selftest", "technician.function-test", "technician.function-test",
      "technician.selftest", "technician.exit"};
  EXPECT_EQ(technician_steps(), expected);
}

// The camera tab: a person's face boxed and a QR code read, from the real camera driver replaying
// frames; the preview leaves no frame on the screen, and the journal says who looked.
TEST(TechnicianCameraTest, ThePreviewFindsTheFaceAndReadsTheCodeAndKeepsNothing) {
  testing::TempDir dir;
  auto frames = camera::sim::living_person(camera::sim::load_picture(camera::sim::kGraceHopper),
                                           {1280, 720}, 4);
  cv::Mat code_frame(720, 1280, CV_8UC3, cv::Scalar(255, 255, 255));
  const cv::Mat code = camera::sim::qr_image("SMZC-EID:test-token");
  code.copyTo(code_frame(cv::Rect(500, 200, code.cols, code.rows)));
  for (int i = 0; i < 4; ++i) frames.push_back(code_frame);
  std::vector<std::unique_ptr<Device>> more;
  more.push_back(std::make_unique<camera::OpenCvCamera>(
      "face",
      camera::OpenCvCamera::Options{
          .address = "file:" + camera::sim::write_sequence(dir / "scene", frames), .file_fps = 0}));
  auto t =
      testing::FakeTerminal::start(dir / "terminal", true, &testing::test_clock(), std::move(more));
  ASSERT_TRUE(t) << t.error().message;
  auto& terminal = *t.value();
  terminal.parts.terminal->devices().poll_all();
  auto pin = certs::hash_pin("246810", 1000);
  ASSERT_TRUE(pin);
  services::TechnicianGate gate({{"李工", pin.value()}}, *terminal.parts.journal,
                                testing::test_clock());
  KioskWindow window(terminal.engine());
  window.resize(1280, 800);
  window.show();
  auto* panel = new TechnicianPanel(*terminal.parts.terminal, gate, {});
  panel->set_preview_frames(8);
  window.add_technician_panel(panel);
  bool attract = false;  // the window's first screen comes once the event loop runs
  QObject::connect(&window, &KioskWindow::screenShown,
                   [&](const QString& name) { attract = attract || name == "attract"; });
  run_until([&] { return attract; });
  for (int i = 0; i < KioskWindow::kCornerTaps; ++i) tap_corner(window);
  ASSERT_EQ(window.current_screen(), "technician");
  window.findChild<QLineEdit*>("pin")->setText("246810");
  bool done = false;
  QObject::connect(panel, &TechnicianPanel::workDone, [&] { done = true; });
  ASSERT_TRUE(window.tap("pin_enter"));
  run_until([&] { return done; });
  ASSERT_EQ(panel->page(), "tools");
  show_tab(window, "摄像头");
  done = false;
  bool saw_frame = false;
  auto* view = window.findChild<QLabel*>("preview_view");
  QObject::connect(panel, &TechnicianPanel::previewFrameShown,
                   [&] { saw_frame = saw_frame || !view->pixmap().isNull(); });
  ASSERT_TRUE(window.tap("preview_face"));
  run_until([&] { return done; });
  const QString found = window.findChild<QLabel*>("preview_found")->text();
  EXPECT_TRUE(found.contains("8 frames")) << found.toStdString();
  EXPECT_TRUE(found.contains("at most 1 faces")) << found.toStdString();
  EXPECT_TRUE(found.contains("a QR code in 4")) << found.toStdString();
  EXPECT_TRUE(saw_frame) << "no frame was shown during the preview";
  EXPECT_TRUE(view->pixmap().isNull()) << "a frame stayed on the screen";
  // The journal says who looked and what was found, never the code's text.
  bool journaled = false;
  const auto ids = terminal.parts.journal->transaction_ids();
  ASSERT_TRUE(ids);
  for (const auto& id : ids.value()) {
    const auto entries = terminal.parts.journal->entries(id);
    ASSERT_TRUE(entries);
    for (const auto& e : entries.value())
      if (e.step == "technician.camera-preview") {
        journaled = true;
        EXPECT_NE(e.detail.find("李工"), std::string::npos) << e.detail;
        EXPECT_EQ(e.detail.find("test-token"), std::string::npos) << e.detail;
      }
  }
  EXPECT_TRUE(journaled);
}

TEST_F(TechnicianModeTest, ATechnicianWhoWalksAwayIsLetOut) {
  auto window = open_window();
  auto* panel = new TechnicianPanel(*terminal_->parts.terminal, *gate_, {});
  window->add_technician_panel(panel);
  for (int i = 0; i < KioskWindow::kCornerTaps; ++i) tap_corner(*window);
  try_pin(*window, *panel, "246810");
  ASSERT_EQ(panel->page(), "tools");
  panel->set_idle_timeout(1);
  run_until([&] { return window->current_screen() == "attract"; });
  EXPECT_EQ(technician_steps().back(), "technician.exit");
  EXPECT_TRUE(gate_->who().empty());
}

}  // namespace
}  // namespace smzc::ui

int main(int argc, char** argv) {
  qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}

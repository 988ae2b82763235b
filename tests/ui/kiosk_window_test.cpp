// The touch UI on a whole simulated terminal, offscreen: the screens a citizen walks through and
// what idle monitoring shows when the printer cannot print.
#include <gtest/gtest.h>

#include <QApplication>
#include <QLabel>
#include <QPushButton>

#include "tests/support/simulated_terminal.h"
#include "tests/support/test_support.h"
#include "ui/kiosk_window.h"

namespace smzc::ui {
namespace {

// Runs the event loop until `done` holds. Waits on events (the workers post them), not on time.
template <typename Pred>
void run_until(Pred done) {
  while (!done()) QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
}

class KioskWindowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = testing::SimulatedTerminal::start(dir_.path());
    ASSERT_TRUE(t) << t.error().message;
    terminal_ = std::move(t.value());
  }
  // The window, once its first idle check has come back.
  std::unique_ptr<KioskWindow> open_window() {
    auto window = std::make_unique<KioskWindow>(*terminal_->engine);
    bool checked = false;
    auto connection =
        QObject::connect(window.get(), &KioskWindow::devicesChecked, [&] { checked = true; });
    window->resize(1280, 800);
    window->show();
    run_until([&] { return checked; });
    QObject::disconnect(connection);  // `checked` goes when this returns; later checks come too
    return window;
  }
  testing::TempDir dir_;
  std::unique_ptr<testing::SimulatedTerminal> terminal_;
};

TEST_F(KioskWindowTest, ACitizenWalksThroughToAPrintedCertificate) {
  auto window = open_window();
  EXPECT_TRUE(window->printer_ready());
  std::vector<QString> screens;
  QObject::connect(window.get(), &KioskWindow::screenShown,
                   [&](const QString& name) { screens.push_back(name); });
  ASSERT_TRUE(window->tap("start"));
  terminal_->reader_sim->lay_card(terminal_->card);
  run_until([&] { return window->current_screen() == "choose_item"; });
  ASSERT_TRUE(window->tap("NH-SB-0001"));
  run_until(
      [&] { return window->current_screen() == "done" || window->current_screen() == "error"; });
  ASSERT_EQ(window->current_screen(), "done") << window->last_outcome().reason;
  EXPECT_EQ(window->last_outcome().status, "printed");
  ASSERT_TRUE(window->tap("finish"));
  run_until([&] { return window->current_screen() == "attract"; });
  EXPECT_EQ(terminal_->printer_sim->received_documents().size(), 1u);
}

TEST_F(KioskWindowTest, AnItemWithAFormAsksForWhatIsMissingThenSubmits) {
  auto window = open_window();
  ASSERT_TRUE(window->tap("start"));
  terminal_->reader_sim->lay_card(terminal_->card);
  run_until([&] { return window->current_screen() == "choose_item"; });
  ASSERT_TRUE(window->tap("NH-GA-0003"));  // a manual item: the result comes by SMS
  ASSERT_EQ(window->current_screen(), "form");
  ASSERT_TRUE(window->fill("phone", "12345"));
  ASSERT_TRUE(window->tap("submit"));
  run_until([&] { return window->current_screen() != "progress"; });
  ASSERT_EQ(window->current_screen(), "form");
  auto* problems = window->findChild<QLabel*>("form_problems");
  ASSERT_NE(problems, nullptr);
  EXPECT_TRUE(problems->text().contains("格式不正确")) << problems->text().toStdString();
  EXPECT_EQ(terminal_->backend->application_count(), 0u);  // nothing was sent

  ASSERT_TRUE(window->fill("phone", "13812345678"));
  ASSERT_TRUE(window->tap("submit"));
  run_until([&] { return window->current_screen() != "progress"; });
  ASSERT_EQ(window->current_screen(), "done") << window->last_outcome().reason;
  EXPECT_EQ(window->last_outcome().status, "submitted");
  EXPECT_EQ(terminal_->backend->application_count(), 1u);
}

TEST_F(KioskWindowTest, BackOnTheCardScreenIsNeverLost) {
  auto window = open_window();
  // Tapped at once, before the worker can have begun waiting for the card.
  ASSERT_TRUE(window->tap("start"));
  ASSERT_TRUE(window->tap("cancel"));
  run_until([&] { return window->current_screen() == "attract"; });
  EXPECT_EQ(window->last_outcome().status, "canceled");  // not a wait that ran out
  // And the next citizen is served as usual.
  ASSERT_TRUE(window->tap("start"));
  terminal_->reader_sim->lay_card(terminal_->card);
  run_until([&] { return window->current_screen() == "choose_item"; });
}

TEST_F(KioskWindowTest, ACitizenWhoWalksAwayIsForgotten) {
  auto window = open_window();
  ASSERT_TRUE(window->tap("start"));
  terminal_->reader_sim->lay_card(terminal_->card);
  run_until([&] { return window->current_screen() == "choose_item"; });
  ASSERT_TRUE(window->tap("NH-GA-0003"));
  ASSERT_TRUE(window->fill("phone", "13812345678"));
  window->set_inactivity_timeout(1);  // nobody touches the form again
  run_until([&] { return window->current_screen() == "attract"; });
  EXPECT_FALSE(window->fill("phone", "x"));  // the form and what was typed are gone
  EXPECT_EQ(terminal_->engine->state(), services::TxState::kIdle);
  EXPECT_EQ(terminal_->backend->application_count(), 0u);
}

TEST_F(KioskWindowTest, PaperOutShowsANoticeAndDisablesPrintingItems) {
  ASSERT_TRUE(terminal_->printer_sim->set_paper_level(0));
  auto window = open_window();
  EXPECT_FALSE(window->printer_ready());
  auto* notice = window->findChild<QLabel*>("notice");
  ASSERT_NE(notice, nullptr);
  EXPECT_TRUE(notice->isVisible());
  EXPECT_TRUE(notice->text().contains("打印纸已用完")) << notice->text().toStdString();

  ASSERT_TRUE(window->tap("start"));
  terminal_->reader_sim->lay_card(terminal_->card);
  run_until([&] { return window->current_screen() == "choose_item"; });
  auto* item = window->findChild<QPushButton*>("NH-SB-0001");
  ASSERT_NE(item, nullptr);
  EXPECT_FALSE(item->isEnabled());
  EXPECT_TRUE(item->text().contains("打印机暂不可用"));
  EXPECT_FALSE(window->tap("NH-SB-0001"));
  EXPECT_TRUE(terminal_->printer_sim->received_documents().empty());
}

TEST_F(KioskWindowTest, TouchTargetsAreLargeEnoughForElderlyMode) {
  auto window = open_window();
  for (auto* b : window->findChildren<QPushButton*>()) {
    EXPECT_GE(b->minimumWidth(), 60) << b->objectName().toStdString();
    EXPECT_GE(b->minimumHeight(), 60) << b->objectName().toStdString();
  }
}

}  // namespace
}  // namespace smzc::ui

int main(int argc, char** argv) {
  qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}

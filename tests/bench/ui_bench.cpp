// The touch UI over many citizens: the window on the devices' fakes and the reference backend,
// driven through N whole sessions (card, item, printed certificate, finish), printing
//   - resident memory and open descriptors at idle and after the sessions (growth is a leak),
//   - input-to-frame latency: from a tap to the next screen laid out and announced, and from a
//     card laid on the reader to the item list,
//   - the time a whole session takes.
//
//   smzc_ui_bench [SESSIONS]      (1000 unless told; offscreen)
#include <QApplication>
#include <QTimer>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "tests/support/simulated_terminal.h"
#include "tests/support/test_support.h"
#include "ui/kiosk_window.h"

namespace {

using namespace smzc;
using Steady = std::chrono::steady_clock;

size_t open_descriptors() {
  size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) ++n;
  return n;
}

// Runs the event loop until `done`, or fails the bench after 30 s.
template <typename Pred>
void run_until(Pred done) {
  const auto deadline = Steady::now() + std::chrono::seconds(30);
  QTimer wake;
  wake.start(50);
  while (!done()) {
    if (Steady::now() > deadline) {
      std::fprintf(stderr, "smzc_ui_bench: the UI did not get there in 30 s\n");
      std::exit(1);
    }
    QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
  }
}

double ms(Steady::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

void print(const char* what, std::vector<double> v) {
  std::sort(v.begin(), v.end());
  std::printf("%-32s median %7.2f ms   p99 %7.2f ms   max %7.2f ms\n", what, v[v.size() / 2],
              v[std::min(v.size() - 1, v.size() * 99 / 100)], v.back());
}

}  // namespace

int main(int argc, char** argv) {
  qputenv("QT_QPA_PLATFORM", "offscreen");
  spdlog::set_level(spdlog::level::warn);  // a line per step would be most of the output
  QApplication app(argc, argv);
  const int sessions = argc > 1 ? std::max(1, std::atoi(argv[1])) : 1000;
  smzc::testing::TempDir dir;
  auto terminal = smzc::testing::FakeTerminal::start(dir.path());
  if (!terminal) {
    std::fprintf(stderr, "smzc_ui_bench: %s\n", terminal.error().message.c_str());
    return 1;
  }
  auto& t = *terminal.value();
  ui::KioskWindow window(t.engine());
  window.resize(1280, 800);
  window.show();
  QString shown;
  Steady::time_point shown_at;
  QObject::connect(&window, &ui::KioskWindow::screenShown, [&](const QString& name) {
    shown = name;
    shown_at = Steady::now();
  });
  run_until([&] { return shown == "attract"; });

  // One session first: what a first citizen brings in (fonts, the catalogue) is not growth.
  std::vector<double> tap_to_frame, card_to_list, whole;
  const auto session = [&] {
    const auto start = Steady::now();
    shown.clear();
    window.tap("start");
    run_until([&] { return shown == "read_card"; });
    tap_to_frame.push_back(ms(shown_at - start));
    const auto laid = Steady::now();
    t.reader->lay(t.card());
    run_until([&] { return shown == "choose_item"; });
    card_to_list.push_back(ms(shown_at - laid));
    window.tap("NH-SB-0001");
    run_until([&] { return shown == "done" || shown == "error"; });
    if (shown != "done") {
      std::fprintf(stderr, "smzc_ui_bench: a session ended in %s: %s\n",
                   shown.toStdString().c_str(), window.last_outcome().reason.c_str());
      std::exit(1);
    }
    t.reader->lift();
    window.tap("finish");
    run_until([&] { return shown == "attract"; });
    whole.push_back(ms(Steady::now() - start));
  };
  session();
  for (int i = 0; i < 3; ++i) QCoreApplication::processEvents();
  const long idle_rss = smzc::testing::rss_kib();
  const size_t idle_fds = open_descriptors();
  tap_to_frame.clear();
  card_to_list.clear();
  whole.clear();
  for (int i = 0; i < sessions; ++i) session();
  for (int i = 0; i < 3; ++i) QCoreApplication::processEvents();
  const long after_rss = smzc::testing::rss_kib();
  const size_t after_fds = open_descriptors();

  std::printf("sessions                         %d (card, item NH-SB-0001, printed, finish)\n",
              sessions);
  std::printf("resident memory                  %ld KiB idle, %ld KiB after (%+ld KiB)\n", idle_rss,
              after_rss, after_rss - idle_rss);
  std::printf("open descriptors                 %zu idle, %zu after\n", idle_fds, after_fds);
  print("tap to next screen", tap_to_frame);
  print("card laid to item list", card_to_list);
  print("whole session", whole);
  std::printf("certificates printed             %zu\n", t.printer->jobs().size());
  return after_fds > idle_fds ? 1 : 0;
}

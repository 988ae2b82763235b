// The device model against real parts: a reader that is absent at start, appears, is unplugged
// and plugged back (the reader simulator on a pty behind a udev-style link); one stop token
// ending the waits of a session (a slow reference backend, ippeveprinter); a clock that crosses
// midnight under the engine and the backend.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "drivers/idcard/simulator.h"
#include "drivers/printer/ippeve.h"
#include "services/device_manager.h"
#include "tests/support/simulated_terminal.h"
#include "tests/support/test_support.h"

namespace smzc::services {
namespace {

using namespace std::chrono_literals;

IdentityCard resident() {
  auto card =
      idcard::load_card_json(testing::source_dir() / "drivers/idcard/sim/cards/resident.json");
  EXPECT_TRUE(card) << card.error().message;
  return card.value();
}

TEST(HotPlug, AReaderAbsentAtStartIsUsedOnceItAppearsAndAgainAfterItIsReplugged) {
  testing::TempDir dir;
  const auto link = dir / "reader-tty";
  DeviceManager manager;
  auto device =
      DeviceManager::make_device({"reader", DeviceKind::kCardReader, "sam", link.string(), {}});
  ASSERT_TRUE(device) << device.error().message;
  ASSERT_TRUE(manager.add(std::move(device.value())));
  std::vector<DeviceState> seen;  // the listener runs on this thread here: poll_all() is ours
  manager.add_listener([&](const DeviceEntry& e) { seen.push_back(e.status.state); });
  idcard::CardReader& reader = *manager.card_reader();

  manager.poll_all();
  EXPECT_EQ(reader.status().state, DeviceState::kNoDevice);
  EXPECT_EQ(reader.wait_for_card(after(1s), {}).code(), Completion::kDeviceNotReady);

  auto sim = idcard::ReaderSimulator::start({.paced = false, .link = link});
  ASSERT_TRUE(sim) << sim.error().message;
  manager.poll_all();
  ASSERT_EQ(reader.status().state, DeviceState::kOnline) << reader.status().detail;
  sim.value()->lay_card(resident());
  auto first = reader.wait_for_card(after(5s), {});
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->id_number, "440605199003072315");

  // Pulled out mid-day: noticed by the next look, and a wait on it says so.
  sim.value()->inject(idcard::Fault::kUnplug);
  manager.poll_all();
  EXPECT_EQ(reader.status().state, DeviceState::kNoDevice);
  EXPECT_EQ(reader.wait_for_card(after(1s), {}).code(), Completion::kDeviceNotReady);

  // Plugged back (a new pty behind the same link): used again, no restart.
  ASSERT_TRUE(sim.value()->replug());
  manager.poll_all();
  ASSERT_EQ(reader.status().state, DeviceState::kOnline) << reader.status().detail;
  sim.value()->lift_card();
  sim.value()->lay_card(resident());
  auto again = reader.wait_for_card(after(5s), {});
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->name, "陈晓明");

  auto snapshot = manager.snapshot();
  ASSERT_EQ(snapshot.size(), 1u);
  EXPECT_EQ(snapshot[0].address, link.string());
  // What the listeners heard, each state once however often its details changed.
  seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
  EXPECT_EQ(seen, (std::vector<DeviceState>{DeviceState::kNoDevice, DeviceState::kOnline,
                                            DeviceState::kNoDevice, DeviceState::kOnline}));
}

TEST(HotPlug, TheSupervisorNoticesWithoutBeingAsked) {
  testing::TempDir dir;
  const auto link = dir / "reader-tty";
  DeviceManager manager({.poll_interval = 20ms});
  auto device =
      DeviceManager::make_device({"reader", DeviceKind::kCardReader, "sam", link.string(), {}});
  ASSERT_TRUE(device);
  ASSERT_TRUE(manager.add(std::move(device.value())));
  std::mutex m;
  std::condition_variable cv;
  DeviceState last = DeviceState::kNoDevice;
  manager.add_listener([&](const DeviceEntry& e) {
    std::lock_guard lock(m);
    last = e.status.state;
    cv.notify_all();
  });
  manager.start();
  auto sim = idcard::ReaderSimulator::start({.paced = false, .link = link});
  ASSERT_TRUE(sim);
  std::unique_lock lock(m);
  EXPECT_TRUE(cv.wait_for(lock, 10s, [&] { return last == DeviceState::kOnline; }));
  lock.unlock();
  manager.stop();
}

class SessionStopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = testing::SimulatedTerminal::start(dir_.path());
    ASSERT_TRUE(t) << t.error().message;
    t_ = std::move(t.value());
  }
  testing::TempDir dir_;
  std::unique_ptr<testing::SimulatedTerminal> t_;
};

// "Back" while the backend is slow: the request in flight is given up at once. Were it not, the
// identity check would fail as a timeout (the backend answers long after the client's deadline).
TEST_F(SessionStopTest, BackDuringASlowBackendCallEndsItAndTheJournalSaysSo) {
  t_->backend->set_faults({.latency_ms = 60000});
  t_->reader_sim->lay_card(t_->card);
  const size_t before = t_->backend->requests_received();
  std::jthread back([&] {
    // The identity check has reached the backend: the citizen taps "back".
    if (t_->backend->wait_for_requests(before + 1, 30s)) t_->engine->cancel();
  });
  const auto start = SteadyClock::now();
  auto citizen = t_->engine->identify();
  const double ms = std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
  RecordProperty("identify_cancel_ms", std::to_string(ms));
  ASSERT_FALSE(citizen);
  EXPECT_EQ(citizen.code(), Completion::kCanceled) << citizen.error().message;
  EXPECT_EQ(t_->engine->current().status, OutcomeStatus::kCanceled);
  EXPECT_EQ(t_->engine->state(), TxState::kCanceled);
  auto entries = t_->journal->entries(t_->engine->current().transaction_id);
  ASSERT_TRUE(entries);
  ASSERT_FALSE(entries->empty());
  EXPECT_EQ(entries->back().step, "identify.failed");
  EXPECT_NE(entries->back().detail.find("\"canceled\""), std::string::npos)
      << entries->back().detail;
  t_->engine->end_session();
  t_->backend->set_faults({});
}

// The print-job wait against a real printer whose mechanism stalls: a stop ends it, the job stays
// with the printer (the caller decides what becomes of it).
TEST_F(SessionStopTest, AStopEndsTheWaitForAStalledPrintJob) {
  ASSERT_TRUE(t_->printer_sim->set_fault("stall"));
  auto id = t_->printer->submit(testing::source_dir() / "tests/data/one-page.pdf", "stalled");
  ASSERT_TRUE(id) << id.error().message;
  std::stop_source back;
  back.request_stop();
  auto job = t_->printer->wait_for_job(id.value(), after(60s), printer::FaultPolicy::kCancel,
                                       back.get_token());
  ASSERT_FALSE(job);
  EXPECT_EQ(job.code(), Completion::kCanceled);
  auto still = t_->printer->job_status(id.value());
  ASSERT_TRUE(still);
  EXPECT_FALSE(still->final()) << still->state;
  EXPECT_TRUE(t_->printer->cancel_job(id.value()));
  ASSERT_TRUE(t_->printer_sim->set_fault(""));
}

// A terminal running past midnight: the card that expired at midnight is refused, and documents
// are numbered by the new day — the engine and the backend read the clock on every use.
TEST(Midnight, ExpiryAndSerialsFollowTheNewDay) {
  testing::TempDir dir;
  FakeClock clock(FakeClock::local_time("2026-11-22 23:59:30"));
  auto t = testing::FakeTerminal::start(dir.path(), true, &clock);
  ASSERT_TRUE(t) << t.error().message;
  auto& engine = t.value()->engine();
  IdentityCard expiring = t.value()->card();
  expiring.valid_to = "20261122";  // valid through 22 November

  auto item = [&]() -> ServiceItem {
    auto cat = engine.catalogue();
    EXPECT_TRUE(cat) << cat.error().message;
    return *cat->find("NH-SB-0001");
  };
  t.value()->reader->lay(expiring);
  ASSERT_TRUE(engine.identify());
  Outcome before = engine.process(item());
  ASSERT_EQ(before.status, OutcomeStatus::kPrinted) << before.reason;
  EXPECT_NE(before.certificate_serial.find("-20261122-"), std::string::npos)
      << before.certificate_serial;
  engine.end_session();

  clock.advance(60s);  // 00:00:30 on 23 November
  t.value()->reader->lay(expiring);
  auto refused = engine.identify();
  ASSERT_FALSE(refused);
  EXPECT_EQ(engine.current().notice, Notice::kIdentityRefused);
  EXPECT_NE(engine.current().reason.find("expired"), std::string::npos) << engine.current().reason;
  engine.end_session();

  t.value()->reader->lay(t.value()->card());  // a card valid for years
  ASSERT_TRUE(engine.identify());
  Outcome after = engine.process(item());
  ASSERT_EQ(after.status, OutcomeStatus::kPrinted) << after.reason;
  EXPECT_NE(after.certificate_serial.find("-20261123-"), std::string::npos)
      << after.certificate_serial;
}

}  // namespace
}  // namespace smzc::services

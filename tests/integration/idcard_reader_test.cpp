// The reader driver against the reader simulator over a real pseudo-terminal.
#include <gtest/gtest.h>
#include <pty.h>
#include <termios.h>
#include <unistd.h>

#include <thread>

#include "drivers/idcard/reader.h"
#include "drivers/idcard/simulator.h"
#include "tests/support/test_support.h"

namespace smzc::idcard {
namespace {

class ReaderOverPty : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sim = ReaderSimulator::start({.baud = 115200, .paced = false});
    ASSERT_TRUE(sim) << sim.error().message;
    sim_ = std::move(sim.value());
    auto transport = SerialTransport::open(sim_->port_path());
    ASSERT_TRUE(transport) << transport.error().message;
    reader_ = std::make_unique<Reader>(std::move(transport.value()),
                                       Reader::Options{.command_timeout = command_timeout_});
    auto card = load_card_json(testing::source_dir() / "drivers/idcard/sim/cards/resident.json");
    ASSERT_TRUE(card);
    card_ = card.value();
  }

  std::chrono::milliseconds command_timeout_{1000};
  std::unique_ptr<ReaderSimulator> sim_;
  std::unique_ptr<Reader> reader_;
  IdentityCard card_;
};

TEST_F(ReaderOverPty, ReadsAResidentCard) {
  sim_->lay_card(card_);
  auto read = reader_->read_card();
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->name, card_.name);
  EXPECT_EQ(read->id_number, card_.id_number);
  EXPECT_EQ(read->address, card_.address);
  EXPECT_EQ(read->photo.size(), kPhotoSize);
  EXPECT_EQ(reader_->state(), DeviceState::kOnline);
}

TEST_F(ReaderOverPty, NoCardIsAStateNotAnError) {
  auto found = reader_->find_card();
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_FALSE(found.value());
  auto read = reader_->read_card();
  ASSERT_FALSE(read);
  EXPECT_EQ(read.code(), Completion::kUserError);
}

TEST_F(ReaderOverPty, RefusesASecondFindUntilTheCardIsLifted) {
  sim_->lay_card(card_);
  ASSERT_TRUE(reader_->read_card());
  auto again = reader_->find_card();
  ASSERT_TRUE(again);
  EXPECT_FALSE(again.value());
  sim_->lift_card();
  sim_->lay_card(card_);
  auto fresh = reader_->find_card();
  ASSERT_TRUE(fresh);
  EXPECT_TRUE(fresh.value());
}

TEST_F(ReaderOverPty, WaitAndReadNoticesACardLaidLater) {
  std::thread citizen([this] {
    // Lay the card once the driver has polled at least once and found nothing.
    EXPECT_TRUE(testing::poll_until([this] { return sim_->commands_received() >= 1; }));
    sim_->lay_card(card_);
  });
  auto read = reader_->wait_and_read(std::chrono::seconds(10));
  citizen.join();
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->id_number, card_.id_number);
}

TEST_F(ReaderOverPty, CancelEndsAWaitForACard) {
  std::thread technician([this] {
    EXPECT_TRUE(testing::poll_until([this] { return sim_->commands_received() >= 2; }));
    reader_->cancel();
  });
  auto read = reader_->wait_and_read(std::chrono::seconds(30));
  technician.join();
  ASSERT_FALSE(read);
  EXPECT_EQ(read.code(), Completion::kCanceled);
}

TEST_F(ReaderOverPty, ACancelBeforeTheWaitIsNotLost) {
  reader_->cancel();
  auto read = reader_->wait_and_read(std::chrono::seconds(30));
  ASSERT_FALSE(read);
  EXPECT_EQ(read.code(), Completion::kCanceled);
  reader_->reset_cancel();
  sim_->lay_card(card_);
  EXPECT_TRUE(reader_->wait_and_read(std::chrono::seconds(30)));
}

TEST_F(ReaderOverPty, UnknownCommandIsRefusedByTheReader) {
  auto response = reader_->transact(Command{0x55, 0x55, {}});
  ASSERT_TRUE(response);
  EXPECT_EQ(response->sw3, sw3::kCommandError);
}

TEST(ReaderWithoutAnswer, TimesOutAndGoesOffline) {
  int master = -1, slave = -1;
  char name[128];
  ASSERT_EQ(openpty(&master, &slave, name, nullptr, nullptr), 0);
  auto transport = SerialTransport::open(name);
  ASSERT_TRUE(transport) << transport.error().message;
  Reader reader(std::move(transport.value()), {.command_timeout = std::chrono::milliseconds(50)});
  auto found = reader.find_card();
  ASSERT_FALSE(found);
  EXPECT_EQ(found.code(), Completion::kTimeout);
  EXPECT_EQ(reader.state(), DeviceState::kOffline);
  close(master);
  close(slave);
}

TEST(SerialTransport, MissingPortIsNoDevice) {
  auto t = SerialTransport::open("/dev/smzc-no-such-reader");
  ASSERT_FALSE(t);
  EXPECT_EQ(t.code(), Completion::kDeviceNotReady);
}

}  // namespace
}  // namespace smzc::idcard

namespace smzc::idcard {
namespace {

// Every demo card, through the simulator and the driver, comes back field for field.
class EveryCardType : public ::testing::TestWithParam<const char*> {};

TEST_P(EveryCardType, ReadsBackFieldForField) {
  auto card = load_card_json(testing::source_dir() / "drivers/idcard/sim/cards" / GetParam());
  ASSERT_TRUE(card) << card.error().message;
  auto sim = ReaderSimulator::start({.paced = false});
  ASSERT_TRUE(sim);
  auto transport = SerialTransport::open(sim.value()->port_path());
  ASSERT_TRUE(transport);
  Reader reader(std::move(transport.value()));
  sim.value()->lay_card(card.value());
  auto read = reader.read_card();
  ASSERT_TRUE(read) << read.error().message;
  const IdentityCard& want = card.value();
  const IdentityCard& got = read.value();
  EXPECT_EQ(got.type, want.type);
  EXPECT_EQ(got.name, want.name);
  EXPECT_EQ(got.english_name, want.english_name);
  EXPECT_EQ(got.sex_code, want.sex_code);
  EXPECT_EQ(got.nation_code, want.nation_code);
  EXPECT_EQ(got.nationality, want.nationality);
  EXPECT_EQ(got.birth_date, want.birth_date);
  EXPECT_EQ(got.address, want.address);
  EXPECT_EQ(got.id_number, want.id_number);
  EXPECT_EQ(got.authority, want.authority);
  EXPECT_EQ(got.valid_from, want.valid_from);
  EXPECT_EQ(got.valid_to, want.valid_to);
  EXPECT_EQ(got.pass_number, want.pass_number);
  EXPECT_EQ(got.issue_count, want.issue_count);
  EXPECT_EQ(got.card_version, want.card_version);
  EXPECT_TRUE(valid_id_number(got)) << got.id_number;
}

INSTANTIATE_TEST_SUITE_P(DemoCards, EveryCardType,
                         ::testing::Values("resident.json", "permit-hk.json", "foreigner-2017.json",
                                           "foreigner-2023.json", "expired.json"));

// Faults end in timeouts, so commands here give up sooner.
class ReaderFaults : public ReaderOverPty {
 protected:
  void SetUp() override {
    command_timeout_ = std::chrono::milliseconds(300);
    ReaderOverPty::SetUp();
  }
};

TEST_F(ReaderFaults, CardPulledMidReadIsAnIncompleteAnswerAndTheReaderRecovers) {
  sim_->lay_card(card_);
  sim_->inject(Fault::kPullMidRead);
  auto read = reader_->read_card();
  ASSERT_FALSE(read);
  EXPECT_EQ(read.code(), Completion::kTimeout);
  EXPECT_NE(read.error().message.find("card moved"), std::string::npos) << read.error().message;
  EXPECT_EQ(reader_->state(), DeviceState::kOnline);
  EXPECT_FALSE(sim_->card_present());
  sim_->lay_card(card_);
  auto again = reader_->read_card();
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->id_number, card_.id_number);
}

TEST_F(ReaderFaults, CorruptChecksumIsInvalidData) {
  sim_->inject(Fault::kCorruptChecksum);
  auto found = reader_->find_card();
  ASSERT_FALSE(found);
  EXPECT_EQ(found.code(), Completion::kInvalidData);
  EXPECT_NE(found.error().message.find("checksum"), std::string::npos);
  auto next = reader_->find_card();
  ASSERT_TRUE(next) << next.error().message;
}

TEST_F(ReaderFaults, GarbageIsInvalidDataAndTheNextCommandWorks) {
  sim_->lay_card(card_);
  sim_->inject(Fault::kGarbage);
  auto found = reader_->find_card();
  ASSERT_FALSE(found);
  EXPECT_EQ(found.code(), Completion::kInvalidData);
  sim_->lift_card();
  sim_->lay_card(card_);
  EXPECT_TRUE(reader_->read_card());
}

TEST_F(ReaderFaults, SilentReaderTimesOutAndGoesOfflineThenComesBack) {
  sim_->inject(Fault::kSilent);
  auto found = reader_->find_card();
  ASSERT_FALSE(found);
  EXPECT_EQ(found.code(), Completion::kTimeout);
  EXPECT_EQ(reader_->state(), DeviceState::kOffline);
  sim_->clear_faults();
  ASSERT_TRUE(reader_->find_card());
  EXPECT_EQ(reader_->state(), DeviceState::kOnline);
}

TEST_F(ReaderFaults, SlowAnswerBeyondTheTimeoutIsATimeout) {
  sim_->set_answer_delay(std::chrono::milliseconds(600));
  auto found = reader_->find_card();
  ASSERT_FALSE(found);
  EXPECT_EQ(found.code(), Completion::kTimeout);
}

TEST_F(ReaderFaults, SlowAnswerWithinTheTimeoutIsFine) {
  sim_->set_answer_delay(std::chrono::milliseconds(50));
  sim_->lay_card(card_);
  EXPECT_TRUE(reader_->read_card());
}

TEST_F(ReaderFaults, UnplugIsNoDevice) {
  sim_->inject(Fault::kUnplug);
  // The unplug lands when the simulator's thread closes the port; wait for a command to fail.
  Result<bool> found = false;
  do {
    found = reader_->find_card();
  } while (found);
  EXPECT_EQ(found.code(), Completion::kDeviceNotReady) << found.error().message;
  EXPECT_EQ(reader_->state(), DeviceState::kNoDevice);
}

TEST_F(ReaderFaults, SamIdIsFormatted) {
  auto id = reader_->sam_id();
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(id.value(), "05.01-00012345-0000001234-0000005678");
}

TEST_F(ReaderFaults, FingerprintReadSkipsTheFingerprintBlock) {
  auto transport = SerialTransport::open(sim_->port_path());
  ASSERT_TRUE(transport);
  reader_.reset();
  Reader fp_reader(std::move(transport.value()), {.read_fingerprint = true});
  sim_->lay_card(card_);
  auto read = fp_reader.read_card();
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->name, card_.name);
}

// The monitor: a card laid, read and lifted, each reported once, in order.
TEST_F(ReaderFaults, MonitorReportsLaidReadAndLifted) {
  std::mutex m;
  std::condition_variable cv;
  std::vector<ReaderEvent::Kind> kinds;
  std::string read_id;
  reader_->start_monitor([&](const ReaderEvent& e) {
    std::lock_guard lock(m);
    kinds.push_back(e.kind);
    if (e.card) read_id = e.card->id_number;
    cv.notify_all();
  });
  auto wait_for = [&](ReaderEvent::Kind k) {
    std::unique_lock lock(m);
    EXPECT_TRUE(
        cv.wait_for(lock, std::chrono::seconds(10),
                    [&] { return std::find(kinds.begin(), kinds.end(), k) != kinds.end(); }))
        << "no " << to_string(k) << " event in 10 s";
  };
  sim_->lay_card(card_);
  wait_for(ReaderEvent::Kind::kCardRead);
  EXPECT_EQ(reader_->card_state(), CardState::kPresent);
  EXPECT_FALSE(reader_->wait_and_read(std::chrono::milliseconds(10)));  // the monitor owns it
  sim_->lift_card();
  wait_for(ReaderEvent::Kind::kCardLifted);
  reader_->stop_monitor();
  EXPECT_EQ(read_id, card_.id_number);
  EXPECT_EQ(kinds, (std::vector<ReaderEvent::Kind>{ReaderEvent::Kind::kCardLaid,
                                                   ReaderEvent::Kind::kCardRead,
                                                   ReaderEvent::Kind::kCardLifted}));
}

TEST_F(ReaderFaults, MonitorReportsAFailedReadAndTheStatusOfAnUnpluggedReader) {
  std::mutex m;
  std::condition_variable cv;
  std::vector<ReaderEvent> events;
  reader_->start_monitor([&](const ReaderEvent& e) {
    std::lock_guard lock(m);
    events.push_back(e);
    cv.notify_all();
  });
  // Each event is waited for at most 10 s: a monitor that never reports fails the test.
  auto wait_for = [&](auto pred) {
    std::unique_lock lock(m);
    return cv.wait_for(lock, std::chrono::seconds(10),
                       [&] { return std::any_of(events.begin(), events.end(), pred); });
  };
  sim_->lay_card(card_);
  sim_->inject(Fault::kPullMidRead);
  EXPECT_TRUE(wait_for([](const ReaderEvent& e) {
    return e.kind == ReaderEvent::Kind::kReadFailed;
  })) << "no readFailed event";
  sim_->inject(Fault::kUnplug);
  EXPECT_TRUE(wait_for([](const ReaderEvent& e) {
    return e.kind == ReaderEvent::Kind::kStatusChanged && e.state == DeviceState::kNoDevice;
  })) << "no noDevice status";
  reader_->stop_monitor();
  EXPECT_EQ(reader_->state(), DeviceState::kNoDevice);
}

}  // namespace
}  // namespace smzc::idcard

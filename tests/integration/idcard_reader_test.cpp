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
    reader_ = std::make_unique<Reader>(std::move(transport.value()));
    auto card = load_card_json(testing::source_dir() / "drivers/idcard/sim/cards/resident.json");
    ASSERT_TRUE(card);
    card_ = card.value();
  }

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
    while (sim_->commands_answered() < 1) std::this_thread::yield();
    sim_->lay_card(card_);
  });
  auto read = reader_->wait_and_read(std::chrono::seconds(10));
  citizen.join();
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->id_number, card_.id_number);
}

TEST_F(ReaderOverPty, CancelEndsAWaitForACard) {
  std::thread technician([this] {
    while (sim_->commands_answered() < 2) std::this_thread::yield();
    reader_->cancel();
  });
  auto read = reader_->wait_and_read(std::chrono::seconds(30));
  technician.join();
  ASSERT_FALSE(read);
  EXPECT_EQ(read.code(), Completion::kCanceled);
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

TEST(ReaderWithoutAnswer, GarbageIsACorruptFrame) {
  int master = -1, slave = -1;
  char name[128];
  ASSERT_EQ(openpty(&master, &slave, name, nullptr, nullptr), 0);
  termios tio{};
  tcgetattr(slave, &tio);
  cfmakeraw(&tio);
  tcsetattr(slave, TCSANOW, &tio);
  auto transport = SerialTransport::open(name);
  ASSERT_TRUE(transport);
  Reader reader(std::move(transport.value()));
  const uint8_t garbage[] = {0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC, 0xDE};
  ASSERT_EQ(write(master, garbage, sizeof garbage), static_cast<ssize_t>(sizeof garbage));
  auto found = reader.find_card();
  ASSERT_FALSE(found);
  EXPECT_EQ(found.code(), Completion::kInvalidData);
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

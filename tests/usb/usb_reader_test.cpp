// The reader driver over USB (libusb) against a recorded reader replayed by umockdev. ctest runs
// this binary inside `umockdev-run`; run by hand it says so instead of skipping.
#include <gtest/gtest.h>

#include <cstdlib>

#include "drivers/idcard/reader.h"
#include "drivers/idcard/usb_transport.h"

namespace smzc::idcard {
namespace {

class UsbReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(std::getenv("UMOCKDEV_DIR"), nullptr)
        << "run under umockdev-run with tests/data/usb (ctest does this)";
  }
};

TEST_F(UsbReaderTest, ReadsTheRecordedResidentCard) {
  auto transport = UsbTransport::open();
  ASSERT_TRUE(transport) << transport.error().message;
  EXPECT_EQ(transport.value()->describe(), "usb:0400:c35a");
  Reader reader(std::move(transport.value()));
  auto sam = reader.sam_id();
  ASSERT_TRUE(sam) << sam.error().message;
  EXPECT_EQ(sam.value(), "05.01-00012345-0000001234-0000005678");
  auto card = reader.read_card();
  ASSERT_TRUE(card) << card.error().message;
  EXPECT_EQ(card->name, "陈晓明");
  EXPECT_EQ(card->id_number, "440605199003072315");
  EXPECT_EQ(card->photo.size(), kPhotoSize);
  EXPECT_EQ(reader.state(), DeviceState::kOnline);
}

TEST_F(UsbReaderTest, ACommandTheReaderNeverSawIsAnError) {
  auto transport = UsbTransport::open();
  ASSERT_TRUE(transport);
  Reader reader(std::move(transport.value()));
  auto response = reader.transact(commands::reset());
  ASSERT_FALSE(response);
  EXPECT_EQ(response.code(), Completion::kHardwareError);
}

TEST_F(UsbReaderTest, AnotherVendorsReaderIsNoDevice) {
  auto transport = UsbTransport::open({.vendor_id = 0x1234, .product_id = 0x5678});
  ASSERT_FALSE(transport);
  EXPECT_EQ(transport.code(), Completion::kDeviceNotReady);
}

TEST_F(UsbReaderTest, TransportsAreNamedInTheConfiguration) {
  auto usb = open_transport("usb:0400:c35a");
  ASSERT_TRUE(usb) << usb.error().message;
  EXPECT_EQ(usb.value()->describe(), "usb:0400:c35a");
  EXPECT_EQ(open_transport("usb:zz").code(), Completion::kInvalidData);
  EXPECT_EQ(open_transport("usb:1234:5678").code(), Completion::kDeviceNotReady);
}

TEST_F(UsbReaderTest, HotplugReportsThePluggedInReader) {
  std::mutex m;
  std::condition_variable cv;
  int arrivals = 0;
  auto watch = UsbHotplugWatch::start({}, [&](bool arrived) {
    std::lock_guard lock(m);
    arrivals += arrived;
    cv.notify_all();
  });
  ASSERT_TRUE(watch) << watch.error().message;
  std::unique_lock lock(m);
  ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return arrivals > 0; }))
      << "the plugged-in reader was never reported";
  EXPECT_EQ(arrivals, 1);
}

}  // namespace
}  // namespace smzc::idcard

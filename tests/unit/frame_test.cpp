#include "drivers/idcard/frame.h"

#include <gtest/gtest.h>

namespace smzc::idcard {
namespace {

using Bytes = std::vector<uint8_t>;

TEST(FrameCodec, EncodesFindCardAsTheReadersExpect) {
  EXPECT_EQ(encode(commands::find_card()),
            (Bytes{0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x20, 0x01, 0x22}));
}

TEST(FrameCodec, DecodesThePublishedOkResponse) {
  const Bytes frame = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x04, 0x00, 0x00, 0x90, 0x94};
  auto response = decode_response(frame);
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->sw3, sw3::kOk);
  EXPECT_TRUE(response->data.empty());
  EXPECT_EQ(encode(response.value()), frame);
}

TEST(FrameCodec, DecodesThePublishedFindOkResponse) {
  const Bytes frame = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x08, 0x00,
                       0x00, 0x9F, 0x00, 0x00, 0x00, 0x00, 0x97};
  auto response = decode_response(frame);
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->sw3, sw3::kFindOk);
  EXPECT_EQ(response->data, Bytes(4, 0));
}

TEST(FrameCodec, RoundTripsALargeResponse) {
  Response r{0, 0, sw3::kOk, Bytes(1284)};
  for (size_t i = 0; i < r.data.size(); ++i) r.data[i] = static_cast<uint8_t>(i * 7);
  auto frame = encode(r);
  EXPECT_EQ(frame.size(), 1295u);  // the size of a 30 01 answer
  auto back = decode_response(frame);
  ASSERT_TRUE(back);
  EXPECT_EQ(back.value(), r);
}

TEST(FrameCodec, RoundTripsEveryCommand) {
  for (const Command& c :
       {commands::reset(), commands::sam_status(), commands::sam_id(), commands::find_card(),
        commands::select_card(), commands::read_base(), commands::read_with_fingerprint()}) {
    auto back = decode_command(encode(c));
    ASSERT_TRUE(back);
    EXPECT_EQ(back.value(), c);
  }
}

TEST(FrameCodec, RejectsAFlippedChecksum) {
  auto frame = encode(Response{0, 0, sw3::kOk, {1, 2, 3}});
  frame.back() ^= 0x01;
  auto r = decode_response(frame);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.code(), Completion::kInvalidData);
  EXPECT_NE(r.error().message.find("checksum"), std::string::npos);
}

TEST(FrameCodec, RejectsABadPreamble) {
  auto frame = encode(commands::find_card());
  frame[3] = 0x00;
  EXPECT_EQ(scan_frame(frame, 2).status, FrameStatus::kBadPreamble);
  EXPECT_FALSE(decode_command(frame));
}

TEST(FrameCodec, RejectsImpossibleLengths) {
  Bytes too_short = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x01, 0x00};
  EXPECT_EQ(scan_frame(too_short, 3).status, FrameStatus::kBadLength);
  Bytes too_long = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0xFF, 0xFF};
  EXPECT_EQ(scan_frame(too_long, 3).status, FrameStatus::kBadLength);
}

TEST(FrameCodec, SaysATruncatedFrameIsTruncated) {
  auto frame = encode(Response{0, 0, sw3::kOk, Bytes(100)});
  frame.resize(50);
  auto r = decode_response(frame);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("truncated"), std::string::npos);
}

TEST(FrameCodec, RejectsBytesAfterTheFrame) {
  auto frame = encode(commands::find_card());
  frame.push_back(0x00);
  EXPECT_FALSE(decode_command(frame));
}

TEST(FrameCodec, ScanAsksForExactlyTheMissingBytes) {
  auto frame = encode(Response{0, 0, sw3::kOk, Bytes(20)});
  for (size_t n = 0; n < frame.size(); ++n) {
    FrameScan scan = scan_frame(std::span(frame).first(n), 3);
    ASSERT_EQ(scan.status, FrameStatus::kIncomplete) << n;
    EXPECT_EQ(scan.frame_size, n < kHeaderSize ? kHeaderSize : frame.size());
  }
  EXPECT_EQ(scan_frame(frame, 3).status, FrameStatus::kComplete);
}

TEST(FrameCodec, EveryDocumentedStatusHasAMeaning) {
  for (uint8_t code : {0x90, 0x91, 0x9F, 0x80, 0x81, 0x10, 0x11, 0x21, 0x23, 0x24,
                       0x31, 0x32, 0x33, 0x37, 0x3F, 0x40, 0x41, 0x47, 0x60, 0x66}) {
    auto m = describe_sw3(code);
    EXPECT_STRNE(m.en, "unknown status") << int(code);
  }
  EXPECT_EQ(describe_sw3(0x90).completion, Completion::kSuccess);
  EXPECT_EQ(describe_sw3(0x80).completion, Completion::kUserError);
  EXPECT_EQ(describe_sw3(0x60).completion, Completion::kHardwareError);
  EXPECT_STREQ(describe_sw3(0x00).en, "unknown status");
}

}  // namespace
}  // namespace smzc::idcard

#include "drivers/idcard/frame.h"

#include <algorithm>

namespace smzc::idcard {
namespace {

std::vector<uint8_t> encode_body(std::span<const uint8_t> head, std::span<const uint8_t> data) {
  const size_t len = head.size() + data.size() + 1;
  std::vector<uint8_t> out(std::begin(kPreamble), std::end(kPreamble));
  out.reserve(kHeaderSize + len);
  out.push_back(static_cast<uint8_t>(len >> 8));
  out.push_back(static_cast<uint8_t>(len & 0xFF));
  out.insert(out.end(), head.begin(), head.end());
  out.insert(out.end(), data.begin(), data.end());
  uint8_t chk = 0;
  for (size_t i = 5; i < out.size(); ++i) chk ^= out[i];
  out.push_back(chk);
  return out;
}

// The bytes between LEN and CHK of a frame that scan_frame() called complete.
Result<std::span<const uint8_t>> frame_body(std::span<const uint8_t> frame, size_t min_body) {
  FrameScan scan = scan_frame(frame, min_body);
  if (scan.status == FrameStatus::kIncomplete)
    return Error{Completion::kInvalidData, "truncated frame: " + std::to_string(frame.size()) +
                                               " of " + std::to_string(scan.frame_size) + " bytes"};
  if (scan.status != FrameStatus::kComplete)
    return Error{Completion::kInvalidData, to_string(scan.status)};
  if (scan.frame_size != frame.size())
    return Error{Completion::kInvalidData,
                 std::to_string(frame.size() - scan.frame_size) + " bytes after the frame"};
  return frame.subspan(kHeaderSize, scan.frame_size - kHeaderSize - 1);
}

}  // namespace

std::vector<uint8_t> encode(const Command& command) {
  const uint8_t head[] = {command.cmd, command.para};
  return encode_body(head, command.data);
}

std::vector<uint8_t> encode(const Response& response) {
  const uint8_t head[] = {response.sw1, response.sw2, response.sw3};
  return encode_body(head, response.data);
}

const char* to_string(FrameStatus status) {
  switch (status) {
    case FrameStatus::kComplete:
      return "complete frame";
    case FrameStatus::kIncomplete:
      return "incomplete frame";
    case FrameStatus::kBadPreamble:
      return "bad preamble (expected AA AA AA 96 69)";
    case FrameStatus::kBadLength:
      return "bad length field";
    case FrameStatus::kBadChecksum:
      return "checksum mismatch";
  }
  return "unknown";
}

FrameScan scan_frame(std::span<const uint8_t> bytes, size_t min_body) {
  const size_t preamble_seen = std::min(bytes.size(), sizeof kPreamble);
  if (!std::equal(bytes.begin(), bytes.begin() + preamble_seen, std::begin(kPreamble)))
    return {FrameStatus::kBadPreamble, 0};
  if (bytes.size() < kHeaderSize) return {FrameStatus::kIncomplete, kHeaderSize};
  const size_t len = (size_t{bytes[5]} << 8) | bytes[6];
  if (len < min_body + 1 || kHeaderSize + len > kMaxFrameSize) return {FrameStatus::kBadLength, 0};
  const size_t total = kHeaderSize + len;
  if (bytes.size() < total) return {FrameStatus::kIncomplete, total};
  uint8_t chk = 0;
  for (size_t i = 5; i + 1 < total; ++i) chk ^= bytes[i];
  if (chk != bytes[total - 1]) return {FrameStatus::kBadChecksum, total};
  return {FrameStatus::kComplete, total};
}

Result<Response> decode_response(std::span<const uint8_t> frame) {
  auto body = frame_body(frame, 3);
  if (!body) return body.error();
  const auto& b = body.value();
  return Response{b[0], b[1], b[2], std::vector<uint8_t>(b.begin() + 3, b.end())};
}

Result<Command> decode_command(std::span<const uint8_t> frame) {
  auto body = frame_body(frame, 2);
  if (!body) return body.error();
  const auto& b = body.value();
  return Command{b[0], b[1], std::vector<uint8_t>(b.begin() + 2, b.end())};
}

Sw3Meaning describe_sw3(uint8_t sw3) {
  using C = Completion;
  switch (sw3) {
    case 0x90:
      return {C::kSuccess, "success"};
    case 0x91:
      return {C::kSuccess, "no such content"};
    case 0x9F:
      return {C::kSuccess, "card found"};
    case 0x80:
      return {C::kUserError, "no card found; lay the card"};
    case 0x81:
      return {C::kUserError, "card select failed"};
    case 0x10:
      return {C::kInvalidData, "reader saw a checksum error"};
    case 0x11:
      return {C::kInvalidData, "reader saw a length error"};
    case 0x21:
      return {C::kInvalidData, "reader rejected the command"};
    case 0x23:
      return {C::kUnsupported, "operation not authorised"};
    case 0x24:
      return {C::kHardwareError, "unrecognised error"};
    case 0x31:
      return {C::kHardwareError, "card failed to authenticate SAM"};
    case 0x32:
      return {C::kHardwareError, "SAM failed to authenticate card"};
    case 0x33:
      return {C::kHardwareError, "information verification failed"};
    case 0x37:
      return {C::kHardwareError, "fingerprint verification error"};
    case 0x3F:
      return {C::kHardwareError, "information length error"};
    case 0x40:
      return {C::kUserError, "unknown card type"};
    case 0x41:
      return {C::kUserError, "card read failed"};
    case 0x47:
      return {C::kHardwareError, "random number failed"};
    case 0x60:
      return {C::kHardwareError, "SAM self-test failed"};
    case 0x66:
      return {C::kHardwareError, "SAM not authorised"};
    default:
      return {C::kHardwareError, "unknown status"};
  }
}

}  // namespace smzc::idcard

// The SAM frame protocol of second-generation ID-card readers: pure functions, no I/O.
// Facts: shared/research/idcard-protocol.md.
//
//   command:  AA AA AA 96 69 | LEN_H LEN_L | CMD PARA [data] | CHK
//   response: AA AA AA 96 69 | LEN_H LEN_L | SW1 SW2 SW3 [data] | CHK
//
// LEN counts everything after itself, CHK included; CHK is the XOR of LEN_H..last data byte.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"

namespace smzc::idcard {

inline constexpr uint8_t kPreamble[5] = {0xAA, 0xAA, 0xAA, 0x96, 0x69};
inline constexpr size_t kHeaderSize = 7;  // preamble + LEN
/// The largest frame a reader sends: text + photo + 1024-byte fingerprint.
inline constexpr size_t kMaxFrameSize = 2321;

/// A command from host to reader.
struct Command {
  uint8_t cmd = 0;
  uint8_t para = 0;
  std::vector<uint8_t> data;

  bool operator==(const Command&) const = default;
};

/// A response from reader to host.
struct Response {
  uint8_t sw1 = 0;
  uint8_t sw2 = 0;
  uint8_t sw3 = 0;
  std::vector<uint8_t> data;

  bool operator==(const Response&) const = default;
};

namespace commands {
inline Command reset() {
  return {0x10, 0xFF, {}};
}
inline Command sam_status() {
  return {0x11, 0xFF, {}};
}
inline Command sam_id() {
  return {0x12, 0xFF, {}};
}
inline Command find_card() {
  return {0x20, 0x01, {}};
}
inline Command select_card() {
  return {0x20, 0x02, {}};
}
inline Command read_base() {
  return {0x30, 0x01, {}};
}
inline Command read_with_fingerprint() {
  return {0x30, 0x10, {}};
}
}  // namespace commands

/// SW3 values the reader answers with.
namespace sw3 {
inline constexpr uint8_t kOk = 0x90;
inline constexpr uint8_t kNoContent = 0x91;
inline constexpr uint8_t kFindOk = 0x9F;
inline constexpr uint8_t kFindFailed = 0x80;
inline constexpr uint8_t kSelectFailed = 0x81;
inline constexpr uint8_t kChecksumError = 0x10;
inline constexpr uint8_t kLengthError = 0x11;
inline constexpr uint8_t kCommandError = 0x21;
inline constexpr uint8_t kReadFailed = 0x41;
}  // namespace sw3

std::vector<uint8_t> encode(const Command& command);
std::vector<uint8_t> encode(const Response& response);

/// How far a byte buffer is from holding one whole frame.
enum class FrameStatus {
  kComplete,     ///< a whole, valid frame starts at the beginning of the buffer
  kIncomplete,   ///< a valid prefix; read more bytes
  kBadPreamble,  ///< does not start with AA AA AA 96 69
  kBadLength,    ///< LEN too small for the frame kind, or larger than any reader sends
  kBadChecksum,  ///< CHK does not match
};

const char* to_string(FrameStatus status);

struct FrameScan {
  FrameStatus status = FrameStatus::kIncomplete;
  /// kComplete: the size of the frame. kIncomplete: the total bytes needed so far (at least the
  /// header; the whole frame once LEN is known).
  size_t frame_size = kHeaderSize;
};

/// Looks at the start of `bytes` for one frame. `min_body` is 2 for commands, 3 for responses.
FrameScan scan_frame(std::span<const uint8_t> bytes, size_t min_body);

/// Decodes one whole response frame; errors say what is wrong with it.
Result<Response> decode_response(std::span<const uint8_t> frame);
/// Decodes one whole command frame.
Result<Command> decode_command(std::span<const uint8_t> frame);

/// What a reader's SW3 means, in the device vocabulary, with a message for technicians (the
/// citizen's words are the UI's).
struct Sw3Meaning {
  Completion completion;
  const char* en;
};
Sw3Meaning describe_sw3(uint8_t sw3);

}  // namespace smzc::idcard

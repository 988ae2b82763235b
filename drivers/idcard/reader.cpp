#include "drivers/idcard/reader.h"

namespace smzc::idcard {

Reader::Reader(std::unique_ptr<Transport> transport, Options options)
    : transport_(std::move(transport)), options_(options), port_(transport_->describe()) {}

Result<std::vector<uint8_t>> Reader::read_frame(Transport::Clock::time_point deadline) {
  std::vector<uint8_t> frame;
  frame.reserve(kMaxFrameSize);
  uint8_t chunk[512];
  for (;;) {
    FrameScan scan = scan_frame(frame, 3);
    if (scan.status == FrameStatus::kComplete) {
      frame.resize(scan.frame_size);
      return frame;
    }
    if (scan.status != FrameStatus::kIncomplete) {
      transport_->discard_input();
      return Error{Completion::kInvalidData,
                   std::string("corrupt frame: ") + to_string(scan.status)};
    }
    // Read no further than the frame, so the next response stays in the queue.
    const size_t want = std::min(sizeof chunk, scan.frame_size - frame.size());
    auto got = transport_->read_some(std::span(chunk, want), deadline);
    if (!got) return got.error();
    frame.insert(frame.end(), chunk, chunk + got.value());
  }
}

Result<Response> Reader::transact(const Command& command) {
  std::lock_guard lock(command_mutex_);
  const auto deadline = Transport::Clock::now() + options_.command_timeout;
  auto bytes = encode(command);
  if (auto s = transport_->write(bytes, deadline); !s) {
    if (s.code() == Completion::kDeviceNotReady) state_ = DeviceState::kNoDevice;
    return s.error();
  }
  auto frame = read_frame(deadline);
  if (!frame) {
    if (frame.code() == Completion::kDeviceNotReady) state_ = DeviceState::kNoDevice;
    if (frame.code() == Completion::kTimeout) state_ = DeviceState::kOffline;
    return frame.error();
  }
  state_ = DeviceState::kOnline;
  return decode_response(frame.value());
}

Status Reader::expect_ok(const Result<Response>& response, uint8_t ok_sw3) {
  if (!response) return response.error();
  if (response->sw3 == ok_sw3) return ok_status();
  auto meaning = describe_sw3(response->sw3);
  return Error{
      meaning.completion == Completion::kSuccess ? Completion::kInvalidData : meaning.completion,
      meaning.en};
}

Result<bool> Reader::find_card() {
  auto response = transact(commands::find_card());
  if (response && response->sw3 == sw3::kFindFailed) return false;
  if (auto s = expect_ok(response, sw3::kFindOk); !s) return s.error();
  return true;
}

Status Reader::select_card() {
  return expect_ok(transact(commands::select_card()), sw3::kOk);
}

Result<IdentityCard> Reader::read_base() {
  auto response = transact(commands::read_base());
  if (auto s = expect_ok(response, sw3::kOk); !s) return s.error();
  return decode_base_message(response->data);
}

Result<IdentityCard> Reader::read_card() {
  auto found = find_card();
  if (!found) return found.error();
  if (!found.value()) return Error{Completion::kUserError, "no card on the reader"};
  if (auto s = select_card(); !s) return s.error();
  return read_base();
}

Result<IdentityCard> Reader::wait_and_read(std::chrono::milliseconds timeout) {
  canceled_ = false;
  transport_->clear_cancel();
  const auto deadline = Transport::Clock::now() + timeout;
  for (;;) {
    auto found = find_card();
    if (!found) return found.error();
    if (found.value()) {
      if (auto s = select_card(); !s) return s.error();
      return read_base();
    }
    std::unique_lock lock(wait_mutex_);
    wait_cv_.wait_until(lock, std::min(deadline, Transport::Clock::now() + options_.poll_interval),
                        [this] { return canceled_.load(); });
    if (canceled_) return Error{Completion::kCanceled, "canceled"};
    if (Transport::Clock::now() >= deadline)
      return Error{Completion::kTimeout, "no card was laid on the reader"};
  }
}

void Reader::cancel() {
  {
    std::lock_guard lock(wait_mutex_);
    canceled_ = true;
  }
  wait_cv_.notify_all();
  transport_->cancel();
}

}  // namespace smzc::idcard

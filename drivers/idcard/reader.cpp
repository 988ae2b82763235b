#include "drivers/idcard/reader.h"

#include <cstdio>

namespace smzc::idcard {

using Clock = Transport::Clock;

const char* to_string(ReaderEvent::Kind kind) {
  switch (kind) {
    case ReaderEvent::Kind::kStatusChanged:
      return "statusChanged";
    case ReaderEvent::Kind::kCardLaid:
      return "cardLaid";
    case ReaderEvent::Kind::kCardRead:
      return "cardRead";
    case ReaderEvent::Kind::kReadFailed:
      return "readFailed";
    case ReaderEvent::Kind::kCardLifted:
      return "cardLifted";
  }
  return "unknown";
}

Reader::Reader(std::unique_ptr<Transport> transport, Options options)
    : transport_(std::move(transport)), options_(options), port_(transport_->describe()) {}

Reader::~Reader() {
  stop_monitor();
}

void Reader::set_state(DeviceState state) {
  if (state_.exchange(state) != state && listener_)
    listener_({ReaderEvent::Kind::kStatusChanged, state, std::nullopt, std::nullopt});
}

Result<std::vector<uint8_t>> Reader::read_frame(Clock::time_point deadline, bool& answered) {
  std::vector<uint8_t> frame;
  frame.reserve(kMaxFrameSize);
  uint8_t chunk[512];
  for (;;) {
    FrameScan scan = scan_frame(frame, 3);
    if (scan.status == FrameStatus::kComplete) return frame;
    if (scan.status != FrameStatus::kIncomplete) {
      transport_->discard_input();
      return Error{Completion::kInvalidData,
                   std::string("corrupt frame: ") + to_string(scan.status)};
    }
    // Read no further than the frame, so a following frame stays queued.
    const size_t want = std::min(sizeof chunk, scan.frame_size - frame.size());
    auto got = transport_->read_some(std::span(chunk, want), deadline);
    if (!got) {
      if (got.code() == Completion::kTimeout && !frame.empty())
        return Error{Completion::kTimeout, "incomplete answer (" + std::to_string(frame.size()) +
                                               " of " + std::to_string(scan.frame_size) +
                                               " bytes): was the card moved?"};
      return got.error();
    }
    answered = true;
    frame.insert(frame.end(), chunk, chunk + got.value());
  }
}

Result<Response> Reader::transact(const Command& command) {
  std::lock_guard lock(command_mutex_);
  const auto deadline = Clock::now() + options_.command_timeout;
  // Bytes left from an interrupted answer must not be taken for this command's answer.
  transport_->discard_input();
  if (auto s = transport_->write(encode(command), deadline); !s) {
    if (s.code() == Completion::kDeviceNotReady) set_state(DeviceState::kNoDevice);
    return s.error();
  }
  bool answered = false;
  auto frame = read_frame(deadline, answered);
  if (!frame) {
    if (frame.code() == Completion::kDeviceNotReady) set_state(DeviceState::kNoDevice);
    // Silence is an offline reader; a partial or corrupt answer came from a live one.
    if (frame.code() == Completion::kTimeout && !answered) set_state(DeviceState::kOffline);
    return frame.error();
  }
  set_state(DeviceState::kOnline);
  return decode_response(frame.value());
}

Status Reader::expect_ok(const Result<Response>& response, uint8_t ok_sw3) {
  if (!response) return response.error();
  if (response->sw3 == ok_sw3) return ok_status();
  auto meaning = describe_sw3(response->sw3);
  return Error{
      meaning.completion == Completion::kSuccess ? Completion::kInvalidData : meaning.completion,
      std::string(meaning.en) + " (SW3 " + std::to_string(response->sw3) + ")"};
}

Status Reader::reset() {
  return expect_ok(transact(commands::reset()), sw3::kOk);
}

Result<std::string> Reader::sam_id() {
  auto response = transact(commands::sam_id());
  if (auto s = expect_ok(response, sw3::kOk); !s) return s.error();
  const auto& d = response->data;
  if (d.size() < 16) return Error{Completion::kInvalidData, "SAM id shorter than 16 bytes"};
  auto u16 = [&d](size_t i) { return unsigned(d[i] | (d[i + 1] << 8)); };
  auto u32 = [&d](size_t i) {
    return static_cast<unsigned long>(d[i] | (d[i + 1] << 8) | (d[i + 2] << 16) |
                                      (static_cast<unsigned long>(d[i + 3]) << 24));
  };
  char text[64];
  std::snprintf(text, sizeof text, "%02u.%02u-%08lu-%010lu-%010lu", u16(0), u16(2), u32(4), u32(8),
                u32(12));
  return std::string(text);
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
  auto response = transact(options_.read_fingerprint ? commands::read_with_fingerprint()
                                                     : commands::read_base());
  if (auto s = expect_ok(response, sw3::kOk); !s) return s.error();
  return decode_base_message(response->data, options_.read_fingerprint);
}

Result<IdentityCard> Reader::read_card() {
  auto found = find_card();
  if (!found) return found.error();
  if (!found.value()) return Error{Completion::kUserError, "no card on the reader"};
  if (auto s = select_card(); !s) return s.error();
  auto card = read_base();
  if (card) card_state_ = CardState::kPresent;
  return card;
}

bool Reader::pause(Clock::time_point until) {
  std::unique_lock lock(wait_mutex_);
  wait_cv_.wait_until(lock, until, [this] { return canceled_.load(); });
  return !canceled_;
}

Result<IdentityCard> Reader::wait_and_read(std::chrono::milliseconds timeout) {
  if (monitoring_) return Error{Completion::kDeviceNotReady, "the card monitor owns the reader"};
  if (canceled_) return Error{Completion::kCanceled, "canceled"};
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    auto found = find_card();
    if (!found) return found.error();
    if (found.value()) {
      if (auto s = select_card(); !s) return s.error();
      auto card = read_base();
      if (card) card_state_ = CardState::kPresent;
      return card;
    }
    if (!pause(std::min(deadline, Clock::now() + options_.poll_interval)))
      return Error{Completion::kCanceled, "canceled"};
    if (Clock::now() >= deadline)
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

void Reader::reset_cancel() {
  canceled_ = false;
  transport_->clear_cancel();
}

void Reader::start_monitor(Listener listener) {
  stop_monitor();
  listener_ = std::move(listener);
  canceled_ = false;
  transport_->clear_cancel();
  monitoring_ = true;
  monitor_ = std::thread([this] { monitor_loop(); });
}

void Reader::stop_monitor() {
  if (!monitor_.joinable()) return;
  monitoring_ = false;
  cancel();
  monitor_.join();
  listener_ = nullptr;
}

// One poll per interval. With no card: find; a found card is selected and read at once, so the
// citizen's card is read within one interval of being laid. With a card that was read: select,
// which a card still in the field answers, to notice when it is lifted.
void Reader::monitor_loop() {
  using Kind = ReaderEvent::Kind;
  while (monitoring_) {
    const auto next = Clock::now() + options_.poll_interval;
    if (card_state_ == CardState::kAbsent) {
      auto found = find_card();
      if (found && found.value()) {
        listener_({Kind::kCardLaid, state(), std::nullopt, std::nullopt});
        auto selected = select_card();
        auto card = selected ? read_base() : Result<IdentityCard>(selected.error());
        if (card) {
          card_state_ = CardState::kPresent;
          listener_({Kind::kCardRead, state(), std::move(card.value()), std::nullopt});
        } else if (card.code() != Completion::kCanceled) {
          listener_({Kind::kReadFailed, state(), std::nullopt, card.error()});
        }
      }
    } else {
      auto response = transact(commands::select_card());
      if (response && response->sw3 != sw3::kOk) {
        card_state_ = CardState::kAbsent;
        listener_({Kind::kCardLifted, state(), std::nullopt, std::nullopt});
      }
    }
    if (!pause(next)) break;
  }
}

}  // namespace smzc::idcard

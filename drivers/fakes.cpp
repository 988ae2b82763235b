#include "drivers/fakes.h"

#include <algorithm>

namespace smzc::fakes {

// --- FakeCardReader ---

FakeCardReader::FakeCardReader(std::string id, bool present)
    : CardReader(std::move(id)), present_(present) {
  change([] {});
}

// Edits the fake under its lock, wakes a waiting read, then publishes the new status with no lock
// of the fake held (as the Device contract says), so a listener may call back into it.
void FakeCardReader::change(const std::function<void()>& edit) {
  DeviceStatus status;
  {
    std::lock_guard lock(mutex_);
    edit();
    status = {present_ ? DeviceState::kOnline : DeviceState::kNoDevice,
              !present_ ? MediaState::kUnknown
              : card_   ? MediaState::kCardPresent
                        : MediaState::kCardAbsent,
              false, Completion::kSuccess, present_ ? "" : "fake reader unplugged"};
    changed_.notify_all();
  }
  publish(status);
}

void FakeCardReader::plug() {
  change([this] { present_ = true; });
}

void FakeCardReader::unplug() {
  change([this] { present_ = false; });
}

void FakeCardReader::lay(IdentityCard card) {
  change([&] {
    card_ = std::move(card);
    card_read_ = false;
  });
}

void FakeCardReader::lift() {
  change([this] {
    if (card_) card_->wipe();
    card_.reset();
  });
}

void FakeCardReader::fail_next_read(Error error) {
  std::lock_guard lock(mutex_);
  next_error_ = std::move(error);
}

int FakeCardReader::waits() const {
  std::lock_guard lock(mutex_);
  return waits_;
}

Status FakeCardReader::self_test(Deadline, std::stop_token) {
  std::lock_guard lock(mutex_);
  if (!present_) return Error{Completion::kDeviceNotReady, "fake reader unplugged"};
  return ok_status();
}

Result<IdentityCard> FakeCardReader::wait_for_card(Deadline deadline, std::stop_token stop) {
  std::unique_lock lock(mutex_);
  ++waits_;
  const bool woke = changed_.wait_until(lock, stop, deadline,
                                        [this] { return !present_ || (card_ && !card_read_); });
  if (stop.stop_requested()) return Error{Completion::kCanceled, "canceled"};
  if (!present_) return Error{Completion::kDeviceNotReady, "fake reader unplugged"};
  if (!woke) return Error{Completion::kTimeout, "no card was laid on the reader"};
  card_read_ = true;
  if (next_error_) {
    Error e = *next_error_;
    next_error_.reset();
    return e;
  }
  return *card_;
}

// --- FakePrinter ---

FakePrinter::FakePrinter(std::string id, bool present) : Printer(std::move(id)), present_(present) {
  (void)query();
}

void FakePrinter::plug() {
  {
    std::lock_guard lock(mutex_);
    present_ = true;
  }
  (void)query();
}

void FakePrinter::unplug() {
  {
    std::lock_guard lock(mutex_);
    present_ = false;
    changed_.notify_all();
  }
  (void)query();
}

void FakePrinter::set_media(MediaState media, bool cover_open) {
  {
    std::lock_guard lock(mutex_);
    media_ = media;
    cover_open_ = cover_open;
    changed_.notify_all();
  }
  (void)query();
}

void FakePrinter::hold_jobs(bool hold) {
  std::lock_guard lock(mutex_);
  hold_ = hold;
}

void FakePrinter::release_jobs() {
  std::lock_guard lock(mutex_);
  hold_ = false;
  for (auto& j : jobs_)
    if (j.state == printer::JobState::kProcessing) j.state = printer::JobState::kCompleted;
  changed_.notify_all();
}

std::vector<std::string> FakePrinter::jobs() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> names;
  for (const auto& j : jobs_) names.push_back(j.name);
  return names;
}

std::vector<std::string> FakePrinter::purged_jobs() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> names;
  for (const auto& j : jobs_)
    if (j.purged) names.push_back(j.name);
  return names;
}

printer::PrinterStatus FakePrinter::status_locked() const {
  printer::PrinterStatus st;
  st.formats = {"application/pdf"};
  st.media = media_;
  st.cover_open = cover_open_;
  auto reason = [](const char* keyword) { return printer::understand_reason(keyword); };
  if (media_ == MediaState::kPaperOut) st.reasons.push_back(reason("media-empty-error"));
  if (media_ == MediaState::kPaperJammed) st.reasons.push_back(reason("media-jam-error"));
  if (media_ == MediaState::kPaperLow) st.reasons.push_back(reason("media-low-report"));
  if (cover_open_) st.reasons.push_back(reason("cover-open-error"));
  const bool blocked = printer::blocking_reason(st.reasons) != nullptr;
  st.ipp_state = blocked ? "stopped" : "idle";
  st.state = blocked ? DeviceState::kHardwareError : DeviceState::kOnline;
  return st;
}

Result<printer::PrinterStatus> FakePrinter::query() {
  Result<printer::PrinterStatus> st = Error{Completion::kDeviceNotReady, "fake printer unplugged"};
  {
    std::lock_guard lock(mutex_);
    if (present_) st = status_locked();
  }
  if (!st)
    publish({DeviceState::kNoDevice, MediaState::kUnknown, false, st.code(), st.error().message});
  else
    publish({st->state, st->media, st->cover_open, Completion::kSuccess,
             st->can_print() ? "" : st->technician_message()});
  return st;
}

Status FakePrinter::self_test(Deadline, std::stop_token) {
  auto st = query();
  if (!st) return st.error();
  if (!st->can_print()) return Error{Completion::kDeviceNotReady, st->technician_message()};
  return ok_status();
}

void FakePrinter::on_submit(std::function<void()> hook) {
  std::lock_guard lock(mutex_);
  on_submit_ = std::move(hook);
}

Result<int> FakePrinter::submit(const std::filesystem::path& pdf, const std::string& job_name,
                                const printer::PrintOptions&, const printer::PrinterStatus*) {
  std::function<void()> hook;
  int id = 0;
  {
    std::lock_guard lock(mutex_);
    if (!present_) return Error{Completion::kDeviceNotReady, "fake printer unplugged"};
    if (!std::filesystem::exists(pdf))
      return Error{Completion::kInvalidData, "no document at " + pdf.string()};
    id = static_cast<int>(jobs_.size()) + 1;
    jobs_.push_back(
        {id, job_name, hold_ ? printer::JobState::kProcessing : printer::JobState::kCompleted});
    hook = on_submit_;
  }
  if (hook) hook();
  return id;
}

FakePrinter::Job* FakePrinter::find_locked(int job_id) {
  for (auto& j : jobs_)
    if (j.id == job_id && !j.purged) return &j;
  return nullptr;
}

Result<printer::JobStatus> FakePrinter::job_status(int job_id) {
  std::lock_guard lock(mutex_);
  if (!present_) return Error{Completion::kDeviceNotReady, "fake printer unplugged"};
  Job* j = find_locked(job_id);
  if (!j) return Error{Completion::kInvalidData, "no job " + std::to_string(job_id)};
  return printer::JobStatus{j->id, j->state, {}, {}};
}

Status FakePrinter::cancel_job(int job_id) {
  std::lock_guard lock(mutex_);
  Job* j = find_locked(job_id);
  if (!j) return Error{Completion::kInvalidData, "no job " + std::to_string(job_id)};
  if (j->state == printer::JobState::kProcessing) j->state = printer::JobState::kCanceled;
  changed_.notify_all();
  return ok_status();
}

Status FakePrinter::purge_job(int job_id) {
  std::lock_guard lock(mutex_);
  Job* j = find_locked(job_id);
  if (!j) return Error{Completion::kInvalidData, "no job " + std::to_string(job_id)};
  if (j->state == printer::JobState::kProcessing)
    return Error{Completion::kUserError, "job " + std::to_string(job_id) + " is not finished"};
  j->purged = true;
  return ok_status();
}

Result<std::vector<printer::JobStatus>> FakePrinter::jobs_named(const std::string& name) {
  std::lock_guard lock(mutex_);
  std::vector<printer::JobStatus> out;
  for (const auto& j : jobs_)
    if (j.name == name && !j.purged) out.push_back({j.id, j.state, {}, {}});
  return out;
}

Result<printer::JobStatus> FakePrinter::wait_for_job(int job_id, Deadline deadline,
                                                     printer::FaultPolicy, std::stop_token stop) {
  std::unique_lock lock(mutex_);
  const bool final = changed_.wait_until(lock, stop, deadline, [&] {
    const Job* j = find_locked(job_id);
    return !present_ || !j || j->state != printer::JobState::kProcessing;
  });
  if (stop.stop_requested())
    return Error{Completion::kCanceled, "stopped waiting for job " + std::to_string(job_id)};
  if (!present_) return Error{Completion::kDeviceNotReady, "fake printer unplugged"};
  const Job* j = find_locked(job_id);
  if (!j) return Error{Completion::kInvalidData, "no job " + std::to_string(job_id)};
  if (!final) return Error{Completion::kTimeout, "job " + std::to_string(job_id) + " unfinished"};
  return printer::JobStatus{j->id, j->state, {}, {}};
}

}  // namespace smzc::fakes

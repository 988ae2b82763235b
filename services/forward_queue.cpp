#include "services/forward_queue.h"

#include <chrono>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <ostream>

#include "base/clock.h"
#include "base/privacy.h"
#include "base/sqlite_statement.h"
#include "services/backend_client.h"

namespace smzc::services {
namespace {

std::string context_of(const std::string& key) {
  return "forward_queue:" + key;
}

constexpr QueueState kStates[] = {QueueState::kQueued, QueueState::kSending, QueueState::kSent,
                                  QueueState::kRefused, QueueState::kParked};

}  // namespace

const char* to_string(QueueState state) {
  switch (state) {
    case QueueState::kQueued:
      return "queued";
    case QueueState::kSending:
      return "sending";
    case QueueState::kSent:
      return "sent";
    case QueueState::kRefused:
      return "refused";
    case QueueState::kParked:
      return "parked";
  }
  return "parked";
}

std::optional<QueueState> queue_state_from_string(std::string_view name) {
  return from_string(name, kStates);
}

std::ostream& operator<<(std::ostream& out, QueueState state) {
  return out << to_string(state);
}

Result<std::unique_ptr<ForwardQueue>> ForwardQueue::open(const std::filesystem::path& path,
                                                         certs::DataKey key) {
  if (key.empty()) return Error{Completion::kUnsupported, "the forward queue needs a data key"};
  auto db =
      open_database(path, "forward queue",
                    {"CREATE TABLE IF NOT EXISTS forward_queue ("
                     "  idempotency_key TEXT PRIMARY KEY, transaction_id TEXT NOT NULL,"
                     "  item_code TEXT NOT NULL, region_code TEXT NOT NULL,"
                     "  sealed_request TEXT NOT NULL, state TEXT NOT NULL,"
                     "  application_id TEXT NOT NULL DEFAULT '',"
                     "  status TEXT NOT NULL DEFAULT '', note TEXT NOT NULL DEFAULT '',"
                     "  attempts INTEGER NOT NULL DEFAULT 0, queued_at_ms INTEGER NOT NULL);"});
  if (!db) return db.error();
  // A send interrupted by a crash (or by the end of another process) is queued again; sending it
  // twice is harmless, as the backend answers a repeated idempotency key with its first answer.
  sqlite3_exec(db.value(), "UPDATE forward_queue SET state = 'queued' WHERE state = 'sending';",
               nullptr, nullptr, nullptr);
  return std::unique_ptr<ForwardQueue>(new ForwardQueue(db.value(), std::move(key)));
}

ForwardQueue::~ForwardQueue() {
  sqlite3_close(db_);
}

Status ForwardQueue::enqueue(const QueuedApplication& e, const std::string& request_body) {
  auto sealed = key_.seal(request_body, context_of(e.idempotency_key));
  if (!sealed) return sealed.error();
  std::lock_guard lock(mutex_);
  Statement s(
      db_,
      "INSERT OR IGNORE INTO forward_queue(idempotency_key, transaction_id, item_code, "
      "region_code, sealed_request, state, queued_at_ms) VALUES (?, ?, ?, ?, ?, 'queued', ?)");
  s.bind(1, e.idempotency_key).bind(2, e.transaction_id).bind(3, e.item_code);
  s.bind(4, e.region_code).bind(5, sealed.value()).bind(6, unix_time_ms());
  if (s.step() != SQLITE_DONE) return db_error(db_, "forward queue write");
  return ok_status();
}

Result<std::vector<QueuedApplication>> ForwardQueue::list(std::optional<QueueState> state) const {
  std::lock_guard lock(mutex_);
  Statement s(db_,
              "SELECT idempotency_key, transaction_id, item_code, region_code, state, "
              "application_id, status, note, attempts, queued_at_ms FROM forward_queue "
              "WHERE ? = '' OR state = ? ORDER BY queued_at_ms, rowid");
  const std::string wanted = state ? to_string(*state) : "";
  s.bind(1, wanted).bind(2, wanted);
  std::vector<QueuedApplication> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW)
    // A state this build does not know is kept for a technician, never sent.
    out.push_back({s.text(0), s.text(1), s.text(2), s.text(3),
                   queue_state_from_string(s.text(4)).value_or(QueueState::kParked), s.text(5),
                   s.text(6), s.text(7), static_cast<int>(s.integer(8)), s.integer(9)});
  if (rc != SQLITE_DONE) return db_error(db_, "forward queue read");
  return out;
}

Result<bool> ForwardQueue::move(const std::string& key, const std::string& from_condition,
                                QueueState to) {
  std::lock_guard lock(mutex_);
  Statement s(db_,
              "UPDATE forward_queue SET state = ? WHERE idempotency_key = ? AND " + from_condition);
  s.bind(1, to_string(to)).bind(2, key);
  if (s.step() != SQLITE_DONE) return db_error(db_, "forward queue write");
  return sqlite3_changes(db_) == 1;
}

Result<bool> ForwardQueue::claim(const std::string& key) {
  return move(key, "state = 'queued'", QueueState::kSending);
}

Result<std::string> ForwardQueue::request(const std::string& key) const {
  std::string sealed;
  {
    std::lock_guard lock(mutex_);
    Statement s(db_, "SELECT sealed_request FROM forward_queue WHERE idempotency_key = ?");
    s.bind(1, key);
    const int rc = s.step();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_error(db_, "forward queue read");
    if (rc == SQLITE_DONE || s.text(0).empty())
      return Error{Completion::kUnsupported, "no request kept under " + key};
    sealed = s.text(0);
  }
  return key_.open(sealed, context_of(key));
}

Status ForwardQueue::settle(const std::string& key, QueueState state,
                            const std::string& application_id, const std::string& status,
                            const std::string& note, bool wipe) {
  std::lock_guard lock(mutex_);
  // Only the drain that claimed an entry settles it.
  Statement s(db_, std::string("UPDATE forward_queue SET state = ?, application_id = ?, "
                               "status = ?, note = ?, attempts = attempts + 1") +
                       (wipe ? ", sealed_request = ''" : "") +
                       " WHERE idempotency_key = ? AND state = 'sending'");
  s.bind(1, to_string(state)).bind(2, application_id).bind(3, status).bind(4, note).bind(5, key);
  if (s.step() != SQLITE_DONE) return db_error(db_, "forward queue write");
  return ok_status();
}

Status ForwardQueue::mark_sent(const std::string& key, const std::string& application_id,
                               const std::string& status) {
  return settle(key, QueueState::kSent, application_id, status, "", true);
}

Status ForwardQueue::mark_refused(const std::string& key, const std::string& reason) {
  return settle(key, QueueState::kRefused, "", "", reason, true);
}

Status ForwardQueue::note_attempt(const std::string& key, const std::string& error) {
  return settle(key, QueueState::kQueued, "", "", error, false);
}

Status ForwardQueue::park(const std::string& key, const std::string& reason) {
  return settle(key, QueueState::kParked, "", "", reason, false);
}

Status ForwardQueue::requeue(const std::string& key) {
  auto moved =
      move(key, "state IN ('parked', 'refused') AND sealed_request != ''", QueueState::kQueued);
  if (!moved) return moved.error();
  if (!moved.value())
    return Error{Completion::kInvalidData, key + " is not parked (or its request is gone)"};
  return ok_status();
}

size_t ForwardQueue::waiting() const {
  std::lock_guard lock(mutex_);
  Statement s(db_, "SELECT COUNT(*) FROM forward_queue WHERE state = 'queued'");
  return s.step() == SQLITE_ROW ? static_cast<size_t>(s.integer(0)) : 0;
}

}  // namespace smzc::services

namespace smzc::services {

Result<DrainReport> ForwardQueue::drain(const BackendFor& backend_for,
                                        const std::function<std::string()>& journal_head) {
  DrainReport report;
  auto queued = list(QueueState::kQueued);
  if (!queued) return queued.error();
  std::vector<std::string> unreachable_regions;
  for (const auto& entry : queued.value()) {
    const std::string& key = entry.idempotency_key;
    if (std::find(unreachable_regions.begin(), unreachable_regions.end(), entry.region_code) !=
        unreachable_regions.end()) {
      ++report.waiting;
      continue;
    }
    auto claimed = claim(key);
    if (!claimed) return claimed.error();
    if (!claimed.value()) continue;  // another drain (say, kioskctl) has it
    auto body = request(key);
    if (!body) {
      // Sealed under another key, or damaged: never thrown away, kept for a technician.
      if (auto s = park(key, body.error().message); !s) return s.error();
      ++report.parked;
      continue;
    }
    const BackendClient& backend = backend_for(entry.region_code);
    auto decision =
        backend.submit_body(body.value(), key, journal_head ? journal_head() : std::string());
    wipe(body.value());
    const auto unreachable = [](Completion c) {
      return c == Completion::kDeviceNotReady || c == Completion::kTimeout;
    };
    if (!decision && !unreachable(decision.code())) {
      // Refused, or an answer that did not parse: the backend says by the key whether it has
      // the application. Only one it does not have is refused for good.
      auto found = backend.application_by_key(key);
      if (found && found.value()) {
        decision = *found.value();
      } else if (found) {
        if (auto s = mark_refused(key, decision.error().message); !s) return s.error();
        spdlog::warn("queued application {} refused: {}", entry.transaction_id,
                     decision.error().message);
        ++report.refused;
        continue;
      }
    }
    if (decision) {
      if (auto s = mark_sent(key, decision->application_id, decision->status); !s) return s.error();
      spdlog::info("queued application {} sent: {} {}", entry.transaction_id,
                   decision->application_id, decision->status);
      ++report.sent;
      continue;
    }
    if (auto s = note_attempt(key, decision.error().message); !s) return s.error();
    if (unreachable(decision.code())) unreachable_regions.push_back(entry.region_code);
    ++report.waiting;
  }
  return report;
}

}  // namespace smzc::services

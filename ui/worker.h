// One thread that runs the UI's blocking calls in the order they were asked for, so the UI
// thread never blocks on a device or the backend. Results come back to the UI thread as queued
// calls on a QObject (see KioskWindow::run_async).
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace smzc::ui {

class Worker {
 public:
  Worker() : thread_([this](std::stop_token stop) { run(stop); }) {}
  /// Stops taking tasks and joins: the task running now finishes (the owner cancels what it
  /// waits for first), queued ones are dropped.
  ~Worker() {
    thread_.request_stop();
    thread_.join();
  }
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  void post(std::function<void()> task) {
    {
      std::lock_guard lock(mutex_);
      tasks_.push_back(std::move(task));
    }
    ready_.notify_one();
  }

 private:
  void run(std::stop_token stop) {
    for (;;) {
      std::function<void()> task;
      {
        std::unique_lock lock(mutex_);
        if (!ready_.wait(lock, stop, [this] { return !tasks_.empty(); })) return;
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      task();
    }
  }

  std::mutex mutex_;
  std::condition_variable_any ready_;
  std::deque<std::function<void()>> tasks_;
  std::jthread thread_;  // last: it starts once the queue exists
};

}  // namespace smzc::ui

// A list of callbacks that a source of events calls: one change at a time, in order, never under
// the source's own lock; once remove() returns, that callback is not called again (so remove()
// must not be called from inside a callback, nor notify() from inside one).
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <vector>

namespace smzc {

template <typename... Args>
class Listeners {
 public:
  using Listener = std::function<void(const Args&...)>;

  /// Adds a callback; returns its handle for remove().
  int add(Listener listener) {
    std::lock_guard lock(mutex_);
    listeners_.emplace(next_handle_, std::move(listener));
    return next_handle_++;
  }

  void remove(int handle) {
    std::lock_guard calling(call_mutex_);  // a callback being called finishes first
    std::lock_guard lock(mutex_);
    listeners_.erase(handle);
  }

  /// Calls every callback with `args`, on the calling thread.
  void notify(const Args&... args) {
    std::lock_guard calling(call_mutex_);
    std::vector<Listener> to_call;
    {
      std::lock_guard lock(mutex_);
      for (const auto& [handle, listener] : listeners_) to_call.push_back(listener);
    }
    for (const auto& listener : to_call) listener(args...);
  }

 private:
  std::mutex call_mutex_;  // held while callbacks run: one change at a time
  std::mutex mutex_;       // guards listeners_ and next_handle_
  std::map<int, Listener> listeners_;
  int next_handle_ = 1;
};

}  // namespace smzc

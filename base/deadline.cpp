#include "base/deadline.h"

#include <condition_variable>
#include <mutex>

namespace smzc {

bool sleep_until(Deadline deadline, std::stop_token stop) {
  std::mutex mutex;
  std::condition_variable_any cv;
  std::unique_lock lock(mutex);
  cv.wait_until(lock, stop, deadline, [] { return false; });
  return !stop.stop_requested();
}

}  // namespace smzc

// One cancellation model for every blocking call: a deadline says how long it may take, a stop
// token says whether whoever asked still wants the answer. A citizen's session owns a stop
// source, so "back", an idle timeout or a device error ends every wait of that session at once.
#pragma once

#include <chrono>
#include <stop_token>

namespace smzc {

using SteadyClock = std::chrono::steady_clock;
using Deadline = SteadyClock::time_point;

/// A deadline `d` from now.
inline Deadline after(SteadyClock::duration d) {
  return SteadyClock::now() + d;
}

/// Sleeps until `deadline` or until `stop` is requested, whichever comes first. Returns false
/// when it was stopped. The only way code here pauses: a plain sleep could not be cut short.
bool sleep_until(Deadline deadline, std::stop_token stop);

}  // namespace smzc

// The engine's one way to run a step (private to the engine's sources): journaled before its
// effect, timed, and its end journaled — a result stands even when its closing entry fails.
#pragma once

#include <spdlog/spdlog.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "services/transaction_engine.h"

namespace smzc::services {

template <typename Fn>
auto TransactionEngine::run_step(Step step, const std::string& detail_json, Fn&& fn)
    -> decltype(fn()) {
  const std::string name = to_string(step);
  if (auto s = journal_.append(outcome_.transaction_id, name + ".begin", detail_json); !s)
    return s.error();
  const auto start = std::chrono::steady_clock::now();
  auto result = fn();
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  outcome_.timings_ms.emplace_back(step, ms);
  nlohmann::json end = {{"ms", ms}};
  if (!result)
    end["error"] = {{"code", smzc::to_string(result.code())}, {"message", result.error().message}};
  // The step happened: a journal that cannot record its end is logged, and the result stands.
  if (auto s = journal_.append(outcome_.transaction_id, name + (result ? ".done" : ".failed"),
                               end.dump());
      !s)
    spdlog::error("journal: {}", s.error().message);
  return result;
}

}  // namespace smzc::services

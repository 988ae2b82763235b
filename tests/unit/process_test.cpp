#include "base/process.h"

#include <gtest/gtest.h>

namespace smzc {
namespace {

TEST(ChildProcess, AWaitWithALimitGivesUpOnAProcessThatKeepsRunning) {
  auto sleeper = ChildProcess::start({.argv = {"sleep", "30"}});
  ASSERT_TRUE(sleeper) << sleeper.error().message;
  auto waited = sleeper->wait_for(std::chrono::milliseconds(50));
  ASSERT_FALSE(waited);
  EXPECT_EQ(waited.code(), Completion::kTimeout);
  EXPECT_TRUE(sleeper->running());
  sleeper->stop(std::chrono::milliseconds(100));

  auto quick = ChildProcess::start({.argv = {"sh", "-c", "exit 3"}});
  ASSERT_TRUE(quick);
  auto code = quick->wait_for(std::chrono::seconds(10));
  ASSERT_TRUE(code) << code.error().message;
  EXPECT_EQ(code.value(), 3);
}

}  // namespace
}  // namespace smzc

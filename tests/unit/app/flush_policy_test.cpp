#include "app/flush_policy.h"

#include <gtest/gtest.h>

namespace cdc::app {
namespace {

using namespace std::chrono_literals;
using Clock = FlushPolicy::Clock;

const Clock::time_point t0 = Clock::time_point{} + 1h;

FlushPolicy::Limits limits() { return {.interval = 500ms, .max_changes = 100, .max_bytes = 4096}; }

TEST(FlushPolicy, DueOnceTheIntervalHasPassedSinceTheLastFlushBegan) {
    FlushPolicy policy(limits(), t0);
    EXPECT_FALSE(policy.due(t0));
    EXPECT_FALSE(policy.due(t0 + 499ms));
    EXPECT_TRUE(policy.due(t0 + 500ms));
    policy.changed();
    EXPECT_FALSE(policy.due(t0 + 499ms)) << "a change alone does not shorten the interval";

    policy.flush_began(t0 + 600ms);
    EXPECT_FALSE(policy.due(t0 + 1099ms));
    EXPECT_TRUE(policy.due(t0 + 1100ms));
}

TEST(FlushPolicy, CaughtUpAndChangedIsDueAfterAFifthOfTheInterval) {
    FlushPolicy policy(limits(), t0);
    policy.changed();
    EXPECT_FALSE(policy.due_when_caught_up(t0 + 99ms));
    EXPECT_TRUE(policy.due_when_caught_up(t0 + 100ms));
    EXPECT_EQ(policy.next_due(), t0 + 100ms);
}

TEST(FlushPolicy, CaughtUpWithNothingChangedWaitsForTheWholeInterval) {
    FlushPolicy policy(limits(), t0);
    EXPECT_EQ(policy.next_due(), t0 + 500ms);
    for (auto after : {100ms, 499ms}) EXPECT_FALSE(policy.due_when_caught_up(t0 + after));
    EXPECT_TRUE(policy.due_when_caught_up(t0 + 500ms));
}

TEST(FlushPolicy, AFlushCoversTheChangesBeforeIt) {
    FlushPolicy policy(limits(), t0);
    policy.changed();
    const auto began = t0 + 100ms;
    policy.flush_began(began);
    EXPECT_EQ(policy.next_due(), began + 500ms) << "nothing changed since it began";
    EXPECT_FALSE(policy.due_when_caught_up(began + 100ms));

    policy.changed();
    EXPECT_EQ(policy.next_due(), began + 100ms);
    EXPECT_TRUE(policy.due_when_caught_up(began + 100ms));
}

TEST(FlushPolicy, RestartCountsFromNowWithNothingChanged) {
    FlushPolicy policy(limits(), t0);
    policy.changed();
    policy.restart(t0 + 10s);
    EXPECT_FALSE(policy.due_when_caught_up(t0 + 10s + 100ms));
    EXPECT_TRUE(policy.due(t0 + 10s + 500ms));
}

TEST(FlushPolicy, SizeLimitsAreReachedAtTheirValue) {
    FlushPolicy policy(limits(), t0);
    EXPECT_FALSE(policy.bytes_over_limit(4095));
    EXPECT_TRUE(policy.bytes_over_limit(4096));
    EXPECT_FALSE(policy.over_limits(4095, 99));
    EXPECT_TRUE(policy.over_limits(4096, 0));
    EXPECT_TRUE(policy.over_limits(0, 100));
}

TEST(FlushPolicy, LimitsComeFromTheConfig) {
    config::Config config;
    config.flush_interval = 250ms;
    config.flush_max_changes = 7;
    config.flush_max_bytes = 9;
    FlushPolicy::Limits l = flush_limits(config);
    EXPECT_EQ(l.interval, 250ms);
    EXPECT_EQ(l.max_changes, 7u);
    EXPECT_EQ(l.max_bytes, 9u);
}

}  // namespace
}  // namespace cdc::app

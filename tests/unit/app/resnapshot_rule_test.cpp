// The emission rule of a re-snapshot chunk: its rows are written at the first event boundary
// where the stream stands at or past the view's position V (app/resnapshot.h).
#include <gtest/gtest.h>

#include "app/resnapshot.h"

namespace cdc::app {
namespace {

model::BinlogPosition at(const char* file, uint64_t pos) { return {file, pos}; }

TEST(ResnapshotRule, WaitsWhileTheStreamIsBeforeTheView) {
    auto r = stream_reached_view(at("bin.000003", 1000), at("bin.000003", 1374));
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(*r);
    r = stream_reached_view(at("bin.000002", 99999), at("bin.000003", 4));
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(*r) << "an earlier file is before, whatever its offset";
}

TEST(ResnapshotRule, WritesAtTheViewAndPastIt) {
    auto r = stream_reached_view(at("bin.000003", 1374), at("bin.000003", 1374));
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(*r) << "exactly at V: every transaction before it was written";
    // A transaction that starts at V (its GTID event just read, none of its rows yet), or a
    // rotate that crossed V without stopping on it: still before any change after V.
    r = stream_reached_view(at("bin.000004", 256), at("bin.000003", 1374));
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(*r);
    r = stream_reached_view(at("bin.1000000", 4), at("bin.999999", 1374));
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(*r) << "file numbers compare as numbers";
}

TEST(ResnapshotRule, RefusesPositionsThatCannotBeOrdered) {
    auto r = stream_reached_view(at("other.000004", 4), at("bin.000003", 1374));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::FailedPrecondition);
}

TEST(ResnapshotRule, TheStreamStandsAtItsTransactionsStartInsideOne) {
    stream::TransactionTracker tracker;
    model::Checkpoint cp;
    cp.position = at("bin.000003", 1374);
    tracker.reset(cp);
    EXPECT_EQ(stream_position(tracker), at("bin.000003", 1374));
}

}  // namespace
}  // namespace cdc::app

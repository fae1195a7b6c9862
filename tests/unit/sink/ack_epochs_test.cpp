#include "sink/ack_epochs.h"

#include <gtest/gtest.h>

namespace cdc::sink {
namespace {

TEST(AckEpochsTest, AFlushCompletesOnceEveryMessageBeforeItIsAcknowledged) {
    AckEpochs epochs;
    uint64_t a = epochs.current();
    epochs.produced();
    epochs.produced();
    uint64_t flush = epochs.close();
    EXPECT_EQ(flush, a);
    EXPECT_FALSE(epochs.complete(flush));
    epochs.acknowledged(a);
    EXPECT_FALSE(epochs.complete(flush));
    epochs.acknowledged(a);
    EXPECT_TRUE(epochs.complete(flush));
}

TEST(AckEpochsTest, ALaterMessageAcknowledgedFirstDoesNotCompleteAnEarlierFlush) {
    // Partition 0 is slow, partition 1 fast: the report of a message produced after the flush
    // arrives before the report of one produced before it. A count of reports would say done.
    AckEpochs epochs;
    uint64_t before = epochs.current();
    epochs.produced();  // to the slow partition
    uint64_t flush = epochs.close();
    uint64_t after = epochs.current();
    epochs.produced();  // to the fast partition
    epochs.acknowledged(after);
    EXPECT_FALSE(epochs.complete(flush));
    epochs.acknowledged(before);
    EXPECT_TRUE(epochs.complete(flush));
}

TEST(AckEpochsTest, FlushesCompleteInOrderEvenWhenALaterEpochDrainsFirst) {
    AckEpochs epochs;
    uint64_t e0 = epochs.current();
    epochs.produced();
    uint64_t f0 = epochs.close();
    uint64_t e1 = epochs.current();
    epochs.produced();
    uint64_t f1 = epochs.close();
    epochs.acknowledged(e1);
    EXPECT_FALSE(epochs.complete(f1));  // e0 is still out
    EXPECT_FALSE(epochs.complete(f0));
    epochs.acknowledged(e0);
    EXPECT_TRUE(epochs.complete(f0));
    EXPECT_TRUE(epochs.complete(f1));
}

TEST(AckEpochsTest, AnEmptyFlushIsCompleteAtOnce) {
    AckEpochs epochs;
    uint64_t flush = epochs.close();
    EXPECT_TRUE(epochs.complete(flush));
    EXPECT_TRUE(epochs.complete(epochs.close()));
}

TEST(AckEpochsTest, UnknownEpochsInReportsAreIgnored) {
    AckEpochs epochs;
    epochs.produced();
    uint64_t flush = epochs.close();
    epochs.acknowledged(12345);  // never handed out
    EXPECT_FALSE(epochs.complete(flush));
    epochs.acknowledged(flush);
    EXPECT_TRUE(epochs.complete(flush));
    epochs.acknowledged(flush);  // a stray second report of a completed epoch
    EXPECT_TRUE(epochs.complete(flush));
}

}  // namespace
}  // namespace cdc::sink

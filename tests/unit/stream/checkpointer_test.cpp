#include "stream/checkpointer.h"

#include <gtest/gtest.h>

#include <vector>

namespace cdc::stream {
namespace {

// A sink whose flushes complete when the test says so (a file's sync, Kafka's acks).
class ManualSink final : public sink::Sink {
public:
    Status recover(const model::Checkpoint&) override { return {}; }
    Status write(const sink::OutputRecord&) override {
        ++written;
        return {};
    }
    Status flush() override {
        ++blocking_flushes;
        acked = written;
        return {};
    }
    uint64_t pending_bytes() const override { return 0; }
    void fill_checkpoint(model::Checkpoint& cp) const override { cp.output_file_length = acked; }
    Result<uint64_t> begin_flush(model::Checkpoint& cp) override {
        cp.output_file_length = written;
        return written;
    }
    Result<bool> flush_completed(uint64_t ticket) override {
        if (fail) return make_error(Errc::Unavailable, "sync failed");
        return acked >= ticket;
    }
    uint64_t written = 0;
    uint64_t acked = 0;
    int blocking_flushes = 0;
    bool fail = false;
};

model::Checkpoint at(uint64_t pos) {
    model::Checkpoint cp;
    cp.position = {"mysql-bin.000001", pos};
    return cp;
}

class CheckpointerTest : public ::testing::Test {
protected:
    CheckpointerTest()
        : checkpoints(sink, [this](model::Checkpoint cp) {
              saved.push_back(cp);
              return Status{};
          }) {}
    Checkpointer::Clock::time_point later() { return now += std::chrono::milliseconds(2); }

    ManualSink sink;
    std::vector<model::Checkpoint> saved;
    Checkpointer checkpoints;
    Checkpointer::Clock::time_point now = Checkpointer::Clock::now();
};

TEST_F(CheckpointerTest, ACheckpointIsSavedOnlyOnceItsFlushCompleted) {
    ASSERT_TRUE(sink.write({}).ok());
    auto started = checkpoints.start(at(100));
    ASSERT_TRUE(started.ok());
    EXPECT_TRUE(*started);
    EXPECT_TRUE(checkpoints.outstanding());
    ASSERT_TRUE(checkpoints.poll(later()).ok());
    EXPECT_TRUE(saved.empty());
    sink.acked = 1;
    ASSERT_TRUE(checkpoints.poll(later()).ok());
    ASSERT_EQ(saved.size(), 1u);
    EXPECT_EQ(saved[0].position.pos, 100u);
    EXPECT_EQ(saved[0].output_file_length, 1u);  // the sink's part, as of start()
    EXPECT_FALSE(checkpoints.outstanding());
}

TEST_F(CheckpointerTest, StartWhileAFlushIsOutDoesNothing) {
    ASSERT_TRUE(sink.write({}).ok());
    ASSERT_TRUE(*checkpoints.start(at(100)));
    ASSERT_TRUE(sink.write({}).ok());
    auto again = checkpoints.start(at(200));
    ASSERT_TRUE(again.ok());
    EXPECT_FALSE(*again);
    sink.acked = 2;  // covers both, but only the first checkpoint was started
    ASSERT_TRUE(checkpoints.poll(later()).ok());
    ASSERT_EQ(saved.size(), 1u);
    EXPECT_EQ(saved[0].position.pos, 100u);
}

TEST_F(CheckpointerTest, AFlushThatCompletesAtOnceIsSavedByStart) {
    ASSERT_TRUE(*checkpoints.start(at(100)));  // nothing written: complete already
    ASSERT_EQ(saved.size(), 1u);
    EXPECT_FALSE(checkpoints.outstanding());
}

TEST_F(CheckpointerTest, AFailedFlushIsReportedAndItsCheckpointNeverSaved) {
    ASSERT_TRUE(sink.write({}).ok());
    ASSERT_TRUE(*checkpoints.start(at(100)));
    sink.fail = true;
    sink.acked = 1;
    Status st = checkpoints.poll(later());
    EXPECT_FALSE(st.ok());
    EXPECT_TRUE(saved.empty());
    EXPECT_FALSE(checkpoints.outstanding());
}

TEST_F(CheckpointerTest, FinishFlushesEverythingAndSavesTheNewestCheckpoint) {
    ASSERT_TRUE(sink.write({}).ok());
    ASSERT_TRUE(*checkpoints.start(at(100)));
    ASSERT_TRUE(sink.write({}).ok());
    ASSERT_TRUE(checkpoints.finish(at(200)).ok());
    EXPECT_EQ(sink.blocking_flushes, 1);
    ASSERT_EQ(saved.size(), 1u);
    EXPECT_EQ(saved[0].position.pos, 200u);
    EXPECT_EQ(saved[0].output_file_length, 2u);
    EXPECT_FALSE(checkpoints.outstanding());
}

TEST_F(CheckpointerTest, SettleWaitsForTheOutstandingFlushAndSavesIt) {
    ASSERT_TRUE(sink.write({}).ok());
    ASSERT_TRUE(*checkpoints.start(at(100)));
    ASSERT_TRUE(sink.write({}).ok());  // after the chunk end: not recorded by settle()
    ASSERT_TRUE(checkpoints.settle().ok());
    ASSERT_EQ(saved.size(), 1u);
    EXPECT_EQ(saved[0].position.pos, 100u);
    EXPECT_EQ(saved[0].output_file_length, 1u);
}

TEST_F(CheckpointerTest, PollAsksTheSinkAtMostOnceAMillisecond) {
    ASSERT_TRUE(sink.write({}).ok());
    ASSERT_TRUE(*checkpoints.start(at(100)));
    ASSERT_TRUE(checkpoints.poll(now).ok());  // asks: not yet
    sink.acked = 1;
    ASSERT_TRUE(checkpoints.poll(now).ok());  // the same instant: does not ask again
    EXPECT_TRUE(saved.empty());
    ASSERT_TRUE(checkpoints.poll(later()).ok());
    EXPECT_EQ(saved.size(), 1u);
}

}  // namespace
}  // namespace cdc::stream

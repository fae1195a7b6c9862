#include "sink/file_sink.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "support/file_contents.h"
#include "support/scratch_file_test.h"

namespace cdc::sink {
namespace {

class FileSinkTest : public test::ScratchFileTest {
protected:
    FileSinkTest() : ScratchFileTest("cdc-file-sink-") {}
    static OutputRecord rec(std::string_view v) {
        OutputRecord r;
        r.value = v;
        return r;
    }
};

TEST_F(FileSinkTest, NothingReachesTheFileBeforeFlush) {
    auto sink = FileSink::open(path_);
    ASSERT_TRUE(sink.ok());
    ASSERT_TRUE((*sink)->write(rec("{\"a\":1}")).ok());
    EXPECT_EQ(test::file_contents(path_), "");
    EXPECT_GT((*sink)->pending_bytes(), 0u);
    ASSERT_TRUE((*sink)->flush().ok());
    EXPECT_EQ(test::file_contents(path_), "{\"a\":1}\n");
    model::Checkpoint cp;
    (*sink)->fill_checkpoint(cp);
    EXPECT_EQ(cp.output_file_length, 8u);
}

TEST_F(FileSinkTest, RecoverTruncatesLinesWrittenAfterTheCheckpoint) {
    std::ofstream(path_) << "kept\nafter-checkpoint\n";
    auto sink = FileSink::open(path_);
    ASSERT_TRUE(sink.ok());
    model::Checkpoint cp;
    cp.output_file_length = 5;
    ASSERT_TRUE((*sink)->recover(cp).ok());
    ASSERT_TRUE((*sink)->write(rec("replayed")).ok());
    ASSERT_TRUE((*sink)->flush().ok());
    EXPECT_EQ(test::file_contents(path_), "kept\nreplayed\n");
}

TEST_F(FileSinkTest, AFileShorterThanTheCheckpointIsDataLoss) {
    std::ofstream(path_) << "ab\n";
    auto sink = FileSink::open(path_);
    ASSERT_TRUE(sink.ok());
    model::Checkpoint cp;
    cp.output_file_length = 100;
    Status st = (*sink)->recover(cp);
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().code, Errc::DataLoss);
}

TEST_F(FileSinkTest, FirstRunAppendsToAnExistingFile) {
    std::ofstream(path_) << "old\n";
    auto sink = FileSink::open(path_);
    ASSERT_TRUE(sink.ok());
    ASSERT_TRUE((*sink)->recover(model::Checkpoint{}).ok());
    ASSERT_TRUE((*sink)->write(rec("new")).ok());
    ASSERT_TRUE((*sink)->flush().ok());
    EXPECT_EQ(test::file_contents(path_), "old\nnew\n");
}

TEST_F(FileSinkTest, BeginFlushRecordsTheLengthItWillMakeDurableWithoutWaiting) {
    auto sink = FileSink::open(path_);
    ASSERT_TRUE(sink.ok());
    ASSERT_TRUE((*sink)->recover(model::Checkpoint{}).ok());
    ASSERT_TRUE((*sink)->write(rec("first")).ok());
    model::Checkpoint cp;
    auto ticket = (*sink)->begin_flush(cp);
    ASSERT_TRUE(ticket.ok());
    EXPECT_EQ(cp.output_file_length, 6u);
    // Written after the flush began: not covered by it.
    ASSERT_TRUE((*sink)->write(rec("second")).ok());
    bool done = false;
    for (int i = 0; i < 5000 && !done; ++i) {
        auto completed = (*sink)->flush_completed(*ticket);
        ASSERT_TRUE(completed.ok());
        done = *completed;
        if (!done) ::usleep(1000);
    }
    EXPECT_TRUE(done);
    EXPECT_EQ(test::file_contents(path_), "first\n");
    ASSERT_TRUE((*sink)->flush().ok());
    EXPECT_EQ(test::file_contents(path_), "first\nsecond\n");
    model::Checkpoint after;
    (*sink)->fill_checkpoint(after);
    EXPECT_EQ(after.output_file_length, 13u);
}

TEST_F(FileSinkTest, ManyDrainsAndFlushesKeepEveryLineInOrder) {
    std::ofstream(path_) << "old\n";
    std::string expected = "old\n";
    {
        auto sink = FileSink::open(path_);
        ASSERT_TRUE(sink.ok());
        model::Checkpoint start;
        start.output_file_length = 4;
        ASSERT_TRUE((*sink)->recover(start).ok());
        for (int i = 0; i < 20000; ++i) {
            std::string line = "{\"n\":" + std::to_string(i) + ",\"pad\":\"" +
                               std::string(static_cast<size_t>(i % 97), 'p') + "\"}";
            ASSERT_TRUE((*sink)->write(rec(line)).ok());
            expected += line + "\n";
            if (i % 701 == 0) {
                ASSERT_TRUE((*sink)->drain().ok());
            }
            model::Checkpoint cp;
            if (i % 3001 == 0) {
                ASSERT_TRUE((*sink)->begin_flush(cp).ok());
            }
        }
        ASSERT_TRUE((*sink)->flush().ok());
        model::Checkpoint cp;
        (*sink)->fill_checkpoint(cp);
        EXPECT_EQ(cp.output_file_length, expected.size());
    }
    EXPECT_EQ(test::file_contents(path_), expected);
}

TEST_F(FileSinkTest, ASecondSinkOnTheSameFileIsRefusedWhileTheFirstHasIt) {
    auto first = FileSink::open(path_);
    ASSERT_TRUE(first.ok());
    auto second = FileSink::open(path_);
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.error().code, Errc::FailedPrecondition);
    const std::string& m = second.error().message;
    EXPECT_NE(m.find("OUTPUT_FILE " + path_ + " is in use by"), std::string::npos) << m;
    // Within one process the holder is this test itself.
    EXPECT_NE(m.find("pid " + std::to_string(::getpid())), std::string::npos) << m;
    first->reset();
    auto third = FileSink::open(path_);
    EXPECT_TRUE(third.ok()) << third.error().message;
}

}  // namespace
}  // namespace cdc::sink

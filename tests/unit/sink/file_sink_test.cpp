#include "sink/file_sink.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace cdc::sink {
namespace {

namespace fs = std::filesystem;

std::string read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

class FileSinkTest : public ::testing::Test {
protected:
    void SetUp() override {
        path_ = (fs::temp_directory_path() / ("cdc-file-sink-" + std::to_string(::getpid()) +
                                              "-" + ::testing::UnitTest::GetInstance()
                                                        ->current_test_info()->name()))
                    .string();
        fs::remove(path_);
    }
    void TearDown() override { fs::remove(path_); }
    static OutputRecord rec(std::string_view v) {
        OutputRecord r;
        r.value = v;
        return r;
    }
    std::string path_;
};

TEST_F(FileSinkTest, NothingReachesTheFileBeforeFlush) {
    auto sink = FileSink::open(path_);
    ASSERT_TRUE(sink.ok());
    ASSERT_TRUE((*sink)->write(rec("{\"a\":1}")).ok());
    EXPECT_EQ(read_all(path_), "");
    EXPECT_GT((*sink)->pending_bytes(), 0u);
    ASSERT_TRUE((*sink)->flush().ok());
    EXPECT_EQ(read_all(path_), "{\"a\":1}\n");
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
    EXPECT_EQ(read_all(path_), "kept\nreplayed\n");
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
    EXPECT_EQ(read_all(path_), "old\nnew\n");
}

}  // namespace
}  // namespace cdc::sink

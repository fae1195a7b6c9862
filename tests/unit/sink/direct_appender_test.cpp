#include "sink/direct_appender.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "support/file_contents.h"

namespace cdc::sink {
namespace {

namespace fs = std::filesystem;

uint64_t size_of(const std::string& path) { return fs::file_size(path); }

// On the project's disk, not /tmp: tmpfs may refuse O_DIRECT, which is the other path.
class DirectAppenderTest : public ::testing::TestWithParam<bool> {
protected:
    void SetUp() override {
        path_ = (fs::current_path() / ("cdc-direct-appender-" + std::to_string(::getpid()) + "-" +
                                       std::to_string(GetParam())))
                    .string();
        fs::remove(path_);
    }
    void TearDown() override {
        if (fd_ >= 0) ::close(fd_);
        fs::remove(path_);
    }
    int open_fd() {
        fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        return fd_;
    }
    std::string path_;
    int fd_ = -1;
};

TEST_P(DirectAppenderTest, RandomSizedAppendsGiveExactlyTheBytesAndTheSize) {
    std::ofstream(path_) << "existing line, not block aligned\n";
    std::string expected = test::file_contents(path_);
    ASSERT_GE(open_fd(), 0);
    DirectAppender appender(fd_, path_, GetParam());
    ASSERT_TRUE(appender.reset(expected.size()).ok());
    std::mt19937 rng(42);
    for (int i = 0; i < 300; ++i) {
        // Sizes from 1 byte to over three blocks, so tails carry over and blocks fill up.
        size_t n = 1 + rng() % (3 * DirectAppender::kBlock + 100);
        if (i % 50 == 0) n = 2 * DirectAppender::kBlock;  // an aligned size, too
        std::string chunk(n, '\0');
        for (auto& c : chunk) c = static_cast<char>('a' + rng() % 26);
        ASSERT_TRUE(appender.append(chunk.data(), chunk.size()).ok());
        expected += chunk;
        // The size is exact after every append: a reader never sees padding.
        ASSERT_EQ(size_of(path_), expected.size()) << "after append " << i;
        ASSERT_EQ(appender.length(), expected.size());
    }
    EXPECT_EQ(test::file_contents(path_), expected);
}

TEST_P(DirectAppenderTest, AppendsAfterATruncationContinueFromTheNewEnd) {
    ASSERT_GE(open_fd(), 0);
    DirectAppender appender(fd_, path_, GetParam());
    ASSERT_TRUE(appender.reset(0).ok());
    std::string first(10000, 'x');
    ASSERT_TRUE(appender.append(first.data(), first.size()).ok());
    ASSERT_EQ(::ftruncate(fd_, 5000), 0);  // what FileSink::recover does
    ASSERT_TRUE(appender.reset(5000).ok());
    std::string second(5000, 'y');
    ASSERT_TRUE(appender.append(second.data(), second.size()).ok());
    EXPECT_EQ(test::file_contents(path_), std::string(5000, 'x') + second);
}

INSTANTIATE_TEST_SUITE_P(DirectAndBuffered, DirectAppenderTest, ::testing::Bool());

TEST(DirectAppenderOnThisDisk, UsesODirectWhereTheFileSystemAllowsIt) {
    // Documents what the benchmark ran with; not a failure where O_DIRECT is refused.
    std::string path = (fs::current_path() / "cdc-direct-probe").string();
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    ASSERT_GE(fd, 0);
    DirectAppender appender(fd, path);
    ASSERT_TRUE(appender.reset(0).ok());
    std::string data(3 * DirectAppender::kBlock + 7, 'z');
    ASSERT_TRUE(appender.append(data.data(), data.size()).ok());
    EXPECT_EQ(test::file_contents(path), data);
    RecordProperty("o_direct", appender.direct() ? "yes" : "no");
    ::close(fd);
    fs::remove(path);
}

}  // namespace
}  // namespace cdc::sink

#include "sink/stdout_sink.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

namespace cdc::sink {
namespace {

OutputRecord rec(std::string_view value, std::string_view file, uint64_t pos) {
    OutputRecord r;
    r.value = value;
    r.binlog_file = file;
    r.binlog_pos = pos;
    return r;
}

std::string read_available(int fd) {
    std::string out;
    char buf[4096];
    ssize_t n = 0;
    while ((n = ::read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
    return out;
}

TEST(StdoutSink, WritesLinesOnFlush) {
    int p[2];
    ASSERT_EQ(::pipe2(p, O_NONBLOCK), 0);
    StdoutSink sink(p[1]);
    ASSERT_TRUE(sink.write(rec("{\"a\":1}", "mysql-bin.000001", 4)).ok());
    EXPECT_EQ(read_available(p[0]), "");
    ASSERT_TRUE(sink.flush().ok());
    EXPECT_EQ(sink.pending_bytes(), 0u);
    EXPECT_EQ(read_available(p[0]), "{\"a\":1}\n");
    ::close(p[0]);
    ::close(p[1]);
}

// The reader is gone: the write fails with EPIPE (SIGPIPE would end this test), the changes
// stay pending and every later flush fails, so no checkpoint passes them.
TEST(StdoutSink, AReaderThatIsGoneStopsItWithTheChangesKept) {
    int p[2];
    ASSERT_EQ(::pipe(p), 0);
    ::close(p[0]);
    StdoutSink sink(p[1]);
    ASSERT_TRUE(sink.write(rec("{\"a\":1}", "mysql-bin.000003", 1234)).ok());
    ASSERT_TRUE(sink.write(rec("{\"a\":2}", "mysql-bin.000003", 1500)).ok());
    Status st = sink.flush();
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().code, Errc::FailedPrecondition);
    EXPECT_NE(st.error().message.find("Broken pipe"), std::string::npos) << st.error().message;
    EXPECT_NE(st.error().message.find("2 changes from binlog position mysql-bin.000003:1234"),
              std::string::npos)
        << st.error().message;
    EXPECT_EQ(sink.pending_bytes(), 16u);
    EXPECT_FALSE(sink.flush().ok());
    EXPECT_FALSE(sink.write(rec("{\"a\":3}", "mysql-bin.000003", 1600)).ok());
    ::close(p[1]);
}

TEST(StdoutSink, AFullDiskStopsIt) {
    int fd = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
    if (fd < 0) GTEST_SKIP() << "no /dev/full";
    StdoutSink sink(fd);
    ASSERT_TRUE(sink.write(rec("{\"a\":1}", "mysql-bin.000001", 99)).ok());
    Status st = sink.flush();
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.error().message.find("No space left on device"), std::string::npos)
        << st.error().message;
    EXPECT_GT(sink.pending_bytes(), 0u);
    ::close(fd);
}

}  // namespace
}  // namespace cdc::sink

// BinlogFileReader on crafted files: a size a header claims is checked against the bytes
// there before anything is allocated (issue 11, defect 8: 275 bytes claiming 4 GiB made
// `decode` allocate 4.2 GB, or abort with std::bad_alloc under a memory limit).
#include "stream/binlog_file_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "support/peak_rss.h"

namespace cdc::stream {
namespace {

using test::peak_rss_kb;

const std::string kMagic("\xfe\x62\x69\x6e", 4);

// A 19-byte v4 event header followed by `body`; `claimed` is the size field.
std::string event(uint32_t claimed, const std::string& body, uint8_t type = 2) {
    std::string h;
    auto put = [&h](uint64_t v, int n) {
        for (int i = 0; i < n; ++i) h += static_cast<char>((v >> (8 * i)) & 0xff);
    };
    put(1700000000, 4);
    h += static_cast<char>(type);
    put(1, 4);
    put(claimed, 4);
    put(0, 4);
    put(0, 2);
    return h + body;
}

std::string whole_event(const std::string& body) {
    return event(static_cast<uint32_t>(19 + body.size()), body);
}

class TempFile {
public:
    explicit TempFile(const std::string& bytes) {
        path_ =
            (std::filesystem::temp_directory_path() /
             ("cdc_reader_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++)))
                .string();
        std::FILE* f = std::fopen(path_.c_str(), "wb");
        std::fwrite(bytes.data(), 1, bytes.size(), f);
        std::fclose(f);
    }
    ~TempFile() { std::filesystem::remove(path_); }
    const std::string& path() const { return path_; }

private:
    static inline int counter_ = 0;
    std::string path_;
};

// Reads events until the end or an error; returns the error message ("" at a clean end).
std::string read_all(BinlogFileReader& reader, size_t& events) {
    events = 0;
    while (true) {
        auto ev = reader.next();
        if (!ev) return ev.error().message;
        if (!ev->has_value()) return "";
        ++events;
    }
}

TEST(BinlogFileReader, ReadsWholeEventsWithTheirOffsets) {
    TempFile f(kMagic + whole_event("abc") + whole_event(std::string(3000000, 'x')));
    auto reader = BinlogFileReader::open(f.path());
    ASSERT_TRUE(reader) << reader.error().message;
    auto first = reader->next();
    ASSERT_TRUE(first && first->has_value());
    EXPECT_EQ((*first)->offset, 4u);
    EXPECT_EQ((*first)->bytes.size(), 22u);
    auto second = reader->next();
    ASSERT_TRUE(second && second->has_value());
    EXPECT_EQ((*second)->offset, 26u);
    EXPECT_EQ((*second)->bytes.size(), 3000019u);
    auto end = reader->next();
    ASSERT_TRUE(end);
    EXPECT_FALSE(end->has_value());
}

TEST(BinlogFileReader, AHeaderClaimingFourGigabytesIsAnErrorWithoutTheAllocation) {
    const std::string crafted =
        kMagic + whole_event("abc") + event(0xfffffff0u, std::string(250, 'z'));
    ASSERT_EQ(crafted.size(), 4u + 22u + 269u);
    TempFile f(crafted);
    auto reader = BinlogFileReader::open(f.path());
    ASSERT_TRUE(reader);
    peak_rss_kb();
    const long before = peak_rss_kb();  // the current size
    size_t events = 0;
    std::string error = read_all(*reader, events);
    EXPECT_EQ(events, 1u);
    EXPECT_NE(error.find("offset 26"), std::string::npos) << error;
    EXPECT_NE(error.find("4294967280 bytes"), std::string::npos) << error;
    EXPECT_NE(error.find("the file has 269"), std::string::npos) << error;
    EXPECT_LT(peak_rss_kb() - before, 64 * 1024) << "the claimed size was allocated";
}

TEST(BinlogFileReader, APipeIsReadAsTheBytesArriveNotAsTheHeaderClaims) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const std::string crafted = kMagic + event(0xfffffff0u, std::string(256, 'z'));
    std::thread writer([&] {
        (void)!::write(fds[1], crafted.data(), crafted.size());
        ::close(fds[1]);
    });
    auto reader = BinlogFileReader::open("/proc/self/fd/" + std::to_string(fds[0]));
    ASSERT_TRUE(reader) << reader.error().message;
    peak_rss_kb();
    const long before = peak_rss_kb();  // the current size
    size_t events = 0;
    std::string error = read_all(*reader, events);
    writer.join();
    ::close(fds[0]);
    EXPECT_EQ(events, 0u);
    EXPECT_NE(error.find("truncated or corrupt event at offset 4"), std::string::npos) << error;
    EXPECT_LT(peak_rss_kb() - before, 64 * 1024) << "the claimed size was allocated";
}

TEST(BinlogFileReader, TruncatedFilesSayWhereAndHowMuch) {
    const std::string good = whole_event(std::string(100, 'a'));
    {
        TempFile f(kMagic + good + good.substr(0, 10));  // inside the next header
        auto reader = BinlogFileReader::open(f.path());
        ASSERT_TRUE(reader);
        size_t events = 0;
        std::string error = read_all(*reader, events);
        EXPECT_EQ(events, 1u);
        EXPECT_NE(error.find("truncated event header at offset 123"), std::string::npos) << error;
    }
    {
        TempFile f(kMagic + good + good.substr(0, 60));  // inside the next event's body
        auto reader = BinlogFileReader::open(f.path());
        ASSERT_TRUE(reader);
        size_t events = 0;
        std::string error = read_all(*reader, events);
        EXPECT_EQ(events, 1u);
        EXPECT_NE(error.find("offset 123: its header says 119 bytes, the file has 60"),
                  std::string::npos)
            << error;
    }
    {
        TempFile f(kMagic + event(5, ""));  // smaller than its own header
        auto reader = BinlogFileReader::open(f.path());
        ASSERT_TRUE(reader);
        size_t events = 0;
        EXPECT_NE(read_all(*reader, events).find("impossible size 5"), std::string::npos);
    }
    {
        TempFile f("\xfe\x62");
        EXPECT_FALSE(BinlogFileReader::open(f.path()));
    }
}

}  // namespace
}  // namespace cdc::stream

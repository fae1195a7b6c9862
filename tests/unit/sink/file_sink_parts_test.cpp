// FileSink with values in parts and values larger than a buffer (issue 11, defect 9: a huge
// row's JSON was held by the formatter, copied whole into the sink's buffer and staged whole
// again for the write). The bytes in the file must be exactly the lines, in order.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "sink/direct_appender.h"
#include "sink/file_sink.h"
#include "support/file_contents.h"
#include "support/scratch_file_test.h"

namespace cdc::sink {
namespace {

std::string pattern(size_t n, char seed) {
    std::string s(n, ' ');
    for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (i * 7 + seed) % 26);
    return s;
}

class FileSinkPartsTest : public test::ScratchFileTest {
protected:
    FileSinkPartsTest() : ScratchFileTest("cdc-file-sink-parts-") {}
};

TEST_F(FileSinkPartsTest, LinesInPartsAndHugeLinesLandInOrder) {
    auto sink = FileSink::open(path_);
    ASSERT_TRUE(sink.ok()) << sink.error().message;
    ASSERT_TRUE((*sink)->recover(model::Checkpoint{}).ok());
    ASSERT_TRUE((*sink)->takes_value_parts());
    const std::string small = "{\"small\":1}";
    const std::string huge = pattern(DirectAppender::kMaxPiece * 2 + 12345, 1);  // > a piece
    const std::string part1 = pattern(3 << 20, 2);                               // large part
    const std::string part2 = pattern(1000, 3);                                  // small part
    const std::string tail = pattern(5000, 4);
    std::string expected;
    auto write = [&](std::string_view v) {
        OutputRecord r;
        r.value = v;
        ASSERT_TRUE((*sink)->write(r).ok());
        expected.append(v);
        expected += '\n';
    };
    write(small);
    write(huge);
    write(small);
    ASSERT_TRUE((*sink)->write_value_part(part1).ok());
    ASSERT_TRUE((*sink)->write_value_part(part2).ok());
    expected += part1 + part2;
    write(tail);
    write(small);
    model::Checkpoint cp;
    auto ticket = (*sink)->begin_flush(cp);
    ASSERT_TRUE(ticket.ok());
    ASSERT_TRUE((*sink)->flush().ok());
    EXPECT_EQ(cp.output_file_length, expected.size());
    const std::string got = test::file_contents(path_);
    ASSERT_EQ(got.size(), expected.size());
    EXPECT_TRUE(got == expected) << "the file's bytes differ from the lines written";
}

TEST_F(FileSinkPartsTest, DirectAppenderWritesAppendsLargerThanAPieceExactly) {
    {
        std::ofstream(path_, std::ios::binary) << "abc";  // a partial first block
    }
    int fd = ::open(path_.c_str(), O_RDWR);
    ASSERT_GE(fd, 0);
    std::string expected = "abc";
    {
        DirectAppender appender(fd, path_);
        ASSERT_TRUE(appender.reset(3).ok());
        for (size_t n :
             {DirectAppender::kMaxPiece + 1, size_t{10}, 3 * DirectAppender::kMaxPiece}) {
            std::string data = pattern(n, static_cast<char>(n % 26));
            ASSERT_TRUE(appender.append(data.data(), data.size()).ok());
            expected += data;
        }
    }
    ::close(fd);
    const std::string got = test::file_contents(path_);
    ASSERT_EQ(got.size(), expected.size());
    EXPECT_TRUE(got == expected);
}

}  // namespace
}  // namespace cdc::sink

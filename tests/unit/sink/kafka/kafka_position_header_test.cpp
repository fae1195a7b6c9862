#include "sink/kafka/kafka_position_header.h"

#include <gtest/gtest.h>

#include <memory>
#include <random>

namespace cdc::sink {
namespace {

std::string format(const PositionFields& f) {
    std::vector<char> buf(3, 'x');  // grown as needed; what it held does not matter
    return std::string(format_position_header(f, buf));
}

TEST(KafkaPositionHeader, WritesTheFieldsNotAtTheirDefaultsWithTheFileLast) {
    EXPECT_EQ(format({"mysql-bin.000003", 4567, 2, 1, true, 1, "0-1-99"}),
              "pos:4567 row:2 part:1 snapshot server:1 gtid:0-1-99 file:mysql-bin.000003");
    EXPECT_EQ(format({"mysql-bin.000003", 4567, 0, 0, false, 0, ""}),
              "pos:4567 file:mysql-bin.000003");
    EXPECT_EQ(format({"f", 0, 0, 0, false, 0, ""}), "file:f");
}

TEST(KafkaPositionHeader, TheLargestValueFits) {
    std::string file(5000, 'f');
    std::vector<char> buf;
    auto text = format_position_header(
        {file, UINT64_MAX, UINT64_MAX, UINT32_MAX, true, UINT32_MAX, "0-4294967295-1"}, buf);
    EXPECT_EQ(text,
              "pos:18446744073709551615 row:18446744073709551615 part:4294967295 snapshot "
              "server:4294967295 gtid:0-4294967295-1 file:" +
                  file);
    EXPECT_LE(text.size(), buf.size());
}

TEST(KafkaPositionHeader, RoundTrips) {
    struct Case {
        PositionFields f;
        bool gtid_seq;
    };
    const Case cases[] = {
        {{"mysql-bin.000003", 4567, 2, 1, true, 1, "0-1-99"}, true},
        {{"mysql-bin.1000000", UINT64_MAX, UINT64_MAX, UINT32_MAX, false, UINT32_MAX, ""}, false},
        {{"b.1", 4, 0, 0, false, 7, "3E11FA47-71CA-11E1-9E33-C80AA9429562:tag:23"}, false},
        // Anything may follow "file:": spaces, colons, what looks like fields, a newline.
        {{"odd name pos:9 file:x\n.000001", 120, 3, 0, false, 2, "1-2-3"}, true},
    };
    for (const auto& c : cases) {
        auto text = format(c.f);
        auto p = parse_position_header(text);
        ASSERT_TRUE(p.ok()) << text << ": " << p.error().message;
        EXPECT_EQ(p->file, c.f.file);
        EXPECT_EQ(p->pos, c.f.pos);
        EXPECT_EQ(p->row, c.f.row);
        EXPECT_EQ(p->part, c.f.part);
        EXPECT_EQ(p->snapshot, c.f.snapshot);
        EXPECT_EQ(p->server_id, c.f.server_id);
        EXPECT_EQ(p->has_gtid_seq, c.gtid_seq) << text;
        if (!c.gtid_seq) {
            EXPECT_EQ(p->mysql_gtid, c.f.gtid);
        }
    }
    auto maria = parse_position_header("gtid:5-1-99 file:a.1");
    ASSERT_TRUE(maria.ok());
    EXPECT_EQ(maria->gtid_domain, 5u);
    EXPECT_EQ(maria->gtid_seq, 99u);
}

TEST(KafkaPositionHeader, FieldsInAnyOrder) {
    auto p = parse_position_header("server:2 snapshot row:5 pos:10 file:a.000001");
    ASSERT_TRUE(p.ok()) << p.error().message;
    ChangePosition want{"a.000001", 10, 5};
    want.snapshot = true;
    want.server_id = 2;
    EXPECT_EQ(*p, want);
}

TEST(KafkaPositionHeader, MalformedTextIsAnError) {
    const char* bad[] = {
        "",                                 // no file
        "pos:1",                            // no file
        "pos:1 file:",                      // empty file
        "file",                             // no colon
        "pos:1 row:2",                      // no file, last field unterminated
        "pos: file:a",                      // empty number
        "pos:-1 file:a",                    // sign
        "pos:+1 file:a",                    // sign
        "pos:1x file:a",                    // not a number
        "pos:18446744073709551616 file:a",  // over uint64
        "part:4294967296 file:a",           // over uint32
        "server:4294967296 file:a",         // over uint32
        "pos:1 pos:2 file:a",               // twice
        "snapshot snapshot file:a",         // twice
        "gtid: file:a",                     // empty GTID
        "gtid:0-1-2 gtid:0-1-3 file:a",     // twice
        "newfield:1 file:a",                // unknown: may change the order
        "snapshots file:a",                 // unknown flag
        " file:a",                          // empty field (two spaces)
        "pos:1  file:a",                    // empty field (two spaces)
        "pos:1\tfile:a",                    // not the separator
        "FILE:a",                           // names are lower case
    };
    for (const char* text : bad) {
        auto p = parse_position_header(text);
        EXPECT_FALSE(p.ok()) << "accepted \"" << text << "\"";
        if (!p.ok()) {
            EXPECT_EQ(p.error().code, Errc::Malformed);
            EXPECT_NE(p.error().message.find(kHeaderPosition), std::string::npos);
        }
    }
}

TEST(KafkaPositionHeader, ErrorTextIsBoundedAndPrintable) {
    std::string huge(100000, 'x');
    huge += "\x01\xff";
    auto p = parse_position_header(huge);
    ASSERT_FALSE(p.ok());
    EXPECT_LT(p.error().message.size(), 400u);
    auto ctrl = parse_position_header(std::string("pos:\x01\x02 file:a", 14));
    ASSERT_FALSE(ctrl.ok());
    EXPECT_EQ(ctrl.error().message.find('\x01'), std::string::npos);
}

// Any bytes: an answer, never a crash or a read past the end (run under ASan in CI's sanitizer
// build). Prefixes of a valid value are either errors or name a file that is a prefix of it.
TEST(KafkaPositionHeader, ArbitraryBytesAndPrefixesAreSafe) {
    const std::string good = "pos:4567 row:2 part:1 snapshot server:1 gtid:0-1-99 file:m.000003";
    for (size_t n = 0; n <= good.size(); ++n) {
        auto p = parse_position_header(std::string_view(good).substr(0, n));
        if (p.ok()) {
            EXPECT_TRUE(std::string_view("m.000003").starts_with(p->file));
        }
    }
    std::mt19937 rng(15);
    const std::string alphabet = "posrwatgidfle:0123456789 -\n\xff";
    for (int i = 0; i < 20000; ++i) {
        std::string text(rng() % 40, ' ');
        for (auto& c : text) c = alphabet[rng() % alphabet.size()];
        if (rng() % 2 == 0) text = good.substr(0, rng() % good.size()) + text;
        (void)parse_position_header(text);
    }
}

}  // namespace
}  // namespace cdc::sink

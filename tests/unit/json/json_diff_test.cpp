#include "binlog/json/json_diff.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "json_builder.h"

namespace cdc::binlog {
namespace {

using namespace cdc::test;

enum Op : uint8_t { kReplace = 0, kInsert = 1, kRemove = 2 };

// One diff as Json_diff::write_binary lays it out (lengths are packed integers).
void add_diff(std::vector<uint8_t>& out, Op op, const std::string& path, const JVal* value) {
    out.push_back(op);
    out.push_back(static_cast<uint8_t>(path.size()));
    out.insert(out.end(), path.begin(), path.end());
    if (value != nullptr) {
        auto doc = jdoc(*value);
        if (doc.size() < 251) {
            out.push_back(static_cast<uint8_t>(doc.size()));
        } else {
            out.push_back(0xfc);
            put_le(out, doc.size(), 2);
        }
        out.insert(out.end(), doc.begin(), doc.end());
    }
}

struct Diffs {
    std::vector<uint8_t> bytes;
    Diffs& replace(const std::string& p, const JVal& v) {
        add_diff(bytes, kReplace, p, &v);
        return *this;
    }
    Diffs& insert(const std::string& p, const JVal& v) {
        add_diff(bytes, kInsert, p, &v);
        return *this;
    }
    Diffs& remove(const std::string& p) {
        add_diff(bytes, kRemove, p, nullptr);
        return *this;
    }
};

Result<std::string> apply(const JVal& before, const Diffs& diffs) {
    auto b = jdoc(before);
    std::string out;
    Status st = apply_json_diffs(Bytes(b), Bytes(diffs.bytes), out);
    if (!st) return st.error();
    return out;
}

std::string ok(const JVal& before, const Diffs& diffs) {
    auto r = apply(before, diffs);
    return r ? *r : "ERROR: " + r.error().message;
}

JVal person() {
    // keys in MySQL's order: by length, then bytes
    return jobject(
        {{"age", jint16(25)}, {"name", jstr("Joe")}, {"tags", jarray({jstr("a"), jstr("b")})}});
}

TEST(JsonDiff, EmptyDiffsKeepTheDocument) {
    EXPECT_EQ(ok(person(), Diffs{}), R"({"age": 25, "name": "Joe", "tags": ["a", "b"]})");
}

TEST(JsonDiff, Replace) {
    EXPECT_EQ(ok(person(), Diffs{}.replace("$.age", jint16(26))),
              R"({"age": 26, "name": "Joe", "tags": ["a", "b"]})");
    EXPECT_EQ(ok(person(), Diffs{}.replace("$.tags[1]", jobject({{"x", jnull()}}))),
              R"({"age": 25, "name": "Joe", "tags": ["a", {"x": null}]})");
    EXPECT_EQ(ok(person(), Diffs{}.replace("$.tags[last]", jdouble(1.5))),
              R"({"age": 25, "name": "Joe", "tags": ["a", 1.5]})");
}

TEST(JsonDiff, InsertMembersInMySqlKeyOrder) {
    EXPECT_EQ(ok(person(), Diffs{}.insert("$.b", jbool(true)).insert("$.zzzzz", jint16(1))),
              R"({"b": true, "age": 25, "name": "Joe", "tags": ["a", "b"], "zzzzz": 1})");
    EXPECT_EQ(ok(person(), Diffs{}.insert("$.nam", jnull()).insert("$.nama", jnull())),
              R"({"age": 25, "nam": null, "nama": null, "name": "Joe", "tags": ["a", "b"]})");
}

TEST(JsonDiff, InsertIntoArrays) {
    EXPECT_EQ(ok(person(), Diffs{}.insert("$.tags[0]", jstr("z"))),
              R"({"age": 25, "name": "Joe", "tags": ["z", "a", "b"]})");
    EXPECT_EQ(ok(person(), Diffs{}.insert("$.tags[9]", jstr("z"))),
              R"({"age": 25, "name": "Joe", "tags": ["a", "b", "z"]})");
    EXPECT_EQ(ok(person(), Diffs{}.insert("$.tags[last]", jstr("z"))),
              R"({"age": 25, "name": "Joe", "tags": ["a", "z", "b"]})");
}

TEST(JsonDiff, Remove) {
    EXPECT_EQ(ok(person(), Diffs{}.remove("$.tags[0]").remove("$.age")),
              R"({"name": "Joe", "tags": ["b"]})");
}

TEST(JsonDiff, SeveralDiffsAndNestedPaths) {
    JVal doc = jobject({{"a", jobject({{"b", jarray({jint16(1), jarray({jint16(2)})})}})}});
    Diffs d;
    d.replace("$.a.b[1][0]", jint16(3)).insert("$.a.c", jstr("new")).remove("$.a.b[0]");
    EXPECT_EQ(ok(doc, d), R"({"a": {"b": [[3]], "c": "new"}})");
}

TEST(JsonDiff, QuotedMemberNames) {
    JVal doc = jobject({{"a b", jint16(1)}});
    EXPECT_EQ(ok(doc, Diffs{}.replace("$.\"a b\"", jint16(2))), R"({"a b": 2})");
}

TEST(JsonDiff, RejectedDiffsAreDataLoss) {
    for (const Diffs& d :
         {Diffs{}.replace("$.missing", jint16(1)), Diffs{}.replace("$.tags[2]", jint16(1)),
          Diffs{}.replace("$.age.x", jint16(1)), Diffs{}.insert("$.age", jint16(1)),
          Diffs{}.insert("$.nope.x", jint16(1)), Diffs{}.insert("$.tags.x", jint16(1)),
          Diffs{}.remove("$.missing"), Diffs{}.remove("$.tags[5]"), Diffs{}.remove("$[0]")}) {
        auto r = apply(person(), d);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, Errc::DataLoss) << r.error().message;
    }
}

TEST(JsonDiff, CorruptDiffsFail) {
    std::vector<std::vector<uint8_t>> bad = {
        {0x03, 0x01, '$'},                                  // unknown operation
        {0x00, 0x05, '$', '.'},                             // path past the end
        {0x00, 0x05, '$', '.', 'a', 'g', 'e'},              // value length missing
        {0x00, 0x05, '$', '.', 'a', 'g', 'e', 0x03, 0x05},  // value truncated
        {0x00, 0x05, '$', '.', 'a', 'g', 'e', 0x01, 0x0d},  // bad value type
        {0x02, 0x01, '$'},                                  // diff on the root
        {0x02, 0x02, '$', '!'},                             // bad path
        {0x00, 0xfb},                                       // NULL marker as a length
    };
    auto before = jdoc(person());
    for (const auto& d : bad) {
        std::string out = "keep";
        EXPECT_FALSE(apply_json_diffs(Bytes(before), Bytes(d), out));
        EXPECT_EQ(out, "keep");
    }
    std::string out;
    std::vector<uint8_t> corrupt_before = {0x00, 0x09};
    EXPECT_FALSE(apply_json_diffs(Bytes(corrupt_before), Bytes(), out));
}

TEST(JsonDiff, EmptyValueIsNull) {
    std::vector<uint8_t> d = {0x00, 0x05, '$', '.', 'a', 'g', 'e', 0x00};
    auto before = jdoc(person());
    std::string out;
    ASSERT_TRUE(apply_json_diffs(Bytes(before), Bytes(d), out));
    EXPECT_EQ(out, R"({"age": null, "name": "Joe", "tags": ["a", "b"]})");
}

// rust_mysql_common/json.binlog.000001: the UPDATE_ROWS_V2 at 2612 leaves row id=1 as
// {"age": 25, ...}; the PARTIAL_UPDATE_ROWS_EVENT at 3750 then REPLACEs $.age with 26. Its
// before image is MINIMAL (the id only), so the JSON comes from the earlier after image.
TEST(JsonDiff, FixturePartialUpdate) {
    std::ifstream f(CDC_FIXTURES_DIR "/rust_mysql_common/json.binlog.000001", std::ios::binary);
    ASSERT_TRUE(f.good());
    std::vector<uint8_t> file((std::istreambuf_iterator<char>(f)), {});
    auto u32 = [&](size_t at) {
        return uint32_t{file[at]} | file[at + 1] << 8 | file[at + 2] << 16 |
               uint32_t{file[at + 3]} << 24;
    };
    ASSERT_EQ(file[2612 + 4], 31);
    ASSERT_EQ(file[3750 + 4], 39);
    // UPDATE v2 body: table id 6, flags 2, extra 2, 1 column count, 2 bitmaps; before image
    // (null bitmap, id INT, JSON, name VARCHAR with 2-byte length, age INT), then the after
    // image: null bitmap, id, JSON length + bytes.
    size_t at = 2612 + 19 + 6 + 2 + 2 + 1 + 1 + 1;
    at += 1 + 4;
    at += 4 + u32(at);
    at += 2 + (file[at] | file[at + 1] << 8);
    at += 4;
    at += 1 + 4;
    const uint32_t before_len = u32(at);
    Bytes before(file.data() + at + 4, before_len);
    // PARTIAL_UPDATE body: same header, before image (null bitmap, id), value_options,
    // partial-column bits, after null bitmap, then the JSON diff field.
    size_t p = 3750 + 19 + 6 + 2 + 2 + 1 + 1 + 1;
    p += 1 + 4;
    ASSERT_EQ(file[p], 1);  // PARTIAL_JSON_UPDATES
    p += 1 + 1 + 1;
    const uint32_t diff_len = u32(p);
    Bytes diffs(file.data() + p + 4, diff_len);
    std::string out;
    Status st = apply_json_diffs(before, diffs, out);
    ASSERT_TRUE(st) << st.error().message;
    EXPECT_EQ(out, R"({"age": 26, "data": "xxxxxxxxxx", "name": "Joe"})");
}

}  // namespace
}  // namespace cdc::binlog

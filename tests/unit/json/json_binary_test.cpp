#include "binlog/json/json_binary.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "json_builder.h"

namespace cdc::binlog {
namespace {

using namespace cdc::test;

std::string render(const std::vector<uint8_t>& bin) {
    std::string out;
    Status st = json_binary_to_text(Bytes(bin), out);
    if (!st) return "ERROR: " + st.error().message;
    return out;
}

std::string render(const JVal& v) { return render(jdoc(v)); }

bool fails(const std::vector<uint8_t>& bin) {
    std::string out = "keep";
    Status st = json_binary_to_text(Bytes(bin), out);
    EXPECT_EQ(out, "keep");  // untouched on error
    return !st;
}

TEST(JsonBinary, EmptyIsNull) { EXPECT_EQ(render(std::vector<uint8_t>{}), "null"); }

TEST(JsonBinary, Literals) {
    EXPECT_EQ(render(jnull()), "null");
    EXPECT_EQ(render(jbool(true)), "true");
    EXPECT_EQ(render(jbool(false)), "false");
    EXPECT_TRUE(fails({0x04, 0x03}));
    EXPECT_TRUE(fails({0x04}));
}

TEST(JsonBinary, Integers) {
    EXPECT_EQ(render(jint16(-32768)), "-32768");
    EXPECT_EQ(render(juint16(65535)), "65535");
    EXPECT_EQ(render(jint32(-2147483647 - 1)), "-2147483648");
    EXPECT_EQ(render(juint32(4294967295u)), "4294967295");
    EXPECT_EQ(render(jint64(INT64_MIN)), "-9223372036854775808");
    EXPECT_EQ(render(juint64(UINT64_MAX)), "18446744073709551615");
    EXPECT_TRUE(fails({0x05, 0x01}));
    EXPECT_TRUE(fails({0x09, 1, 2, 3, 4, 5, 6, 7}));
}

TEST(JsonBinary, Doubles) {
    EXPECT_EQ(render(jdouble(1.5)), "1.5");
    EXPECT_EQ(render(jdouble(0.1)), "0.1");
    EXPECT_EQ(render(jdouble(1e100)), "1e+100");
    EXPECT_EQ(render(jdouble(-2.5e-300)), "-2.5e-300");
    EXPECT_TRUE(fails({0x0b, 0, 0, 0}));
}

TEST(JsonBinary, Strings) {
    EXPECT_EQ(render(jstr("")), "\"\"");
    EXPECT_EQ(render(jstr("a\"b\\c\n\x01")), "\"a\\\"b\\\\c\\n\\u0001\"");
    EXPECT_EQ(render(jstr("caf\xc3\xa9 \xf0\x9f\x98\x80")), "\"caf\xc3\xa9 \xf0\x9f\x98\x80\"");
    EXPECT_EQ(render(jstr("bad\xff")), "\"bad\xef\xbf\xbd\"");
    std::string long_text(300, 'x');  // a two-byte variable length
    EXPECT_EQ(render(jstr(long_text)), "\"" + long_text + "\"");
    EXPECT_TRUE(fails({0x0c, 0x05, 'a', 'b'}));                      // length past the end
    EXPECT_TRUE(fails({0x0c, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}));  // 6-byte length
    EXPECT_TRUE(fails({0x0c, 0x80}));                                // unterminated length
}

TEST(JsonBinary, SmallObjectWithInlinedAndNestedValues) {
    JVal doc = jobject({{"a", jint16(1)},
                        {"b", jbool(true)},
                        {"c", jnull()},
                        {"d", jint32(70000)},  // not inlined in the small format
                        {"arr", jarray({juint16(7), jstr("x"), jobject({})})},
                        {"str", jstr("text")}});
    EXPECT_EQ(render(doc),
              R"({"a": 1, "b": true, "c": null, "d": 70000, "arr": [7, "x", {}], "str": "text"})");
}

TEST(JsonBinary, LargeContainersInlineInt32) {
    JVal arr = jarray({jint32(-5), juint32(4000000000u), jint64(1), jdouble(2.25), jnull()}, true);
    EXPECT_EQ(render(arr), "[-5, 4000000000, 1, 2.25, null]");
    JVal obj = jobject({{"k", jint32(-7)}, {"kk", jarray({jint16(1)}, false)}}, true);
    EXPECT_EQ(render(obj), R"({"k": -7, "kk": [1]})");
    EXPECT_EQ(render(jarray({})), "[]");
    EXPECT_EQ(render(jobject({}, true)), "{}");
}

TEST(JsonBinary, ObjectKeysAreEscaped) {
    EXPECT_EQ(render(jobject({{"q\"", jint16(1)}})), R"({"q\"": 1})");
}

TEST(JsonBinary, ManyElementsFormattedLikeMySql) {
    std::vector<JVal> elems;
    std::string expected = "[";
    for (int i = 0; i < 1000; ++i) {
        elems.push_back(jint64(i));
        expected += (i ? ", " : "") + std::to_string(i);
    }
    expected += "]";
    EXPECT_EQ(render(jarray(elems, true)), expected);
}

TEST(JsonBinary, DepthLimitIs100) {
    JVal v = jint16(1);
    for (int i = 0; i < 100; ++i) v = jarray({v});
    std::string ok = render(v);
    EXPECT_EQ(ok, std::string(100, '[') + "1" + std::string(100, ']'));
    EXPECT_TRUE(fails(jdoc(jarray({v}))));
    JVal o = jnull();
    for (int i = 0; i < 101; ++i) o = jobject({{"a", o}});
    EXPECT_TRUE(fails(jdoc(o)));
}

TEST(JsonBinary, UnknownTypesFail) {
    EXPECT_TRUE(fails({0x0d}));
    EXPECT_TRUE(fails({0x0e, 0x00}));
    EXPECT_TRUE(fails({0x10}));
    // an unknown type inside an array entry
    EXPECT_TRUE(fails({0x02, 0x01, 0x00, 0x07, 0x00, 0x0d, 0x06, 0x00}));
}

TEST(JsonBinary, CorruptContainersFail) {
    EXPECT_TRUE(fails({0x00}));
    EXPECT_TRUE(fails({0x00, 0x01, 0x00}));
    EXPECT_TRUE(fails({0x02, 0x01, 0x00, 0x09, 0x00}));  // size larger than the bytes
    EXPECT_TRUE(fails({0x02, 0x05, 0x00, 0x04, 0x00}));  // entries larger than the size
    EXPECT_TRUE(fails({0x03, 0x01, 0x00, 0x00}));        // large header truncated
    // value offset pointing into the header (and at the container itself)
    EXPECT_TRUE(fails({0x02, 0x01, 0x00, 0x08, 0x00, 0x02, 0x00, 0x00}));
    // value offset past the end
    EXPECT_TRUE(fails({0x02, 0x01, 0x00, 0x07, 0x00, 0x0c, 0x09, 0x00}));
    // key offset past the end / inside the entries
    EXPECT_TRUE(fails({0x00, 0x01, 0x00, 0x0b, 0x00, 0x0a, 0x00, 0x05, 0x00, 0x04, 0x00, 0x00}));
    EXPECT_TRUE(fails({0x00, 0x01, 0x00, 0x0b, 0x00, 0x02, 0x00, 0x01, 0x00, 0x04, 0x00, 0x00}));
}

TEST(JsonBinary, SharedOffsetsCannotExplode) {
    // Each level is an array whose two entries point at the same child: 2^60 leaves if
    // rendered naively. It must stop with an error instead.
    uint8_t child_type = 0x0c;
    std::vector<uint8_t> child_bytes = {0x01, 'x'};
    for (int level = 0; level < 60; ++level) {
        std::vector<uint8_t> arr;
        const size_t header = 4 + 2 * 3;
        const size_t size = header + child_bytes.size();
        put_le(arr, 2, 2);
        put_le(arr, size, 2);
        for (int k = 0; k < 2; ++k) {
            arr.push_back(child_type);
            put_le(arr, header, 2);
        }
        arr.insert(arr.end(), child_bytes.begin(), child_bytes.end());
        child_type = 0x02;
        child_bytes = arr;
    }
    std::vector<uint8_t> doc{child_type};
    doc.insert(doc.end(), child_bytes.begin(), child_bytes.end());
    EXPECT_TRUE(fails(doc));
}

}  // namespace
}  // namespace cdc::binlog

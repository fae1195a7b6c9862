// Shared helpers for the value decoding tests: decode one value from hand-built bytes and
// render it, so each case states input bytes and the JSON MySQL's documentation implies.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "binlog/values/column_value.h"
#include "format/value_json.h"
#include "unit/values/mysql_encoders.h"

namespace cdc::testing {

using model::ColumnDef;
using model::ColumnType;

struct Decoded {
    bool ok = false;
    model::Value value;
    std::string json;      // rendering of value when ok
    size_t consumed = 0;   // bytes read
    Errc code = Errc::Internal;
    std::string message;
};

inline ColumnDef column(ColumnType type) {
    ColumnDef c;
    c.type = type;
    return c;
}

// Decodes from exactly `bytes`; the arena lives as long as the test (views stay valid).
inline Decoded decode(const ColumnDef& col, const ByteVec& bytes) {
    static model::ValueArena arena;
    ByteReader r(Bytes(bytes.data(), bytes.size()));
    Decoded d;
    binlog::decode_column_value(r, col, d.value, arena);
    d.ok = r.ok();
    d.consumed = r.position();
    if (d.ok) {
        format::append_value_json(d.value, d.json);
    } else {
        d.code = r.error().code;
        d.message = r.error().message;
    }
    return d;
}

// Decodes and expects success, every byte consumed, and `json`.
inline void expect_json(const ColumnDef& col, const ByteVec& bytes, const std::string& json) {
    Decoded d = decode(col, bytes);
    ASSERT_TRUE(d.ok) << d.message;
    EXPECT_EQ(d.consumed, bytes.size());
    EXPECT_EQ(d.json, json);
}

inline void expect_error(const ColumnDef& col, const ByteVec& bytes, Errc code) {
    Decoded d = decode(col, bytes);
    EXPECT_FALSE(d.ok);
    EXPECT_EQ(d.code, code) << d.message;
}

}  // namespace cdc::testing

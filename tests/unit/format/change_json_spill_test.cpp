// append_change_json with a JsonSpill: the parts taken while formatting, followed by what is
// left in `out`, are exactly the JSON written without one, and no part holds more than the
// threshold plus one value (issue 11, defect 9: a huge row was held whole as JSON).
#include <gtest/gtest.h>

#include <algorithm>

#include "format/change_json.h"

namespace cdc::format {
namespace {

using model::ChangeEvent;
using model::ChangeKind;
using model::RowImage;
using model::Value;

TEST(ChangeJsonSpill, PartsJoinToTheWholeJson) {
    model::TableSchema t;
    t.schema = "s";
    t.table = "wide";
    t.columns.resize(5);
    const char* names[] = {"id", "b1", "t1", "b2", "t2"};
    for (size_t i = 0; i < 5; ++i) t.columns[i].name = names[i];
    t.primary_key = {0};
    const std::string big(100000, 'x');
    const std::string blob(90000, '\x01');
    auto image = [&](int64_t id) {
        return RowImage{{Value::of_int(id), Value::of_bytes(blob), Value::of_text(big, 45),
                         Value::of_bytes(blob), Value::of_text("short \"quoted\"", 45)}};
    };
    RowImage before = image(1);
    RowImage after = image(2);
    ChangeEvent ev{ChangeKind::Update, &t, &before, &after};
    std::string whole;
    append_change_json(ev, whole);

    std::vector<std::string> parts;
    JsonSpill spill{50000, [&](std::string& out) {
                        parts.push_back(out);
                        out.clear();
                    }};
    std::string rest;
    append_change_json(ev, rest, {}, &spill);
    ASSERT_GE(parts.size(), 3u);
    std::string joined;
    for (const std::string& p : parts) joined += p;
    joined += rest;
    EXPECT_EQ(joined, whole);
    size_t largest = 0;
    for (const std::string& p : parts) largest = std::max(largest, p.size());
    EXPECT_LE(largest, 50000 + 4 * blob.size() / 3 + 100000 + 64);
}

}  // namespace
}  // namespace cdc::format

// Arbitrary bytes must never make a decoder read past its input or the renderer produce
// anything but one JSON value: every type, every short length, pseudo-random contents.
#include <random>

#include "unit/values/decode_helpers.h"

namespace cdc::testing {
namespace {

std::vector<ColumnDef> every_column_shape() {
    std::vector<ColumnDef> cols;
    for (int t = 0; t < 256; ++t) {
        ColumnDef c = column(static_cast<ColumnType>(t));
        c.max_length = 40;
        c.pack_length = static_cast<uint8_t>(1 + t % 4);
        c.precision = static_cast<uint8_t>(1 + t % 65);
        c.scale = static_cast<uint8_t>(t % 31 < c.precision ? t % 31 : 0);
        c.bits = static_cast<uint8_t>(1 + t % 64);
        c.fsp = static_cast<uint8_t>(t % 7);
        c.collation = static_cast<uint16_t>(t % 2 ? 63 : 8 + t);
        c.set_labels = {"a", "b"};
        c.enum_labels = {"x"};
        cols.push_back(c);
        c.max_length = 300;
        c.is_unsigned = true;
        cols.push_back(c);
    }
    return cols;
}

TEST(Robustness, RandomBytesForEveryType) {
    std::mt19937 rng(12345);
    for (const ColumnDef& col : every_column_shape()) {
        for (size_t len = 0; len <= 24; ++len) {
            for (int rep = 0; rep < 4; ++rep) {
                ByteVec bytes(len);
                for (auto& b : bytes) b = static_cast<uint8_t>(rng());
                Decoded d = decode(col, bytes);
                EXPECT_LE(d.consumed, bytes.size());
                if (d.ok) {
                    EXPECT_FALSE(d.json.empty()) << static_cast<int>(col.type);
                }
            }
        }
    }
}

}  // namespace
}  // namespace cdc::testing

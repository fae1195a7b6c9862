#include <string>

#include "binlog/values/value_decoders.h"

namespace cdc::binlog::values {

void fail_column(ByteReader& r, Errc code, const ColumnDef& col, std::string_view what) {
    std::string msg(what);
    msg += " in ";
    msg += model::column_type_name(col.type);
    msg += " column";
    if (!col.name.empty()) {
        msg += " '";
        msg += col.name;
        msg += '\'';
    }
    r.fail(code, msg);
}

std::string_view read_length_prefixed(ByteReader& r, const ColumnDef& col, uint8_t fallback) {
    uint8_t width = col.pack_length != 0 ? col.pack_length : fallback;
    if (width < 1 || width > 4) {
        fail_column(r, Errc::Malformed, col,
                    "length prefix of " + std::to_string(width) + " bytes");
        return {};
    }
    auto len = static_cast<size_t>(r.read_uint_le(width));
    return r.read_str(len);
}

}  // namespace cdc::binlog::values

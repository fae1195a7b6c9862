// Shared by the decoder fuzz targets: decode every row of a rows event the way the pipeline
// does (RowDecoder, then format/ renders each value), so both decoding and rendering of
// garbage values are exercised.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

#include "binlog/row_decoder.h"
#include "common/json_writer.h"
#include "format/value_json.h"
#include "model/row_image.h"

namespace cdc::fuzz {

inline void format_image(const model::RowImage& image, std::string& out) {
    for (const auto& v : image.values) {
        if (v.kind == model::ValueKind::Absent) continue;
        out.clear();
        format::append_value_json(v, out);
        // Whatever the bytes, a rendered value must be valid UTF-8 (it goes into JSON).
        if (!is_valid_utf8(out)) std::abort();
    }
}

inline void decode_all_rows(const binlog::RowsEvent& event, const model::TableSchema& schema,
                            uint64_t offset) {
    binlog::RowDecoder rows(event, schema, offset);
    model::RowImage before;
    model::RowImage after;
    std::string out;
    // Every row takes at least one byte of `rows`; more rows than bytes means next() stopped
    // advancing, which would hang the daemon. Crash at once rather than time out.
    for (size_t n = 0;; ++n) {
        if (n > event.rows.size()) {
            std::fprintf(stderr, "RowDecoder::next returned more rows than the event has bytes\n");
            std::abort();
        }
        auto more = rows.next(before, after);
        if (!more || !*more) return;
        format_image(before, out);
        format_image(after, out);
    }
}

}  // namespace cdc::fuzz

// RowDecoder: one row per next(). Each image is a NULL bitmap over the columns the image
// carries (the event's bitmap), then each carried non-NULL column's value. Bitmaps are
// least-significant bit first.
#include "binlog/row_decoder.h"

#include <algorithm>
#include <bit>

#include "binlog/json/json_diff.h"
#include "binlog/values/column_value.h"

namespace cdc::binlog {

namespace {

using model::ColumnType;

constexpr uint64_t kPartialJsonUpdates = 1;

bool bit_at(Bytes bitmap, size_t i) { return (bitmap[i / 8] >> (i % 8) & 1) != 0; }

size_t count_bits(Bytes bitmap, size_t n) {
    size_t count = 0;
    for (size_t i = 0; i < n; ++i) count += bit_at(bitmap, i) ? 1 : 0;
    return count;
}

size_t json_column_count(const model::TableSchema& schema) {
    size_t n = 0;
    for (const auto& c : schema.columns) n += c.type == ColumnType::Json ? 1 : 0;
    return n;
}

}  // namespace

bool has_old_temporal_columns(const model::TableSchema& schema) {
    for (const auto& c : schema.columns) {
        if (c.type == ColumnType::Timestamp || c.type == ColumnType::DateTime ||
            c.type == ColumnType::Time) {
            return true;
        }
    }
    return false;
}

namespace {

// A JSON (or BLOB-like) column value: pack_length bytes of length, then the bytes.
Bytes read_length_prefixed(ByteReader& r, uint8_t pack_length) {
    if (pack_length < 1 || pack_length > 4) {
        r.fail(Errc::Malformed, "length prefix of " + std::to_string(pack_length) + " bytes");
        return {};
    }
    return r.read_bytes(static_cast<size_t>(r.read_uint_le(pack_length)));
}

}  // namespace

namespace {

std::string event_at(const RowsEvent& event, const model::TableSchema& schema, uint64_t offset) {
    return std::string("the ") + std::string(event_type_name(event.type)) + " event at offset " +
           std::to_string(offset) + " for `" + schema.schema + "`.`" + schema.table + "`";
}

}  // namespace

Status check_full_row_images(const RowsEvent& event, const model::TableSchema& schema,
                             uint64_t event_offset) {
    bool update = event.kind == RowsKind::Update || event.kind == RowsKind::PartialUpdate;
    size_t before = count_bits(event.columns_before, event.column_count);
    size_t after = update ? count_bits(event.columns_after, event.column_count) : before;
    // Fewer columns in the event than in the table map is an error of its own (next()).
    size_t total = std::max<size_t>(event.column_count, schema.columns.size());
    if (before == total && after == total) return {};
    const char* image = !update           ? "its row image"
                        : before == total ? "its after image"
                        : after == total  ? "its before image"
                                          : "its before and after images";
    size_t carried = before != total ? before : after;
    return make_error(
        Errc::FailedPrecondition,
        "binlog_row_image is not FULL (MINIMAL or NOBLOB): " +
            event_at(event, schema, event_offset) + " carries only " + std::to_string(carried) +
            " of " + std::to_string(total) + " columns in " + image +
            ", so its rows cannot be emitted whole; set binlog_row_image=FULL globally and in "
            "every session that writes to the table (SET SESSION binlog_row_image overrides "
            "the global value)");
}

Status check_column_names(const RowsEvent& event, const model::TableSchema& schema,
                          uint64_t event_offset) {
    if (schema.has_column_names) return {};
    return make_error(
        Errc::FailedPrecondition,
        "binlog_row_metadata is not FULL: the TABLE_MAP before " +
            event_at(event, schema, event_offset) +
            " carries no column names (written with binlog_row_metadata MINIMAL or NO_LOG), so "
            "its rows cannot be emitted with their names and signedness; set "
            "binlog_row_metadata=FULL (a global setting: SET GLOBAL binlog_row_metadata=FULL)");
}

RowDecoder::RowDecoder(const RowsEvent& event, const model::TableSchema& schema,
                       uint64_t event_offset)
    : event_(event),
      schema_(schema),
      reader_(event.rows, event.rows_offset != 0 ? event.rows_offset : event_offset) {
    // Every row of the event carries the same columns: count them once, not per row.
    size_t before = count_bits(event.columns_before, event.column_count);
    before_null_bytes_ = (before + 7) / 8;
    before_all_present_ = before == event.column_count;
    if (event.kind == RowsKind::Update || event.kind == RowsKind::PartialUpdate) {
        size_t after = count_bits(event.columns_after, event.column_count);
        after_null_bytes_ = (after + 7) / 8;
        after_all_present_ = after == event.column_count;
    }
}

Result<bool> RowDecoder::next(model::RowImage& before, model::RowImage& after) {
    arena_.reset();
    // The image(s) this kind decodes are overwritten column by column in decode_image; only
    // the other one is cleared.
    if (event_.kind == RowsKind::Write || reader_.empty()) before.values.clear();
    if (event_.kind == RowsKind::Delete || reader_.empty()) after.values.clear();
    if (reader_.empty()) return false;
    ++row_index_;
    if (event_.column_count > schema_.columns.size()) {
        return row_error(Errc::Malformed, reader_.absolute_offset(),
                         "the event has " + std::to_string(event_.column_count) +
                             " columns, the TABLE_MAP " + std::to_string(schema_.columns.size()));
    }
    if (reader_.remaining() < before_null_bytes_) {
        return row_error(
            Errc::Malformed, reader_.absolute_offset(),
            std::to_string(reader_.remaining()) + " bytes left over after the last row");
    }
    size_t row_start = reader_.position();
    Status st;
    switch (event_.kind) {
        case RowsKind::Write: st = decode_image(after, ImageRole::Plain); break;
        case RowsKind::Delete: st = decode_image(before, ImageRole::Plain); break;
        case RowsKind::Update:
            st = decode_image(before, ImageRole::Plain);
            if (st) st = decode_image(after, ImageRole::PlainAfter);
            break;
        case RowsKind::PartialUpdate:
            json_before_.assign(schema_.columns.size(), Bytes{});
            st = decode_image(before, ImageRole::KeepJson);
            if (st) st = decode_image(after, ImageRole::PartialAfter);
            break;
    }
    if (!st) return st.error();
    if (reader_.position() == row_start) {
        // An image with no present columns takes no bytes: the rows would never end.
        return row_error(Errc::Malformed, reader_.absolute_offset(),
                         "a row image with no columns, in an event with row bytes left");
    }
    return true;
}

Status RowDecoder::decode_image(model::RowImage& image, ImageRole role) {
    bool after_image = role == ImageRole::PlainAfter || role == ImageRole::PartialAfter;
    Bytes present = after_image ? event_.columns_after : event_.columns_before;
    // With every column present (FULL row images, the usual case) the bitmap is not read.
    bool all_present = after_image ? after_all_present_ : before_all_present_;
    size_t null_bytes = after_image ? after_null_bytes_ : before_null_bytes_;
    // Every column below is written once (absent, NULL or its value): no need to fill the
    // vector first, and when the row has as many columns as the last one nothing moves.
    image.values.resize(schema_.columns.size());
    for (size_t i = event_.column_count; i < image.values.size(); ++i) {
        image.values[i] = model::Value::absent();
    }
    uint64_t value_options = 0;
    Bytes partial_bits;
    uint64_t at = reader_.absolute_offset();
    if (role == ImageRole::PartialAfter) {
        value_options = reader_.read_packed_int();
        // One bit per JSON column of the table, whether or not the image carries it.
        if ((value_options & kPartialJsonUpdates) != 0) {
            partial_bits = reader_.read_bytes((json_column_count(schema_) + 7) / 8);
        }
    }
    Bytes nulls = reader_.read_bytes(null_bytes);
    if (!reader_.ok()) return column_error(SIZE_MAX, at);
    // Per column, per row: what the loop needs is read once into locals, which stay in
    // registers across the decode calls (members would be reloaded after every call).
    const size_t count = event_.column_count;
    const model::ColumnDef* columns = schema_.columns.data();
    model::Value* values = image.values.data();
    const bool json_roles = !partial_bits.empty() || role == ImageRole::KeepJson;
    size_t null_index = 0;
    size_t json_index = 0;
    for (size_t i = 0; i < count; ++i) {
        const model::ColumnDef& column = columns[i];
        bool partial = false;
        if (json_roles && !partial_bits.empty() && column.type == ColumnType::Json) {
            partial = bit_at(partial_bits, json_index++);
        }
        if (!all_present && !bit_at(present, i)) {
            values[i] = model::Value::absent();
            continue;
        }
        if (bit_at(nulls, null_index++)) {
            values[i] = model::Value::null();
            continue;
        }
        at = reader_.absolute_offset();
        if (partial) {
            Status st = decode_partial_json(i, values[i]);
            if (!st) return st;
        } else {
            if (json_roles && role == ImageRole::KeepJson && column.type == ColumnType::Json) {
                ByteReader peek = reader_;
                json_before_[i] = read_length_prefixed(peek, column.pack_length);
            }
            decode_column_value(reader_, column, values[i], arena_);
        }
        if (!reader_.ok()) return column_error(i, at);
    }
    return {};
}

Status RowDecoder::decode_partial_json(size_t column, model::Value& out) {
    uint64_t at = reader_.absolute_offset();
    Bytes diffs = read_length_prefixed(reader_, schema_.columns[column].pack_length);
    if (!reader_.ok()) return column_error(column, at);
    if (json_before_[column].data() == nullptr && unresolved_counter_ != nullptr) {
        ++*unresolved_counter_;
        out = model::Value::absent();
        return {};
    }
    if (json_before_[column].data() == nullptr) {
        // With binlog_row_image=MINIMAL the before image lacks the column: the document the
        // diff applies to is not in the binlog at all.
        return row_error(Errc::FailedPrecondition, at,
                         "column " + std::to_string(column + 1) +
                             " is a partial JSON update but the before image does not carry "
                             "the column's value (binlog_row_image is not FULL); set "
                             "binlog_row_image=FULL or binlog_row_value_options=''");
    }
    json_scratch_.clear();
    Status st = apply_json_diffs(json_before_[column], diffs, json_scratch_);
    if (!st) {
        return row_error(st.error().code, at,
                         "column " + std::to_string(column + 1) + ": " + st.error().message);
    }
    out.kind = model::ValueKind::JsonText;
    out.bytes = arena_.store(json_scratch_);
    return {};
}

Error RowDecoder::row_error(Errc code, uint64_t at, const std::string& what) const {
    std::string msg = std::string(event_type_name(event_.type)) + " row " +
                      std::to_string(row_index_) + " of `" + schema_.schema + "`.`" +
                      schema_.table + "` (table id " + std::to_string(event_.table_id) +
                      ") at offset " + std::to_string(at) + ": " + what;
    if (has_old_temporal_columns(schema_)) {
        msg +=
            "; the table has TIMESTAMP/DATETIME/TIME columns in the old format: MariaDB "
            "before 10.1.2 writes TIMESTAMP(N)/DATETIME(N)/TIME(N) this way with N "
            "fractional digits that the TABLE_MAP does not record, so such rows cannot be "
            "decoded";
    }
    return Error{code, msg};
}

Error RowDecoder::column_error(size_t column, uint64_t at) const {
    Error e = reader_.ok() ? Error{Errc::Internal, "unknown failure"} : reader_.error();
    if (column == SIZE_MAX) {
        return row_error(e.code, at, "row header: " + e.message);
    }
    const model::ColumnDef& c = schema_.columns[column];
    std::string name = c.name.empty() ? "@" + std::to_string(column + 1) : c.name;
    return row_error(e.code, at,
                     "column " + std::to_string(column + 1) + " `" + name + "` (" +
                         std::string(model::column_type_name(c.type)) + "): " + e.message);
}

}  // namespace cdc::binlog

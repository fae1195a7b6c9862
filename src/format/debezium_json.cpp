#include "format/debezium_json.h"

#include <charconv>
#include <cstring>

#include "common/json_writer.h"
#include "format/debezium_schema.h"
#include "format/debezium_table.h"
#include "format/debezium_values.h"
#include "format/value_json.h"
#include "model/row_image.h"

#ifndef MYSQL_CDC_VERSION
#define MYSQL_CDC_VERSION "unknown"
#endif

namespace cdc::format {
namespace {

using model::ChangeKind;

// Batches small appends (field names, numbers) into one: a string append per value showed in
// the seed formatter's profiles. Longer pieces go straight to `out` after a flush.
class Writer {
public:
    explicit Writer(std::string& out) : out_(out) {}
    ~Writer() { flush(); }
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;

    void put(std::string_view s) {
        if (s.size() > room()) {
            flush();
            if (s.size() > sizeof buf_) {
                out_.append(s);
                return;
            }
        }
        std::memcpy(p_, s.data(), s.size());
        p_ += s.size();
    }
    void put(char c) {
        if (room() == 0) flush();
        *p_++ = c;
    }
    void put_int(int64_t v) {
        if (room() < 24) flush();
        p_ = std::to_chars(p_, p_ + 24, v).ptr;
    }
    // A millisecond time, then `,"ts_us":` and `,"ts_ns":` with the same digits and zeros: the
    // digits are converted once.
    void put_times(int64_t ms) {
        if (room() < 96) flush();
        char* start = p_;
        p_ = std::to_chars(p_, p_ + 24, ms).ptr;
        const std::string_view digits(start, static_cast<size_t>(p_ - start));
        const bool zero = ms == 0;
        put_raw(",\"ts_us\":");
        put_raw(digits);
        if (!zero) put_raw("000");
        put_raw(",\"ts_ns\":");
        put_raw(digits);
        if (!zero) put_raw("000000");
    }
    void put_value(const DebeziumColumn& c, const model::Value& v) {
        if (room() < kMaxBoundedDebeziumValue) flush();
        if (char* end = write_bounded_debezium_value(c, v, p_)) {
            p_ = end;
            return;
        }
        // Short plain text (most strings) straight into the buffer, as the seed format does.
        if (c.type == DebeziumType::String || c.type == DebeziumType::Enum ||
            c.type == DebeziumType::EnumSet) {
            if (char* end = write_plain_value_json(v, p_, room())) {
                p_ = end;
                return;
            }
        }
        append_debezium_value(c, v, flushed());
    }
    // `s` as a JSON string: straight into the buffer when it needs no escaping (names, files).
    void put_string(std::string_view s) {
        if (s.size() + 2 <= sizeof buf_ && plain_ascii_prefix(s) == s.size()) {
            if (room() < s.size() + 2) flush();
            *p_++ = '"';
            std::memcpy(p_, s.data(), s.size());
            p_ += s.size();
            *p_++ = '"';
            return;
        }
        append_json_string(flushed(), s);
    }
    // Bytes written so far, `out`'s and the buffer's.
    size_t size() const { return out_.size() + static_cast<size_t>(p_ - buf_); }
    // `out` with everything written so far, for appending to it directly.
    std::string& flushed() {
        flush();
        return out_;
    }

private:
    void put_raw(std::string_view s) {
        std::memmove(p_, s.data(), s.size());
        p_ += s.size();
    }
    size_t room() const { return static_cast<size_t>(buf_ + sizeof buf_ - p_); }
    void flush() {
        out_.append(buf_, p_);
        p_ = buf_;
    }

    char buf_[1024];
    char* p_ = buf_;
    std::string& out_;
};

std::string_view op_of(ChangeKind kind) {
    switch (kind) {
        case ChangeKind::SnapshotInsert: return "r";
        case ChangeKind::Insert: return "c";
        case ChangeKind::Update: return "u";
        case ChangeKind::Delete: return "d";
        case ChangeKind::Truncate: return "t";
    }
    return "c";
}

// {"id":1,"v":"a"}: every column, absent ones (a MINIMAL row image) as null.
void put_row(const DebeziumTable& t, const model::RowImage* image, Writer& w,
             const JsonSpill* spill) {
    if (image == nullptr) {
        w.put("null");
        return;
    }
    w.put('{');
    for (size_t i = 0; i < t.columns.size(); ++i) {
        if (i != 0) w.put(',');
        w.put(t.field_prefixes[i]);
        w.put_value(t.columns[i], i < image->values.size() ? image->values[i] : model::Value{});
        if (spill != nullptr && w.size() >= spill->threshold) spill->take(w.flushed());
    }
    w.put('}');
}

// "source":{...}: the MySQL connector's source struct. `table` is the table's JSON string, or
// "null".
void put_source(std::string_view server_name, std::string_view db_json, std::string_view table,
                int64_t ts_ms, std::string_view snapshot, uint32_t server_id, std::string_view gtid,
                std::string_view file, uint64_t pos, uint64_t row, Writer& w) {
    w.put("\"source\":{\"version\":\"" MYSQL_CDC_VERSION "\",\"connector\":\"mysql\",\"name\":");
    w.put_string(server_name);
    // Debezium's order: ts_ms, snapshot, db, sequence, then ts_us and ts_ns.
    char digits[24];
    const std::string_view ms(
        digits, static_cast<size_t>(std::to_chars(digits, digits + 24, ts_ms).ptr - digits));
    const bool zero = ts_ms == 0;
    w.put(",\"ts_ms\":");
    w.put(ms);
    w.put(",\"snapshot\":\"");
    w.put(snapshot);
    w.put("\",\"db\":");
    w.put(db_json);
    w.put(",\"sequence\":null,\"ts_us\":");
    w.put(ms);
    if (!zero) w.put("000");
    w.put(",\"ts_ns\":");
    w.put(ms);
    if (!zero) w.put("000000");
    w.put(",\"table\":");
    w.put(table);
    w.put(",\"server_id\":");
    w.put_int(server_id);
    w.put(",\"gtid\":");
    if (gtid.empty())
        w.put("null");
    else
        w.put_string(gtid);
    w.put(",\"file\":");
    w.put_string(file);
    w.put(",\"pos\":");
    w.put_int(static_cast<int64_t>(pos));
    w.put(",\"row\":");
    w.put_int(static_cast<int64_t>(row));
    w.put(",\"thread\":null,\"query\":null}");
}

// The transaction id: the GTID, or Debezium's "file=NAME,pos=N" without GTIDs.
void put_transaction(const DebeziumSource& source, Writer& w) {
    w.put("{\"id\":");
    if (!source.gtid.empty()) {
        w.put_string(source.gtid);
    } else {
        std::string id = "file=";
        id += source.binlog_file;
        id += ",pos=";
        id += std::to_string(source.binlog_pos);
        w.put_string(id);
    }
    w.put(",\"total_order\":");
    w.put_int(static_cast<int64_t>(source.total_order));
    w.put(",\"data_collection_order\":");
    w.put_int(static_cast<int64_t>(source.data_collection_order));
    w.put('}');
}

}  // namespace

std::string_view debezium_source_version() { return MYSQL_CDC_VERSION; }

void append_debezium_value_json(const model::ChangeEvent& event, const DebeziumSource& source,
                                const DebeziumOptions& options, int64_t now_ms, std::string& out,
                                const JsonSpill* spill) {
    const DebeziumTable& t = debezium_table(*event.table, options);
    Writer w(out);
    if (options.schemas) w.put(t.value_schema_prefix);
    const bool has_before = event.kind == ChangeKind::Update || event.kind == ChangeKind::Delete;
    const bool has_after = event.kind == ChangeKind::SnapshotInsert ||
                           event.kind == ChangeKind::Insert || event.kind == ChangeKind::Update;
    w.put("{\"before\":");
    put_row(t, has_before ? event.before : nullptr, w, spill);
    w.put(",\"after\":");
    put_row(t, has_after ? event.after : nullptr, w, spill);
    w.put(',');
    const bool snapshot = source.snapshot || event.kind == ChangeKind::SnapshotInsert;
    put_source(options.server_name, t.db_json, t.table_json, source.commit_time_ms,
               !snapshot              ? "false"
               : source.snapshot_last ? "last"
                                      : "true",
               source.server_id, source.gtid, source.binlog_file, source.binlog_pos, source.row, w);
    w.put(",\"transaction\":");
    // A snapshot row is in no transaction (Debezium: null).
    if (options.transaction_metadata && !snapshot)
        put_transaction(source, w);
    else
        w.put("null");
    w.put(",\"op\":\"");
    w.put(op_of(event.kind));
    w.put("\",\"ts_ms\":");
    w.put_times(now_ms);
    w.put('}');
    if (options.schemas) w.put('}');
}

void append_debezium_key_json(const model::ChangeEvent& event, const DebeziumOptions& options,
                              bool with_table, std::string& out) {
    const model::TableSchema& table = *event.table;
    const model::RowImage* image = event.kind == ChangeKind::Delete ? event.before : event.after;
    if (table.primary_key.empty() || image == nullptr || event.kind == ChangeKind::Truncate) return;
    const DebeziumTable& t = debezium_table(table, options);
    Writer w(out);
    if (options.schemas) w.put(t.key_schema_prefix[with_table ? 1 : 0]);
    w.put('{');
    bool first = true;
    for (uint32_t index : table.primary_key) {
        if (index >= t.columns.size()) continue;
        if (!first) w.put(',');
        first = false;
        w.put(t.field_prefixes[index]);
        w.put_value(t.columns[index],
                    index < image->values.size() ? image->values[index] : model::Value{});
    }
    if (with_table) {
        if (!first) w.put(',');
        w.put('"');
        w.put(kPhysicalTableField);
        w.put("\":");
        w.put_string(t.qualified);
    }
    w.put('}');
    if (options.schemas) w.put('}');
}

void append_debezium_schema_change_json(const model::SchemaChange& change,
                                        const SchemaChangePosition& position, uint32_t server_id,
                                        const DebeziumOptions& options, int64_t now_ms,
                                        std::string& out) {
    Writer w(out);
    if (options.schemas) {
        w.put("{\"schema\":");
        w.put(debezium_schema_change_schema());
        w.put(",\"payload\":");
    }
    std::string db_json;
    append_json_string(db_json, change.schema);
    std::string table_json;
    append_json_string(table_json, change.table);
    w.put('{');
    put_source(options.server_name, db_json, table_json, position.commit_time_ms, "false",
               server_id, position.gtid, position.binlog_file, position.binlog_pos, 0, w);
    w.put(",\"ts_ms\":");
    w.put_int(now_ms);
    w.put(",\"databaseName\":");
    w.put(db_json);
    // MySQL has no schemas within a database; tableChanges would need the DDL parsed (not done:
    // docs/DEBEZIUM.md).
    w.put(",\"schemaName\":null,\"ddl\":");
    append_json_string(w.flushed(), change.statement);
    w.put(",\"tableChanges\":[]}");
    if (options.schemas) w.put('}');
}

}  // namespace cdc::format

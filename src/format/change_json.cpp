#include "format/change_json.h"

#include <array>
#include <cstddef>

#include "common/json_writer.h"
#include "format/value_json.h"

namespace cdc::format {
namespace {

using model::ValueKind;

// What every event of a table repeats: `"schema":"s","table":"t"` and the column names of a
// full image. Rendered once per schema (TableSchema::generation) and kept in a small
// per-thread cache, which matters at a million events a second.
struct TableText {
    const model::TableSchema* table = nullptr;
    uint64_t generation = 0;
    bool numbers = false;
    std::string schema_and_table;
    std::string all_names;
};

void append_column_name(const model::TableSchema& table, size_t index, bool numbers,
                        std::string& out);

const TableText& table_text(const model::TableSchema& table, bool numbers) {
    thread_local std::array<TableText, 8> cache;
    thread_local size_t next_slot = 0;
    for (const TableText& t : cache) {
        if (t.table == &table && t.generation == table.generation && t.numbers == numbers &&
            table.generation != 0) {
            return t;
        }
    }
    TableText& t = cache[next_slot];
    next_slot = (next_slot + 1) % cache.size();
    t.table = &table;
    t.generation = table.generation;
    t.numbers = numbers;
    t.schema_and_table.clear();
    t.schema_and_table += "\"schema\":";
    append_json_string(t.schema_and_table, table.schema);
    t.schema_and_table += ",\"table\":";
    append_json_string(t.schema_and_table, table.table);
    t.all_names.clear();
    t.all_names += '[';
    for (size_t i = 0; i < table.columns.size(); ++i) {
        if (i > 0) t.all_names += ',';
        append_column_name(table, i, numbers, t.all_names);
    }
    t.all_names += ']';
    return t;
}

void append_column_name(const model::TableSchema& table, size_t index, bool numbers,
                        std::string& out) {
    if (!numbers && index < table.columns.size() && !table.columns[index].name.empty()) {
        append_json_string(out, table.columns[index].name);
        return;
    }
    out += "\"@";
    append_json_uint(out, index + 1);
    out += '"';
}

void append_names(const model::TableSchema& table, const model::RowImage& image, bool numbers,
                  std::string& out) {
    bool full = image.values.size() == table.columns.size();
    for (size_t i = 0; full && i < image.values.size(); ++i) {
        full = image.values[i].kind != ValueKind::Absent;
    }
    if (full) {
        out += table_text(table, numbers).all_names;
        return;
    }
    out += '[';
    bool first = true;
    for (size_t i = 0; i < image.values.size(); ++i) {
        if (image.values[i].kind == ValueKind::Absent) continue;
        if (!first) out += ',';
        first = false;
        append_column_name(table, i, numbers, out);
    }
    out += ']';
}

// Numbers, decimals, date-times and short plain text (most columns) are written with their
// separators into a stack buffer that is appended in one piece: a string append per value and per
// comma showed in profiles. Other values flush the buffer and go through append_value_json.
void append_values(const model::RowImage& image, std::string& out, const JsonSpill* spill) {
    char buf[512];
    char* p = buf;
    *p++ = '[';
    bool first = true;
    for (const model::Value& v : image.values) {
        if (v.kind == ValueKind::Absent) continue;
        if (buf + sizeof buf - p < static_cast<ptrdiff_t>(kMaxBoundedValueJson + 2)) {
            out.append(buf, p);
            p = buf;
        }
        if (!first) *p++ = ',';
        first = false;
        if (char* end = write_bounded_value_json(v, p)) {
            p = end;
            continue;
        }
        // Short plain text too; room for the closing ']' is kept.
        if (char* end =
                write_plain_value_json(v, p, static_cast<size_t>(buf + sizeof buf - p - 1))) {
            p = end;
            continue;
        }
        out.append(buf, p);
        p = buf;
        append_value_json(v, out);
        if (spill != nullptr && out.size() >= spill->threshold) spill->take(out);
    }
    *p++ = ']';
    out.append(buf, p);
}

}  // namespace

void append_change_json(const model::ChangeEvent& event, std::string& out,
                        const EnvelopeOptions& options, const JsonSpill* spill) {
    const model::TableSchema& table = *event.table;
    out += "{\"kind\":\"";
    out += model::change_kind_name(event.kind);
    out += "\",";
    out += table_text(table, options.column_numbers).schema_and_table;
    out += ",\"columnnames\":";
    if (event.kind == model::ChangeKind::Delete || event.after == nullptr) {
        out += "[],\"columnvalues\":[]";
    } else {
        append_names(table, *event.after, options.column_numbers, out);
        out += ",\"columnvalues\":";
        append_values(*event.after, out, spill);
    }
    out += ",\"oldkeys\":";
    bool has_before =
        (event.kind == model::ChangeKind::Update || event.kind == model::ChangeKind::Delete) &&
        event.before != nullptr;
    if (!has_before) {
        out += "{}}";
        return;
    }
    out += "{\"keynames\":";
    append_names(table, *event.before, options.column_numbers, out);
    out += ",\"keyvalues\":";
    append_values(*event.before, out, spill);
    out += "}}";
}

void append_schema_change_json(const model::SchemaChange& change,
                               const SchemaChangePosition& position, std::string& out) {
    out += "{\"kind\":\"ddl\",\"schema\":";
    append_json_string(out, change.schema);
    out += ",\"table\":";
    append_json_string(out, change.table);
    out += ",\"columnnames\":[],\"columnvalues\":[],\"oldkeys\":{},\"ddl\":";
    append_json_string(out, change.verb);
    out += ",\"statement\":";
    append_json_string(out, change.statement);
    out += ",\"database\":";
    append_json_string(out, change.database);
    out += ",\"binlog_file\":";
    append_json_string(out, position.binlog_file);
    out += ",\"binlog_pos\":";
    append_json_uint(out, position.binlog_pos);
    out += ",\"gtid\":";
    append_json_string(out, position.gtid);
    out += ",\"commit_time_ms\":";
    append_json_int(out, position.commit_time_ms);
    out += '}';
}

void append_change_key_json(const model::ChangeEvent& event, std::string& out) {
    const model::RowImage* image =
        event.kind == model::ChangeKind::Delete ? event.before : event.after;
    out += '[';
    if (image == nullptr) {
        out += ']';
        return;
    }
    const model::TableSchema& table = *event.table;
    bool first = true;
    auto append_one = [&](const model::Value& v) {
        if (!first) out += ',';
        first = false;
        if (v.kind == ValueKind::Absent)
            out += "null";
        else
            append_value_json(v, out);
    };
    if (!table.primary_key.empty()) {
        for (uint32_t index : table.primary_key) {
            append_one(index < image->values.size() ? image->values[index] : model::Value::null());
        }
    } else {
        for (const model::Value& v : image->values) {
            if (v.kind != ValueKind::Absent) append_one(v);
        }
    }
    out += ']';
}

}  // namespace cdc::format

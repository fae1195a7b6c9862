#include "format/change_json.h"

#include "common/json_writer.h"
#include "format/value_json.h"

namespace cdc::format {
namespace {

using model::ValueKind;

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

void append_values(const model::RowImage& image, std::string& out) {
    out += '[';
    bool first = true;
    for (const model::Value& v : image.values) {
        if (v.kind == ValueKind::Absent) continue;
        if (!first) out += ',';
        first = false;
        append_value_json(v, out);
    }
    out += ']';
}

}  // namespace

void append_change_json(const model::ChangeEvent& event, std::string& out,
                        const EnvelopeOptions& options) {
    const model::TableSchema& table = *event.table;
    out += "{\"kind\":\"";
    out += model::change_kind_name(event.kind);
    out += "\",\"schema\":";
    append_json_string(out, table.schema);
    out += ",\"table\":";
    append_json_string(out, table.table);
    out += ",\"columnnames\":";
    if (event.kind == model::ChangeKind::Delete || event.after == nullptr) {
        out += "[],\"columnvalues\":[]";
    } else {
        append_names(table, *event.after, options.column_numbers, out);
        out += ",\"columnvalues\":";
        append_values(*event.after, out);
    }
    out += ",\"oldkeys\":";
    bool has_before = (event.kind == model::ChangeKind::Update ||
                       event.kind == model::ChangeKind::Delete) &&
                      event.before != nullptr;
    if (!has_before) {
        out += "{}}";
        return;
    }
    out += "{\"keynames\":";
    append_names(table, *event.before, options.column_numbers, out);
    out += ",\"keyvalues\":";
    append_values(*event.before, out);
    out += "}}";
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
        if (v.kind == ValueKind::Absent) out += "null";
        else append_value_json(v, out);
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

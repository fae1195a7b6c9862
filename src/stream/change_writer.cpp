#include "stream/change_writer.h"

#include "common/json_writer.h"
#include "format/change_json.h"

namespace cdc::stream {

Status ChangeWriter::on_event(const binlog::Event& event, bool top_level) {
    tracker_.on_event(event, top_level);
    return {};
}

namespace {

// A value's text is handed to a sink that takes parts once this much is waiting: a huge row
// costs its event, one column's JSON and this, not its whole JSON (docs/MEMORY.md).
constexpr size_t kSpillBytes = size_t{1} << 20;
// A buffer grown past this by a huge row is released, not kept for the next one.
constexpr size_t kKeepCapacity = size_t{16} << 20;

}  // namespace

sink::OutputRecord format_change(const model::ChangeEvent& change, std::string& value,
                                 std::string& key, const format::JsonSpill* spill, bool with_key) {
    value.clear();
    key.clear();
    format::append_change_json(change, value, {}, spill);
    if (with_key) format::append_change_key_json(change, key);
    sink::OutputRecord record;
    record.schema = change.table->schema;
    record.table = change.table->table;
    record.key = key;
    record.value = value;
    record.all_partitions = change.kind == model::ChangeKind::Truncate;
    return record;
}

metrics::TableMetrics& ChangeWriter::table_metrics(const model::TableSchema& table) {
    for (const CachedTable& c : cached_tables_) {
        if (c.schema == &table && c.generation == table.generation && table.generation != 0) {
            return *c.metrics;
        }
    }
    metrics::TableMetrics& found = metrics_->table({table.schema, table.table});
    // A TRUNCATE's schema has generation 0 (statement_guard.cpp): rare, not cached.
    if (table.generation != 0) {
        cached_tables_[next_cached_] = {&table, table.generation, &found};
        next_cached_ = (next_cached_ + 1) % cached_tables_.size();
    }
    return found;
}

Status ChangeWriter::on_change(const model::ChangeEvent& change, uint64_t, uint32_t) {
    uint64_t row_index = tracker_.next_row_index();
    if (!tracker_.take_row()) {
        ++skipped_;
        if (metrics_ != nullptr) metrics_->replayed_skipped.add();
        return {};
    }
    Status part_written;
    uint64_t part_bytes = 0;
    format::JsonSpill spill{kSpillBytes, [&](std::string& out) {
                                part_bytes += out.size();
                                if (part_written) part_written = sink_.write_value_part(out);
                                out.clear();
                            }};
    sink::OutputRecord record = format_change(
        change, value_, key_, sink_.takes_value_parts() ? &spill : nullptr, sink_.uses_key());
    if (!part_written) return part_written;
    record.binlog_file = tracker_.file();
    record.binlog_pos = tracker_.transaction_start();
    record.row_index = row_index;
    record.gtid = tracker_.gtid();
    record.server_id = tracker_.source_server();
    if (const model::MariaGtid* g = tracker_.mariadb_gtid()) {
        record.has_gtid_seq = true;
        record.gtid_domain = g->domain;
        record.gtid_seq = g->seq;
    }
    record.commit_time_ms = tracker_.commit_time_ms();
    Status st = sink_.write(record);
    if (st && metrics_ != nullptr) {
        table_metrics(*change.table).add_change(change.kind, part_bytes + record.value.size());
    }
    if (value_.capacity() > kKeepCapacity) value_ = std::string();
    if (key_.capacity() > kKeepCapacity) key_ = std::string();
    if (!st) return st;
    ++written_;
    ++pending_;
    return {};
}

Status ChangeWriter::on_schema_change(const model::SchemaChange& change) {
    uint64_t row_index = tracker_.next_row_index();
    if (!tracker_.take_row()) {
        ++skipped_;
        if (metrics_ != nullptr) metrics_->replayed_skipped.add();
        return {};
    }
    value_.clear();
    key_.clear();
    format::append_schema_change_json(
        change, {tracker_.file(), change.offset, tracker_.gtid(), tracker_.commit_time_ms()},
        value_);
    model::TableId table{std::string(change.schema), std::string(change.table)};
    append_json_string(key_, table.qualified());
    sink::OutputRecord record;
    record.schema = change.schema;
    record.table = change.table;
    record.key = key_;
    record.value = value_;
    record.all_partitions = true;  // ordered with every key's changes, as a truncate
    record.binlog_file = tracker_.file();
    record.binlog_pos = tracker_.transaction_start();
    record.row_index = row_index;
    record.gtid = tracker_.gtid();
    record.commit_time_ms = tracker_.commit_time_ms();
    Status st = sink_.write(record);
    if (!st) return st;
    ++written_;
    ++pending_;
    return {};
}

}  // namespace cdc::stream

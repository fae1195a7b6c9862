#include "stream/change_writer.h"

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

sink::OutputRecord ChangeWriter::position(uint64_t row_index) const {
    sink::OutputRecord record;
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
    auto records =
        records_.format(change, position(row_index), sink_.takes_value_parts() ? &spill : nullptr);
    if (!part_written) return part_written;
    Status st;
    for (const sink::OutputRecord& record : records) {
        st = sink_.write(record);
        if (!st) break;
    }
    if (st && metrics_ != nullptr) {
        table_metrics(*change.table).add_change(change.kind, part_bytes + records[0].value.size());
    }
    records_.trim(kKeepCapacity);
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
    // Its record carries file, pos, row, GTID and time, as before the formats came.
    sink::OutputRecord at;
    at.binlog_file = tracker_.file();
    at.binlog_pos = tracker_.transaction_start();
    at.row_index = row_index;
    at.gtid = tracker_.gtid();
    at.commit_time_ms = tracker_.commit_time_ms();
    const sink::OutputRecord& record =
        records_.format_schema_change(change, at, tracker_.source_server());
    Status st = sink_.write(record);
    if (!st) return st;
    ++written_;
    ++pending_;
    return {};
}

}  // namespace cdc::stream

#include "app/change_writer.h"

#include "format/change_json.h"

namespace cdc::app {

Status ChangeWriter::on_event(const binlog::Event& event, bool top_level) {
    tracker_.on_event(event, top_level);
    return {};
}

Status ChangeWriter::on_change(const model::ChangeEvent& change, uint64_t, uint32_t) {
    uint64_t row_index = tracker_.next_row_index();
    if (!tracker_.take_row()) {
        ++skipped_;
        return {};
    }
    value_.clear();
    key_.clear();
    format::append_change_json(change, value_);
    format::append_change_key_json(change, key_);
    sink::OutputRecord record;
    record.schema = change.table->schema;
    record.table = change.table->table;
    record.key = key_;
    record.value = value_;
    record.binlog_file = tracker_.file();
    record.binlog_pos = tracker_.transaction_start();
    record.row_index = row_index;
    record.gtid = tracker_.gtid();
    Status st = sink_.write(record);
    if (!st) return st;
    ++written_;
    ++pending_;
    return {};
}

}  // namespace cdc::app

#include "app/change_writer.h"

#include "format/change_json.h"

namespace cdc::app {

Status ChangeWriter::on_event(const binlog::Event& event, bool top_level) {
    tracker_.on_event(event, top_level);
    return {};
}

sink::OutputRecord format_change(const model::ChangeEvent& change, std::string& value,
                                 std::string& key) {
    value.clear();
    key.clear();
    format::append_change_json(change, value);
    format::append_change_key_json(change, key);
    sink::OutputRecord record;
    record.schema = change.table->schema;
    record.table = change.table->table;
    record.key = key;
    record.value = value;
    record.all_partitions = change.kind == model::ChangeKind::Truncate;
    return record;
}

Status ChangeWriter::on_change(const model::ChangeEvent& change, uint64_t, uint32_t) {
    uint64_t row_index = tracker_.next_row_index();
    if (!tracker_.take_row()) {
        ++skipped_;
        return {};
    }
    sink::OutputRecord record = format_change(change, value_, key_);
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

#include "stream/change_records.h"

#include <chrono>

#include "common/json_writer.h"
#include "model/row_image.h"

namespace cdc::stream {
namespace {

int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// "schema.table" as it is, the original connector's key.
void append_table_name(std::string_view schema, std::string_view table, std::string& out) {
    out += schema;
    out += '.';
    out += table;
}

void append_table_name(const model::TableSchema& table, std::string& out) {
    append_table_name(table.schema, table.table, out);
}

// "schema.table" as one JSON string, without building the joined name first.
void append_table_json(std::string_view schema, std::string_view table, std::string& out) {
    append_json_string(out, schema);
    out.pop_back();  // its closing quote
    out += '.';
    size_t quote = out.size();
    append_json_string(out, table);
    out.erase(quote, 1);  // its opening quote
}

}  // namespace

std::string_view key_scheme_name(const RecordOptions& options) {
    switch (options.key) {
        case MessageKey::PrimaryKey:
            return options.key_with_table ? "primary_key" : "bare_primary_key";
        case MessageKey::BarePrimaryKey: return "bare_primary_key";
        case MessageKey::Table: return "table";
    }
    return "bare_primary_key";
}

std::string_view output_format_name(OutputFormat format) {
    return format == OutputFormat::Debezium ? "debezium" : "seed";
}

void ChangeRecords::append_key(const model::ChangeEvent& change, std::string& out) {
    if (!options_.with_key) return;
    if (options_.key == MessageKey::Table) {
        append_table_name(*change.table, out);
        return;
    }
    const bool with_table = options_.key == MessageKey::PrimaryKey && options_.key_with_table;
    if (options_.format == OutputFormat::Debezium) {
        // A truncate concerns no row: Debezium's key is null (it goes to every partition).
        if (change.kind == model::ChangeKind::Truncate) return;
        format::append_debezium_key_json(change, options_.debezium, with_table, out);
        return;
    }
    if (!with_table) {
        format::append_change_key_json(change, out);
        return;
    }
    out += "{\"table\":";
    append_table_json(change.table->schema, change.table->table, out);
    out += ",\"key\":";
    format::append_change_key_json(change, out);
    out += '}';
}

format::DebeziumSource ChangeRecords::source_of(const model::ChangeEvent& change,
                                                const sink::OutputRecord& position) {
    format::DebeziumSource source;
    source.binlog_file = position.binlog_file;
    source.binlog_pos = position.binlog_pos;
    // A snapshot row's row_index counts the snapshot's rows; Debezium's snapshot rows say 0.
    source.row = position.snapshot ? 0 : position.row_index;
    source.gtid = position.gtid;
    source.server_id = position.server_id;
    source.commit_time_ms = position.commit_time_ms;
    source.snapshot = position.snapshot;
    // Snapshot rows belong to no transaction: Debezium leaves their block null.
    if (!options_.debezium.transaction_metadata || position.snapshot) return source;
    if (position.binlog_file != tx_file_ || position.binlog_pos != tx_pos_) {
        tx_file_.assign(position.binlog_file);
        tx_pos_ = position.binlog_pos;
        tx_tables_.clear();
        tx_key_changes_ = 0;
    }
    // total_order counts events, as Debezium's: a primary-key change before this one in the
    // transaction was two (its delete and its create).
    source.total_order = position.row_index + 1 + tx_key_changes_;
    std::string name;
    append_table_name(*change.table, name);
    for (auto& [table, count] : tx_tables_) {
        if (table == name) {
            source.data_collection_order = ++count;
            return source;
        }
    }
    tx_tables_.emplace_back(std::move(name), 1);
    source.data_collection_order = 1;
    return source;
}

void ChangeRecords::skip(const model::ChangeEvent& change, const sink::OutputRecord& position) {
    if (options_.format != OutputFormat::Debezium || !options_.debezium.transaction_metadata) {
        return;
    }
    (void)source_of(change, position);
    // As format() counts: a primary-key change is two events (the delete and the create).
    if (primary_key_changed(change)) {
        ++tx_key_changes_;
        (void)source_of(change, position);
    }
}

void ChangeRecords::append_value(const model::ChangeEvent& change,
                                 const sink::OutputRecord& position, std::string& out,
                                 const format::JsonSpill* spill) {
    if (options_.format == OutputFormat::Seed) {
        format::append_change_json(change, out, {}, spill);
        return;
    }
    format::append_debezium_value_json(change, source_of(change, position), options_.debezium,
                                       now_ms(), out, spill);
}

sink::OutputRecord& ChangeRecords::next(const model::ChangeEvent& change,
                                        const sink::OutputRecord& position) {
    sink::OutputRecord& record = records_[count_];
    record = position;
    record.schema = change.table->schema;
    record.table = change.table->table;
    record.key = slots_[count_].key;
    record.value = slots_[count_].value;
    record.part = static_cast<uint32_t>(count_);
    record.tombstone = false;
    record.all_partitions = change.kind == model::ChangeKind::Truncate;
    record.partition_key = {};
    if (record.key.empty() && options_.with_key) {
        // A null key (a Debezium table without a primary key): the table's changes are
        // partitioned together, in order.
        partition_key_.clear();
        append_table_name(*change.table, partition_key_);
        record.partition_key = partition_key_;
    }
    ++count_;
    return record;
}

void ChangeRecords::add_tombstone(const model::ChangeEvent& change,
                                  const sink::OutputRecord& position, const std::string& key) {
    // A tombstone removes a key; without one (a keyless Debezium table) there is nothing to
    // remove, and compacted topics refuse null keys.
    if (!options_.tombstones || key.empty()) return;
    Slot& slot = slots_[count_];
    slot.value.clear();
    if (&slot.key != &key) slot.key.assign(key);
    sink::OutputRecord& record = next(change, position);
    record.value = {};
    record.tombstone = true;
}

bool ChangeRecords::primary_key_changed(const model::ChangeEvent& change) {
    if (change.kind != model::ChangeKind::Update || change.before == nullptr ||
        change.after == nullptr || change.table->primary_key.empty()) {
        return false;
    }
    // The rendered key values compare as the values do (the same bytes for the same value).
    before_key_.clear();
    after_key_.clear();
    format::append_change_key_json(
        {model::ChangeKind::Delete, change.table, change.before, nullptr}, before_key_);
    format::append_change_key_json({model::ChangeKind::Insert, change.table, nullptr, change.after},
                                   after_key_);
    return before_key_ != after_key_;
}

std::span<const sink::OutputRecord> ChangeRecords::format(const model::ChangeEvent& change,
                                                          const sink::OutputRecord& position,
                                                          const format::JsonSpill* spill) {
    count_ = 0;
    if (options_.format == OutputFormat::Debezium && primary_key_changed(change)) {
        // Debezium's primary-key change: a delete of the old key, its tombstone, a create
        // of the new one (parts 0, 1, 2). Each value is held whole (no spill): the parts of
        // two values must not interleave.
        const model::ChangeEvent removed{model::ChangeKind::Delete, change.table, change.before,
                                         nullptr};
        const model::ChangeEvent created{model::ChangeKind::Insert, change.table, nullptr,
                                         change.after};
        Slot& first = slots_[0];
        first.key.clear();
        first.value.clear();
        append_key(removed, first.key);
        append_value(removed, position, first.value, nullptr);
        // The create is the transaction's next event (total_order), as in Debezium.
        ++tx_key_changes_;
        next(removed, position);
        add_tombstone(removed, position, first.key);
        Slot& last = slots_[count_];
        last.key.clear();
        last.value.clear();
        append_key(created, last.key);
        append_value(created, position, last.value, nullptr);
        next(created, position);
        return {records_.data(), count_};
    }
    Slot& slot = slots_[0];
    slot.key.clear();
    slot.value.clear();
    append_value(change, position, slot.value, spill);
    append_key(change, slot.key);
    next(change, position);
    if (change.kind == model::ChangeKind::Delete) add_tombstone(change, position, slot.key);
    return {records_.data(), count_};
}

const sink::OutputRecord& ChangeRecords::format_schema_change(const model::SchemaChange& change,
                                                              const sink::OutputRecord& position,
                                                              uint32_t server_id) {
    Slot& slot = slots_[0];
    slot.key.clear();
    slot.value.clear();
    const format::SchemaChangePosition at{position.binlog_file, change.offset, position.gtid,
                                          position.commit_time_ms};
    if (options_.format == OutputFormat::Debezium) {
        format::append_debezium_schema_change_json(change, at, server_id, options_.debezium,
                                                   now_ms(), slot.value);
    } else {
        format::append_schema_change_json(change, at, slot.value);
    }
    append_table_json(change.schema, change.table, slot.key);
    sink::OutputRecord& record = records_[0];
    record = position;
    record.schema = change.schema;
    record.table = change.table;
    record.key = slot.key;
    record.value = slot.value;
    record.part = 0;
    record.tombstone = false;
    record.partition_key = {};
    record.all_partitions = true;  // ordered with every key's changes, as a truncate
    count_ = 1;
    return record;
}

void ChangeRecords::trim(size_t keep) {
    for (Slot& slot : slots_) {
        if (slot.value.capacity() > keep) slot.value = std::string();
        if (slot.key.capacity() > keep) slot.key = std::string();
    }
}

}  // namespace cdc::stream

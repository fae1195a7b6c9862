// ChangeRecords: the messages one change becomes (OUTPUT_FORMAT, KAFKA_MESSAGE_KEY,
// KAFKA_TOMBSTONES; docs/OUTPUT.md). Every producer path goes through it: the stream
// (ChangeWriter), the snapshot (SnapshotEmitter), the re-snapshot and `mysql-cdc decode`.
//
//   seed, or Debezium insert/update/snapshot row   one record, part 0
//   delete, KAFKA_TOMBSTONES                       the delete (part 0), a tombstone (part 1)
//   Debezium update that changes the primary key   delete of the old key (0), tombstone (1,
//                                                  with tombstones), create of the new key
//   seed update that changes the primary key       one update (oldkeys names the old key)
//
//   ChangeRecords records(options);
//   for (const sink::OutputRecord& r : records.format(change, position)) sink.write(r);
//
// The records point into buffers of this object: valid until the next format(). The seed
// format with the default key writes into two reused strings, as before: no allocation per
// change once they have grown.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "format/change_json.h"
#include "format/debezium_json.h"
#include "model/change_event.h"
#include "sink/sink.h"

namespace cdc::stream {

enum class OutputFormat : uint8_t { Seed, Debezium };

enum class MessageKey : uint8_t {
    PrimaryKey,      // the row's key; with the table's name when `key_with_table`
    BarePrimaryKey,  // the row's key alone
    Table,           // "schema.table" (the original connector's key)
};

struct RecordOptions {
    OutputFormat format = OutputFormat::Seed;
    MessageKey key = MessageKey::BarePrimaryKey;
    // MessageKey::PrimaryKey: several tables may share the topic, so the key names the table.
    bool key_with_table = false;
    bool tombstones = false;
    // The sink writes keys (sink::Sink::uses_key): without, no key is formatted (a table
    // without a primary key has every column in its seed key: a second copy of a huge row).
    bool with_key = true;
    format::DebeziumOptions debezium;
};

// The key scheme the messages are written with, as the state file records it
// (docs/STATE.md): "primary_key" (the table in the key), "bare_primary_key" or "table".
std::string_view key_scheme_name(const RecordOptions& options);
std::string_view output_format_name(OutputFormat format);

class ChangeRecords {
public:
    explicit ChangeRecords(RecordOptions options) : options_(std::move(options)) {}

    const RecordOptions& options() const { return options_; }

    // The change's records. `position` carries what the caller knows (binlog_file, binlog_pos,
    // row_index, gtid, server_id, GTID sequence, commit_time_ms, snapshot); schema, table, key,
    // value, part, tombstone, all_partitions and partition_key are set here. With `spill` the
    // first record's value may be handed on in parts while it is formatted (a change that
    // becomes several records with values is formatted whole).
    std::span<const sink::OutputRecord> format(const model::ChangeEvent& change,
                                               const sink::OutputRecord& position,
                                               const format::JsonSpill* spill = nullptr);

    // A `ddl` event (EMIT_SCHEMA_CHANGES): one record keyed by the table's name, to every
    // partition, with `position`'s fields; `server_id`: the binlog's server, for the event.
    const sink::OutputRecord& format_schema_change(const model::SchemaChange& change,
                                                   const sink::OutputRecord& position,
                                                   uint32_t server_id);

    // A change of the transaction that the output already holds (a replay after a restart
    // inside it): not formatted, but counted, so the next changes' data_collection_order
    // (DEBEZIUM_TRANSACTION_METADATA) is what it was in the run that wrote the first ones.
    void skip(const model::ChangeEvent& change, const sink::OutputRecord& position);

    // Releases buffers a huge row grew past `keep` bytes.
    void trim(size_t keep);

private:
    struct Slot {
        std::string key;
        std::string value;
    };
    // Appends record `index` of the current change: its key and value written by the caller
    // into slots_[index].
    sink::OutputRecord& next(const model::ChangeEvent& change, const sink::OutputRecord& position);
    void append_key(const model::ChangeEvent& change, std::string& out);
    void append_value(const model::ChangeEvent& change, const sink::OutputRecord& position,
                      std::string& out, const format::JsonSpill* spill);
    void add_tombstone(const model::ChangeEvent& change, const sink::OutputRecord& position,
                       const std::string& key);
    bool primary_key_changed(const model::ChangeEvent& change);
    format::DebeziumSource source_of(const model::ChangeEvent& change,
                                     const sink::OutputRecord& position);

    RecordOptions options_;
    std::array<Slot, 3> slots_;
    std::array<sink::OutputRecord, 3> records_;
    size_t count_ = 0;
    std::string partition_key_;           // "schema.table" for a keyless Debezium message
    std::string before_key_, after_key_;  // scratch for primary_key_changed
    // DEBEZIUM_TRANSACTION_METADATA: the changes per table in the current transaction.
    std::string tx_file_;
    uint64_t tx_pos_ = 0;
    std::vector<std::pair<std::string, uint64_t>> tx_tables_;
    uint64_t tx_key_changes_ = 0;  // primary-key changes so far: each is two events
};

}  // namespace cdc::stream

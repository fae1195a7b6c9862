// ChangeWriter: the pipeline's ChangeConsumer. Tracks transactions, drops the changes a
// previous run already delivered, formats the rest and writes them to the sink.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "format/change_json.h"
#include "metrics/registry.h"
#include "sink/sink.h"
#include "stream/change_extractor.h"
#include "stream/transaction_tracker.h"

namespace cdc::stream {

// A change as the sink takes it: its seed-format JSON in `value` and its key in `key` (both
// reused buffers the record points into), its table's names; the position fields are the
// caller's to fill.
// With `spill`, the value's first bytes may be handed on while it is formatted (see
// format::JsonSpill); `value` then holds only the rest. Without `with_key` the key is left
// empty (a table without a primary key has every column in it: a second copy of a huge row).
sink::OutputRecord format_change(const model::ChangeEvent& change, std::string& value,
                                 std::string& key, const format::JsonSpill* spill = nullptr,
                                 bool with_key = true);

class ChangeWriter final : public ChangeConsumer {
public:
    // With `metrics`, each change written is counted by table and kind (metrics/registry.h).
    explicit ChangeWriter(sink::Sink& sink, metrics::Registry* metrics = nullptr)
        : sink_(sink), metrics_(metrics) {}

    Status on_event(const binlog::Event& event, bool top_level) override;
    Status on_change(const model::ChangeEvent& change, uint64_t offset,
                     uint32_t row_index) override;
    // A `ddl` event: counts as a change of its transaction (skip_rows, the Kafka position
    // headers), goes to every partition of the table's topic, key the table's name.
    Status on_schema_change(const model::SchemaChange& change) override;

    TransactionTracker& tracker() { return tracker_; }
    uint64_t written() const { return written_; }
    uint64_t skipped() const { return skipped_; }
    // Changes written since the last call (for the flush policy).
    uint64_t take_pending() {
        uint64_t n = pending_;
        pending_ = 0;
        return n;
    }
    uint64_t pending() const { return pending_; }

private:
    // The table's counters, from a small cache keyed like format's (schema pointer and
    // generation): the registry's lock is taken once per table schema, not per change.
    metrics::TableMetrics& table_metrics(const model::TableSchema& table);
    struct CachedTable {
        const model::TableSchema* schema = nullptr;
        uint64_t generation = 0;
        metrics::TableMetrics* metrics = nullptr;
    };

    sink::Sink& sink_;
    metrics::Registry* metrics_;
    std::array<CachedTable, 8> cached_tables_{};
    size_t next_cached_ = 0;
    TransactionTracker tracker_;
    std::string value_;
    std::string key_;
    uint64_t written_ = 0;
    uint64_t skipped_ = 0;
    uint64_t pending_ = 0;
};

}  // namespace cdc::stream

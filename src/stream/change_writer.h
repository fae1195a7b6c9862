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
#include "stream/change_records.h"
#include "stream/transaction_tracker.h"

namespace cdc::stream {

class ChangeWriter final : public ChangeConsumer {
public:
    // With `metrics`, each change written is counted by table and kind (metrics/registry.h).
    // `options`: the messages each change becomes (change_records.h); no key is formatted
    // for a sink that writes none.
    explicit ChangeWriter(sink::Sink& sink, metrics::Registry* metrics = nullptr,
                          RecordOptions options = {})
        : sink_(sink), metrics_(metrics), records_(with_sink(std::move(options), sink)) {}

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
    static RecordOptions with_sink(RecordOptions options, const sink::Sink& sink) {
        options.with_key = options.with_key && sink.uses_key();
        return options;
    }
    // The position fields of the change being written, from the tracker.
    sink::OutputRecord position(uint64_t row_index) const;

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
    ChangeRecords records_;
    uint64_t written_ = 0;
    uint64_t skipped_ = 0;
    uint64_t pending_ = 0;
};

}  // namespace cdc::stream

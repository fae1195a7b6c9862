// SnapshotEmitter: the snapshot's output. Formats the Snapshotter's rows onto the sink, hands
// them on at FLUSH_MAX_BYTES, and at chunk ends starts a flush when FLUSH_INTERVAL_MS has
// passed (FlushPolicy), whose checkpoint the Checkpointer saves once the sink made it durable.
// The algorithm and its guarantees: docs/SNAPSHOT.md.
//
//   SnapshotEmitter emitter(sink, checkpointer, flush_limits(config), stop, stream_from,
//                           view_time_ms, metrics, record_options(config));
//   emitter.record(state);
//   emitter.checkpoint();            // the snapshot's start is recorded
//   snapshotter.run(state, emitter);
//   emitter.checkpoint() or emitter.settle();
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "app/flush_policy.h"
#include "metrics/registry.h"
#include "model/position.h"
#include "sink/sink.h"
#include "snapshot/snapshotter.h"
#include "stream/change_records.h"
#include "stream/checkpointer.h"

namespace cdc::app {

class SnapshotEmitter final : public snapshot::SnapshotOutput {
public:
    // `stream_from`: the checkpoint while the snapshot runs (the snapshot's start, or for a
    // snapshot of added tables the others' resume point); its position is the rows' position.
    // `stop`: set when the daemon is asked to stop. `view_time_ms`: when the consistent view
    // was opened (ms since the epoch), every row's time (OutputRecord::commit_time_ms).
    SnapshotEmitter(sink::Sink& sink, stream::Checkpointer& checkpointer,
                    FlushPolicy::Limits limits, const std::atomic<bool>& stop,
                    model::Checkpoint stream_from, int64_t view_time_ms, metrics::Registry& metrics,
                    stream::RecordOptions records);

    Status row(const model::ChangeEvent& change, uint64_t ordinal) override;
    Status chunk_done(const snapshot::SnapshotState& state) override;
    bool stopping() const override { return stop_.load(std::memory_order_acquire); }
    void table_started(const model::TableId& table, uint64_t done, uint64_t estimate) override;

    // A `truncate` event of `table` before a snapshot that replaces what the output held of it
    // (SNAPSHOT_MODE=when_needed: the changes since the lost position are unknown, deletes
    // included), so a consumer applying by key ends with the table's content.
    Status table_replaced(const model::TableId& table);
    // The state that the next checkpoint saves.
    void record(const snapshot::SnapshotState& state);
    // Makes everything up to the last chunk end durable and records it; waits for it.
    Status checkpoint();
    // Stopping mid-chunk: the rows after the last chunk end are not recorded (they are read
    // again on restart), but an outstanding chunk-end checkpoint is.
    Status settle() { return checkpointer_.settle(); }

    bool clean() const { return clean_; }

private:
    model::Checkpoint current() const;

    sink::Sink& sink_;
    stream::Checkpointer& checkpointer_;
    FlushPolicy policy_;
    const std::atomic<bool>& stop_;
    model::Checkpoint stream_from_;
    int64_t view_time_ms_;
    metrics::Registry& metrics_;
    metrics::TableMetrics* table_ = nullptr;  // the table being read
    uint64_t table_rows_ = 0;                 // its rows delivered, this run's and before
    stream::ChangeRecords records_;           // a row's messages (op r in the Debezium format)
    std::string json_;
    bool clean_ = true;  // no row was written since the last recorded chunk end
};

}  // namespace cdc::app

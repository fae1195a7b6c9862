#include "app/snapshot_emitter.h"

#include "snapshot/snapshot_state.h"

namespace cdc::app {

SnapshotEmitter::SnapshotEmitter(sink::Sink& sink, stream::Checkpointer& checkpointer,
                                 FlushPolicy::Limits limits, const std::atomic<bool>& stop,
                                 model::Checkpoint stream_from, int64_t view_time_ms,
                                 metrics::Registry& metrics, stream::RecordOptions records)
    : sink_(sink),
      checkpointer_(checkpointer),
      policy_(limits, FlushPolicy::Clock::now()),
      stop_(stop),
      stream_from_(std::move(stream_from)),
      view_time_ms_(view_time_ms),
      metrics_(metrics),
      records_([&] {
          records.with_key = records.with_key && sink.uses_key();
          return std::move(records);
      }()) {
    stream_from_.snapshot_json.clear();
}

void SnapshotEmitter::table_started(const model::TableId& table, uint64_t done, uint64_t estimate) {
    table_ = &metrics_.table(table);
    table_rows_ = done;
    table_->snapshot_rows.set(static_cast<double>(done));
    table_->snapshot_rows_estimated.set(static_cast<double>(estimate));
    table_->in_snapshot.store(true, std::memory_order_relaxed);
}

Status SnapshotEmitter::row(const model::ChangeEvent& change, uint64_t ordinal) {
    sink::OutputRecord position;
    position.binlog_file = stream_from_.position.file;
    position.binlog_pos = stream_from_.position.pos;
    position.row_index = ordinal;
    position.snapshot = true;
    position.commit_time_ms = view_time_ms_;
    size_t bytes = 0;
    for (const sink::OutputRecord& record : records_.format(change, position)) {
        Status st = sink_.write(record);
        if (!st) return st;
        bytes += record.value.size();
    }
    if (table_ != nullptr) {
        table_->add_change(change.kind, bytes);
        table_->snapshot_rows.set(static_cast<double>(++table_rows_));
    }
    clean_ = false;
    // Each row goes to the sink as it is written: only the sink's bytes are buffered.
    if (policy_.bytes_over_limit(sink_.pending_bytes())) return sink_.drain();
    return {};
}

Status SnapshotEmitter::table_replaced(const model::TableId& table) {
    model::TableSchema names;  // names only, generation 0: formatters do not cache it
    names.schema = table.schema;
    names.table = table.table;
    model::ChangeEvent change;
    change.kind = model::ChangeKind::Truncate;
    change.table = &names;
    sink::OutputRecord position;
    position.binlog_file = stream_from_.position.file;
    position.binlog_pos = stream_from_.position.pos;
    position.snapshot = true;
    position.commit_time_ms = view_time_ms_;
    for (const sink::OutputRecord& record : records_.format(change, position)) {
        Status st = sink_.write(record);
        if (!st) return st;
    }
    clean_ = false;
    return {};
}

Status SnapshotEmitter::chunk_done(const snapshot::SnapshotState& state) {
    record(state);
    if (table_ != nullptr) table_->snapshot_chunks.add();
    metrics_.pipeline_tick.set(metrics::steady_ns(FlushPolicy::Clock::now()));
    auto now = FlushPolicy::Clock::now();
    Status st = checkpointer_.poll(now);
    if (!st) return st;
    if (!policy_.due(now)) return {};
    // Saved once the sink has made it durable; the rows go on meanwhile.
    auto started = checkpointer_.start(current());
    if (!started) return started.error();
    if (*started) policy_.flush_began(now);
    return {};
}

void SnapshotEmitter::record(const snapshot::SnapshotState& state) {
    clean_ = true;
    json_ = snapshot::snapshot_state_json(state);
}

Status SnapshotEmitter::checkpoint() {
    policy_.flush_began(FlushPolicy::Clock::now());
    return checkpointer_.finish(current());
}

model::Checkpoint SnapshotEmitter::current() const {
    model::Checkpoint cp = stream_from_;
    cp.output_file_length.reset();  // the sink's part: filled in by the flush
    cp.snapshot_json = json_;
    return cp;
}

}  // namespace cdc::app

// Snapshotter: reads the existing rows of the watched tables in primary-key order, chunk by
// chunk (keyset pagination: WHERE key > last ORDER BY key LIMIT batch), inside the consistent
// view the caller opened, and hands each row to a SnapshotOutput as a snapshot_insert change.
// After each chunk it records the chunk's last key in the SnapshotState and tells the output,
// which makes the rows durable and saves the state when it sees fit; so a crash resumes after
// the last saved chunk. A table without a primary key is read by one streaming query (never
// held in memory) and recorded only when complete.
#pragma once

#include <chrono>
#include <cstdint>

#include "common/result.h"
#include "model/change_event.h"
#include "mysql/connection.h"
#include "snapshot/snapshot_state.h"

namespace cdc::snapshot {

class SnapshotOutput {
public:
    virtual ~SnapshotOutput() = default;
    // One row. `ordinal` counts the snapshot's rows from 0 across tables.
    virtual Status row(const model::ChangeEvent& change, uint64_t ordinal) = 0;
    // Every row before this call is covered by `state`; the output may checkpoint it. Rows
    // handed over after the last call are not: a checkpoint must not include them.
    virtual Status chunk_done(const SnapshotState& state) = 0;
    virtual bool stopping() const = 0;
    // A table's rows begin: `done` of them were delivered before, about `estimate` in all
    // (the server's statistics). For progress reports; the default ignores it.
    virtual void table_started(const model::TableId& table, uint64_t done, uint64_t estimate) {
        (void)table;
        (void)done;
        (void)estimate;
    }
};

struct SnapshotOptions {
    uint32_t batch_size = 1000;
    std::chrono::milliseconds progress_interval{10000};
    bool progress_bar = false;
};

class Snapshotter {
public:
    Snapshotter(mysql::Connection& reader, SnapshotOptions options)
        : reader_(reader), options_(options) {}

    // Reads every table of `state` that is not done, from its last_key on. Returns ok when all
    // are done (state.done is then still false: the caller records completion) or when the
    // output asked to stop.
    Status run(SnapshotState& state, SnapshotOutput& out);

private:
    mysql::Connection& reader_;
    SnapshotOptions options_;
};

}  // namespace cdc::snapshot

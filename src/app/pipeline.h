// Pipeline: the daemon's main loop. Follows the binlog from the checkpoint, writes every change
// of the watched tables to the sink, flushes on time or size, and saves the checkpoint only
// after the sink has made everything before it durable. Reconnects with capped exponential
// backoff when the connection drops or the server restarts; resumes from the last checkpoint,
// so nothing is lost or repeated.
//
//   Pipeline p(config, sink, state_file);
//   Status st = p.run();      // returns ok after request_stop(), or the fatal error
//
// request_stop() is thread-safe (called from the signal thread).
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>

#include "config/config.h"
#include "model/position.h"
#include "model/table_id.h"
#include "mysql/binlog_client.h"
#include "mysql/connection.h"
#include "sink/sink.h"
#include "state/state_store.h"
#include "stream/change_extractor.h"
#include "stream/change_writer.h"
#include "stream/checkpointer.h"
#include "stream/xa_file_store.h"
#include "stream/xa_gate.h"

namespace cdc::app {

mysql::ConnectionParams connection_params(const config::Config& config, const std::string& host);
mysql::ConnectionParams connection_params(const config::Config& config, const std::string& host,
                                          uint16_t port);

class Pipeline {
public:
    Pipeline(const config::Config& config, sink::Sink& sink, state::StateStore& state);

    Status run();
    void request_stop();

private:
    friend class SnapshotEmitter;
    Result<model::Checkpoint> starting_checkpoint();
    // The initial snapshot, when asked for and not complete, or of the tables added since the
    // last run (app/pipeline_snapshot.cpp).
    Status run_snapshot_if_needed();
    // Retries run_snapshot_if_needed() with the stream's backoff while the server is
    // unavailable; each retry resumes after the last completed chunk.
    Status snapshot_with_retries();
    // One connection's life: returns Unavailable when it should reconnect.
    Status stream(const model::Checkpoint& from, bool first_connection);
    Status handle_event(const mysql::RawEvent& raw, stream::ChangeExtractor& extractor,
                        stream::ChangeWriter& writer, stream::XaGate& xa);
    // XA transactions (xa_gate.h): how the stream's gate finds prepared groups and reports.
    stream::XaGate::Options xa_options(stream::ChangeWriter& writer);
    // Streaming starts without a saved position (the server's current one, a new snapshot's
    // start): an XA COMMIT of a transaction prepared before it is expected, not an error.
    Status record_fresh_start(const model::BinlogPosition& start);
    // Starts a flush when FLUSH_INTERVAL_MS has passed since the last one began, or a fifth of
    // it when `caught_up` (nothing more from the server is waiting) and something changed:
    // under a trickle the changes are checkpointed sooner, and a replay's end is not held back
    // for the rest of an interval. `force`: a blocking flush of everything.
    Status flush(stream::ChangeWriter& writer, bool force, bool caught_up = false);
    // Adds the sink's part (fill_checkpoint) and saves; store_checkpoint() saves as it is.
    Status save_checkpoint(model::Checkpoint cp);
    Status store_checkpoint(model::Checkpoint cp);
    bool stopping() const { return stop_.load(std::memory_order_acquire); }
    void log_progress(const stream::ChangeWriter& writer, bool force);
    stream::StatementGuardOptions guard_options();  // STATEMENT_EVENTS, INCIDENT_EVENTS

    const config::Config& config_;
    sink::Sink& sink_;
    state::StateStore& state_;
    std::vector<model::TableId> added_;  // configured tables without a saved position
    bool same_tables_ = true;         // the saved position is of a run with these tables
    std::atomic<bool> stop_{false};
    std::mutex client_mutex_;
    mysql::BinlogClient* client_ = nullptr;  // the live client, for request_stop()

    std::unique_ptr<stream::XaFileStore> xa_store_;  // {STATE_DIR}/xa-prepared: opened by run()
    model::Checkpoint checkpoint_;                   // the last saved one
    stream::Checkpointer checkpointer_;  // saves a flush's checkpoint once the flush completed
    std::chrono::steady_clock::time_point last_flush_;
    bool unflushed_ = false;  // events were handled since the last flush began
    std::chrono::steady_clock::time_point last_progress_;
    uint64_t written_at_last_progress_ = 0;
    bool streamed_events_ = false;     // the last stream() got as far as the event loop
    bool snapshot_reading_ = false;    // a snapshot attempt got as far as reading rows
    uint64_t statements_skipped_ = 0;  // STATEMENT_EVENTS=warn: over the daemon's life
    uint64_t incidents_skipped_ = 0;   // INCIDENT_EVENTS=warn
};

}  // namespace cdc::app

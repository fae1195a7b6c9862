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
#include <optional>
#include <vector>

#include "app/flush_policy.h"
#include "app/resnapshot.h"
#include "config/config.h"
#include "metrics/registry.h"
#include "model/position.h"
#include "model/table_id.h"
#include "mysql/binlog_client.h"
#include "mysql/connection.h"
#include "mysql/gtid_failover.h"
#include "mysql/server_checks.h"
#include "sink/sink.h"
#include "snapshot/snapshot_state.h"
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
// The server sends a heartbeat after this much idle time (FLUSH_INTERVAL_MS, or
// MYSQL_HEARTBEAT_SECONDS when shorter, at least 100 ms): the daemon flushes on time idle too.
std::chrono::milliseconds heartbeat_period(const config::Config& config);

class EventPrefetcher;

class Pipeline {
public:
    // `metrics`: what the pipeline counts for /metrics and the health checks (metrics/).
    Pipeline(const config::Config& config, sink::Sink& sink, state::StateStore& state,
             metrics::Registry& metrics);

    Status run();
    void request_stop();
    // The last checkpoint saved (or resumed from): where a restart resumes.
    const model::Checkpoint& last_checkpoint() const { return checkpoint_; }
    // Re-snapshots on demand (`mysql-cdc snapshot`): the control socket's requests go here.
    Resnapshot& resnapshot() { return resnapshot_; }

private:
    using Clock = FlushPolicy::Clock;
    // Whether and what the initial snapshot reads (app/pipeline_snapshot.cpp).
    enum class SnapshotPlan {
        None,    // no snapshot: stream from the saved position (or the server's current one)
        Fresh,   // all configured tables
        Resume,  // the interrupted snapshot's tables, plus the added ones
        Added,   // only the tables added since the last run
    };
    // Where a snapshot starts: its state (tables, start position) and the checkpoint saved
    // while it runs.
    struct SnapshotStart {
        snapshot::SnapshotState state;
        model::Checkpoint stream_from;
        int64_t view_time_ms = 0;  // when the consistent view was opened: the rows' time
    };

    Result<model::Checkpoint> starting_checkpoint();
    // Opens {STATE_DIR}/xa-prepared and forgets what a crash left there before the checkpoint.
    Status open_xa_store();
    // Resuming: takes back the output written after the checkpoint (refused when a run with
    // other tables wrote it), and records the output's length if the checkpoint lacks it.
    Status recover_output();
    // Streams, reconnecting with capped exponential backoff while the server is unavailable.
    Status stream_with_reconnects();

    // The initial snapshot, when asked for and not complete, or of the tables added since the
    // last run (app/pipeline_snapshot.cpp).
    Status run_snapshot_if_needed();
    // Retries run_snapshot_if_needed() with the stream's backoff while the server is
    // unavailable; each retry resumes after the last completed chunk.
    Status snapshot_with_retries();
    // The snapshot record saved in the checkpoint, if any.
    Result<std::optional<snapshot::SnapshotState>> saved_snapshot();
    SnapshotPlan plan_snapshot(const std::optional<snapshot::SnapshotState>& saved);
    // SNAPSHOT_MODE=when_needed (app/pipeline_resnapshot.cpp): why the saved position is no
    // longer on the server (purged, reset, another server), or nullopt when it is there.
    Result<std::optional<std::string>> saved_position_gone();
    // At the start (or on a reconnect): with when_needed and the saved position gone, logs why
    // and returns true: a new snapshot of every table replaces the position.
    Result<bool> snapshot_because_position_gone();
    // A connection ended with `error` (DataLoss): when_needed and the position is gone, takes
    // the new snapshot (the stream then goes on from it); else returns `error`.
    Status resnapshot_if_position_gone(const Error& error);
    // The tables added since the last run are streamed without a snapshot.
    void stream_added_tables(const char* why);
    bool snapshot_from_other_host() const;
    // MYSQL_SNAPSHOT_HOST (or the primary), its session set up for consistent reads.
    Result<mysql::Connection> open_snapshot_reader();
    // An interrupted snapshot goes on in a new view of `reader`.
    Result<SnapshotStart> resume_snapshot(mysql::Connection& reader, snapshot::SnapshotState saved);
    // A new snapshot: opens the view and finds the stream's position matching it.
    Result<SnapshotStart> begin_snapshot(mysql::Connection& reader, mysql::Connection& primary,
                                         SnapshotPlan plan);
    // The tables the snapshot reads: all configured ones (Fresh), those of the interrupted
    // snapshot still configured plus the added ones (Resume), or only the added ones (Added).
    std::vector<snapshot::TableProgress> tables_to_read(
        SnapshotPlan plan, const std::vector<snapshot::TableProgress>& recorded) const;
    // Reads the rows and records the progress at chunk ends, until done or stopped.
    Status read_snapshot(mysql::Connection& reader, snapshot::SnapshotState state,
                         const model::Checkpoint& stream_from, int64_t view_time_ms);

    // One connection's life: returns Unavailable when it should reconnect.
    Status stream(const model::Checkpoint& from, bool first_connection);
    // The server checks: a failure stops the daemon; the outcomes hold the warnings.
    Result<std::vector<mysql::CheckOutcome>> check_server(mysql::Connection& conn);
    Result<mysql::Connection> connect(bool first_connection);
    // `from`, or without a saved position the server's current one (recorded at once). With
    // a GTID state and a server with GTIDs: resume by GTID (by_gtid_), after checking that
    // this server's history holds it (app/pipeline_failover.cpp).
    Result<model::Checkpoint> stream_start(mysql::Connection& conn, const model::Checkpoint& from);
    // The binlog dump from `start`; request_stop() stops it from now on.
    Result<std::unique_ptr<mysql::BinlogClient>> start_client(mysql::Connection conn,
                                                              const model::Checkpoint& start);

    // Failover (app/pipeline_failover.cpp). MYSQL_HOST's list, and the one connected to now.
    const std::vector<config::HostPort>& hosts() const { return hosts_; }
    const config::HostPort& current_host() const { return hosts_[host_index_]; }
    // After a failed attempt on the current host: retry it once, then the next host.
    void choose_host_after_failure(const Error& error);
    // What this server is (server_id, GTIDs, replicating), read once per connection.
    Status identify_server(mysql::Connection& conn);
    // Resuming by GTID on this server: it holds the saved state (else Unavailable while it
    // is a replica catching up, FailedPrecondition when it lacks them for good).
    Status check_gtid_history(const model::MariaGtidState& saved);
    // Positions of another server's binlog kept in the state (table starts, prepared XA
    // groups) cannot be carried over: refused when the server changes while they exist.
    // MySQL's: the server's gtid_executed holds the saved set.
    Status check_mysql_gtid_history(const model::GtidSet& saved);
    Status check_positions_portable(const model::Checkpoint& from);
    // With MariaDB GTIDs: the GTID state at a file/pos start (BINLOG_GTID_POS), so that every
    // checkpoint from now on carries one.
    Status fill_gtid_state(mysql::Connection& conn, model::Checkpoint& start);
    // The dump by GTID failed before its first event: the server's reason, worded.
    Error gtid_dump_error(const Error& error, const model::Checkpoint& start) const;
    void log_stream_start(const model::Checkpoint& start);
    void forget_client();
    // The event loop: handles events and flushes until stopped or an error.
    Status follow(EventPrefetcher& events, stream::ChangeExtractor& extractor,
                  stream::ChangeWriter& writer, stream::XaGate& xa);
    Status handle_event(const mysql::RawEvent& raw, stream::ChangeExtractor& extractor,
                        stream::ChangeWriter& writer, stream::XaGate& xa);
    // A re-snapshot's pause or chunk at this event boundary (resnapshot.h).
    Status poll_resnapshot(stream::ChangeWriter& writer);
    // Until when the event loop waits for the next event.
    Clock::time_point next_wake() const;
    // XA transactions (xa_gate.h): how the stream's gate finds prepared groups and reports.
    stream::XaGate::Options xa_options(stream::ChangeWriter& writer);
    // Streaming starts without a saved position (the server's current one, a new snapshot's
    // start): an XA COMMIT of a transaction prepared before it is expected, not an error.
    Status record_fresh_start(const model::BinlogPosition& start);

    // Flushes (flush_policy.h). Between events with more from the server waiting: starts a
    // flush when FLUSH_INTERVAL_MS has passed since the last one began.
    Status flush_if_due(stream::ChangeWriter& writer);
    // Nothing more from the server is waiting: also after a fifth of it if something changed.
    Status flush_if_due_caught_up(stream::ChangeWriter& writer);
    // Starts a flush if `due` (and the last one is in); otherwise hands buffered changes on
    // when they reach a size limit.
    Status start_flush_or_bound_memory(stream::ChangeWriter& writer, Clock::time_point now,
                                       bool due);
    // A blocking flush of everything, whose checkpoint is saved.
    Status flush_everything(stream::ChangeWriter& writer);

    // Adds the sink's part (fill_checkpoint) and saves; store_checkpoint() saves as it is.
    Status save_checkpoint(model::Checkpoint cp);
    Status store_checkpoint(model::Checkpoint cp);
    bool stopping() const { return stop_.load(std::memory_order_acquire); }
    // Every 10 s while streaming, and when a connection ends: changes written, their rate, the
    // checkpoint.
    void log_progress_if_due(const stream::ChangeWriter& writer);
    void log_progress(const stream::ChangeWriter& writer, Clock::time_point now);
    // For /metrics: the stream's position (a few times a second), what the event counted.
    void publish_position(stream::ChangeWriter& writer, Clock::time_point now);
    void count_event(const mysql::RawEvent& raw, const binlog::EventHeader& header,
                     const stream::ChangeExtractor& extractor);
    // A connection (or snapshot attempt) ended with `error`; the daemon reconnects.
    void note_reconnect(metrics::ReconnectCause cause, const Error& error);
    // Before a sleep or a wait that is not the event loop: /healthz sees the thread alive.
    void tick() { metrics_.pipeline_tick.set(metrics::steady_ns(Clock::now())); }
    stream::StatementGuardOptions guard_options();  // STATEMENT_EVENTS, INCIDENT_EVENTS
    // Tables a MYSQL_TABLE pattern selected while streaming: into the state, logged
    // (app/pipeline_tables.cpp).
    Status watch_joined_tables(stream::TableFilter& filter);
    // Tables the saved run's patterns would have joined (state::ResumePlan::joinable): from the
    // restart point, as that run did, never snapshotted.
    void watch_joinable_tables(const std::vector<model::TableId>& tables);
    // A joined table that may have had rows before (renamed in): the hook for a live snapshot.
    void table_joined_with_history(const stream::TableFilter::Joined& joined);

    const config::Config& config_;
    sink::Sink& sink_;
    state::StateStore& state_;
    metrics::Registry& metrics_;
    Clock::time_point last_publish_{};
    binlog::DecoderStats decoder_seen_;  // the connection's decoder stats already counted
    std::vector<model::TableId> added_;  // configured tables without a saved position
    bool same_tables_ = true;
    // The saved output's format and key scheme (state::ResumePlan); "" on a first run.
    std::string saved_format_;
    std::string saved_key_;
    bool mysql_empty_set_start_ = false;  // a MySQL start whose executed GTID set is empty // the
                                          // saved position is of a run with these tables
    std::atomic<bool> stop_{false};
    std::mutex client_mutex_;
    mysql::BinlogClient* client_ = nullptr;  // the live client, for request_stop()

    std::vector<config::HostPort> hosts_;  // MYSQL_HOST's list (at least one)
    size_t host_index_ = 0;
    int attempts_on_host_ = 0;             // failed attempts on the current host in a row
    std::optional<size_t> streamed_host_;  // the host events last came from
    mysql::ServerGtidInfo server_;         // the connected server's
    bool by_gtid_ = false;                 // the current dump resumes by GTID
    uint64_t events_this_stream_ = 0;

    std::unique_ptr<stream::XaFileStore> xa_store_;  // {STATE_DIR}/xa-prepared: opened by run()
    model::Checkpoint checkpoint_;                   // the last saved one
    stream::Checkpointer checkpointer_;  // saves a flush's checkpoint once the flush completed
    FlushPolicy flush_policy_;           // the stream's; the snapshot has its own
    Clock::time_point last_progress_;
    uint64_t written_at_last_progress_ = 0;
    bool streamed_events_ = false;     // the last stream() got as far as the event loop
    bool snapshot_reading_ = false;    // a snapshot attempt got as far as reading rows
    bool replace_tables_ = false;      // when_needed: the next snapshot replaces the output's
    uint64_t statements_skipped_ = 0;  // STATEMENT_EVENTS=warn: over the daemon's life
    uint64_t incidents_skipped_ = 0;   // INCIDENT_EVENTS=warn
    Resnapshot resnapshot_;            // its reader thread joined before the members above go
};

}  // namespace cdc::app

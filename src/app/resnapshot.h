// Resnapshot: re-reads watched tables on demand (`mysql-cdc snapshot --table`) while the stream
// of every table goes on, and keeps the output exact: a consumer applying everything by key
// ends with each table's content. The algorithm and its guarantees: docs/SNAPSHOT.md,
// "Re-snapshot on demand".
//
// A table is read chunk by chunk (keyset pagination, SNAPSHOT_BATCH_SIZE rows), each chunk in
// a consistent view of its own at a known binlog position V, on a reader thread and connection
// of its own. Per chunk:
//   1. the reader asks the pipeline to pause between two events (poll() answers);
//   2. it opens the view (START TRANSACTION WITH CONSISTENT SNAPSHOT: V is the binlog
//      position of the last commit the view holds, a transaction boundary). The server writes
//      a group to the binlog, where the stream may already have read it, before the engine
//      commits it, so V can lie before the stream: the view is opened again until it does not
//      (milliseconds). Then the pipeline goes on, at or before V;
//   3. it reads and formats the chunk's rows and queues them (bounded by bytes);
//   4. the pipeline writes them, as snapshot_insert rows positioned at V, at the first
//      event boundary where the stream reached V (stream_reached_view()): after every change
//      of a transaction that began before V (all in the view), before every change of one
//      that begins at or after V (none in it).
// The pipeline thread never runs a query; it waits only while a view is being opened (two
// round trips) and, when it reached V first, for the rest of the chunk's rows.
//
//   Resnapshot r(config, sink, metrics);
//   r.resume_interrupted();                        // at start: a job a stop cut short
//   reply = r.request(tables, on_done);            // control thread: accepts or refuses
//   if (r.active()) r.poll(tracker, ...);          // pipeline thread, after each event / wake
//   r.stop();                                      // SIGTERM: the job ends, resumed at start
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/flush_policy.h"
#include "common/result.h"
#include "config/config.h"
#include "metrics/registry.h"
#include "model/position.h"
#include "model/table_id.h"
#include "sink/sink.h"
#include "snapshot/consistent_view.h"
#include "stream/transaction_tracker.h"

namespace cdc::app {

// Whether the stream, standing at `stream` (in a transaction: its start; between
// transactions: the end of the last one), has reached a view's position `view`: the chunk read
// in that view is written now. Errc::FailedPrecondition when the two cannot be ordered (binlog
// files of different base names).
Result<bool> stream_reached_view(const model::BinlogPosition& stream,
                                 const model::BinlogPosition& view);
// The stream's position for stream_reached_view().
model::BinlogPosition stream_position(const stream::TransactionTracker& tracker);

class Resnapshot {
public:
    // Called once with the final reply line of a request made with --wait.
    using Done = std::function<void(const std::string& line)>;

    Resnapshot(const config::Config& config, sink::Sink& sink, metrics::Registry& metrics);
    ~Resnapshot();
    Resnapshot(const Resnapshot&) = delete;
    Resnapshot& operator=(const Resnapshot&) = delete;

    // Control thread: starts re-reading `tables` and returns the reply line ("ok ..." or
    // "error ..."); `done` (may be empty) gets the final line once the job ends.
    std::string request(const std::vector<model::TableId>& tables, Done done);
    // At start: the tables of a job that a stop or crash cut short are read again from their
    // start ({STATE_DIR}/resnapshot-pending).
    void resume_interrupted();
    // Whether poll() has anything to do: one relaxed load, per event.
    bool active() const { return active_.load(std::memory_order_relaxed); }
    // Pipeline thread, after each event and on each wake while active(): pauses when the
    // reader opens a view, writes a chunk's rows once the stream reached its view. Returns
    // whether rows were written (the next flush covers them). `alive` is called while it waits.
    Result<bool> poll(const stream::TransactionTracker& tracker,
                      const std::function<void()>& alive);
    // Pipeline thread: how to make the event loop turn now (while it waits for events), or
    // an empty function when it does not run.
    void set_waker(std::function<void()> wake);
    // Pipeline thread, when a connection starts: the server the stream reads, which a job
    // started from now on reads too (after a failover, another host of MYSQL_HOST).
    void set_source(const config::HostPort& host);
    // Ends the job (the daemon stops): the reader stops at once, and a request waiting with
    // --wait is told. The pending-file stays, so the next start reads the tables again.
    void stop();

private:
    // One part of a chunk's rows, formatted by the reader thread.
    struct Part {
        std::vector<std::string> keys;
        std::vector<std::string> values;
        size_t bytes = 0;
        bool last = false;  // the chunk's last part
    };
    enum class Phase {
        Idle,         // no view: the stream runs
        PauseWanted,  // the reader is about to open a view
        Paused,       // the pipeline waits between two events
        ViewOpen,     // the rows of view_ are being read; written once the stream reaches it
        Emitting,     // the pipeline writes them
        Emitted,      // done; the reader goes on
    };
    struct Table {
        model::TableId id;
        std::string schema;  // for OutputRecord (views into these)
        std::string name;
        std::string qualified;  // "schema.table"
    };

    bool watched(const model::TableId& table) const;
    void run(std::vector<model::TableId> tables, Done done);
    // Reads one table; the rows it had queued when it returns are written or dropped.
    Status read_table(mysql::Connection& reader, const model::TableId& table, uint64_t& rows);
    // Reader side of one chunk's hand-off; false when the job ends.
    bool pause_stream();
    // A view at or after the position where the stream paused (opened again while the
    // binlog holds groups the engine has not committed yet).
    Result<snapshot::StreamStart> open_view_at_or_after_stream(mysql::Connection& reader);
    Status view_opened(const model::BinlogPosition& view, int64_t view_time_ms);
    bool push(Part part);
    bool wait_emitted();
    void release_stream();  // back to Idle, whatever the phase (a failure)
    Status write_part(const Part& part);
    void write_pending_file(const std::vector<model::TableId>& tables);

    const config::Config& config_;
    sink::Sink& sink_;
    metrics::Registry& metrics_;
    FlushPolicy memory_bound_;  // FLUSH_MAX_BYTES: hands rows on as the stream does
    std::string pending_path_;

    std::atomic<bool> active_{false};
    std::mutex mutex_;
    std::condition_variable changed_;
    bool running_ = false;  // a job's thread runs (or was not joined yet)
    bool stop_ = false;
    Phase phase_ = Phase::Idle;
    model::BinlogPosition paused_at_;  // the stream's position when it paused for the view
    model::BinlogPosition view_;
    int64_t view_time_ms_ = 0;
    Table table_;  // the table being read
    std::deque<Part> parts_;
    size_t queued_bytes_ = 0;
    uint64_t ordinal_ = 0;  // rows written by this job: their row header
    std::string current_;   // for a refusal: "shop.orders (1200 rows so far)"
    uint64_t current_rows_ = 0;
    std::function<void()> wake_;  // set_waker()
    config::HostPort source_;     // set_source()
    std::thread thread_;
};

}  // namespace cdc::app

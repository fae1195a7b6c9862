// Registry: every number the daemon exports on /metrics, as relaxed atomics that the pipeline
// (and Kafka's callbacks, on the pipeline thread) update and the HTTP thread reads. It is
// created by the daemon whether or not the endpoint is on: counting costs an uncontended atomic
// add, so the hot path is the same either way.
//
//   metrics::Registry registry;
//   metrics::TableMetrics& t = registry.table({"shop", "orders"});  // once per table: a lock
//   t.add_change(model::ChangeKind::Insert, bytes);                  // per change: two adds
//   std::string body = render(registry, now);                        // metrics/render.h
//
// Per-table entries are created on first use and never removed, so a pointer to one stays
// valid for the registry's life: the change writer caches it per table schema.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/instruments.h"
#include "model/change_event.h"
#include "model/table_id.h"

namespace cdc::metrics {

inline constexpr size_t kChangeKinds = 5;  // model::ChangeKind's values

struct TableMetrics {
    model::TableId id;
    std::array<Counter, kChangeKinds> changes;  // indexed by model::ChangeKind
    Counter bytes;                              // the changes' formatted JSON
    // The initial snapshot of this table, once it is planned.
    std::atomic<bool> in_snapshot{false};
    Gauge snapshot_rows;
    Gauge snapshot_rows_estimated;
    Counter snapshot_chunks;
    // Re-snapshots on demand (`mysql-cdc snapshot`): completed, and rows they wrote.
    Counter resnapshots;
    Counter resnapshot_rows;

    // Called by the pipeline thread only (the stream's writer, the snapshot's emitter).
    void add_change(model::ChangeKind kind, uint64_t value_bytes) {
        changes[static_cast<size_t>(kind)].add_single_writer();
        bytes.add_single_writer(value_bytes);
    }
};

enum class SkipReason : uint8_t {
    Statement,         // STATEMENT_EVENTS=warn: a statement-based change skipped
    Incident,          // INCIDENT_EVENTS=warn: an INCIDENT passed
    UnknownEvent,      // SKIP_UNKNOWN_EVENTS=true: an unknown event type skipped
    UnknownIgnorable,  // an unknown event the server marked ignorable
};
inline constexpr size_t kSkipReasons = 4;

enum class ReconnectCause : uint8_t {
    Connect,     // connecting or starting the dump failed
    Disconnect,  // the connection ended while streaming
    Snapshot,    // the snapshot's connection failed; it resumes after its last chunk
};
inline constexpr size_t kReconnectCauses = 3;

std::string_view skip_reason_name(SkipReason r);
std::string_view reconnect_cause_name(ReconnectCause c);

// Filled from librdkafka's statistics callback (every second, while the sink polls) and its
// delivery reports; `enabled` once a Kafka sink exists.
struct KafkaMetrics {
    std::atomic<bool> enabled{false};
    Gauge queue_messages;  // messages in the producer's queues, in flight included
    Gauge queue_bytes;
    Gauge in_flight;  // sent to a broker, waiting for its answer
    Gauge produced;   // counters kept by the sink, copied (monotonic)
    Gauge delivered;
    Gauge delivery_errors;
    Gauge retries;
    Gauge replayed_dropped;
    Gauge brokers_up;
    Timestamp down_since;     // steady-clock ns since no broker was up; 0 = some broker is up
    Timestamp callback_tick;  // steady ns of the last statistics callback (pipeline thread)
};

class Registry {
public:
    Registry();

    // The entry of a table, created on first use. Takes a lock: call once per table, not per
    // change.
    TableMetrics& table(const model::TableId& id);
    // Each table's entry, in creation order (for rendering).
    std::vector<const TableMetrics*> tables() const;

    // Replication lag: the header timestamp (commit time, seconds) of each event processed,
    // and caught_up() when a heartbeat arrives with nothing left to process.
    void event_processed(uint32_t timestamp) {
        if (timestamp != last_event_time_.load(std::memory_order_relaxed)) {
            last_event_time_.store(timestamp, std::memory_order_relaxed);
        }
        if (caught_up_.load(std::memory_order_relaxed)) {
            caught_up_.store(false, std::memory_order_relaxed);
        }
    }
    void caught_up() { caught_up_.store(true, std::memory_order_relaxed); }
    // 0 when caught up or before any event; else `now_unix` minus the last event's timestamp
    // (never negative: a server clock ahead of ours reads as 0).
    double lag_seconds(int64_t now_unix) const;
    uint32_t last_event_time() const { return last_event_time_.load(std::memory_order_relaxed); }

    // Where the stream is: the position after the last event processed and the GTID of the
    // transaction it is in. A lock: published a few times a second, not per event.
    void set_position(std::string_view file, uint64_t offset, std::string_view gtid);
    struct Position {
        std::string file;
        uint64_t offset = 0;
        std::string gtid;
    };
    Position position() const;

    // The MySQL side for readiness: down since (steady ns) with the reason, or up.
    void mysql_down(int64_t steady_ns, std::string_view reason);
    void mysql_up();
    std::string mysql_down_reason() const;

    Counter events_read;
    Counter bytes_read;
    Counter transactions;
    Counter decode_errors;
    Counter replayed_skipped;  // changes a previous run delivered, dropped after a restart
    std::array<Counter, kSkipReasons> skipped;
    std::array<Counter, kReconnectCauses> reconnects;

    Counter flushes;
    Gauge last_flush_changes;
    Gauge last_flush_bytes;
    Counter checkpoints;
    Gauge last_checkpoint_duration;  // seconds from the flush's start to the saved checkpoint
    Timestamp last_checkpoint_wall;  // system-clock ns of the last saved checkpoint

    Timestamp mysql_down_since;          // steady ns; 0 = connected or never tried
    std::atomic<bool> connected{false};  // a binlog dump is running
    std::atomic<bool> ever_connected{false};
    Timestamp flush_outstanding_since;  // steady ns since the oldest unsaved flush began
    std::atomic<bool> snapshot_running{false};
    std::atomic<bool> stopping{false};
    Timestamp pipeline_tick;  // steady ns of the pipeline thread's last sign of life

    KafkaMetrics kafka;

    int64_t start_time_unix() const { return start_time_unix_; }

private:
    int64_t start_time_unix_ = 0;
    std::atomic<uint32_t> last_event_time_{0};
    std::atomic<bool> caught_up_{false};

    mutable std::mutex mutex_;  // tables_, position_, mysql_reason_
    std::deque<TableMetrics> tables_;
    Position position_;
    std::string mysql_reason_;
};

// Nanoseconds of the steady clock, as the registry's timestamps hold them.
inline int64_t steady_ns(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

}  // namespace cdc::metrics

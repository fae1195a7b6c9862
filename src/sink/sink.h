// Sink: where formatted change events go (Kafka, a file, stdout).
//
// Lifecycle: recover(checkpoint) once at start; then write() each change (may buffer) and
// flush() to make everything written so far durable (file) or acknowledged (Kafka). The
// pipeline advances the checkpoint only after flush() succeeded, and asks the sink to add its
// own part (e.g. the file length) with fill_checkpoint().
//
// begin_flush() and flush_completed() are the same flush without the wait: the pipeline goes
// on formatting while a file syncs or Kafka acknowledges (either takes as long as formatting
// a hundred thousand changes), and saves the checkpoint once the flush completed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "model/position.h"
#include "sink/output_shape.h"

namespace cdc::sink {

// One change, formatted, with the position that identifies it.
struct OutputRecord {
    std::string_view schema;
    std::string_view table;
    std::string_view key;    // the message key (KAFKA_MESSAGE_KEY); empty: a null key
    std::string_view value;  // the event (OUTPUT_FORMAT)
    std::string_view binlog_file;
    uint64_t binlog_pos = 0;  // start of the transaction the change belongs to
    uint64_t row_index = 0;   // index of the change within its transaction
    std::string_view gtid;
    // The binlog's server (@@server_id, 0 = unknown) and, with MariaDB GTIDs, the transaction's
    // domain and sequence number: file:pos of different servers cannot be compared (after a
    // failover), a domain's sequence numbers can (gtid_strict_mode).
    uint32_t server_id = 0;
    bool has_gtid_seq = false;
    uint32_t gtid_domain = 0;
    uint64_t gtid_seq = 0;
    // When the change happened, in milliseconds since the epoch (0 = unknown): a streamed
    // change's transaction commit (stream::TransactionTracker), a snapshot row's consistent
    // view. Kafka: the message timestamp.
    int64_t commit_time_ms = 0;
    // A row of the initial snapshot (binlog_file/pos: where the stream starts after it;
    // row_index: the snapshot's row count). Never dropped as a replay: a resumed snapshot
    // reads a newer view, so a row count does not identify a row (DESIGN.md, docs/SNAPSHOT.md).
    bool snapshot = false;
    // Goes to every partition of its topic (a truncate, which concerns every key); sinks
    // without partitions write it once.
    bool all_partitions = false;
    // Which of the messages one change becomes (0 for the first): a delete and its tombstone,
    // a primary-key change as delete + tombstone + create. Ordered after row_index, so a
    // replay resumes inside a change's messages.
    uint32_t part = 0;
    // A tombstone: a message with a null value (Kafka, KAFKA_TOMBSTONES); other sinks skip it.
    bool tombstone = false;
    // What the partitioner hashes when `key` is empty (a Debezium message of a table without a
    // primary key has a null key): "schema.table", so such a table's changes stay in order.
    std::string_view partition_key = {};
};

class Sink {
public:
    virtual ~Sink() = default;
    // Brings the output in line with the checkpoint the pipeline resumes from.
    virtual Status recover(const model::Checkpoint& checkpoint) = 0;
    // After recover(): a change found in the output that is newer than the checkpoint (one
    // delivered before a crash, which the sink will recognise and drop when it is replayed),
    // described for a message; nullopt when there is none or the sink cuts its output back
    // to the checkpoint instead (file).
    virtual std::optional<std::string> delivered_after(const model::Checkpoint& checkpoint) const {
        (void)checkpoint;
        return std::nullopt;
    }
    // The shapes (OUTPUT_FORMAT, key scheme) of the changes delivered_after() finds, as their
    // messages tell: what a replay must send them as to recognise them.
    virtual std::vector<OutputShape> delivered_after_shapes(
        const model::Checkpoint& checkpoint) const {
        (void)checkpoint;
        return {};
    }
    // Everything written so far is covered by a saved checkpoint (a flush of all of it
    // completed and its checkpoint was saved): a replay from that checkpoint repeats none of
    // it, so nothing needs recognising. The pipeline says so before streaming from a (maybe
    // other) server, whose positions need not be comparable with those written before.
    virtual void output_covered() {}
    virtual Status write(const OutputRecord& record) = 0;
    // Sinks that can take a record's value in pieces (a file: lines are bytes in order) say so;
    // then write_value_part() hands on the value's first bytes while it is being formatted,
    // and write() the rest. A huge row is so never held whole as JSON (docs/MEMORY.md). The
    // pipeline checkpoints only between records, so a part is never covered on its own.
    virtual bool takes_value_parts() const { return false; }
    // Whether the sink writes OutputRecord::key anywhere (Kafka: the message key).
    virtual bool uses_key() const { return true; }
    virtual Status write_value_part(std::string_view part) {
        (void)part;
        return make_error(Errc::Internal, "this sink does not take values in parts");
    }
    // Hands buffered records on (to the OS, to the producer) to bound memory, without waiting
    // for durability; what it wrote is not yet covered by a checkpoint.
    virtual Status drain() { return flush(); }
    virtual Status flush() = 0;
    // Bytes buffered and not yet flushed (the pipeline flushes when this gets large).
    virtual uint64_t pending_bytes() const = 0;
    virtual void fill_checkpoint(model::Checkpoint& checkpoint) const { (void)checkpoint; }
    // Starts a flush of everything written so far and adds the sink's part of the checkpoint
    // that covers it to `checkpoint`; returns a ticket for flush_completed(). By default a
    // flush() that has completed when it returns.
    virtual Result<uint64_t> begin_flush(model::Checkpoint& checkpoint) {
        Status st = flush();
        if (!st) return st.error();
        fill_checkpoint(checkpoint);
        return uint64_t{0};
    }
    // Whether the flush of `ticket` has completed; its error if it failed. Never blocks.
    virtual Result<bool> flush_completed(uint64_t ticket) {
        (void)ticket;
        return true;
    }
    // Thread-safe: makes a write()/flush() that is blocked (e.g. waiting for a broker that is
    // down) return Unavailable soon, so SIGTERM is honoured during an outage.
    virtual void request_stop() {}
};

}  // namespace cdc::sink

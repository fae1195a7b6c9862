// ChunkReader: runs one table's chunk queries on a thread of its own and hands their rows over in
// batches, so the server keeps sending while the caller formats and writes (and while the sink
// waits for the disk or the broker). Without it one thread alternates between waiting for the
// next chunk and formatting the last one, and the snapshot ran at half of mariadb-dump's rate.
//
//   ChunkReader reader(conn, layout, progress.last_key, batch_size);
//   while (true) {
//       auto batch = reader.next();          // blocks; a batch per <= kRowsPerBatch rows
//       if (!batch) return batch.error();
//       for (size_t i = 0; i < (*batch)->rows(); ++i) use((*batch)->row(i));
//       if ((*batch)->chunk_end) { ...record (*batch)->last_key... }
//       if ((*batch)->table_end) break;
//   }
//
// A chunk (SNAPSHOT_BATCH_SIZE rows) is the unit of progress: each chunk's last key is what
// the state records and a restart resumes after. A query reads several whole chunks
// (rows_per_query(): at least kMinRowsPerQuery rows, LIMIT a multiple of the chunk size), since
// every query costs a round trip during which the server sends nothing: about 0.26 ms, which
// at 1,000-row queries was a fifth of the snapshot's time (5M rows: 6.1 s against 5.0 s with
// 10,000-row queries, mariadb-dump 5.6 s). Each query runs as a prepared statement (binary
// protocol); for integer keys one prepared once per table (PreparedStatement).
//
// Memory is bounded: the thread issues no query while kMaxBufferedBytes of rows wait, and
// within a query stops reading only at kMaxChunkOverrun more. A query is read through at the
// speed the server sends it: pausing mid-result cost the server's one thread (the snapshot's
// limit) more CPU, probably waking for each bit of room in a full socket (5M rows at batch
// 10000: 9.0 s of server CPU against 5.7 s read through). A table without a key (one query for
// all of it) pauses at kMaxBufferedBytes. The next query is issued as soon as the last row of
// the previous one arrived (its key is the next query's start), never later than that. The
// connection belongs to the thread from construction until the destructor (or finish())
// joined it; the caller must not use it then.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "mysql/connection.h"
#include "mysql/prepared_statement.h"
#include "snapshot/row_converter.h"
#include "snapshot/snapshot_state.h"
#include "snapshot/table_layout.h"

namespace cdc::snapshot {

// Rows copied out of the client library's buffer (which the next fetch overwrites).
class RowBatch {
public:
    // `like`: a batch of the same query whose sizes this one reserves (fewer reallocations).
    explicit RowBatch(size_t columns, const RowBatch* like = nullptr);

    void add(const mysql::StreamedRow& row);
    size_t rows() const { return columns_ == 0 ? 0 : lengths_.size() / columns_; }
    size_t bytes() const { return data_.size() + lengths_.size() * sizeof(unsigned long); }
    // Views into this batch, valid while it lives.
    mysql::StreamedRow row(size_t i);

    // The result's columns, on the first batch of each query (the converter's start()).
    std::shared_ptr<const std::vector<mysql::ResultColumn>> columns;
    bool chunk_end = false;          // the last batch of a chunk query
    uint64_t chunk_rows = 0;         // at chunk_end: rows of that chunk
    std::vector<KeyValue> last_key;  // at chunk_end of a keyed table: the chunk's last key
    bool table_end = false;          // also the table's last chunk

private:
    static constexpr size_t kNull = ~size_t{0};  // the offset of a NULL value

    size_t columns_;
    std::string data_;
    std::vector<size_t> offsets_;  // kNull for NULL
    std::vector<unsigned long> lengths_;
    std::vector<const char*> fields_;  // row(i)'s pointers, rebuilt per call
};

class ChunkReader {
public:
    static constexpr size_t kRowsPerBatch = 1024;  // a default chunk is one batch
    // A query reads whole chunks, at least this many rows: see rows_per_query().
    static constexpr uint32_t kMinRowsPerQuery = 10000;
    static constexpr size_t kMaxBufferedBytes = 16u << 20;
    static constexpr size_t kMaxChunkOverrun = 16u << 20;

    // Starts reading `layout` after `after` (empty: from its start), `limit` rows per chunk
    // (0: one query for a table without a key).
    ChunkReader(mysql::Connection& conn, const TableLayout& layout, std::vector<KeyValue> after,
                uint32_t limit);
    ~ChunkReader();
    ChunkReader(const ChunkReader&) = delete;
    ChunkReader& operator=(const ChunkReader&) = delete;

    // The next batch in order; an error ends the table (the thread has stopped).
    Result<std::unique_ptr<RowBatch>> next();
    // The LIMIT of each query for chunks of `chunk_rows`: the smallest multiple of it that is
    // at least kMinRowsPerQuery (chunk_rows itself when larger; 0 for a keyless table).
    static uint32_t rows_per_query(uint32_t chunk_rows);
    // Stops reading after the current chunk (a keyless table's query is abandoned) and joins.
    void finish();

private:
    void run();
    // One query of rows_per_query(limit_) rows, handed over as its chunks of limit_ rows.
    Status read_query(RowConverter& keys, std::optional<mysql::PreparedStatement>& next_query,
                      std::vector<KeyValue>& after, bool& last);
    // Queues `batch` (waits for room); false when asked to stop.
    // Queues a batch once fewer than `limit` bytes wait; false when stopping.
    bool push(std::unique_ptr<RowBatch> batch, size_t limit);
    // Waits until fewer than kMaxBufferedBytes wait; false when stopping.
    bool wait_for_room();

    mysql::Connection& conn_;
    const TableLayout& layout_;
    std::vector<KeyValue> after_;
    uint32_t limit_;

    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<std::unique_ptr<RowBatch>> queue_;
    size_t queued_bytes_ = 0;
    std::optional<Error> error_;  // set by the thread when it failed; ends the queue
    bool done_ = false;           // the thread has queued its last batch
    bool stop_ = false;
    std::thread thread_;
};

}  // namespace cdc::snapshot

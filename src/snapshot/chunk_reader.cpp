#include "snapshot/chunk_reader.h"

#include "common/thread_name.h"

namespace cdc::snapshot {
namespace {

// A batch is also closed at this size, so rows with large BLOBs keep the buffer near its bound.
constexpr size_t kMaxBatchBytes = 1u << 20;

}  // namespace

RowBatch::RowBatch(size_t columns, const RowBatch* like) : columns_(columns) {
    if (like != nullptr) {
        data_.reserve(like->data_.capacity());
        offsets_.reserve(like->offsets_.capacity());
        lengths_.reserve(like->lengths_.capacity());
    }
}

void RowBatch::add(const mysql::StreamedRow& row) {
    for (size_t i = 0; i < columns_; ++i) {
        if (row.is_null(i)) {
            offsets_.push_back(kNull);
            lengths_.push_back(0);
            continue;
        }
        std::string_view f = row.field(i);
        offsets_.push_back(data_.size());
        lengths_.push_back(f.size());
        data_.append(f);
    }
}

mysql::StreamedRow RowBatch::row(size_t i) {
    fields_.resize(columns_);
    const size_t first = i * columns_;
    for (size_t c = 0; c < columns_; ++c) {
        fields_[c] = offsets_[first + c] == kNull ? nullptr : data_.data() + offsets_[first + c];
    }
    return mysql::StreamedRow(fields_.data(), lengths_.data() + first, columns_);
}

ChunkReader::ChunkReader(mysql::Connection& conn, const TableLayout& layout,
                         std::vector<KeyValue> after, uint32_t limit)
    : conn_(conn), layout_(layout), after_(std::move(after)), limit_(limit) {
    thread_ = std::thread([this] {
        name_this_thread("cdc-snap-read");
        run();
    });
}

ChunkReader::~ChunkReader() { finish(); }

void ChunkReader::finish() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
    }
    changed_.notify_all();
    if (thread_.joinable()) thread_.join();
}

Result<std::unique_ptr<RowBatch>> ChunkReader::next() {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return !queue_.empty() || done_; });
    if (!queue_.empty()) {
        std::unique_ptr<RowBatch> batch = std::move(queue_.front());
        queue_.pop_front();
        queued_bytes_ -= batch->bytes();
        lock.unlock();
        changed_.notify_all();
        return batch;
    }
    if (error_) return *error_;
    return make_error(Errc::Internal, "the snapshot's chunk reader of " + layout_.qualified() +
                                          " ended before the table's last chunk");
}

bool ChunkReader::wait_for_room() {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return stop_ || queued_bytes_ < kMaxBufferedBytes; });
    return !stop_;
}

bool ChunkReader::push(std::unique_ptr<RowBatch> batch, size_t limit) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return stop_ || queued_bytes_ < limit; });
    if (stop_) return false;
    queued_bytes_ += batch->bytes();
    queue_.push_back(std::move(batch));
    lock.unlock();
    changed_.notify_all();
    return true;
}

void ChunkReader::run() {
    // This thread's own converter: it only works out keys (RowConverter is not shared).
    RowConverter keys(layout_);
    std::optional<mysql::PreparedStatement> next_query;  // prepared at the first query after a key
    std::vector<KeyValue> after = after_;
    for (;;) {
        bool last = false;
        Status st = read_query(keys, next_query, after, last);
        std::lock_guard<std::mutex> lock(mutex_);
        if (!st && !stop_) error_ = st.error();
        if (!st || last || stop_) {
            done_ = true;
            changed_.notify_all();
            return;
        }
    }
}

uint32_t ChunkReader::rows_per_query(uint32_t chunk_rows) {
    if (chunk_rows == 0 || chunk_rows >= kMinRowsPerQuery) return chunk_rows;
    const uint32_t chunks = (kMinRowsPerQuery + chunk_rows - 1) / chunk_rows;
    return chunks * chunk_rows;
}

Status ChunkReader::read_query(RowConverter& keys,
                               std::optional<mysql::PreparedStatement>& next_query,
                               std::vector<KeyValue>& after, bool& last) {
    const bool keyed = !layout_.key.empty();
    const uint32_t query_rows = rows_per_query(limit_);
    // Integer keys run the statement prepared once; others (and the first query) a query
    // with the key as literals.
    const auto params = keyed ? integer_key_params(layout_, after) : std::nullopt;
    std::string sql;
    if (params && !next_query) {
        auto prepared =
            mysql::PreparedStatement::prepare(conn_, chunk_query_template(layout_, query_rows));
        if (!prepared) {
            return prepared.error().with_context("snapshot of " + layout_.qualified() + ": ");
        }
        next_query = std::move(*prepared);
    } else if (!params) {
        auto query = chunk_query(layout_, after, query_rows);
        if (!query) return query.error();
        sql = std::move(*query);
    }
    if (!wait_for_room()) return make_error(Errc::Unavailable, "stopping");
    const size_t in_query_limit = keyed ? kMaxBufferedBytes + kMaxChunkOverrun : kMaxBufferedBytes;
    std::shared_ptr<const std::vector<mysql::ResultColumn>> columns;
    std::unique_ptr<RowBatch> batch;
    uint64_t rows = 0;      // of this query
    uint64_t in_chunk = 0;  // rows of the chunk being read
    // Hands the batch over; at a chunk end with the key of its last row (only that key is ever
    // needed: the next chunk starts after it).
    auto hand_over = [&](bool chunk_end) -> bool {
        if (keyed && batch->rows() > 0) keys.key_of(batch->row(batch->rows() - 1), after);
        if (chunk_end) {
            batch->chunk_end = true;
            batch->chunk_rows = in_chunk;
            if (keyed && in_chunk > 0) batch->last_key = after;
            in_chunk = 0;
        }
        std::unique_ptr<RowBatch> full = std::move(batch);
        batch = std::make_unique<RowBatch>(columns->size(), full.get());
        return push(std::move(full), in_query_limit);
    };
    auto on_columns = [&](const std::vector<mysql::ResultColumn>& cols) -> Status {
        Status s = keys.start(cols);
        if (!s) return s;
        columns = std::make_shared<const std::vector<mysql::ResultColumn>>(cols);
        batch = std::make_unique<RowBatch>(cols.size());
        batch->columns = columns;
        return {};
    };
    auto on_row = [&](const mysql::StreamedRow& row) -> Status {
        batch->add(row);
        ++rows;
        ++in_chunk;
        const bool chunk_end = keyed && in_chunk == limit_;
        if (!chunk_end && batch->rows() < ChunkReader::kRowsPerBatch &&
            batch->bytes() < kMaxBatchBytes) {
            return {};
        }
        if (!hand_over(chunk_end)) return make_error(Errc::Unavailable, "stopping");
        return {};
    };
    Status st = params ? next_query->stream(*params, on_columns, on_row)
                       : conn_.stream_prepared(sql, on_columns, on_row);
    if (!st) return st.error().with_context("snapshot of " + layout_.qualified() + ": ");
    if (!batch) {
        return make_error(Errc::Internal,
                          "the snapshot query of " + layout_.qualified() + " returned no result");
    }
    last = !keyed || rows < query_rows;
    // A full query ended on a chunk end, handed over with its last row; a short one ends the
    // table with its last (maybe partial, maybe empty) chunk.
    if (!last) return {};
    batch->table_end = true;
    if (!hand_over(true)) return make_error(Errc::Unavailable, "stopping");
    return {};
}

}  // namespace cdc::snapshot

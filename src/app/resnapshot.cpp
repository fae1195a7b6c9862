#include "app/resnapshot.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

#include "app/pipeline.h"
#include "app/record_options.h"
#include "common/log_fields.h"
#include "common/thread_name.h"
#include "model/row_image.h"
#include "mysql/connection.h"
#include "snapshot/consistent_view.h"
#include "snapshot/row_converter.h"
#include "snapshot/table_layout.h"
#include "state/position_order.h"
#include "stream/change_records.h"

namespace cdc::app {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// A part is queued at this size; the queue holds at most kMaxQueuedBytes (one chunk of small
// rows is one part).
constexpr size_t kPartBytes = 1u << 20;
constexpr size_t kMaxQueuedBytes = 16u << 20;
constexpr auto kProgressInterval = 10s;
// How long views may be opened again while they lie before the stream (see
// open_view_at_or_after_stream): commits in flight take milliseconds.
constexpr auto kViewBehindTimeout = 10s;

int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string table_names(const std::vector<model::TableId>& tables) {
    std::string out;
    for (const auto& t : tables) out += (out.empty() ? "" : ", ") + t.qualified();
    return out;
}

Error stopping_error() { return make_error(Errc::Unavailable, "the daemon is stopping"); }

}  // namespace

Result<bool> stream_reached_view(const model::BinlogPosition& stream,
                                 const model::BinlogPosition& view) {
    auto order = state::compare_positions(stream, view);
    if (!order) {
        return make_error(Errc::FailedPrecondition, "the stream's position " + stream.to_string() +
                                                        " and the view's position " +
                                                        view.to_string() +
                                                        " are in binlogs of different names");
    }
    return *order >= 0;
}

model::BinlogPosition stream_position(const stream::TransactionTracker& tracker) {
    return {tracker.file(),
            tracker.in_transaction() ? tracker.transaction_start() : tracker.end_position()};
}

Resnapshot::Resnapshot(const config::Config& config, sink::Sink& sink, metrics::Registry& metrics)
    : config_(config),
      sink_(sink),
      metrics_(metrics),
      memory_bound_(flush_limits(config), FlushPolicy::Clock::now()),
      pending_path_((config.state_dir.empty() ? std::string(".") : config.state_dir) +
                    "/resnapshot-pending"),
      source_{config.mysql_host, config.mysql_port} {}

Resnapshot::~Resnapshot() {
    stop();
    if (thread_.joinable()) thread_.join();
}

bool Resnapshot::watched(const model::TableId& table) const {
    // The tables named and resolved at start, and those a MYSQL_TABLE pattern selects (which
    // join the set when the stream first sees them).
    return std::find(config_.tables.begin(), config_.tables.end(), table) != config_.tables.end() ||
           config_.table_patterns.selects(table) != nullptr;
}

void Resnapshot::set_source(const config::HostPort& host) {
    std::lock_guard<std::mutex> lock(mutex_);
    source_ = host;
}

void Resnapshot::stop() {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
    changed_.notify_all();
}

std::string Resnapshot::request(const std::vector<model::TableId>& tables, Done done) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stop_) return "error the daemon is stopping; ask again once it runs";
    if (running_) {
        return "error a re-snapshot of " + current_ + " is running (" +
               std::to_string(current_rows_) +
               " rows so far); ask again when it finished (--wait waits for the end)";
    }
    for (const auto& t : tables) {
        if (!watched(t)) {
            return "error " + t.qualified() +
                   " is not watched by this daemon (MYSQL_TABLE): only a watched table can be "
                   "re-read";
        }
    }
    if (thread_.joinable()) thread_.join();  // the last job's thread, finished
    running_ = true;
    current_ = tables.front().qualified();
    current_rows_ = 0;
    write_pending_file(tables);
    active_.store(true, std::memory_order_relaxed);
    thread_ = std::thread([this, tables, done = std::move(done)]() mutable {
        name_this_thread("cdc-resnapshot");
        run(std::move(tables), std::move(done));
    });
    LogFields fields{{"tables", table_names(tables)}};
    spdlog::info("re-snapshot of {} requested: reading it while the stream goes on",
                 table_names(tables));
    return "ok re-snapshot of " + table_names(tables) + " started";
}

void Resnapshot::resume_interrupted() {
    std::ifstream in(pending_path_);
    if (!in) return;
    std::vector<model::TableId> tables;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        model::TableId t = model::TableId::from_qualified(line);
        if (!watched(t)) {
            spdlog::warn(
                "a re-snapshot of {} was interrupted, and the table is no longer watched: "
                "not read again",
                line);
            continue;
        }
        tables.push_back(std::move(t));
    }
    in.close();
    if (tables.empty()) {
        std::remove(pending_path_.c_str());
        return;
    }
    spdlog::warn(
        "a re-snapshot of {} was interrupted when the daemon last stopped: reading it again "
        "from the start (the rows written before are consistent; {})",
        table_names(tables), pending_path_);
    (void)request(tables, {});
}

void Resnapshot::write_pending_file(const std::vector<model::TableId>& tables) {
    // Rewritten whole and renamed over the old one: a crash leaves either.
    const std::string tmp = pending_path_ + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        for (const auto& t : tables) out << t.qualified() << '\n';
        out.flush();
        if (!out) {
            spdlog::warn("cannot write {}: a restart would not resume this re-snapshot", tmp);
            return;
        }
    }
    if (std::rename(tmp.c_str(), pending_path_.c_str()) != 0) {
        spdlog::warn("cannot write {}: a restart would not resume this re-snapshot", pending_path_);
    }
}

void Resnapshot::run(std::vector<model::TableId> tables, Done done) {
    const auto began = Clock::now();
    uint64_t total = 0;
    size_t finished = 0;
    Status st = [&]() -> Status {
        // Always from the server the stream reads (MYSQL_HOST's current host): each chunk's
        // view must map to the stream's position exactly, and another server's view maps only
        // through its binlog (docs/SNAPSHOT.md).
        config::HostPort source;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            source = source_;
        }
        auto reader = mysql::Connection::open(connection_params(config_, source.host, source.port));
        if (!reader) return reader.error();
        Status prepared = snapshot::prepare_reader_session(*reader);
        if (!prepared) return prepared;
        for (; finished < tables.size(); ++finished) {
            const model::TableId& t = tables[finished];
            {
                std::lock_guard<std::mutex> lock(mutex_);
                current_ = t.qualified();
                current_rows_ = 0;
            }
            const auto table_began = Clock::now();
            uint64_t rows = 0;
            Status read = read_table(*reader, t, rows);
            total += rows;
            if (!read) return read;
            metrics_.table(t).resnapshots.add();
            double secs = std::chrono::duration<double>(Clock::now() - table_began).count();
            LogFields fields{{"table", t.qualified()}, {"rows", rows}, {"seconds", secs}};
            spdlog::info("re-snapshot of {}: done, {} rows in {:.2f} s ({:.0f} rows/s)",
                         t.qualified(), rows, secs, secs > 0 ? rows / secs : 0.0);
            std::vector<model::TableId> left(tables.begin() + static_cast<long>(finished) + 1,
                                             tables.end());
            if (!left.empty()) write_pending_file(left);
        }
        return {};
    }();
    release_stream();
    bool stopped = false;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopped = stop_;
    }
    const double secs = std::chrono::duration<double>(Clock::now() - began).count();
    std::string line;
    if (st) {
        std::remove(pending_path_.c_str());
        char rate[64];
        std::snprintf(rate, sizeof rate, "%.1f s", secs);
        line = "ok re-snapshot of " + table_names(tables) + " done: " + std::to_string(total) +
               " rows in " + rate;
    } else if (stopped) {
        // The pending file stays: the next start reads the unfinished tables again.
        spdlog::info(
            "re-snapshot of {} stopped with the daemon after {} rows; it is read again from "
            "its start when the daemon starts",
            tables[std::min(finished, tables.size() - 1)].qualified(), total);
        line =
            "error the daemon stopped before the re-snapshot finished; it is read again "
            "from the start of " +
            tables[std::min(finished, tables.size() - 1)].qualified() + " when the daemon starts";
    } else {
        std::remove(pending_path_.c_str());
        const std::string& failed = tables[std::min(finished, tables.size() - 1)].qualified();
        LogFields fields{{"table", failed}, {"error", st.error().message}};
        spdlog::error(
            "re-snapshot of {} failed after {} rows: {}; the stream goes on, the rows written "
            "are consistent; run `mysql-cdc snapshot --table {}` again",
            failed, total, st.error().message, failed);
        line = "error re-snapshot of " + failed + " failed: " + st.error().message;
    }
    {
        std::lock_guard<std::mutex> lock(mutex_);
        running_ = false;
        active_.store(false, std::memory_order_relaxed);
    }
    if (done) done(line);
}

Status Resnapshot::read_table(mysql::Connection& reader, const model::TableId& table,
                              uint64_t& rows) {
    (void)reader.execute("ROLLBACK");
    auto layout = snapshot::load_table_layout(reader, table);
    if (!layout) return layout.error();
    const bool keyed = !layout->key.empty();
    const uint32_t batch = config_.snapshot_batch_size;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        table_ = {table, table.schema, table.table, table.qualified()};
    }
    if (keyed) {
        spdlog::info("re-snapshot of {}: starting (about {} rows, chunks of {})", table.qualified(),
                     layout->estimated_rows, batch);
    } else {
        spdlog::warn(
            "re-snapshot of {}: no primary key, read with one query in one view; the "
            "stream waits at that view's position until the whole table is written",
            table.qualified());
    }
    snapshot::RowConverter converter(*layout);
    model::RowImage image;
    model::ChangeEvent change;
    change.kind = model::ChangeKind::SnapshotInsert;
    change.table = &layout->event_schema;
    change.after = &image;
    stream::RecordOptions options = record_options(config_);
    options.with_key = sink_.uses_key();
    stream::ChangeRecords records(std::move(options));  // a row is one record (op r)
    std::vector<snapshot::KeyValue> after;
    bool warned = false;
    auto last_progress = Clock::now();
    const auto began = last_progress;
    for (;;) {
        // The last chunk's view ends with the next START TRANSACTION (an implicit commit).
        auto sql = snapshot::chunk_query(*layout, after, keyed ? batch : 0);
        if (!sql) return sql.error();
        if (!pause_stream()) return stopping_error();
        auto found = open_view_at_or_after_stream(reader);
        if (!found) {
            release_stream();
            return found.error();
        }
        if (!found->exact && !warned) {
            warned = true;
            spdlog::warn("re-snapshot of {}: {}", table.qualified(), found->how);
        }
        const int64_t view_time_ms = now_ms();
        Status opened = view_opened(found->position, view_time_ms);
        if (!opened) return opened;
        sink::OutputRecord position;  // as write_part() writes it, for the Debezium source
        position.binlog_file = found->position.file;
        position.binlog_pos = found->position.pos;
        position.snapshot = true;
        position.commit_time_ms = view_time_ms;
        Part part;
        uint64_t in_chunk = 0;
        auto on_columns = [&](const std::vector<mysql::ResultColumn>& cols) -> Status {
            return converter.start(cols);
        };
        auto on_row = [&](const mysql::StreamedRow& row) -> Status {
            Status s = converter.convert(row, image);
            if (!s) return s;
            const sink::OutputRecord& record = records.format(change, position).front();
            part.bytes += record.key.size() + record.value.size();
            part.keys.emplace_back(record.key);
            part.values.emplace_back(record.value);
            if (keyed && ++in_chunk == batch) converter.key_of(row, after);
            if (!keyed) ++in_chunk;
            if (part.bytes < kPartBytes) return {};
            if (!push(std::move(part))) return stopping_error();
            part = Part{};
            return {};
        };
        Status read = reader.stream_prepared(*sql, on_columns, on_row);
        // What was queued is written either way (any part of a chunk is consistent at its
        // view); a failed chunk then ends the table.
        part.last = true;
        if (!push(std::move(part)) || !wait_emitted()) return stopping_error();
        if (!read) return read.error().with_context("re-snapshot of " + table.qualified() + ": ");
        rows += in_chunk;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            current_rows_ = rows;
        }
        if (!keyed || in_chunk < batch) break;
        if (auto now = Clock::now(); now - last_progress >= kProgressInterval) {
            last_progress = now;
            double secs = std::chrono::duration<double>(now - began).count();
            LogFields fields{{"table", table.qualified()}, {"rows", rows}};
            spdlog::info("re-snapshot of {}: {}/{} rows, {:.0f} rows/s", table.qualified(), rows,
                         std::max<uint64_t>(rows, layout->estimated_rows),
                         secs > 0 ? rows / secs : 0.0);
        }
    }
    (void)reader.execute("COMMIT");
    return {};
}

Result<snapshot::StreamStart> Resnapshot::open_view_at_or_after_stream(mysql::Connection& reader) {
    model::BinlogPosition stream;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stream = paused_at_;
    }
    // The server writes a transaction group to the binlog (and may send it to the stream)
    // before the engine commits it, and only then does a new view see it: a view opened at that
    // moment lies before what the stream already wrote. Opened again (the stream still paused)
    // once those commits are done, it is at or after the stream.
    const auto deadline = Clock::now() + kViewBehindTimeout;
    for (uint32_t attempt = 0;; ++attempt) {
        auto found = snapshot::open_view_and_find_start(reader, reader, true);
        if (!found) return found;
        auto reached = stream_reached_view(stream, found->position);
        if (!reached) return reached.error();
        if (!*reached || stream == found->position) return found;
        if (Clock::now() > deadline) {
            return make_error(Errc::FailedPrecondition,
                              "the consistent views opened for " +
                                  std::to_string(kViewBehindTimeout.count()) +
                                  " s stayed before the stream's position " + stream.to_string() +
                                  " (the last at " + found->position.to_string() + ")");
        }
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (stop_) return stopping_error();
        }
        if (attempt > 0) std::this_thread::sleep_for(1ms);
    }
}

void Resnapshot::set_waker(std::function<void()> wake) {
    std::lock_guard<std::mutex> lock(mutex_);
    wake_ = std::move(wake);
}

bool Resnapshot::pause_stream() {
    std::unique_lock<std::mutex> lock(mutex_);
    phase_ = Phase::PauseWanted;
    changed_.notify_all();
    if (wake_) wake_();  // the loop may be waiting for the next event
    changed_.wait(lock, [&] { return stop_ || phase_ == Phase::Paused; });
    return !stop_;
}

Status Resnapshot::view_opened(const model::BinlogPosition& view, int64_t view_time_ms) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stop_) return stopping_error();
    view_ = view;
    view_time_ms_ = view_time_ms;
    parts_.clear();
    queued_bytes_ = 0;
    phase_ = Phase::ViewOpen;
    changed_.notify_all();
    return {};
}

bool Resnapshot::push(Part part) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return stop_ || queued_bytes_ < kMaxQueuedBytes; });
    if (stop_) return false;
    queued_bytes_ += part.bytes;
    parts_.push_back(std::move(part));
    changed_.notify_all();
    return true;
}

bool Resnapshot::wait_emitted() {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return stop_ || phase_ == Phase::Emitted; });
    if (stop_) return false;
    phase_ = Phase::Idle;
    return true;
}

void Resnapshot::release_stream() {
    std::lock_guard<std::mutex> lock(mutex_);
    phase_ = Phase::Idle;
    parts_.clear();
    queued_bytes_ = 0;
    changed_.notify_all();
}

Result<bool> Resnapshot::poll(const stream::TransactionTracker& tracker,
                              const std::function<void()>& alive) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (phase_ == Phase::PauseWanted) {
        // Between two events: the reader opens its view now, at or after this position.
        paused_at_ = stream_position(tracker);
        phase_ = Phase::Paused;
        changed_.notify_all();
        while (phase_ == Phase::Paused && !stop_) {
            changed_.wait_for(lock, 50ms);
            alive();
        }
    }
    if (phase_ != Phase::ViewOpen || stop_) return false;
    auto reached = stream_reached_view(stream_position(tracker), view_);
    if (!reached) return reached.error();
    if (!*reached) return false;
    // The stream stands at the view: every change before it written, none after it.
    phase_ = Phase::Emitting;
    bool wrote = false;
    for (;;) {
        if (parts_.empty()) {
            changed_.wait_for(lock, 50ms);
            alive();
            if (stop_) return wrote;
            continue;
        }
        Part part = std::move(parts_.front());
        parts_.pop_front();
        queued_bytes_ -= part.bytes;
        changed_.notify_all();
        lock.unlock();
        Status st = write_part(part);
        lock.lock();
        if (!st) return st.error();
        wrote = wrote || !part.keys.empty();
        if (part.last) break;
    }
    phase_ = Phase::Emitted;
    changed_.notify_all();
    return wrote;
}

Status Resnapshot::write_part(const Part& part) {
    // table_, view_ and view_time_ms_ do not change while the reader waits for Emitted.
    metrics::TableMetrics& tm = metrics_.table(table_.id);
    for (size_t i = 0; i < part.keys.size(); ++i) {
        sink::OutputRecord record;
        record.schema = table_.schema;
        record.table = table_.name;
        record.key = part.keys[i];
        record.value = part.values[i];
        // A null key (a Debezium table without a primary key): partitioned by the table.
        if (record.key.empty() && sink_.uses_key()) record.partition_key = table_.qualified;
        record.binlog_file = view_.file;
        record.binlog_pos = view_.pos;
        record.row_index = ordinal_++;
        record.snapshot = true;
        record.commit_time_ms = view_time_ms_;
        Status st = sink_.write(record);
        if (!st) return st;
        tm.add_change(model::ChangeKind::SnapshotInsert, record.value.size());
        tm.resnapshot_rows.add_single_writer();
        if (memory_bound_.bytes_over_limit(sink_.pending_bytes())) {
            st = sink_.drain();
            if (!st) return st;
        }
    }
    return {};
}

}  // namespace cdc::app

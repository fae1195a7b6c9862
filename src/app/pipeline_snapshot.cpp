// The initial snapshot phase of the Pipeline: decides whether a snapshot is due, opens the
// consistent view, and feeds the Snapshotter's rows to the sink with the same flush and
// checkpoint rules as the stream. The algorithm and its guarantees: docs/SNAPSHOT.md.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>

#include "app/pipeline.h"
#include "mysql/server_checks.h"
#include "snapshot/consistent_view.h"
#include "snapshot/snapshot_state.h"
#include "snapshot/snapshotter.h"
#include "stream/change_writer.h"

namespace cdc::app {

using Clock = std::chrono::steady_clock;

// Formats snapshot rows onto the sink; makes them durable and checkpoints at chunk ends (at
// most one per FLUSH_INTERVAL_MS, saved once the sink completed its flush).
class SnapshotEmitter final : public snapshot::SnapshotOutput {
public:
    // `stream_from`: the checkpoint while the snapshot runs (the snapshot's start, or for a
    // snapshot of added tables the others' resume point); its position is the rows' position.
    SnapshotEmitter(Pipeline& p, model::Checkpoint stream_from)
        : p_(p), stream_from_(std::move(stream_from)) {
        stream_from_.snapshot_json.clear();
    }

    Status row(const model::ChangeEvent& change, uint64_t ordinal) override {
        sink::OutputRecord record = stream::format_change(change, value_, key_);
        record.binlog_file = stream_from_.position.file;
        record.binlog_pos = stream_from_.position.pos;
        record.row_index = ordinal;
        record.snapshot = true;
        Status st = p_.sink_.write(record);
        if (!st) return st;
        clean_ = false;
        ++written_;
        if (p_.sink_.pending_bytes() >= p_.config_.flush_max_bytes) return p_.sink_.drain();
        return {};
    }

    Status chunk_done(const snapshot::SnapshotState& state) override {
        record(state);
        auto now = Clock::now();
        Status st = p_.checkpointer_.poll(now);
        if (!st) return st;
        if (now - last_checkpoint_ < p_.config_.flush_interval) return {};
        // Saved once the sink has made it durable; the rows go on meanwhile.
        auto started = p_.checkpointer_.start(current());
        if (!started) return started.error();
        if (*started) last_checkpoint_ = now;
        return {};
    }

    bool stopping() const override { return p_.stopping(); }

    // The state that the next checkpoint saves.
    void record(const snapshot::SnapshotState& state) {
        clean_ = true;
        json_ = snapshot::snapshot_state_json(state);
    }

    // Makes everything up to the last chunk end durable and records it; waits for it.
    Status checkpoint() {
        last_checkpoint_ = Clock::now();
        return p_.checkpointer_.finish(current());
    }

    // Stopping mid-chunk: the rows after the last chunk end are not recorded (they are read
    // again on restart), but an outstanding chunk-end checkpoint is.
    Status settle() { return p_.checkpointer_.settle(); }

    bool clean() const { return clean_; }
    uint64_t written() const { return written_; }

private:
    model::Checkpoint current() const {
        model::Checkpoint cp = stream_from_;
        cp.output_file_length.reset();  // the sink's part: filled in by the flush
        cp.snapshot_json = json_;
        return cp;
    }

    Pipeline& p_;
    model::Checkpoint stream_from_;
    std::string value_;
    std::string key_;
    std::string json_;
    bool clean_ = true;
    uint64_t written_ = 0;
    Clock::time_point last_checkpoint_ = Clock::now();
};

namespace {

enum class SnapshotPlan { Fresh, Resume, Added };

bool contains(const std::vector<model::TableId>& v, const model::TableId& t) {
    return std::find(v.begin(), v.end(), t) != v.end();
}

// The tables a snapshot reads, keeping the progress recorded for each: all configured tables
// (Fresh), those of the interrupted snapshot still configured plus the added ones (Resume), or
// only the added ones (Added). A table that has a saved position is not read again.
std::vector<snapshot::TableProgress> tables_for(const config::Config& config, SnapshotPlan plan,
                                                const std::vector<snapshot::TableProgress>& old,
                                                const std::vector<model::TableId>& added) {
    std::vector<snapshot::TableProgress> out;
    for (const auto& t : config.tables) {
        snapshot::TableProgress p;
        p.table = t;
        bool recorded = false;
        for (const auto& o : old) {
            if (o.table == p.table) {
                p = o;
                recorded = true;
            }
        }
        const bool take = plan == SnapshotPlan::Fresh ||
                          (plan == SnapshotPlan::Resume && recorded) || contains(added, p.table);
        if (take) out.push_back(std::move(p));
    }
    return out;
}

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

Result<bool> same_server(mysql::Connection& a, mysql::Connection& b) {
    auto ia = a.query("SELECT @@server_id");
    if (!ia) return ia.error();
    auto ib = b.query("SELECT @@server_id");
    if (!ib) return ib.error();
    return !ia->rows.empty() && !ib->rows.empty() && ia->rows[0][0] == ib->rows[0][0];
}

}  // namespace

Status Pipeline::run_snapshot_if_needed() {
    std::optional<snapshot::SnapshotState> saved;
    if (!checkpoint_.snapshot_json.empty()) {
        auto parsed = snapshot::parse_snapshot_state(checkpoint_.snapshot_json);
        if (!parsed) return parsed.error().with_context(state_.path() + ": ");
        saved = std::move(*parsed);
    }
    const bool resuming = !checkpoint_.position.empty();
    // Added tables streamed without a snapshot start where the stream restarts.
    auto stream_added = [&](const char* why) {
        for (const model::TableId& t : added_) {
            spdlog::info(
                "{}: no saved position; {}: streaming its changes from the restart "
                "point {} (earlier changes are not emitted)",
                t.qualified(), why, checkpoint_.position.to_string());
        }
        state_.include(added_);
        added_.clear();
    };
    if (!config_.initial_snapshot) {
        if (saved && !saved->done) {
            spdlog::warn(
                "a snapshot was interrupted and INITIAL_SNAPSHOT is now off: streaming "
                "from its start {} without the rows it had not read yet",
                saved->start.to_string());
        }
        if (resuming) stream_added("INITIAL_SNAPSHOT is off");
        return {};
    }
    SnapshotPlan plan = SnapshotPlan::Fresh;
    if (saved && !saved->done) {
        plan = SnapshotPlan::Resume;
    } else if (!resuming) {
        plan = SnapshotPlan::Fresh;
    } else if (config_.force_snapshot) {
        spdlog::warn(
            "FORCE_SNAPSHOT=true: taking a new snapshot of every table although a position is "
            "saved; unset FORCE_SNAPSHOT so that the next restart does not take another");
    } else if (!added_.empty()) {
        plan = SnapshotPlan::Added;
    } else if (saved && saved->done) {
        spdlog::info(
            "the initial snapshot was completed before ({} rows); not repeated "
            "(FORCE_SNAPSHOT=true takes a new one)",
            saved->rows());
        return {};
    } else {
        spdlog::info(
            "a saved position exists without a snapshot record (a run without "
            "INITIAL_SNAPSHOT, or the original connector): streaming from it without a "
            "snapshot (FORCE_SNAPSHOT=true takes one)");
        return {};
    }

    auto primary = mysql::Connection::open(connection_params(config_, config_.mysql_host));
    if (!primary) return primary.error();
    auto outcomes =
        mysql::run_server_checks(*primary, config_.tables, config_.mysql_server_id, true);
    Status failed = mysql::first_failure(outcomes);
    if (!failed) return failed;

    const bool other_host =
        config_.snapshot_host != config_.mysql_host || config_.snapshot_port != config_.mysql_port;
    auto reader = other_host
                      ? mysql::Connection::open(connection_params(config_, config_.snapshot_host,
                                                                  config_.snapshot_port))
                      : mysql::Connection::open(connection_params(config_, config_.mysql_host));
    if (!reader) return reader.error().with_context("MYSQL_SNAPSHOT_HOST: ");
    Status st = snapshot::prepare_reader_session(*reader);
    if (!st) return st;

    snapshot::SnapshotState state;
    model::Checkpoint stream_from;  // the checkpoint while the snapshot runs
    if (plan == SnapshotPlan::Resume) {
        state = std::move(*saved);
        ++state.resumed;
        st = snapshot::open_view(*reader);
        if (!st) return st;
        spdlog::info(
            "snapshot: resuming an interrupted snapshot from {}{}; the stream will "
            "start at {} as recorded",
            reader->endpoint(), other_host ? " (MYSQL_SNAPSHOT_HOST)" : "",
            checkpoint_.position.to_string());
        if (state.exact) {
            spdlog::info(
                "snapshot: rows read from now reflect a later view than the recorded "
                "start; the stream repeats the changes in between, so a consumer that "
                "applies events by key converges (docs/SNAPSHOT.md)");
        }
        stream_from = checkpoint_;
        // Tables added since: read in this view, their changes streamed from its start.
        for (const model::TableId& t : added_) {
            spdlog::info(
                "{}: no saved position; INITIAL_SNAPSHOT=true: joins the interrupted "
                "snapshot, its changes streamed from {}",
                t.qualified(), state.start.to_string());
        }
        state_.include(added_,
                       state.start == checkpoint_.position ? model::BinlogPosition{} : state.start);
    } else {
        bool reader_is_primary = !other_host;
        if (other_host) {
            auto same = same_server(*reader, *primary);
            if (!same) return same.error();
            reader_is_primary = *same;
        }
        auto start = snapshot::open_view_and_find_start(*reader, *primary, reader_is_primary);
        if (!start) return start.error();
        state = snapshot::SnapshotState{};
        state.start = start->position;
        st = record_fresh_start(state.start);  // XA transactions prepared before it: xa_gate.h
        if (!st) return st;
        state.start_gtid = start->gtid;
        state.exact = start->exact;
        spdlog::log(start->exact ? spdlog::level::info : spdlog::level::warn,
                    "snapshot: reading from {}; {} starts at {}: {}", reader->endpoint(),
                    plan == SnapshotPlan::Added ? "the added tables' stream" : "the stream",
                    state.start.to_string(), start->how);
        if (plan == SnapshotPlan::Added) {
            // The others resume where they were; the added tables' changes are emitted from
            // the snapshot's position on (earlier ones are in the rows read).
            for (const model::TableId& t : added_) {
                spdlog::info(
                    "{}: no saved position; INITIAL_SNAPSHOT=true: snapshotting it "
                    "alone; its changes streamed from {}, the other tables resume "
                    "from {}",
                    t.qualified(), state.start.to_string(), checkpoint_.position.to_string());
            }
            stream_from = checkpoint_;
            state_.include(added_, state.start);
        } else {
            stream_from.position = state.start;
            stream_from.gtid = state.start_gtid;
            state_.include_all();
        }
    }
    state.tables = tables_for(config_, plan, state.tables, added_);
    added_.clear();
    primary = make_error(Errc::Internal, "closed");  // closes it: not needed while reading

    SnapshotEmitter emitter(*this, stream_from);
    emitter.record(state);
    st = emitter.checkpoint();  // records the start: a crash from here on resumes this snapshot
    if (!st) return st;
    snapshot_reading_ = true;
    snapshot::SnapshotOptions options;
    options.batch_size = config_.snapshot_batch_size;
    options.progress_interval = spdlog::should_log(spdlog::level::debug)
                                    ? std::chrono::milliseconds(1000)
                                    : std::chrono::milliseconds(10000);
    options.progress_bar =
        ::isatty(STDERR_FILENO) == 1 && config_.log_format == config::LogFormat::Text;
    auto began = Clock::now();
    snapshot::Snapshotter snapshotter(*reader, options);
    st = snapshotter.run(state, emitter);
    if (stopping()) {
        // Only what a chunk end covers may be recorded; the rest is read again on restart.
        if (emitter.clean()) return emitter.checkpoint();
        return emitter.settle();
    }
    if (!st) {
        // A chunk-end checkpoint under way is still recorded: a retry resumes after it.
        Status settled = emitter.settle();
        if (!settled) return settled;
        return st;
    }
    (void)reader->execute("COMMIT");
    state.done = true;
    state.completed_at =
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    emitter.record(state);
    st = emitter.checkpoint();
    if (!st) return st;
    double secs = std::chrono::duration<double>(Clock::now() - began).count();
    spdlog::info("snapshot complete: {} rows from {} tables ({}) in {:.1f} s; streaming from {}",
                 state.rows(), state.tables.size(), joined([&] {
                     std::vector<std::string> names;
                     for (const auto& t : state.tables) names.push_back(t.table.qualified());
                     return names;
                 }()),
                 secs, checkpoint_.position.to_string());
    return {};
}

}  // namespace cdc::app

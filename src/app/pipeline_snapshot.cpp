// The initial snapshot phase of the Pipeline: decides whether a snapshot is due, opens the
// consistent view, and feeds the Snapshotter's rows to the sink with the same flush and
// checkpoint rules as the stream. The algorithm and its guarantees: docs/SNAPSHOT.md.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>

#include "app/pipeline.h"
#include "app/record_options.h"
#include "app/service_notifier.h"
#include "app/snapshot_emitter.h"
#include "common/log_fields.h"
#include "mysql/server_checks.h"
#include "snapshot/consistent_view.h"
#include "snapshot/snapshot_state.h"
#include "snapshot/snapshotter.h"
#include "stream/change_writer.h"

namespace cdc::app {

namespace {

bool contains(const std::vector<model::TableId>& v, const model::TableId& t) {
    return std::find(v.begin(), v.end(), t) != v.end();
}

std::string table_list(const snapshot::SnapshotState& state) {
    std::string out;
    for (const auto& t : state.tables) out += (out.empty() ? "" : ", ") + t.table.qualified();
    return out;
}

snapshot::SnapshotOptions snapshot_options(const config::Config& config) {
    snapshot::SnapshotOptions options;
    options.batch_size = config.snapshot_batch_size;
    options.progress_interval = spdlog::should_log(spdlog::level::debug)
                                    ? std::chrono::milliseconds(1000)
                                    : std::chrono::milliseconds(10000);
    options.progress_bar =
        ::isatty(STDERR_FILENO) == 1 && config.log_format == config::LogFormat::Text;
    return options;
}

// The daemon's clock, in milliseconds since the epoch: a snapshot row's time (its view's).
int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
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
    auto saved = saved_snapshot();
    if (!saved) return saved.error();
    auto gone = snapshot_because_position_gone();
    if (!gone) return gone.error();
    SnapshotPlan plan = *gone ? SnapshotPlan::Fresh : plan_snapshot(*saved);
    replace_tables_ = *gone;
    if (plan == SnapshotPlan::None) return {};
    auto primary = mysql::Connection::open(
        connection_params(config_, current_host().host, current_host().port));
    if (!primary) return primary.error();
    auto checked = check_server(*primary);
    if (!checked) return checked.error();
    auto reader = open_snapshot_reader();
    if (!reader) return reader.error();
    auto start = plan == SnapshotPlan::Resume ? resume_snapshot(*reader, std::move(**saved))
                                              : begin_snapshot(*reader, *primary, plan);
    if (!start) return start.error();
    start->state.tables = tables_to_read(plan, start->state.tables);
    added_.clear();
    primary = make_error(Errc::Internal, "closed");  // closes it: not needed while reading
    return read_snapshot(*reader, std::move(start->state), start->stream_from, start->view_time_ms);
}

// Keeps the progress recorded for each table. A table that has a saved position is not read
// again.
std::vector<snapshot::TableProgress> Pipeline::tables_to_read(
    SnapshotPlan plan, const std::vector<snapshot::TableProgress>& recorded) const {
    std::vector<snapshot::TableProgress> out;
    for (const auto& t : config_.tables) {
        snapshot::TableProgress p;
        p.table = t;
        bool was_recorded = false;
        for (const auto& o : recorded) {
            if (o.table == p.table) {
                p = o;
                was_recorded = true;
            }
        }
        const bool take = plan == SnapshotPlan::Fresh ||
                          (plan == SnapshotPlan::Resume && was_recorded) ||
                          contains(added_, p.table);
        if (take) out.push_back(std::move(p));
    }
    return out;
}

Result<std::optional<snapshot::SnapshotState>> Pipeline::saved_snapshot() {
    if (checkpoint_.snapshot_json.empty()) return std::optional<snapshot::SnapshotState>{};
    auto parsed = snapshot::parse_snapshot_state(checkpoint_.snapshot_json);
    if (!parsed) return parsed.error().with_context(state_.path() + ": ");
    return std::optional<snapshot::SnapshotState>{std::move(*parsed)};
}

Pipeline::SnapshotPlan Pipeline::plan_snapshot(
    const std::optional<snapshot::SnapshotState>& saved) {
    const bool resuming = !checkpoint_.position.empty();
    if (!config_.initial_snapshot) {
        if (saved && !saved->done) {
            spdlog::warn(
                "a snapshot was interrupted and INITIAL_SNAPSHOT is now off: streaming "
                "from its start {} without the rows it had not read yet",
                saved->start.to_string());
        }
        if (resuming) stream_added_tables("INITIAL_SNAPSHOT is off");
        return SnapshotPlan::None;
    }
    if (saved && !saved->done) return SnapshotPlan::Resume;
    if (!resuming) return SnapshotPlan::Fresh;
    if (config_.force_snapshot) {
        spdlog::warn(
            "FORCE_SNAPSHOT=true: taking a new snapshot of every table although a position is "
            "saved; unset FORCE_SNAPSHOT so that the next restart does not take another");
        return SnapshotPlan::Fresh;
    }
    if (!added_.empty()) return SnapshotPlan::Added;
    if (saved && saved->done) {
        spdlog::info(
            "the initial snapshot was completed before ({} rows); not repeated "
            "(FORCE_SNAPSHOT=true takes a new one)",
            saved->rows());
        return SnapshotPlan::None;
    }
    spdlog::info(
        "a saved position exists without a snapshot record (a run without "
        "INITIAL_SNAPSHOT, or the original connector): streaming from it without a "
        "snapshot (FORCE_SNAPSHOT=true takes one)");
    return SnapshotPlan::None;
}

void Pipeline::stream_added_tables(const char* why) {
    // They start where the stream restarts.
    for (const model::TableId& t : added_) {
        spdlog::info(
            "{}: no saved position; {}: streaming its changes from the restart "
            "point {} (earlier changes are not emitted)",
            t.qualified(), why, checkpoint_.position.to_string());
    }
    state_.include(added_);
    added_.clear();
}

bool Pipeline::snapshot_from_other_host() const {
    return config_.snapshot_host != config_.mysql_host ||
           config_.snapshot_port != config_.mysql_port;
}

Result<mysql::Connection> Pipeline::open_snapshot_reader() {
    auto reader = snapshot_from_other_host()
                      ? mysql::Connection::open(connection_params(config_, config_.snapshot_host,
                                                                  config_.snapshot_port))
                      : mysql::Connection::open(
                            connection_params(config_, current_host().host, current_host().port));
    if (!reader) return reader.error().with_context("MYSQL_SNAPSHOT_HOST: ");
    Status st = snapshot::prepare_reader_session(*reader);
    if (!st) return st.error();
    return reader;
}

Result<Pipeline::SnapshotStart> Pipeline::resume_snapshot(mysql::Connection& reader,
                                                          snapshot::SnapshotState saved) {
    SnapshotStart start{.state = std::move(saved), .stream_from = checkpoint_};
    snapshot::SnapshotState& state = start.state;
    ++state.resumed;
    Status st = snapshot::open_view(reader);
    if (!st) return st.error();
    start.view_time_ms = now_ms();
    LogFields fields{{"binlog_file", checkpoint_.position.file},
                     {"binlog_pos", checkpoint_.position.pos}};
    spdlog::info(
        "snapshot: resuming an interrupted snapshot from {}{}; the stream will "
        "start at {} as recorded",
        reader.endpoint(), snapshot_from_other_host() ? " (MYSQL_SNAPSHOT_HOST)" : "",
        checkpoint_.position.to_string());
    if (state.exact) {
        spdlog::info(
            "snapshot: rows read from now reflect a later view than the recorded "
            "start; the stream repeats the changes in between, so a consumer that "
            "applies events by key converges (docs/SNAPSHOT.md)");
    }
    // Tables added since: read in this view, their changes streamed from its start.
    for (const model::TableId& t : added_) {
        spdlog::info(
            "{}: no saved position; INITIAL_SNAPSHOT=true: joins the interrupted "
            "snapshot, its changes streamed from {}",
            t.qualified(), state.start.to_string());
    }
    state_.include(added_,
                   state.start == checkpoint_.position ? model::BinlogPosition{} : state.start);
    return start;
}

Result<Pipeline::SnapshotStart> Pipeline::begin_snapshot(mysql::Connection& reader,
                                                         mysql::Connection& primary,
                                                         SnapshotPlan plan) {
    bool reader_is_primary = !snapshot_from_other_host();
    if (!reader_is_primary) {
        auto same = same_server(reader, primary);
        if (!same) return same.error();
        reader_is_primary = *same;
    }
    auto found = snapshot::open_view_and_find_start(reader, primary, reader_is_primary);
    if (!found) return found.error();
    SnapshotStart start;
    start.view_time_ms = now_ms();
    snapshot::SnapshotState& state = start.state;
    state.start = found->position;
    Status st = record_fresh_start(state.start);  // XA transactions prepared before it: xa_gate.h
    if (!st) return st.error();
    state.start_gtid = found->gtid;
    state.exact = found->exact;
    {
        LogFields fields{{"binlog_file", state.start.file},
                         {"binlog_pos", state.start.pos},
                         {"gtid", state.start_gtid},
                         {"exact", state.exact}};
        spdlog::log(found->exact ? spdlog::level::info : spdlog::level::warn,
                    "snapshot: reading from {}; {} starts at {}: {}", reader.endpoint(),
                    plan == SnapshotPlan::Added ? "the added tables' stream" : "the stream",
                    state.start.to_string(), found->how);
    }
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
        start.stream_from = checkpoint_;
        state_.include(added_, state.start);
    } else {
        start.stream_from.position = state.start;
        start.stream_from.gtid = state.start_gtid;
        state_.include_all();
    }
    return start;
}

Status Pipeline::read_snapshot(mysql::Connection& reader, snapshot::SnapshotState state,
                               const model::Checkpoint& stream_from, int64_t view_time_ms) {
    SnapshotEmitter emitter(sink_, checkpointer_, flush_limits(config_), stop_, stream_from,
                            view_time_ms, metrics_, record_options(config_));
    emitter.record(state);
    Status st;
    for (size_t i = 0; replace_tables_ && i < state.tables.size(); ++i) {
        // Before the start is recorded: a crash before it takes the snapshot again, these too.
        st = emitter.table_replaced(state.tables[i].table);
        if (!st) return st;
    }
    replace_tables_ = false;
    // Records the start: a crash from here on resumes this snapshot.
    st = emitter.checkpoint();
    if (!st) return st;
    snapshot_reading_ = true;
    notify_ready("initial snapshot of " + table_list(state));
    metrics_.snapshot_running.store(true, std::memory_order_relaxed);
    struct NotRunning {
        metrics::Registry& m;
        ~NotRunning() { m.snapshot_running.store(false, std::memory_order_relaxed); }
    } not_running{metrics_};
    auto began = Clock::now();
    snapshot::Snapshotter snapshotter(reader, snapshot_options(config_));
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
    (void)reader.execute("COMMIT");
    state.done = true;
    state.completed_at =
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    emitter.record(state);
    st = emitter.checkpoint();
    if (!st) return st;
    double secs = std::chrono::duration<double>(Clock::now() - began).count();
    LogFields fields{{"rows", state.rows()},
                     {"tables", static_cast<uint64_t>(state.tables.size())},
                     {"seconds", secs},
                     {"binlog_file", checkpoint_.position.file},
                     {"binlog_pos", checkpoint_.position.pos}};
    spdlog::info("snapshot complete: {} rows from {} tables ({}) in {:.1f} s; streaming from {}",
                 state.rows(), state.tables.size(), table_list(state), secs,
                 checkpoint_.position.to_string());
    return {};
}

}  // namespace cdc::app

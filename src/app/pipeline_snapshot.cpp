// The initial snapshot phase of the Pipeline: decides whether a snapshot is due, opens the
// consistent view, and feeds the Snapshotter's rows to the sink with the same flush and
// checkpoint rules as the stream. The algorithm and its guarantees: docs/SNAPSHOT.md.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>

#include "app/change_writer.h"
#include "app/pipeline.h"
#include "mysql/server_checks.h"
#include "snapshot/consistent_view.h"
#include "snapshot/snapshot_state.h"
#include "snapshot/snapshotter.h"

namespace cdc::app {

using Clock = std::chrono::steady_clock;

// Formats snapshot rows onto the sink; makes them durable and checkpoints at chunk ends (at
// most one per FLUSH_INTERVAL_MS, saved once the sink completed its flush).
class SnapshotEmitter final : public snapshot::SnapshotOutput {
public:
    explicit SnapshotEmitter(Pipeline& p, const snapshot::SnapshotState& state)
        : p_(p), start_(state.start), gtid_(state.start_gtid) {}

    Status row(const model::ChangeEvent& change, uint64_t ordinal) override {
        sink::OutputRecord record = format_change(change, value_, key_);
        record.binlog_file = start_.file;
        record.binlog_pos = start_.pos;
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
        model::Checkpoint cp;
        cp.position = start_;
        cp.gtid = gtid_;
        cp.snapshot_json = json_;
        return cp;
    }

    Pipeline& p_;
    model::BinlogPosition start_;
    std::string gtid_;
    std::string value_;
    std::string key_;
    std::string json_;
    bool clean_ = true;
    uint64_t written_ = 0;
    Clock::time_point last_checkpoint_ = Clock::now();
};

namespace {

enum class SnapshotPlan { None, Fresh, Resume };

// The tables of the configuration, keeping the progress recorded for each.
std::vector<snapshot::TableProgress> tables_for(const config::Config& config,
                                                const std::vector<snapshot::TableProgress>& old) {
    std::vector<snapshot::TableProgress> out;
    for (const auto& t : config.tables) {
        snapshot::TableProgress p;
        p.table = t.qualified();
        for (const auto& o : old) {
            if (o.table == p.table) p = o;
        }
        out.push_back(std::move(p));
    }
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
    SnapshotPlan plan = SnapshotPlan::Fresh;
    if (!config_.initial_snapshot) {
        if (saved && !saved->done) {
            spdlog::warn(
                "a snapshot was interrupted and INITIAL_SNAPSHOT is now off: streaming "
                "from its start {} without the rows it had not read yet",
                saved->start.to_string());
        }
        return {};
    }
    if (saved && !saved->done) {
        plan = SnapshotPlan::Resume;
    } else if (saved && saved->done) {
        if (!config_.force_snapshot) {
            spdlog::info(
                "the initial snapshot was completed before ({} rows); not repeated "
                "(FORCE_SNAPSHOT=true takes a new one)",
                saved->rows());
            return {};
        }
        spdlog::warn(
            "FORCE_SNAPSHOT=true: taking a new snapshot although one was completed; "
            "unset FORCE_SNAPSHOT so that the next restart does not take another");
    } else if (!checkpoint_.position.empty() && !config_.force_snapshot) {
        spdlog::info(
            "a saved position exists without a snapshot record (a run without "
            "INITIAL_SNAPSHOT, or the original connector): streaming from it without a "
            "snapshot (FORCE_SNAPSHOT=true takes one)");
        return {};
    }

    auto primary = mysql::Connection::open(connection_params(config_, config_.mysql_host));
    if (!primary) return primary.error();
    auto outcomes = mysql::run_server_checks(
        *primary,
        [&] {
            mysql::TableNames names;
            for (const auto& t : config_.tables) names.emplace_back(t.schema, t.table);
            return names;
        }(),
        config_.mysql_server_id, true);
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
    if (plan == SnapshotPlan::Resume) {
        state = std::move(*saved);
        ++state.resumed;
        st = snapshot::open_view(*reader);
        if (!st) return st;
        spdlog::info(
            "snapshot: resuming an interrupted snapshot from {}{}; the stream will "
            "start at {} as recorded",
            reader->endpoint(), other_host ? " (MYSQL_SNAPSHOT_HOST)" : "",
            state.start.to_string());
        if (state.exact) {
            spdlog::info(
                "snapshot: rows read from now reflect a later view than the recorded "
                "start; the stream repeats the changes in between, so a consumer that "
                "applies events by key converges (docs/SNAPSHOT.md)");
        }
    } else {
        bool reader_is_primary = !other_host;
        if (other_host) {
            auto same = same_server(*reader, *primary);
            if (!same) return same.error();
            reader_is_primary = *same;
        }
        auto start = snapshot::open_view_and_find_start(*reader, *primary, reader_is_primary);
        if (!start) return start.error();
        state.start = start->position;
        st = record_fresh_start(state.start);  // XA transactions prepared before it: xa_gate.h
        if (!st) return st;
        state.start_gtid = start->gtid;
        state.exact = start->exact;
        spdlog::log(start->exact ? spdlog::level::info : spdlog::level::warn,
                    "snapshot: reading from {}; the stream starts at {}: {}", reader->endpoint(),
                    state.start.to_string(), start->how);
    }
    state.tables = tables_for(config_, state.tables);
    primary = make_error(Errc::Internal, "closed");  // closes it: not needed while reading

    SnapshotEmitter emitter(*this, state);
    emitter.record(state);
    st = emitter.checkpoint();  // records the start: a crash from here on resumes this snapshot
    if (!st) return st;
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
    if (!st) return st;
    (void)reader->execute("COMMIT");
    state.done = true;
    state.completed_at =
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    emitter.record(state);
    st = emitter.checkpoint();
    if (!st) return st;
    double secs = std::chrono::duration<double>(Clock::now() - began).count();
    spdlog::info("snapshot complete: {} rows from {} tables in {:.1f} s; streaming from {}",
                 state.rows(), state.tables.size(), secs, state.start.to_string());
    return {};
}

}  // namespace cdc::app

#include "app/pipeline.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <thread>

#include "app/event_prefetcher.h"
#include "app/record_options.h"
#include "app/service_notifier.h"
#include "binlog/decoder.h"
#include "common/log_fields.h"
#include "mysql/server_checks.h"

namespace cdc::app {
namespace {

using namespace std::chrono_literals;

constexpr auto kProgressInterval = 10s;
constexpr auto kMaxBackoff = 30s;
constexpr auto kFirstBackoff = 250ms;

mysql::SslMode to_mysql(config::SslMode mode) {
    switch (mode) {
        case config::SslMode::Disabled: return mysql::SslMode::Disabled;
        case config::SslMode::Preferred: return mysql::SslMode::Preferred;
        case config::SslMode::Required: return mysql::SslMode::Required;
        case config::SslMode::VerifyCa: return mysql::SslMode::VerifyCa;
        case config::SslMode::VerifyIdentity: return mysql::SslMode::VerifyIdentity;
    }
    return mysql::SslMode::Preferred;
}

}  // namespace

std::chrono::milliseconds heartbeat_period(const config::Config& config) {
    std::chrono::milliseconds period = config.flush_interval;
    if (config.heartbeat_interval.count() > 0) {
        period = std::min<std::chrono::milliseconds>(period, config.heartbeat_interval);
    }
    return std::max<std::chrono::milliseconds>(period, 100ms);
}

mysql::ConnectionParams connection_params(const config::Config& config, const std::string& host) {
    return connection_params(config, host, config.mysql_port);
}

mysql::ConnectionParams connection_params(const config::Config& config, const std::string& host,
                                          uint16_t port) {
    mysql::ConnectionParams p;
    p.host = host;
    p.port = port;
    p.user = config.mysql_user;
    p.password = config.mysql_password.reveal();
    p.ssl_mode = to_mysql(config.ssl_mode);
    p.ssl_ca = config.ssl_ca;
    p.connect_timeout = config.connect_timeout;
    auto hb = std::chrono::duration_cast<std::chrono::seconds>(heartbeat_period(config));
    p.read_timeout = std::max<std::chrono::seconds>(30s, 4 * hb);
    return p;
}

Pipeline::Pipeline(const config::Config& config, sink::Sink& sink, state::StateStore& state,
                   metrics::Registry& metrics)
    : config_(config),
      sink_(sink),
      state_(state),
      metrics_(metrics),
      checkpointer_(sink, [this](model::Checkpoint cp) { return store_checkpoint(std::move(cp)); }),
      flush_policy_(flush_limits(config), Clock::now()),
      resnapshot_(config, sink, metrics) {
    hosts_ = config.mysql_hosts;
    if (hosts_.empty()) hosts_.push_back({config.mysql_host, config.mysql_port});
}

void Pipeline::request_stop() {
    stop_.store(true, std::memory_order_release);
    metrics_.stopping.store(true, std::memory_order_relaxed);
    sink_.request_stop();
    resnapshot_.stop();
    std::lock_guard<std::mutex> lock(client_mutex_);
    if (client_ != nullptr) client_->stop();
}

Status Pipeline::save_checkpoint(model::Checkpoint cp) {
    sink_.fill_checkpoint(cp);
    return store_checkpoint(std::move(cp));
}

Status Pipeline::store_checkpoint(model::Checkpoint cp) {
    // The flush it completes is in, whether or not the checkpoint moved (/readyz).
    if (int64_t began = metrics_.flush_outstanding_since.ns(); began != 0) {
        metrics_.last_checkpoint_duration.set(
            static_cast<double>(metrics::steady_ns(Clock::now()) - began) / 1e9);
        metrics_.flush_outstanding_since.clear();
    }
    // The snapshot's record stays in every later checkpoint (a completed one is not repeated).
    if (cp.snapshot_json.empty()) cp.snapshot_json = checkpoint_.snapshot_json;
    if (cp == checkpoint_ && !state_.changed()) return {};
    // The XA groups kept or resolved before this checkpoint are on disk before it is.
    Status st = xa_store_ ? xa_store_->sync() : Status{};
    if (!st) return st;
    st = state_.save(cp);
    if (!st) return st;
    // Kept XA groups whose XA COMMIT/ROLLBACK the saved checkpoint has passed are not needed.
    if (xa_store_) st = xa_store_->checkpoint_saved(cp.position);
    if (!st) return st;
    checkpoint_ = std::move(cp);
    metrics_.checkpoints.add();
    metrics_.last_checkpoint_wall.set(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
    spdlog::debug("checkpoint {} skip_rows={}", checkpoint_.position.to_string(),
                  checkpoint_.skip_rows);
    return {};
}

Status Pipeline::flush_if_due(stream::ChangeWriter& writer) {
    auto now = Clock::now();
    return start_flush_or_bound_memory(writer, now, flush_policy_.due(now));
}

Status Pipeline::flush_if_due_caught_up(stream::ChangeWriter& writer) {
    auto now = Clock::now();
    return start_flush_or_bound_memory(writer, now, flush_policy_.due_when_caught_up(now));
}

Status Pipeline::start_flush_or_bound_memory(stream::ChangeWriter& writer, Clock::time_point now,
                                             bool due) {
    metrics_.pipeline_tick.set(metrics::steady_ns(now));
    publish_position(writer, now);
    Status st = checkpointer_.poll(now);
    if (!st) return st;
    if (due) {
        uint64_t bytes = sink_.pending_bytes();
        auto started = checkpointer_.start(writer.tracker().checkpoint());
        if (!started) return started.error();
        if (*started) {
            metrics_.flushes.add();
            metrics_.last_flush_changes.set(static_cast<double>(writer.pending()));
            metrics_.last_flush_bytes.set(static_cast<double>(bytes));
            metrics_.flush_outstanding_since.set_if_clear(metrics::steady_ns(now));
            flush_policy_.flush_began(now);
            writer.take_pending();
            return {};
        }
        // The last flush is still out: go on, within the memory bound, and start when it is in.
    }
    // Between checkpoints, bound memory by handing buffered changes on.
    if (flush_policy_.over_limits(sink_.pending_bytes(), writer.pending())) {
        writer.take_pending();
        return sink_.drain();
    }
    return {};
}

Status Pipeline::flush_everything(stream::ChangeWriter& writer) {
    metrics_.flush_outstanding_since.set_if_clear(metrics::steady_ns(Clock::now()));
    writer.take_pending();
    return checkpointer_.finish(writer.tracker().checkpoint());
}

void Pipeline::log_progress_if_due(const stream::ChangeWriter& writer) {
    loop_alive();
    auto now = Clock::now();
    if (now - last_progress_ < kProgressInterval) return;
    log_progress(writer, now);
}

void Pipeline::log_progress(const stream::ChangeWriter& writer, Clock::time_point now) {
    double secs = std::chrono::duration<double>(now - last_progress_).count();
    uint64_t written = writer.written();
    // Skipped statements and incidents (STATEMENT_EVENTS/INCIDENT_EVENTS=warn) are repeated here.
    std::string skipped;
    if (statements_skipped_ > 0) {
        skipped += ", " + std::to_string(statements_skipped_) + " statement-based changes skipped";
    }
    if (incidents_skipped_ > 0) {
        skipped += ", " + std::to_string(incidents_skipped_) + " incidents passed";
    }
    double rate = secs > 0 ? static_cast<double>(written - written_at_last_progress_) / secs : 0.0;
    double lag = metrics_.lag_seconds(std::chrono::duration_cast<std::chrono::seconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
    LogFields fields{{"changes", written},
                     {"changes_per_second", rate},
                     {"lag_seconds", lag},
                     {"binlog_file", checkpoint_.position.file},
                     {"binlog_pos", checkpoint_.position.pos},
                     {"skip_rows", checkpoint_.skip_rows},
                     {"gtid", checkpoint_.gtid}};
    spdlog::info("{} changes written ({:.0f}/s), lag {:.0f} s, checkpoint {} skip_rows={}{}",
                 written, rate, lag, checkpoint_.position.to_string(), checkpoint_.skip_rows,
                 skipped);
    written_at_last_progress_ = written;
    last_progress_ = now;
}

void Pipeline::publish_position(stream::ChangeWriter& writer, Clock::time_point now) {
    if (now - last_publish_ < 100ms) return;
    last_publish_ = now;
    model::Checkpoint cp = writer.tracker().checkpoint();
    metrics_.set_position(cp.position.file, cp.position.pos, cp.gtid);
}

void Pipeline::note_reconnect(metrics::ReconnectCause cause, const Error& error) {
    metrics_.reconnects[static_cast<size_t>(cause)].add();
    metrics_.mysql_down(metrics::steady_ns(Clock::now()), error.message);
}

stream::StatementGuardOptions Pipeline::guard_options() {
    stream::StatementGuardOptions options;
    options.warn_statements = config_.statement_events == config::EventPolicy::Warn;
    options.warn_incidents = config_.incident_events == config::EventPolicy::Warn;
    options.emit_schema_changes = config_.emit_schema_changes;
    options.warn = [this](stream::GuardWarning kind, const std::string& message) {
        bool statement = kind == stream::GuardWarning::Statement;
        ++(statement ? statements_skipped_ : incidents_skipped_);
        metrics_
            .skipped[static_cast<size_t>(statement ? metrics::SkipReason::Statement
                                                   : metrics::SkipReason::Incident)]
            .add();
        spdlog::warn("{}", message);
    };
    return options;
}

Result<model::Checkpoint> Pipeline::starting_checkpoint() {
    auto plan = state_.load();
    if (!plan) return plan.error();
    for (const std::string& note : plan->notes) spdlog::info("state: {}", note);
    if (!plan->sources.empty()) {
        std::string from;
        for (const std::string& s : plan->sources) from += (from.empty() ? "" : ", ") + s;
        spdlog::info("state: read from {}; saved to {}", from, state_.path());
    }
    for (const auto& s : plan->starts) {
        std::string tables;
        for (const model::TableId& t : s.tables) {
            tables += (tables.empty() ? "" : ", ") + t.qualified();
        }
        spdlog::info(
            "state: {} start later than the stream, at {} (skip_rows={}): their "
            "changes before it are not emitted again",
            tables, s.position.to_string(), s.skip_rows);
    }
    added_ = plan->added;
    same_tables_ = plan->same_tables;
    saved_format_ = plan->output_format;
    saved_key_ = plan->message_key;
    watch_joinable_tables(plan->joinable);
    // Nothing saved for any table: they all share the first position saved.
    if (plan->checkpoint.position.empty()) state_.include_all();
    return std::move(plan->checkpoint);  // empty position: take the server's current one
}

Status Pipeline::run() {
    auto start = starting_checkpoint();
    if (!start) return start.error();
    checkpoint_ = *start;
    Status st = open_xa_store();
    if (!st) return st;
    if (!checkpoint_.position.empty()) {
        {
            LogFields fields{{"binlog_file", checkpoint_.position.file},
                             {"binlog_pos", checkpoint_.position.pos},
                             {"skip_rows", checkpoint_.skip_rows},
                             {"gtid", checkpoint_.gtid}};
            spdlog::info("resuming from saved position {} (skip_rows={})",
                         checkpoint_.position.to_string(), checkpoint_.skip_rows);
        }
        st = recover_output();
        if (!st) return st;
    }
    st = snapshot_with_retries();
    if (!st) return st;
    resnapshot_.resume_interrupted();
    return stream_with_reconnects();
}

Status Pipeline::open_xa_store() {
    auto xa_store =
        stream::XaFileStore::open(config_.state_dir + "/xa-prepared", checkpoint_.position);
    if (!xa_store) return xa_store.error();
    xa_store_ = std::move(*xa_store);
    if (!checkpoint_.position.empty()) {
        Status st = xa_store_->checkpoint_saved(checkpoint_.position);  // a crash's leftovers
        if (!st) return st;
    }
    if (auto waiting = xa_store_->unresolved(); !waiting.empty()) {
        spdlog::info(
            "{} prepared XA transaction(s) wait for their XA COMMIT/ROLLBACK, the "
            "first prepared at {}",
            waiting.size(), waiting.front().prepared_at.to_string());
    }
    return {};
}

Status Pipeline::recover_output() {
    Status st = sink_.recover(checkpoint_);
    if (!st) return st;
    if (!same_tables_) {
        // The sink drops a replayed change by its row index within the transaction, which
        // the crashed run counted over its own tables: with others, a change would be
        // dropped for another's index (lost) or sent twice.
        if (auto after = sink_.delivered_after(checkpoint_)) {
            return make_error(
                Errc::FailedPrecondition,
                "the output holds changes written after the checkpoint " +
                    checkpoint_.position.to_string() + " (" + *after +
                    ") by a run that watched other tables (it stopped without saving a "
                    "checkpoint after them): start once with that run's MYSQL_TABLE and stop "
                    "it with SIGTERM, so its checkpoint covers them, then change MYSQL_TABLE");
        }
    }
    stream::RecordOptions records = record_options(config_);
    auto switched =
        check_output_switch(saved_format_, saved_key_, stream::output_format_name(records.format),
                            stream::key_scheme_name(records), sink_.delivered_after(checkpoint_),
                            sink_.delivered_after_shapes(checkpoint_));
    if (!switched) return switched.error();
    if (!switched->empty()) spdlog::warn("{}", *switched);
    model::Checkpoint with_length = checkpoint_;
    sink_.fill_checkpoint(with_length);
    if (!checkpoint_.output_file_length && with_length.output_file_length) {
        // A position without the output file's length (the seed connector's state file):
        // record the length now, before anything is written, or a crash before the first
        // flush leaves a tail that the next start cannot cut off (written twice).
        return store_checkpoint(std::move(with_length));
    }
    return {};
}

Status Pipeline::stream_with_reconnects() {
    bool first = true;
    auto backoff = kFirstBackoff;
    uint64_t attempt = 0;  // reconnects since events last streamed
    while (!stopping()) {
        streamed_events_ = false;
        Status st = stream(checkpoint_, first);
        if (st.ok()) return {};
        bool never_connected = first && !streamed_events_;
        bool retry = st.error().code == Errc::Unavailable && !never_connected;
        // A list of hosts: at the first connection each is tried once before giving up.
        if (st.error().code == Errc::Unavailable && never_connected &&
            host_index_ + 1 < hosts_.size()) {
            spdlog::warn("{}; trying {} next", st.error().message,
                         hosts_[host_index_ + 1].to_string());
            ++host_index_;
            continue;
        }
        if (!retry && st.error().code == Errc::DataLoss) {
            st = resnapshot_if_position_gone(st.error());  // SNAPSHOT_MODE=when_needed
            if (st.ok()) continue;
            // The server went away while it was checked or snapshotted: the next connection
            // finds the position gone again.
            retry = st.error().code == Errc::Unavailable;
        }
        if (!retry) return st;
        if (streamed_events_) backoff = kFirstBackoff;
        note_reconnect(streamed_events_ ? metrics::ReconnectCause::Disconnect
                                        : metrics::ReconnectCause::Connect,
                       st.error());
        attempt = streamed_events_ ? 1 : attempt + 1;
        LogFields fields{{"error", st.error().message},
                         {"error_code", errc_name(st.error().code)},
                         {"attempt", attempt},
                         {"delay_ms", static_cast<int64_t>(backoff.count())},
                         {"binlog_file", checkpoint_.position.file},
                         {"binlog_pos", checkpoint_.position.pos},
                         {"skip_rows", checkpoint_.skip_rows},
                         {"gtid", checkpoint_.gtid}};
        spdlog::warn("{}; reconnecting in {} ms from {} (skip_rows={})", st.error().message,
                     backoff.count(), checkpoint_.position.to_string(), checkpoint_.skip_rows);
        notify_status("reconnecting: " + st.error().message);
        for (auto waited = 0ms; waited < backoff && !stopping(); waited += 50ms) {
            tick();
            std::this_thread::sleep_for(50ms);
        }
        backoff = std::min<std::chrono::milliseconds>(backoff * 2, kMaxBackoff);
        first = first && !streamed_events_;
        choose_host_after_failure(st.error());
    }
    return {};
}

Status Pipeline::snapshot_with_retries() {
    auto backoff = kFirstBackoff;
    while (!stopping()) {
        Status st = run_snapshot_if_needed();
        // Like the stream's first connection, a server not reachable at all is reported, not
        // waited for: a retry needs an attempt that got as far as reading.
        if (st.ok() || st.error().code != Errc::Unavailable || stopping() || !snapshot_reading_) {
            return st;
        }
        // Rows after the last recorded chunk end are read again: take them back where the
        // sink can (the file is cut to the checkpoint; Kafka re-produces snapshot rows, as
        // after a crash: docs/SNAPSHOT.md).
        Status rewound = sink_.recover(checkpoint_);
        if (!rewound) return rewound;
        note_reconnect(metrics::ReconnectCause::Snapshot, st.error());
        LogFields fields{{"error", st.error().message},
                         {"error_code", errc_name(st.error().code)},
                         {"delay_ms", static_cast<int64_t>(backoff.count())}};
        spdlog::warn("{}; retrying the snapshot in {} ms, after its last completed chunk",
                     st.error().message, backoff.count());
        for (auto waited = 0ms; waited < backoff && !stopping(); waited += 50ms) {
            tick();
            std::this_thread::sleep_for(50ms);
        }
        backoff = std::min<std::chrono::milliseconds>(backoff * 2, kMaxBackoff);
    }
    return {};
}

}  // namespace cdc::app

// Pipeline, the stream part: one connection's life (connect, check the server, start the dump
// where the checkpoint says, follow the events), and what each event does. The run loop, the
// flushes and checkpoints are in pipeline.cpp, the snapshot in pipeline_snapshot.cpp.
#include <spdlog/spdlog.h>

#include "app/event_prefetcher.h"
#include "app/pipeline.h"
#include "app/record_options.h"
#include "app/service_notifier.h"
#include "binlog/decoder.h"
#include "common/log_fields.h"
#include "mysql/server_checks.h"

namespace cdc::app {
namespace {

using namespace std::chrono_literals;

bool is_decode_error(Errc code) {
    return code == Errc::Truncated || code == Errc::Malformed || code == Errc::ChecksumMismatch ||
           code == Errc::Unsupported;
}

bool is_heartbeat(uint8_t type) {
    return type == static_cast<uint8_t>(binlog::EventType::Heartbeat) ||
           type == static_cast<uint8_t>(binlog::EventType::HeartbeatV2);
}

stream::TableFilter table_filter(const config::Config& config) {
    stream::TableFilter filter;
    for (const model::TableId& t : config.tables) filter.add(t);
    filter.set_patterns(std::make_shared<const model::TableSelection>(config.table_patterns));
    return filter;
}

}  // namespace

Status Pipeline::handle_event(const mysql::RawEvent& raw, stream::ChangeExtractor& extractor,
                              stream::ChangeWriter& writer, stream::XaGate& xa) {
    Status st = extractor.feed(raw.bytes, raw.offset, xa);
    if (!st) {
        if (is_decode_error(st.error().code)) metrics_.decode_errors.add();
        return st.error().with_context(std::string(raw.file) + ": ");
    }
    if (extractor.filter().has_joined()) {
        st = watch_joined_tables(extractor.filter());
        if (!st) return st;
    }
    st = xa.after_event(raw.bytes, raw.file, raw.offset);  // may emit a committed XA group
    if (!st) return st;
    ++events_this_stream_;
    if (!writer.tracker().unexpected_start().empty()) {
        return make_error(Errc::FailedPrecondition,
                          "MySQL at " + current_host().to_string() + ": " +
                              writer.tracker().unexpected_start() +
                              ": its binlog does not continue the saved history; refusing "
                              "rather than emitting changes twice");
    }
    auto header = binlog::parse_event_header(raw.bytes, raw.offset);
    if (!header) return header.error();
    bool was_in_transaction = writer.tracker().in_transaction();
    writer.tracker().finish_event(*header);
    if (was_in_transaction && !writer.tracker().in_transaction())
        metrics_.transactions.add_single_writer();
    count_event(raw, *header, extractor);
    return {};
}

void Pipeline::count_event(const mysql::RawEvent& raw, const binlog::EventHeader& header,
                           const stream::ChangeExtractor& extractor) {
    metrics_.events_read.add_single_writer();
    metrics_.bytes_read.add_single_writer(raw.bytes.size());
    // Server-made events (the first ROTATE and FORMAT_DESCRIPTION of a dump, heartbeats) carry
    // no commit time of their own.
    if (!raw.artificial && header.timestamp != 0) metrics_.event_processed(header.timestamp);
    const binlog::DecoderStats& seen = extractor.decoder().stats();
    if (seen.unknown_skipped != decoder_seen_.unknown_skipped) {
        metrics_.skipped[static_cast<size_t>(metrics::SkipReason::UnknownEvent)].add(
            seen.unknown_skipped - decoder_seen_.unknown_skipped);
    }
    if (seen.unknown_ignorable_skipped != decoder_seen_.unknown_ignorable_skipped) {
        metrics_.skipped[static_cast<size_t>(metrics::SkipReason::UnknownIgnorable)].add(
            seen.unknown_ignorable_skipped - decoder_seen_.unknown_ignorable_skipped);
    }
    decoder_seen_ = seen;
}

stream::XaGate::Options Pipeline::xa_options(stream::ChangeWriter& writer) {
    stream::XaGate::Options o;
    o.decoder.skip_unknown_events = config_.skip_unknown_events;
    o.filter = table_filter(config_);
    if (const auto& fresh = xa_store_->fresh_start()) {
        o.fresh_start = "mysql-cdc first streamed from " + fresh->to_string() +
                        " (no saved position, or a new snapshot)";
    }
    o.missing_prepare_hint =
        "It was prepared before the saved position (by a mysql-cdc without XA support, or "
        "the binlog was read by another tool), or " +
        xa_store_->dir() +
        " lost its files. INITIAL_SNAPSHOT=true FORCE_SNAPSHOT=true takes a new snapshot, "
        "which holds its committed rows, and streams from after it.";
    o.warn = [](const std::string& message) { spdlog::warn("{}", message); };
    // A large committed XA transaction is emitted within one event: flush (and checkpoint,
    // inside the XA COMMIT's group) as between events.
    o.between_events = [this, &writer]() { return flush_if_due(writer); };
    return o;
}

Status Pipeline::record_fresh_start(const model::BinlogPosition& start) {
    return xa_store_->record_fresh_start(start);
}

Status Pipeline::stream(const model::Checkpoint& from, bool first_connection) {
    notify_status("connecting to " + current_host().to_string());
    auto conn = connect(first_connection);
    if (!conn) return conn.error();
    Status identified = identify_server(*conn);
    if (!identified) return identified;
    resnapshot_.set_source(current_host());
    auto start = stream_start(*conn, from);
    if (!start) return start.error();
    auto client = start_client(std::move(*conn), *start);
    if (!client) return client.error();
    log_stream_start(*start);
    notify_ready("streaming from " + start->position.to_string());

    binlog::DecoderOptions decoder_options;
    decoder_options.skip_unknown_events = config_.skip_unknown_events;
    stream::TableFilter filter = table_filter(config_);
    filter.set_starts(state_.starts(), start->position.file);
    stream::ChangeExtractor extractor(decoder_options, std::move(filter), guard_options());
    stream::ChangeWriter writer(sink_, &metrics_, record_options(config_));
    decoder_seen_ = {};
    metrics_.mysql_up();
    writer.tracker().reset(*start);
    if (mysql_empty_set_start_) writer.tracker().track_mysql_gtids_from_empty();
    // By GTID the position is the checkpoint's (maybe another server's) until the server's
    // first ROTATE; by file/pos it is this server's from the start.
    if (by_gtid_) {
        writer.tracker().set_source_server(start->server_id);
        writer.tracker().set_source_server_at_rotate(server_.server_id);
        writer.tracker().expect_after_state();
    } else {
        writer.tracker().set_source_server(server_.server_id);
    }
    events_this_stream_ = 0;
    stream::XaGate xa(writer, *xa_store_, xa_options(writer));
    last_progress_ = Clock::now();
    flush_policy_.restart(last_progress_);
    written_at_last_progress_ = 0;

    EventPrefetcher events(**client);  // reads ahead on its own thread; stops the client when done
    notify_streaming(true);
    resnapshot_.set_waker([&events] { events.wake(); });
    Status result = follow(events, extractor, writer, xa);
    resnapshot_.set_waker({});
    if (!result && by_gtid_ && events_this_stream_ <= 3 && result.error().code == Errc::DataLoss) {
        result = gtid_dump_error(result.error(), *start);  // refused at the dump's start
    }
    notify_streaming(false);
    forget_client();
    metrics_.connected.store(false, std::memory_order_relaxed);
    // Whatever happened, make what was written durable and record it: nothing delivered is
    // forgotten, and the next connection resumes right after it.
    Status flushed = flush_everything(writer);
    log_progress(writer, Clock::now());
    if (!flushed) return flushed;
    // All of it is acknowledged and checkpointed: the next connection (maybe to another
    // server) replays nothing written, and the sink need not compare positions with it.
    sink_.output_covered();
    streamed_events_ = true;
    streamed_host_ = host_index_;
    attempts_on_host_ = 0;  // it worked: a later loss retries it first again
    return result;
}

Result<std::vector<mysql::CheckOutcome>> Pipeline::check_server(mysql::Connection& conn) {
    auto outcomes = mysql::run_server_checks(conn, config_.tables, config_.mysql_server_id,
                                             config_.initial_snapshot);
    Status failed = mysql::first_failure(outcomes);
    if (!failed) return failed.error();
    return outcomes;
}

Result<mysql::Connection> Pipeline::connect(bool first_connection) {
    auto conn = mysql::Connection::open(
        connection_params(config_, current_host().host, current_host().port));
    if (!conn || !first_connection) return conn;
    auto outcomes = check_server(*conn);
    if (!outcomes) return outcomes.error();
    for (const auto& o : *outcomes) {
        if (o.warning) spdlog::warn("{}: {}", o.name, o.detail);
    }
    return conn;
}

Result<model::Checkpoint> Pipeline::stream_start(mysql::Connection& conn,
                                                 const model::Checkpoint& from) {
    by_gtid_ = false;
    mysql_empty_set_start_ = false;
    if (!from.position.empty()) {
        auto saved = model::MariaGtidState::parse(from.gtid_state);
        // On the server the position is of, file/pos and the GTID state name the same
        // point, and file/pos keeps the exact history checks (a RESET MASTER, a replaced
        // binlog); on another server only the GTID state means anything.
        bool other_server = from.server_id != 0 && from.server_id != server_.server_id;
        if (other_server && server_.mariadb && !server_.gtid_binlog_pos.empty() && saved &&
            !saved->empty()) {
            Status holds = check_gtid_history(*saved);
            if (!holds) return holds.error();
            Status portable = check_positions_portable(from);
            if (!portable) return portable.error();
            by_gtid_ = true;
            return from;
        }
        if (other_server && !server_.mariadb && !server_.gtid_executed.empty() && !saved) {
            if (auto set = model::GtidSet::parse(from.gtid_state); set && !set->empty()) {
                Status holds = check_mysql_gtid_history(*set);
                if (!holds) return holds.error();
                Status portable = check_positions_portable(from);
                if (!portable) return portable.error();
                by_gtid_ = true;
                return from;
            }
        }
        if (from.server_id != 0 && server_.server_id != from.server_id) {
            return make_error(
                hosts_.size() > 1 ? Errc::Unavailable : Errc::FailedPrecondition,
                "the saved position " + from.position.to_string() +
                    " is in the binlog of "
                    "server_id " +
                    std::to_string(from.server_id) + ", and " + current_host().to_string() +
                    " is server_id " + std::to_string(server_.server_id) +
                    " with no GTID state saved to resume by (GTIDs off, or a state file of an "
                    "older "
                    "mysql-cdc): connect to that server once, so the state gets a GTID state");
        }
        Status available =
            mysql::check_resume_position(conn, from.position.file, from.position.pos, from.gtid);
        if (!available) return available.error();
        model::Checkpoint start = from;
        Status filled = fill_gtid_state(conn, start);
        if (!filled) return filled.error();
        return start;
    }
    model::Checkpoint start = from;
    start.skip_rows = 0;
    start.server_id = server_.server_id;
    // MySQL with GTIDs: the position together with the set executed before it, so that the
    // daemon can fail over by GTID from the start; otherwise the position alone.
    auto with_gtids = server_.mariadb || server_.gtid_executed.empty()
                          ? Result<std::optional<mysql::MySqlStart>>(std::nullopt)
                          : mysql::mysql_start_with_gtids(conn);
    if (!with_gtids) return with_gtids.error();
    if (*with_gtids) {
        start.position = {(*with_gtids)->file, (*with_gtids)->pos};
        start.gtid_state = (*with_gtids)->gtid_executed;
        mysql_empty_set_start_ = start.gtid_state.empty();
    } else {
        if (!server_.mariadb && !server_.gtid_executed.empty()) {
            spdlog::info(
                "MySQL: performance_schema.log_status is not readable (BACKUP_ADMIN): the "
                "position is saved without its GTID set, so the daemon resumes by file/pos only "
                "and cannot fail over to another server");
        }
        auto current = mysql::current_binlog_position(conn);
        if (!current) return current.error();
        start.position = {current->first, current->second};
    }
    Status filled = fill_gtid_state(conn, start);
    if (!filled) return filled.error();
    {
        LogFields fields{{"binlog_file", start.position.file}, {"binlog_pos", start.position.pos}};
        spdlog::info("no saved position: starting at the server's current position {}",
                     start.position.to_string());
    }
    Status fresh = record_fresh_start(start.position);
    if (!fresh) return fresh.error();
    Status saved = save_checkpoint(start);
    if (!saved) return saved.error();
    return start;
}

Result<std::unique_ptr<mysql::BinlogClient>> Pipeline::start_client(
    mysql::Connection conn, const model::Checkpoint& start) {
    mysql::BinlogClientOptions options;
    options.server_id = config_.mysql_server_id;
    options.file = start.position.file;
    options.position = start.position.pos;
    options.heartbeat_period = heartbeat_period(config_);
    if (by_gtid_ && server_.mariadb) options.mariadb_gtid_state = start.gtid_state;
    if (by_gtid_ && !server_.mariadb) options.mysql_gtid_set = start.gtid_state;
    auto client = mysql::BinlogClient::start(std::move(conn), options);
    if (!client) return client;
    std::lock_guard<std::mutex> lock(client_mutex_);
    client_ = client->get();
    if (stopping()) client_->stop();
    return client;
}

void Pipeline::forget_client() {
    std::lock_guard<std::mutex> lock(client_mutex_);
    client_ = nullptr;
}

Status Pipeline::follow(EventPrefetcher& events, stream::ChangeExtractor& extractor,
                        stream::ChangeWriter& writer, stream::XaGate& xa) {
    while (!stopping()) {
        auto raw = events.next_until(next_wake());
        if (!raw) return stopping() ? Status{} : Status{raw.error()};
        Status st;
        if (!*raw) {
            st = flush_if_due_caught_up(writer);
        } else {
            st = handle_event(**raw, extractor, writer, xa);
            if (!st) return st;
            // Nothing left to process when the server says it has nothing to send: caught up.
            if (is_heartbeat((*raw)->type) && events.caught_up()) metrics_.caught_up();
            flush_policy_.changed();
            st = events.caught_up() ? flush_if_due_caught_up(writer) : flush_if_due(writer);
        }
        if (!st) return st;
        if (resnapshot_.active()) {
            st = poll_resnapshot(writer);
            if (!st) return st;
        }
        log_progress_if_due(writer);
    }
    return {};
}

Status Pipeline::poll_resnapshot(stream::ChangeWriter& writer) {
    auto wrote = resnapshot_.poll(writer.tracker(), [this] { tick(); });
    if (!wrote) return wrote.error();
    if (*wrote) flush_policy_.changed();  // the next flush covers the chunk's rows
    return {};
}

Pipeline::Clock::time_point Pipeline::next_wake() const {
    // Wait no longer than the next flush is due: the last changes before a quiet spell are
    // checkpointed on time, not at the server's next heartbeat. While a flush is out, look
    // again soon, so that its checkpoint is saved once it completes.
    return checkpointer_.outstanding() ? Clock::now() + 5ms : flush_policy_.next_due();
}

}  // namespace cdc::app

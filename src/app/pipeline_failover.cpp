// Pipeline, failover: which host of MYSQL_HOST to stream from, and whether a server's history
// lets the daemon continue there by GTID (docs/RESUMING.md, "Failover").
#include <spdlog/spdlog.h>

#include "app/pipeline.h"
#include "common/log_fields.h"

namespace cdc::app {

void Pipeline::choose_host_after_failure(const Error& error) {
    (void)error;
    if (hosts_.size() < 2) return;
    // The current host gets a second chance (a dropped connection, a quick restart), then the
    // next one in order; the backoff between attempts is the stream's.
    if (++attempts_on_host_ < 2) return;
    attempts_on_host_ = 0;
    size_t next = (host_index_ + 1) % hosts_.size();
    spdlog::warn("trying {} next (after {})", hosts_[next].to_string(), current_host().to_string());
    host_index_ = next;
}

Status Pipeline::identify_server(mysql::Connection& conn) {
    auto info = mysql::read_server_gtid_info(conn);
    if (!info) return info.error();
    server_ = std::move(*info);
    return {};
}

Status Pipeline::check_gtid_history(const model::MariaGtidState& saved) {
    auto server = model::MariaGtidState::parse(server_.gtid_binlog_pos);
    if (!server) {
        return make_error(Errc::Internal,
                          "MySQL at " + current_host().to_string() +
                              " reports an unreadable gtid_binlog_pos: " + server_.gtid_binlog_pos);
    }
    switch (mysql::judge_history(saved, *server, server_.replicating)) {
        case mysql::HistoryVerdict::Holds: return {};
        case mysql::HistoryVerdict::Lagging:
            return make_error(
                Errc::Unavailable,
                mysql::lagging_message(current_host().to_string(), saved, server_.gtid_binlog_pos));
        case mysql::HistoryVerdict::Missing:
            return make_error(
                Errc::FailedPrecondition,
                mysql::missing_message(current_host().to_string(), saved, server_.gtid_binlog_pos));
    }
    return {};
}

Status Pipeline::check_mysql_gtid_history(const model::GtidSet& saved) {
    auto server = model::GtidSet::parse(server_.gtid_executed);
    if (!server) {
        return make_error(Errc::Internal,
                          "MySQL at " + current_host().to_string() +
                              " reports an unreadable gtid_executed: " + server_.gtid_executed);
    }
    switch (mysql::judge_history(saved, *server, server_.replicating)) {
        case mysql::HistoryVerdict::Holds: return {};
        case mysql::HistoryVerdict::Lagging:
            return make_error(Errc::Unavailable,
                              mysql::lagging_message(current_host().to_string(), saved, *server));
        case mysql::HistoryVerdict::Missing:
            return make_error(Errc::FailedPrecondition,
                              mysql::missing_message(current_host().to_string(), saved, *server));
    }
    return {};
}

Status Pipeline::check_positions_portable(const model::Checkpoint& from) {
    if (from.server_id == 0 || from.server_id == server_.server_id) return {};
    // TODO: carry a GTID state with each table start and prepared XA group, so that these
    // survive a failover too; until then the daemon says what holds it back.
    if (!state_.starts().empty()) {
        return make_error(Errc::FailedPrecondition,
                          "cannot fail over to " + current_host().to_string() + " (server_id " +
                              std::to_string(server_.server_id) +
                              "): the state holds table starts at binlog positions of server_id " +
                              std::to_string(from.server_id) +
                              " (tables added at a later position, docs/STATE.md), which mean "
                              "nothing on another server. Resume once on server_id " +
                              std::to_string(from.server_id) +
                              " until they are passed, or take a new snapshot");
    }
    if (xa_store_ && !xa_store_->unresolved().empty()) {
        return make_error(Errc::FailedPrecondition,
                          "cannot fail over to " + current_host().to_string() + " (server_id " +
                              std::to_string(server_.server_id) +
                              "): " + std::to_string(xa_store_->unresolved().size()) +
                              " prepared XA transaction(s) are kept by binlog positions of "
                              "server_id " +
                              std::to_string(from.server_id) +
                              ", which mean nothing on another server. Resume on server_id " +
                              std::to_string(from.server_id) +
                              " until they are committed or rolled back");
    }
    return {};
}

Status Pipeline::fill_gtid_state(mysql::Connection& conn, model::Checkpoint& start) {
    if (!server_.mariadb) {
        // MySQL: only a start read with its gtid_executed (stream_start) has a set; a saved
        // position without one stays by file/pos (MySQL cannot map a position to GTIDs).
        if (server_.gtid_executed.empty()) start.gtid_state.clear();
        return {};
    }
    if (server_.gtid_binlog_pos.empty()) {
        start.gtid_state.clear();
        return {};
    }
    if (!start.gtid_state.empty()) return {};
    auto at = mysql::mariadb_gtid_state_at(conn, start.position.file, start.position.pos);
    if (!at) return at.error();
    if (*at) start.gtid_state = **at;
    start.server_id = server_.server_id;
    return {};
}

Error Pipeline::gtid_dump_error(const Error& error, const model::Checkpoint& start) const {
    return make_error(
        Errc::FailedPrecondition,
        mysql::diverged_message(current_host().to_string(), start.gtid_state, error.message));
}

void Pipeline::log_stream_start(const model::Checkpoint& start) {
    LogFields fields{{"binlog_file", start.position.file},
                     {"binlog_pos", start.position.pos},
                     {"skip_rows", start.skip_rows},
                     {"gtid", start.gtid},
                     {"gtid_state", start.gtid_state},
                     {"host", current_host().to_string()},
                     {"server_id", static_cast<uint64_t>(server_.server_id)}};
    if (by_gtid_) {
        // Another server than the one the saved position is of: a failover (in this run, or
        // across a restart).
        std::string from = "server_id " + std::to_string(start.server_id);
        if (streamed_host_ && *streamed_host_ != host_index_) {
            from = hosts_[*streamed_host_].to_string() + " (" + from + ")";
        }
        spdlog::warn("failover from {} to {} (server_id {}) at GTID state {} (skip_rows={})", from,
                     current_host().to_string(), server_.server_id, start.gtid_state,
                     start.skip_rows);
    }
    if (by_gtid_) {
        spdlog::info(
            "streaming from {} (server_id {}) by GTID after {} (the saved position {} is of "
            "server_id {}) (skip_rows={})",
            current_host().to_string(), server_.server_id, start.gtid_state,
            start.position.to_string(), start.server_id, start.skip_rows);
    } else {
        spdlog::info("streaming from {} at {} (skip_rows={})", current_host().to_string(),
                     start.position.to_string(), start.skip_rows);
    }
}

}  // namespace cdc::app

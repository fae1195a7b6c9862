// Pipeline, SNAPSHOT_MODE=when_needed: when the saved position is no longer on the server
// (purged, the history reset, another server), a new consistent snapshot of every watched table
// replaces it, at the start and when a reconnect finds it gone. Other modes stop with the resume
// check's message. docs/SNAPSHOT.md, "When the saved position is gone".
#include <spdlog/spdlog.h>

#include "app/pipeline.h"
#include "common/log_fields.h"
#include "mysql/check_messages.h"
#include "mysql/server_checks.h"

namespace cdc::app {
namespace {

// The resume check's message without its advice, which names what this mode does.
std::string without_advice(std::string message) {
    const std::string advice = ": " + std::string(mysql::kPositionGoneAdvice);
    if (message.ends_with(advice)) message.resize(message.size() - advice.size());
    return message;
}

}  // namespace

Result<std::optional<std::string>> Pipeline::saved_position_gone() {
    const model::Checkpoint& cp = checkpoint_;
    auto conn = mysql::Connection::open(
        connection_params(config_, current_host().host, current_host().port));
    if (!conn) return conn.error();
    Status there = mysql::check_resume_position(*conn, cp.position.file, cp.position.pos, cp.gtid);
    if (there) return std::optional<std::string>();
    if (there.error().code != Errc::DataLoss) return there.error();
    auto first = mysql::first_binlog_file(*conn);
    if (!first) return first.error();
    std::string tables;
    for (const model::TableId& t : config_.tables) {
        tables += (tables.empty() ? "" : ", ") + t.qualified();
    }
    return std::optional<std::string>(
        "SNAPSHOT_MODE=when_needed: the saved position " + cp.position.to_string() +
        (cp.gtid.empty() ? "" : " (GTID " + cp.gtid + ")") +
        " is no longer on the server, whose first binlog is " +
        (first->empty() ? std::string("(none)") : *first) + ": taking a new snapshot of " + tables +
        " and streaming from its position (" + without_advice(there.error().message) + ")");
}

Result<bool> Pipeline::snapshot_because_position_gone() {
    if (config_.snapshot_mode != config::SnapshotMode::WhenNeeded) return false;
    if (checkpoint_.position.empty()) return false;
    auto gone = saved_position_gone();
    if (!gone) return gone.error();
    if (!*gone) return false;
    LogFields fields{{"binlog_file", checkpoint_.position.file},
                     {"binlog_pos", checkpoint_.position.pos},
                     {"gtid", checkpoint_.gtid}};
    spdlog::warn("{}", **gone);
    return true;
}

Status Pipeline::resnapshot_if_position_gone(const Error& error) {
    if (config_.snapshot_mode != config::SnapshotMode::WhenNeeded || stopping()) return error;
    // The stream's error may be another loss (an incident, a missing TABLE_MAP): only a
    // position the server no longer has is answered by a snapshot.
    auto gone = saved_position_gone();
    if (!gone) return gone.error().code == Errc::Unavailable ? gone.error() : error;
    if (!*gone) return error;
    snapshot_reading_ = false;
    return snapshot_with_retries();  // checks again, logs why, and takes it
}

}  // namespace cdc::app

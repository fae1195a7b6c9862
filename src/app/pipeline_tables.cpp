// Pipeline, the table set while streaming: a table that a MYSQL_TABLE pattern selects joins
// when the stream first sees a change of it (stream::TableFilter::matches_or_joins).
#include <spdlog/spdlog.h>

#include "app/pipeline.h"
#include "common/log_fields.h"

namespace cdc::app {

Status Pipeline::watch_joined_tables(stream::TableFilter& filter) {
    for (const stream::TableFilter::Joined& j : filter.take_joined()) {
        state_.add_table(j.table, j.from);
        {
            LogFields fields{{"binlog_file", j.from.file}, {"binlog_pos", j.from.pos}};
            spdlog::info("table {} matches {}: watching it from {}", j.table.qualified(), j.pattern,
                         j.from.to_string());
        }
        if (!j.created_while_streaming) table_joined_with_history(j);
    }
    // Saved at once with the last checkpoint (not yet the next one): a restart after a crash
    // resumes with the table listed and its changes from where they began, so it counts and
    // de-duplicates the replayed changes exactly as this run wrote them (a table added since
    // the checkpoint would make a Kafka sink refuse the replay, ResumePlan::same_tables).
    return state_.save(checkpoint_);
}

void Pipeline::watch_joinable_tables(const std::vector<model::TableId>& tables) {
    if (tables.empty()) return;
    for (const model::TableId& t : tables) {
        spdlog::info(
            "state: {}: no saved position, selected by the same MYSQL_TABLE patterns "
            "as the saved run's (created or renamed in after its checkpoint): streaming "
            "it from the restart point, as that run would have",
            t.qualified());
    }
    state_.include(tables);
}

void Pipeline::table_joined_with_history(const stream::TableFilter::Joined& joined) {
    // Its CREATE TABLE was not in the stream since it started: it got its name by RENAME (or was
    // created just before a start at the server's current position), so it may hold rows that
    // were never in the binlog we read. With snapshots on, they are read live (the on-demand
    // re-snapshot: each chunk at a view the stream then reaches, so with the changes streamed
    // from here on the output is exact); otherwise say what is missing and how to get it.
    if (config_.initial_snapshot) {
        std::string reply = resnapshot_.request({joined.table}, {});
        if (reply.starts_with("ok")) {
            spdlog::warn(
                "table {} joined the watched set at {} without a CREATE TABLE in the stream "
                "(renamed in?): reading its rows with a re-snapshot while the stream goes on",
                joined.table.qualified(), joined.from.to_string());
            return;
        }
        spdlog::warn(
            "table {} joined the watched set at {} without a CREATE TABLE in the stream "
            "(renamed in?), and its re-snapshot could not start ({}): its rows from before are "
            "not in the output; run `mysql-cdc snapshot --table {}` once the running one ended",
            joined.table.qualified(), joined.from.to_string(), reply, joined.table.qualified());
        return;
    }
    spdlog::warn(
        "table {} joined the watched set at {} without a CREATE TABLE in the stream "
        "(renamed in?): its rows from before are not in the output; re-snapshot it "
        "(`mysql-cdc snapshot --table {}`) if consumers need them",
        joined.table.qualified(), joined.from.to_string(), joined.table.qualified());
}

}  // namespace cdc::app

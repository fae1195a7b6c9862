#include "stream/statement_guard.h"

#include <strings.h>

#include <algorithm>
#include <variant>

#include "stream/change_extractor.h"

namespace cdc::stream {
namespace {

std::string what_statement(const binlog::QueryEvent& query, const binlog::StatementInfo& info) {
    std::string what = "a statement-based " + info.verb;
    if (query.execute_load) what += " (EXECUTE_LOAD_QUERY event)";
    return what;
}

}  // namespace

// TableFilter's lookups for names written in statements (declared in change_extractor.h).
bool TableFilter::matches_ignoring_case(const model::TableId& table) const {
    if (empty()) return true;
    auto same = [](std::string_view a, std::string_view b) {
        return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
    };
    for (const std::string& s : schemas_) {
        if (same(s, table.schema)) return true;
    }
    for (const model::TableId& entry : exact_) {
        if (same(entry.schema, table.schema) && same(entry.table, table.table)) return true;
    }
    // A table a pattern would take when its first rows event comes (exact letter case).
    return patterns_ != nullptr && patterns_->selects(table) != nullptr;
}

bool TableFilter::matches_table_in_any_schema(const std::string& table) const {
    if (empty() || !schemas_.empty()) return true;
    for (const model::TableId& entry : exact_) {
        const std::string& name = entry.table;
        if (name.size() == table.size() &&
            strncasecmp(name.data(), table.data(), name.size()) == 0) {
            return true;
        }
    }
    return false;
}

std::string StatementGuard::position(const binlog::Event& event) const {
    return (file_.empty() ? std::string("offset ") : file_ + ":") + std::to_string(event.offset);
}

std::optional<model::TableId> StatementGuard::watched(const model::TableId& name,
                                                      const std::string& default_schema) const {
    model::TableId resolved{name.schema.empty() ? default_schema : name.schema, name.table};
    if (resolved.schema.empty()) {
        // No default database: the statement names a table of some schema we cannot tell.
        if (filter_.matches_table_in_any_schema(resolved.table)) return resolved;
        return std::nullopt;
    }
    if (filter_.matches(resolved)) return resolved;
    // lower_case_table_names=1/2 servers take names in any case.
    if (filter_.matches_ignoring_case(resolved)) return resolved;
    return std::nullopt;
}

Status StatementGuard::check(const binlog::Event& event, bool top_level, ChangeConsumer& consumer,
                             uint64_t& changes) {
    if (const auto* rotate = std::get_if<binlog::RotateEvent>(&event.body)) {
        if (top_level && !file_fixed_) file_ = rotate->next_file;
        return {};
    }
    if (const auto* query = std::get_if<binlog::QueryEvent>(&event.body)) {
        return check_statement(event, *query, consumer, changes);
    }
    if (const auto* incident = std::get_if<binlog::IncidentEvent>(&event.body)) {
        return check_incident(event, *incident);
    }
    return {};
}

Status StatementGuard::emit_truncate(const binlog::Event& event, const model::TableId& table,
                                     ChangeConsumer& consumer, uint64_t& changes) {
    truncated_.schema = table.schema;
    truncated_.table = table.table;
    model::ChangeEvent change;
    change.kind = model::ChangeKind::Truncate;
    change.table = &truncated_;  // generation 0: formatters do not cache it
    Status st = consumer.on_change(change, event.offset, 0);
    if (!st) return st;
    ++changes;
    return {};
}

Status StatementGuard::check_statement(const binlog::Event& event, const binlog::QueryEvent& query,
                                       ChangeConsumer& consumer, uint64_t& changes) {
    binlog::StatementInfo info = binlog::classify_statement(query.sql, query.sql_mode);
    if (info.kind == binlog::StatementClass::Other) {
        if (!options_.emit_schema_changes) return {};
        return emit_schema_changes(event, query, consumer, changes);
    }
    std::string target;
    if (info.kind == binlog::StatementClass::Truncate) {
        for (const model::TableId& name : info.tables) {
            model::TableId table{name.schema.empty() ? query.schema : name.schema, name.table};
            if (!table.schema.empty() && filter_.matches(table)) {
                Status st = emit_truncate(event, table, consumer, changes);
                if (!st) return st;
            } else if (std::optional<model::TableId> similar = watched(name, query.schema)) {
                // Only equal ignoring letter case (or no database): the same table under
                // lower_case_table_names, or another one. Neither a truncate of the watched
                // table nor nothing is sure to be right.
                target = "a table named like watched table " + similar->qualified() +
                         " (equal only ignoring letter case)";
            }
        }
        // The statement too, after the truncate change (docs/EVENTS.md).
        if (options_.emit_schema_changes) {
            Status st = emit_schema_changes(event, query, consumer, changes);
            if (!st) return st;
        }
        if (target.empty()) return {};
    } else if (info.any_table) {
        target = "tables it cannot name (a stored function that changed data, logged as its call)";
    } else {
        for (const model::TableId& name : info.tables) {
            if (std::optional<model::TableId> table = watched(name, query.schema)) {
                target = "watched table " + table->qualified();
                break;
            }
        }
        if (target.empty()) return {};
    }
    std::string what = what_statement(query, info) + " on " + target + " at " + position(event);
    if (options_.warn_statements) {
        ++statements_skipped_;
        if (options_.warn) {
            options_.warn(
                GuardWarning::Statement,
                "skipped " + what + ": its changes are not in the output (STATEMENT_EVENTS=warn)");
        }
        return {};
    }
    return make_error(Errc::FailedPrecondition,
                      what +
                          ": its rows are not in the binlog, so they cannot be streamed. Set "
                          "binlog_format=ROW for every session that writes these tables (SET "
                          "GLOBAL binlog_format=ROW, then reconnect the clients); the checkpoint "
                          "stays before this statement. STATEMENT_EVENTS=warn (decode: "
                          "--statement-events warn) skips such statements with a warning "
                          "instead");
}

Status StatementGuard::emit_schema_changes(const binlog::Event& event,
                                           const binlog::QueryEvent& query,
                                           ChangeConsumer& consumer, uint64_t& changes) {
    std::optional<binlog::DdlInfo> ddl = binlog::classify_ddl(query.sql, query.sql_mode);
    if (!ddl) return {};
    std::vector<model::TableId> emitted;  // RENAME a TO b, b TO c names b twice: one event
    for (const model::TableId& name : ddl->tables) {
        model::TableId table{name.schema.empty() ? query.schema : name.schema, name.table};
        if (table.schema.empty() || !filter_.matches(table)) continue;
        if (std::find(emitted.begin(), emitted.end(), table) != emitted.end()) continue;
        emitted.push_back(table);
        model::SchemaChange change{.schema = emitted.back().schema,
                                   .table = emitted.back().table,
                                   .verb = ddl->verb,
                                   .statement = query.sql,
                                   .database = query.schema,
                                   .offset = event.offset};
        Status st = consumer.on_schema_change(change);
        if (!st) return st;
        ++changes;
    }
    return {};
}

Status StatementGuard::check_incident(const binlog::Event& event,
                                      const binlog::IncidentEvent& incident) {
    // Incident codes (both servers): 1 is LOST_EVENTS, the only one they write.
    std::string code = std::to_string(incident.code) + (incident.code == 1 ? " LOST_EVENTS" : "");
    std::string what = "the server logged an INCIDENT event (" + code +
                       (incident.message.empty() ? "" : ": " + incident.message) + ") at " +
                       position(event) + ": changes may be missing from the binlog from here on";
    if (options_.warn_incidents) {
        ++incidents_skipped_;
        if (options_.warn) options_.warn(GuardWarning::Incident, what + " (INCIDENT_EVENTS=warn)");
        return {};
    }
    return make_error(Errc::DataLoss,
                      what +
                          ". Check the server's error log and re-sync the watched tables; "
                          "INCIDENT_EVENTS=warn (decode: --incident-events warn) goes on past it");
}

}  // namespace cdc::stream

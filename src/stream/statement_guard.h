// StatementGuard: the events that change watched tables without rows events (docs/EVENTS.md).
//
//   - a statement that changes rows, logged as a QUERY or EXECUTE_LOAD_QUERY event (a session
//     with binlog_format=STATEMENT, or MIXED choosing a statement), that may touch a watched
//     table (binlog/statement_kind.h says which tables it may touch): its rows cannot be
//     streamed, so it stops the extraction with an error naming the statement, the table and
//     the position, or, with `warn_statements`, is skipped with a warning and counted;
//   - TRUNCATE of a watched table: handed to the consumer as a change of kind `truncate`; of a
//     table whose name equals a watched one only ignoring letter case: as a statement above
//     (it may be the watched table under lower_case_table_names, or another table);
//   - with `emit_schema_changes`, a DDL that names a watched table (binlog::classify_ddl):
//     handed to the consumer's on_schema_change() once per watched table it names, after the
//     truncate change of a TRUNCATE;
//   - INCIDENT (the server says events may be missing from its binlog): stops, or, with
//     `warn_incidents`, is skipped with a warning and counted.
// Everything else passes. ChangeExtractor calls it for every event, top-level and inner.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "binlog/event.h"
#include "binlog/statement_kind.h"
#include "common/result.h"
#include "model/table_id.h"
#include "model/table_schema.h"

namespace cdc::stream {

class ChangeConsumer;
class TableFilter;

enum class GuardWarning : uint8_t { Statement, Incident };

struct StatementGuardOptions {
    bool warn_statements = false;  // STATEMENT_EVENTS=warn
    bool warn_incidents = false;   // INCIDENT_EVENTS=warn
    bool emit_schema_changes = false;  // EMIT_SCHEMA_CHANGES
    // Where the warnings go (the daemon's log, decode's stderr); may be empty.
    std::function<void(GuardWarning, const std::string&)> warn;
};

class StatementGuard {
public:
    StatementGuard(const TableFilter& filter, StatementGuardOptions options)
        : filter_(filter), options_(std::move(options)) {}

    // Checks one event; emits the truncate changes it stands for. `changes` counts them.
    Status check(const binlog::Event& event, bool top_level, ChangeConsumer& consumer,
                 uint64_t& changes);

    // The binlog file the next events come from, for messages (`decode` reads files; the
    // stream has ROTATE events).
    // Once set, ROTATE events (a relay log's, the end of a file) no longer change it.
    void set_file(std::string file) {
        file_ = std::move(file);
        file_fixed_ = true;
    }

    uint64_t statements_skipped() const { return statements_skipped_; }
    uint64_t incidents_skipped() const { return incidents_skipped_; }

private:
    Status check_statement(const binlog::Event& event, const binlog::QueryEvent& query,
                           ChangeConsumer& consumer, uint64_t& changes);
    Status emit_truncate(const binlog::Event& event, const model::TableId& table,
                         ChangeConsumer& consumer, uint64_t& changes);
    // EMIT_SCHEMA_CHANGES: the DDL's schema changes of watched tables.
    Status emit_schema_changes(const binlog::Event& event, const binlog::QueryEvent& query,
                               ChangeConsumer& consumer, uint64_t& changes);
    Status check_incident(const binlog::Event& event, const binlog::IncidentEvent& incident);
    // The watched table a name written in a statement may stand for, or nullopt.
    std::optional<model::TableId> watched(const model::TableId& name,
                                          const std::string& default_schema) const;
    std::string position(const binlog::Event& event) const;

    const TableFilter& filter_;
    StatementGuardOptions options_;
    std::string file_;  // the binlog file, from ROTATE events, for messages
    bool file_fixed_ = false;
    model::TableSchema truncated_;  // names only: what a truncate change points at
    uint64_t statements_skipped_ = 0;
    uint64_t incidents_skipped_ = 0;
};

}  // namespace cdc::stream

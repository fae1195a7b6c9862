// What a statement in a QUERY event is, from its text: the guard against statement-based
// changes (stream/statement_guard.h) and the source of TRUNCATE events.
//
// In ROW format a QUERY event carries transaction control (BEGIN, COMMIT, XA ..., SAVEPOINT),
// DDL and administration; row changes come as rows events. A statement that changes rows
// (INSERT, UPDATE, ...) in a QUERY event was logged by a session in STATEMENT format (or MIXED
// choosing statements): its rows are in no rows event, so a CDC reader cannot see them.
//
// Which tables such a statement may change is an over-approximation, never an
// under-approximation (a false alarm is acceptable, a missed change is not):
//   - INSERT/REPLACE: the table after INTO (or after the modifiers);
//   - UPDATE: every name between UPDATE and SET (the table references, joins included);
//   - DELETE: every name between DELETE and WHERE/ORDER BY/LIMIT/RETURNING (targets, FROM and
//     USING lists);
//   - LOAD DATA/XML: the table after INTO TABLE;
//   - anything else that may change rows (WITH ..., ALTER TABLE ... TRUNCATE/DROP/EXCHANGE
//     PARTITION, or a form the rules above do not recognise): every name in the statement;
//   - SELECT/DO/CALL in a QUERY event (a stored function that changed data, logged as its
//     call): the tables are unknown (`any_table`).
// Names are every identifier and `a.b` pair in that stretch. Quoted strings are skipped; when
// the event's sql_mode is unknown, the text is lexed both with and without backslash escapes
// and the names of both readings are kept. Executable comments (/*! ... */, /*M! ... */) count
// as text; other comments are skipped.
// Not visible in the text: triggers, and views over a table (a change through a view or by a
// trigger of another table is not detected). See docs/EVENTS.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/table_id.h"

namespace cdc::binlog {

enum class StatementClass : uint8_t {
    Other,      // transaction control, DDL, administration: changes no rows
    Truncate,   // TRUNCATE [TABLE] name: removes every row, logged as a statement in any format
    RowChange,  // changes rows without rows events (statement-based DML and the like)
};

struct StatementInfo {
    StatementClass kind = StatementClass::Other;
    std::string verb;               // "INSERT", "UPDATE", "TRUNCATE", "LOAD DATA", ... (upper case)
    // RowChange: the tables it may change; Truncate: the one table. As written: `schema` is empty
    // when unqualified (the default database applies; stream/statement_guard resolves it).
    std::vector<model::TableId> tables;
    bool any_table = false;         // RowChange whose tables cannot be told from the text
};

// sql_mode bits that change how the text is lexed (MySQL and MariaDB agree on them).
inline constexpr uint64_t kSqlModeAnsiQuotes = 1ull << 2;
inline constexpr uint64_t kSqlModeNoBackslashEscapes = 1ull << 21;

// `sql_mode`: the QUERY event's, when its status variables carry it.
StatementInfo classify_statement(std::string_view sql, std::optional<uint64_t> sql_mode = {});

// A schema change (EMIT_SCHEMA_CHANGES, docs/EVENTS.md): ALTER TABLE (with RENAME TO, both
// names), RENAME TABLE (every name of every pair), DROP TABLE (every name), CREATE TABLE
// (also ... LIKE: the new name), CREATE INDEX / DROP INDEX ... ON, TRUNCATE. Names as written
// (`schema` empty when unqualified). TEMPORARY tables and every other statement: nullopt.
struct DdlInfo {
    std::string verb;  // "ALTER TABLE", "RENAME TABLE", "DROP TABLE", "CREATE TABLE", ...
    std::vector<model::TableId> tables;
};
std::optional<DdlInfo> classify_ddl(std::string_view sql, std::optional<uint64_t> sql_mode = {});

}  // namespace cdc::binlog

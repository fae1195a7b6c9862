// Resolving MYSQL_TABLE's patterns against the server's tables at start, so that the state
// store, the server checks, the snapshot, the key warnings and the Kafka topics all get the
// concrete list (Config::tables). Tables created later are matched by the stream
// (stream::TableFilter::set_patterns).
//
//   auto config = resolve_table_patterns(given);   // a copy; connects only with patterns
//   auto r = resolve_tables(given, server_tables);  // the pure part (tests, `check`)
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "config/config.h"
#include "model/table_id.h"

namespace cdc::app {

struct PatternMatches {
    std::string pattern;                   // as written
    std::vector<model::TableId> tables;    // those it added (not excluded, not named before)
    std::vector<model::TableId> excluded;  // matched, but MYSQL_TABLE_EXCLUDE wins
};

struct TableResolution {
    // The exact names in their order, then each pattern's matches in the server's order.
    std::vector<model::TableId> tables;
    std::vector<PatternMatches> patterns;
    std::vector<std::string> warnings;  // a pattern that matches nothing (tables may come later)
};

TableResolution resolve_tables(const config::Config& config,
                               const std::vector<model::TableId>& server_tables);

// "a.b, c.d": for log lines.
std::string table_list_text(const std::vector<model::TableId>& tables);

// `config` with its patterns' tables added to `tables` (logged, one line per pattern), or
// `config` as it is without patterns. The server's tables are read over a connection of its own.
Result<config::Config> resolve_table_patterns(const config::Config& config);

}  // namespace cdc::app

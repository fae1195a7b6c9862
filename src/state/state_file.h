// The state file: where the checkpoint lives between runs. One file; which file holds which
// tables, and how several files are combined, is StateStore's (state_store.h, docs/STATE.md).
//
// Format: the original connector's (../shared/seed/spec.md)
//   {"log_file": "mysql-bin.000123", "log_pos": 45678, "timestamp": 1704067200.0,
//    "readable_time": "2024-01-01 12:00:00 UTC"}
// with our fields added ("skip_rows", "gtid", "output_file_length", "snapshot",
// "format": "mysql-cdc/1") and the multi-table layout's:
//   "tables": ["db.a", "db.b"]      the tables this position is for (absent: seed and older
//                                   files, whose name says it); read back by
//                                   model::TableId::from_qualified
//   "table_starts": [{"tables": ["db.c"], "log_file": ..., "log_pos": ..., "skip_rows": 0}]
//                                   tables whose changes start later than log_file:log_pos
//   "replaces": ["binlog_position_db_a.json"]   files this one took over from
//   "table_patterns": ["shop.order\\_%"], "table_excludes": [...]   MYSQL_TABLE's patterns and
//                                   MYSQL_TABLE_EXCLUDE of the run that saved it (absent: none)
//   "output_format": "seed", "message_key": "primary_key"   how the saving run shaped its
//                                   messages (OUTPUT_FORMAT, the key scheme); absent: saved
//                                   before they existed, i.e. "seed" and "bare_primary_key"
// A file with only the original's fields resumes from log_file:log_pos.
//
// Writes are atomic: a temp file in the same directory, fsync, rename over the old file, fsync
// the directory. A file that cannot be parsed is an error (Errc::DataLoss), never a silent
// restart from "now".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "model/position.h"
#include "model/table_id.h"

namespace cdc::state {

// Tables whose changes are emitted only from `position` on: changes in rows events before it
// are not emitted, and of those at or after it the first `skip_rows` of these tables (together)
// are not either (they were delivered before).
struct TableStart {
    std::vector<model::TableId> tables;  // in the file as "schema.table"
    model::BinlogPosition position;
    uint64_t skip_rows = 0;

    friend bool operator==(const TableStart&, const TableStart&) = default;
};

// Everything a state file holds.
struct StateRecord {
    model::Checkpoint checkpoint;
    bool lists_tables = false;           // the file has a "tables" field
    std::vector<model::TableId> tables;  // in the file as "schema.table"
    std::vector<TableStart> starts;
    std::vector<std::string> replaces;
    // model::TablePattern::canonical() of each: a table these select joins when first seen.
    std::vector<std::string> table_patterns;
    std::vector<std::string> table_excludes;
    // "" when the file does not say (kLegacyOutputFormat, kLegacyMessageKey apply).
    std::string output_format;
    std::string message_key;
    double timestamp = 0;

    friend bool operator==(const StateRecord&, const StateRecord&) = default;
};

// What a state file without "output_format" / "message_key" was written with: the seed
// events keyed by the bare primary key, the only output before these settings existed.
inline constexpr const char* kLegacyOutputFormat = "seed";
inline constexpr const char* kLegacyMessageKey = "bare_primary_key";

class StateFile {
public:
    explicit StateFile(std::string path) : path_(std::move(path)) {}

    // nullopt when the file does not exist (a first run).
    Result<std::optional<model::Checkpoint>> load() const;
    Result<std::optional<StateRecord>> load_record() const;
    Status save(const model::Checkpoint& checkpoint) const;
    // Also renames the files of record.replaces to *.superseded, right after the new file is
    // in place.
    Status save(const StateRecord& record) const;
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

// Parses the text of a state file (exposed for tests).
Result<model::Checkpoint> parse_state_json(const std::string& text, const std::string& path);
Result<StateRecord> parse_state_record(const std::string& text, const std::string& path);
std::string state_json(const model::Checkpoint& checkpoint, double now_seconds);
std::string state_json(const StateRecord& record, double now_seconds);

}  // namespace cdc::state

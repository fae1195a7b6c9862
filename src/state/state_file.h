// The state file: where the checkpoint lives between runs.
//
// Location and format are the original connector's (../shared/seed/spec.md):
//   {STATE_DIR}/binlog_position_{schema}_{table}.json
//   {"log_file": "mysql-bin.000123", "log_pos": 45678, "timestamp": 1704067200.0,
//    "readable_time": "2024-01-01 12:00:00 UTC"}
// with our fields added ("skip_rows", "gtid", "output_file_length", "snapshot",
// "format": "mysql-cdc/1"). A file with only the original's fields resumes from log_file:log_pos.
//
// Writes are atomic: a temp file in the same directory, fsync, rename over the old file, fsync
// the directory. A file that cannot be parsed is an error (Errc::DataLoss), never a silent
// restart from "now".
#pragma once

#include <optional>
#include <string>

#include "common/result.h"
#include "model/position.h"

namespace cdc::state {

class StateFile {
public:
    explicit StateFile(std::string path) : path_(std::move(path)) {}

    // The file name for the watched tables: the seed's name for one table; for several, the
    // table names joined with '+' (in the order given).
    static std::string file_name(const std::string& schema, const std::string& tables_joined);

    // nullopt when the file does not exist (a first run).
    Result<std::optional<model::Checkpoint>> load() const;
    Status save(const model::Checkpoint& checkpoint) const;
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

// Parses the text of a state file (exposed for tests).
Result<model::Checkpoint> parse_state_json(const std::string& text, const std::string& path);
std::string state_json(const model::Checkpoint& checkpoint, double now_seconds);

}  // namespace cdc::state

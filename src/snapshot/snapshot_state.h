// SnapshotState: how far the initial snapshot got, kept in the state file's "snapshot" field so
// a crash half-way resumes after the last completed chunk instead of starting over.
//
//   "snapshot": {"status": "running", "start": {"log_file": "mysql-bin.000003", "log_pos": 1374},
//                "consistency": "exact", "resumed": 0,
//                "tables": [{"table": "db.t", "done": false, "rows": 5000,
//                            "last_key": [{"n": "5000"}]}]}
//
// `start` is where the stream begins once the snapshot is done (the binlog position matching
// the snapshot's view). `last_key` is the primary key of the last row of the last chunk that
// was delivered, one entry per key column (see KeyValue).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "model/position.h"
#include "model/table_id.h"

namespace cdc::snapshot {

// One primary-key value, kept so it can be put back into SQL exactly, whatever the bytes.
struct KeyValue {
    enum class Kind : uint8_t {
        Number,  // text: an integer or decimal literal ("-12", "3.50"); also an ENUM/SET index
        Text,    // text: raw bytes in `charset` (compared in the column's collation)
        Binary,  // text: raw bytes
        Quoted,  // text: ASCII text quoted as a string literal (dates, times, floats)
    };
    Kind kind = Kind::Number;
    std::string text;
    std::string charset;  // Text only: the column's character set name ("utf8mb4", "latin1")

    friend bool operator==(const KeyValue&, const KeyValue&) = default;
};

struct TableProgress {
    model::TableId table;  // in the record as "schema.table"
    bool done = false;
    uint64_t rows = 0;  // rows delivered so far
    std::vector<KeyValue> last_key;

    friend bool operator==(const TableProgress&, const TableProgress&) = default;
};

struct SnapshotState {
    bool done = false;
    model::BinlogPosition start;
    std::string start_gtid;
    bool exact = true;       // false: the at-least-once fallback (see docs/SNAPSHOT.md)
    uint64_t resumed = 0;    // times it continued after an interruption
    double completed_at = 0; // seconds since the epoch, when done
    std::vector<TableProgress> tables;

    uint64_t rows() const;
    friend bool operator==(const SnapshotState&, const SnapshotState&) = default;
};

std::string snapshot_state_json(const SnapshotState& state);
// Errc::DataLoss when the text is not a snapshot record this version wrote.
Result<SnapshotState> parse_snapshot_state(const std::string& json_text);

// The key as SQL literals, one per key column: validated so that nothing read back from a
// state file can change the statement's meaning.
Result<std::string> key_literal(const KeyValue& value);

}  // namespace cdc::snapshot

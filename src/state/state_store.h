// StateStore: the state of all watched tables in STATE_DIR, whatever files hold it.
//
// The daemon writes one file (state_names.h): the seed's binlog_position_{schema}_{table}.json
// for one table, binlog_position__tables.json for several. Its "tables" field lists the tables
// the position is for; "table_starts" lists tables whose changes start later (a table added and
// snapshotted at a later position, or a table whose saved position was later than another's).
//
// At start, load() looks at every position file in STATE_DIR (other entries are ignored): this
// layout's files, the original connector's one-table files, and the '+'-joined files of earlier
// mysql-cdc versions (recognised by name). For each configured table it finds the file that
// holds its position; two files with different positions for one table are an error naming both
// (never a guess). The stream resumes from the earliest position of all tables; each table whose
// own position is later gets a TableStart, so none of its changes is emitted twice. A table with
// no saved position is "added" (the caller snapshots it, or streams it from the restart point).
// Files taken over are renamed to *.superseded after the first save (the new file lists them in
// "replaces", so a crash before the rename does not make them count again). Layout and examples:
// docs/STATE.md.
//
//   StateStore store(dir, {{"db", "a"}, {"db", "b"}});
//   auto plan = store.load();         // once
//   ... store.save(checkpoint) after every flush ...
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "model/position.h"
#include "model/table_id.h"
#include "model/table_pattern.h"
#include "state/state_file.h"

namespace cdc::state {

struct ResumePlan {
    model::Checkpoint checkpoint;       // empty position: nothing saved for any table
    std::vector<TableStart> starts;     // tables that start after checkpoint.position
    std::vector<model::TableId> added;  // configured tables without a saved position
    // Tables without a saved position that the saved run's MYSQL_TABLE patterns (the same as
    // now) select: that run would have joined them at their first change after its checkpoint
    // (they were created or renamed in after it), so they stream from the checkpoint as it did,
    // with no snapshot, and do not count as a change of the table set (same_tables).
    std::vector<model::TableId> joinable;
    std::vector<std::string> sources;  // the files it was read from
    std::vector<std::string> notes;    // one line per table: where it resumes, from which file
    // The position was saved by one run watching exactly these tables. When false (a table
    // added or removed, several files), a sink that de-duplicates a replay by the row index
    // within a transaction (Kafka) cannot trust what it finds after the checkpoint: that run
    // counted other tables' changes.
    bool same_tables = false;
    // How the output up to the checkpoint was shaped (the newest file's "output_format" and
    // "message_key", kLegacy* for a file without them); "" when nothing was saved.
    std::string output_format;
    std::string message_key;
};

class StateStore {
public:
    StateStore(std::string dir, std::vector<model::TableId> tables);
    // MYSQL_TABLE's patterns: saved with every checkpoint, compared at load() (joinable).
    void set_patterns(model::TableSelection patterns) { patterns_ = std::move(patterns); }
    // OUTPUT_FORMAT and the key scheme of this run: saved with every checkpoint.
    void set_output(std::string format, std::string message_key) {
        output_format_ = std::move(format);
        message_key_ = std::move(message_key);
    }

    // The file this daemon writes.
    const std::string& path() const { return file_.path(); }

    // Reads STATE_DIR and works out where each table resumes. Sets the tables with a position
    // and their starts, which save() then writes.
    Result<ResumePlan> load();

    // Tables that from now on have a position: `start` empty = the stream's own position.
    void include(const std::vector<model::TableId>& tables,
                 const model::BinlogPosition& start = {});
    // A table that joined the set while streaming (a MYSQL_TABLE pattern matched it): listed
    // from the next save on, its changes from `start` on. The file written becomes the
    // several-tables one when the set grows past one table.
    void add_table(const model::TableId& table, const model::BinlogPosition& start);
    // Every configured table from the stream's position on (a new full snapshot, a first run).
    void include_all();
    const std::vector<TableStart>& starts() const { return starts_; }
    // The table list or starts changed since the last save.
    bool changed() const { return changed_; }

    // Writes the checkpoint with the table list and the starts it has not passed yet.
    Status save(const model::Checkpoint& checkpoint);

private:
    std::string dir_;
    std::vector<model::TableId> tables_;
    StateFile file_;
    std::vector<model::TableId> known_;  // tables with a position, in the configured order
    std::vector<TableStart> starts_;
    std::vector<std::string> replaces_;  // files to rename once this one is saved
    model::TableSelection patterns_;
    std::string output_format_;
    std::string message_key_;
    bool changed_ = false;
};

}  // namespace cdc::state

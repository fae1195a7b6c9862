// Positions in the binary log, and the checkpoint that makes delivery exactly-once.
//
// A Checkpoint names the start of the transaction being processed and how many of its row
// changes were already delivered (skip_rows). Resuming connects at `position` and drops the
// first skip_rows changes, so a flush inside a large transaction neither loses nor repeats a
// change. A finished transaction moves `position` to its end with skip_rows = 0.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace cdc::model {

struct BinlogPosition {
    std::string file;
    uint64_t pos = 0;

    bool empty() const { return file.empty(); }
    std::string to_string() const { return file + ":" + std::to_string(pos); }
    friend bool operator==(const BinlogPosition&, const BinlogPosition&) = default;
};

struct Checkpoint {
    BinlogPosition position;  // start of the transaction being processed (or end of the last)
    uint64_t skip_rows = 0;   // changes of that transaction already delivered
    std::string gtid;         // GTID of the last transaction started, when the server has them
    // The transactions wholly before `position`, in the server's own syntax: MariaDB's
    // per-domain state ("0-1-42,1-2-7", model::MariaGtidState). Resuming by it works on any
    // server of the topology (docs/RESUMING.md). Empty without GTIDs (or from an older state
    // file until the first save). MySQL: a model::GtidSet's text ("uuid:1-5,...").
    std::string gtid_state;
    // @@server_id of the server whose binlog `position` is in (0 = not recorded): file:pos
    // of one server mean nothing on another.
    uint32_t server_id = 0;
    // File sink: bytes of the output file covered by this checkpoint; truncated to on start.
    std::optional<uint64_t> output_file_length;
    // Snapshot progress (initial snapshot), serialised as is by the state store.
    std::string snapshot_json;

    friend bool operator==(const Checkpoint&, const Checkpoint&) = default;
};

}  // namespace cdc::model

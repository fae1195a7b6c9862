// The position of one change in the binlog, as carried in a Kafka message's headers, and its order.
//
// Every message KafkaSink produces carries the header mysql-cdc.position (its grammar and
// writer are in kafka_position_header.h): the binlog file, pos (start of the change's
// transaction) and row (index of the change within it), plus the server's @@server_id, the
// GTID, the part and the snapshot flag when they are not at their defaults. Versions before it
// wrote one header per field (mysql-cdc.file/pos/row/gtid/server-id/snapshot/part, and
// mysql-cdc.commit-ms, which the message timestamp carries); those are still read, so a topic
// such a version wrote resumes exactly once after an upgrade.
// On start the sink reads the position back from the last message of each partition; a
// replayed change is dropped when its position is not newer than that (see ../shared/DESIGN.md).
//
// Order is binlog order: file names compare by their numeric suffix (mysql-bin.999999 comes
// before mysql-bin.1000000), then pos, then row. That order holds within one server's binlog
// only: every message also carries the server_id of the server read, and a change from
// another server (after a failover) is ordered by its MariaDB GTID's sequence number in the
// same domain, then row; with neither, the two cannot be ordered (replayed_not_newer() says so
// and the sink refuses rather than guess).
#pragma once

#include <librdkafka/rdkafka.h>

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "model/mariadb_gtid_state.h"

namespace cdc::sink {

// The multi-header form of earlier versions (read only).
inline constexpr const char* kHeaderFile = "mysql-cdc.file";
inline constexpr const char* kHeaderPos = "mysql-cdc.pos";
inline constexpr const char* kHeaderRow = "mysql-cdc.row";
inline constexpr const char* kHeaderGtid = "mysql-cdc.gtid";
inline constexpr const char* kHeaderSnapshot = "mysql-cdc.snapshot";  // "true" on snapshot rows
inline constexpr const char* kHeaderServerId = "mysql-cdc.server-id";
inline constexpr const char* kHeaderPart = "mysql-cdc.part";

struct ChangePosition {
    std::string file;
    uint64_t pos = 0;
    uint64_t row = 0;
    uint32_t part = 0;          // OutputRecord::part
    bool snapshot = false;      // a snapshot row: before the stream's changes at the same file:pos
    uint32_t server_id = 0;     // 0: not recorded (a message of an older mysql-cdc)
    bool has_gtid_seq = false;  // a MariaDB GTID: its domain and sequence number
    uint32_t gtid_domain = 0;
    uint64_t gtid_seq = 0;
    std::string mysql_gtid = {};  // a MySQL GTID ("uuid:gno", "uuid:tag:gno"): not ordered, only
                                  // looked up in the checkpoint's GTID set (KafkaSink::recover)

    std::string to_string() const;
    friend bool operator==(const ChangePosition&, const ChangePosition&) = default;
};

// Binlog order of two file names: by the numeric suffix after the last '.', then by name.
std::strong_ordering compare_binlog_files(std::string_view a, std::string_view b);

std::strong_ordering operator<=>(const ChangePosition& a, const ChangePosition& b);

// The same order for a position given by parts (no copy of the file name).
std::strong_ordering compare_position(std::string_view file, uint64_t pos, uint64_t row,
                                      const ChangePosition& b, bool snapshot = false,
                                      uint32_t part = 0);

// Whether a replayed change at (file, pos, row) of `server_id`, with its MariaDB GTID if
// has_gtid_seq, is not newer than `newest` (so already written): by file:pos:row on the same
// server (or when either server is not recorded and there is no GTID to go by), by
// (sequence number, row) for GTIDs of one domain otherwise. nullopt: not comparable (other
// servers, no common GTID domain).
struct ReplayedChange {
    std::string_view file;
    uint64_t pos = 0;
    uint64_t row = 0;
    uint32_t server_id = 0;
    bool has_gtid_seq = false;
    uint32_t gtid_domain = 0;
    uint64_t gtid_seq = 0;
    uint32_t part = 0;
};
std::optional<bool> replayed_not_newer(const ReplayedChange& change, const ChangePosition& newest);

// Decimal text of a number, the header value format (no allocation).
struct DecimalText {
    char buf[24];
    size_t len = 0;
    explicit DecimalText(uint64_t v);
    std::string_view view() const { return {buf, len}; }
};

// Sets p's GTID fields from its text: a MariaDB GTID's domain and sequence number, or a MySQL
// GTID kept as text.
void set_position_gtid(ChangePosition& p, std::string_view gtid);

// The position in a message's headers (mysql-cdc.position, else the older multi-header form):
// nullopt when the message has none of ours (written by another producer), Malformed when they are
// present but unreadable.
Result<std::optional<ChangePosition>> position_from_headers(const rd_kafka_headers_t* headers);

}  // namespace cdc::sink

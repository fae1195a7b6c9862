// The position of one change in the binlog, as carried in Kafka message headers, and its order.
//
// Every message KafkaSink produces carries headers mysql-cdc.file, mysql-cdc.pos (start of the
// change's transaction) and mysql-cdc.row (index of the change within it), as decimal text so
// any consumer (kcat, a person) can read them, plus mysql-cdc.gtid when the server has GTIDs
// and mysql-cdc.commit-ms, the commit time.
// On start the sink reads them back from the last message of each partition; a replayed change
// is dropped when its position is not newer than that (see ../shared/DESIGN.md).
//
// Order is binlog order: file names compare by their numeric suffix (mysql-bin.999999 comes
// before mysql-bin.1000000), then pos, then row.
#pragma once

#include <librdkafka/rdkafka.h>

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace cdc::sink {

inline constexpr const char* kHeaderFile = "mysql-cdc.file";
inline constexpr const char* kHeaderPos = "mysql-cdc.pos";
inline constexpr const char* kHeaderRow = "mysql-cdc.row";
inline constexpr const char* kHeaderGtid = "mysql-cdc.gtid";
// "true" on the rows of the initial snapshot: their file/pos is where the stream starts after
// the snapshot and row counts the snapshot's rows, so they order before every change streamed
// from that position.
inline constexpr const char* kHeaderSnapshot = "mysql-cdc.snapshot";
// When the change happened, in decimal milliseconds since the epoch (OutputRecord::
// commit_time_ms): also the message's timestamp (CreateTime). Not part of the position.
inline constexpr const char* kHeaderCommitMs = "mysql-cdc.commit-ms";

struct ChangePosition {
    std::string file;
    uint64_t pos = 0;
    uint64_t row = 0;
    bool snapshot = false;  // a snapshot row: before the stream's changes at the same file:pos

    std::string to_string() const;
    friend bool operator==(const ChangePosition&, const ChangePosition&) = default;
};

// Binlog order of two file names: by the numeric suffix after the last '.', then by name.
std::strong_ordering compare_binlog_files(std::string_view a, std::string_view b);

std::strong_ordering operator<=>(const ChangePosition& a, const ChangePosition& b);

// The same order for a position given by parts (no copy of the file name).
std::strong_ordering compare_position(std::string_view file, uint64_t pos, uint64_t row,
                                      const ChangePosition& b, bool snapshot = false);

// Decimal text of a number, the header value format (no allocation).
struct DecimalText {
    char buf[24];
    size_t len = 0;
    explicit DecimalText(uint64_t v);
    std::string_view view() const { return {buf, len}; }
};

// The position in a message's headers: nullopt when the message has none of ours (written by
// another producer), Malformed when they are present but unreadable.
Result<std::optional<ChangePosition>> position_from_headers(const rd_kafka_headers_t* headers);

}  // namespace cdc::sink

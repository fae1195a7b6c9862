// Decoded binlog events. Produced by BinlogDecoder (decoder.h) from one event's bytes.
//
// Bodies that carry row data (RowsEvent) keep views into the event bytes, or into
// Event::owned when the server compressed the event (MariaDB *_COMPRESSED) and we had to
// inflate it; so an Event must outlive the views taken from it.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "binlog/event_type.h"
#include "common/byte_reader.h"

namespace cdc::binlog {

inline constexpr size_t kEventHeaderSize = 19;

// The common 19-byte header (v4).
struct EventHeader {
    uint32_t timestamp = 0;
    uint8_t type = 0;  // raw code: may be outside EventType for unknown events
    uint32_t server_id = 0;
    uint32_t event_size = 0;
    uint32_t log_pos = 0;  // end position of this event in the server's file (0 in some contexts)
    uint16_t flags = 0;
};

inline constexpr uint16_t kLogEventBinlogInUseFlag = 0x0001;
inline constexpr uint16_t kLogEventIgnorableFlag = 0x0080;

enum class ChecksumAlg : uint8_t { Off = 0, Crc32 = 1, Undefined = 255 };

struct FormatDescriptionEvent {
    uint16_t binlog_version = 4;
    std::string server_version;
    uint32_t create_timestamp = 0;
    uint8_t common_header_length = kEventHeaderSize;
    std::vector<uint8_t> post_header_lengths;       // index = type - 1
    ChecksumAlg checksum = ChecksumAlg::Undefined;  // Undefined: pre-5.6.1 server, no field
    bool is_mariadb = false;
};

struct RotateEvent {
    uint64_t position = 0;
    std::string next_file;
};

// Also EXECUTE_LOAD_QUERY (a statement-based LOAD DATA), which has the QUERY layout.
struct QueryEvent {
    uint32_t thread_id = 0;
    uint32_t exec_time = 0;
    uint16_t error_code = 0;
    std::string schema;  // the session's default database
    std::string sql;
    std::optional<uint64_t> sql_mode;  // when the status variables carry it (they do)
    bool execute_load = false;         // EXECUTE_LOAD_QUERY
};

struct XidEvent {
    uint64_t xid = 0;
};

// MySQL GTID / ANONYMOUS_GTID / GTID_TAGGED.
struct GtidEvent {
    bool anonymous = false;
    uint8_t flags = 0;
    std::array<uint8_t, 16> sid{};
    std::string tag;  // GTID_TAGGED only
    int64_t gno = 0;
    int64_t last_committed = 0;
    int64_t sequence_number = 0;
    // MySQL 8.0.1+: when this server committed the transaction, in microseconds since the
    // epoch (immediate_commit_timestamp); 0 when the event does not carry it (5.6, 5.7).
    uint64_t immediate_commit_us = 0;
    std::string to_string() const;  // "uuid:gno" or "uuid:tag:gno"
};

struct PreviousGtidsEvent {
    std::string gtid_set;  // "uuid:1-5:7,uuid2[:tag]:1-3"
};

// An XA transaction's identifier (X/Open XID): formatID, global transaction id and branch
// qualifier (each at most 64 bytes, any bytes).
struct Xid {
    uint32_t format_id = 0;
    std::string gtrid;
    std::string bqual;
    // As the servers write it in XA statements: X'6131',X'',1 (hex in upper case here).
    std::string to_string() const;
    friend bool operator==(const Xid&, const Xid&) = default;
};

// XA_PREPARE (38): ends the event group of an XA transaction's XA PREPARE (then the
// transaction is prepared, committed or rolled back later by its own XA COMMIT/ROLLBACK
// group), or, when one_phase, of an XA COMMIT ... ONE PHASE (committed here; MySQL).
struct XaPrepareEvent {
    bool one_phase = false;
    Xid xid;
};

// MariaDB GTID (begins a transaction or a standalone DDL).
struct MariaGtidEvent {
    uint64_t seq_no = 0;
    uint32_t domain_id = 0;
    uint8_t flags = 0;
    uint64_t commit_id = 0;  // group commit id, when FL_GROUP_COMMIT_ID
    Xid xid;                 // when FL_PREPARED_XA or FL_COMPLETED_XA
    bool standalone() const { return (flags & 0x01) != 0; }  // FL_STANDALONE: no BEGIN/COMMIT
    // FL_PREPARED_XA: the group of an XA PREPARE (XA START .. XA END, XA_PREPARE event).
    bool xa_prepared() const { return (flags & 0x40) != 0; }
    // FL_COMPLETED_XA: the group of an XA COMMIT / XA ROLLBACK of a prepared transaction.
    bool xa_completed() const { return (flags & 0x80) != 0; }
    std::string to_string(uint32_t server_id) const;  // "domain-server-seq"
};

struct MariaGtidListEvent {
    std::string gtid_list;  // "0-1-10,1-2-5"
};

struct BinlogCheckpointEvent {
    std::string file;
};

struct AnnotateRowsEvent {
    std::string sql;
};

struct RowsQueryEvent {
    std::string sql;
};

struct HeartbeatEvent {
    std::string log_file;
    uint64_t position = 0;
};

struct IncidentEvent {
    uint16_t code = 0;
    std::string message;
};

struct StopEvent {};

struct TableMapEvent;  // the decoder keeps the schema; see decoder.h

enum class RowsKind : uint8_t { Write, Update, Delete, PartialUpdate };

// Rows events: WRITE/UPDATE/DELETE_ROWS v1 (23-25: MariaDB, MySQL before 5.6) and v2 (30-32:
// MySQL 5.6+), PARTIAL_UPDATE_ROWS (39: MySQL 8, binlog_row_value_options=PARTIAL_JSON) and
// MariaDB's *_ROWS_COMPRESSED (166-168 v1, 169-171 v2: log_bin_compress=ON). Parsed by
// parse_rows (rows_event.cpp), the rows by RowDecoder (row_decoder.h). Wire layout after the
// 19-byte common header and before the checksum trailer; integers little-endian, "packed" the
// length-encoded integer. Sources: MySQL libs/mysql/binlog/event/rows_event.h (Rows_event) and
// rows_event.cpp (its parser), sql/rpl_record.h (unpack_row: the row and shared-image layout);
// MariaDB sql/log_event.cc (row_log_event_uncompress, binlog_buf_compress).
//
//   post-header (the FORMAT_DESCRIPTION's length for the type: 8 for v1, 10 for v2, 6 before
//   MySQL 5.1.4)
//   | field          | bytes       | notes                                                     |
//   |----------------|-------------|-----------------------------------------------------------|
//   | table_id       | 6           | 4 when the post-header length is 6                        |
//   | flags          | 2           | MySQL's bits: STMT_END_F 0x1 (the statement's last rows   |
//   |                |             | event; the only bit read), NO_FOREIGN_KEY_CHECKS_F 0x2,   |
//   |                |             | RELAXED_UNIQUE_CHECKS_F 0x4, COMPLETE_ROWS_F 0x8          |
//   | extra length   | 2           | v2 only: bytes of extra data, these 2 included            |
//   | extra data     | length - 2  | v2 only, skipped: chunks of a 1-byte type and a value;    |
//   |                |             | NDB (0): a length byte (counting itself and the next),    |
//   |                |             | a format byte, data; PART (1): partition id 2, and for    |
//   |                |             | UPDATE/PARTIAL_UPDATE the source partition id 2           |
//
//   body
//   | field          | bytes       | notes                                                     |
//   |----------------|-------------|-----------------------------------------------------------|
//   | column count   | packed      | columns of the table (we refuse 0 and more than 4096)     |
//   | columns        | (count+7)/8 | bit i, LSB first: column i is in the first image (the     |
//   |                |             | before image; WRITE's after image)                        |
//   | columns after  | (count+7)/8 | UPDATE and PARTIAL_UPDATE only: in the after image        |
//   | rows           | rest        | rows to the end of the body (compressed: below)           |
//
//   a row
//     WRITE: after image; DELETE: before image; UPDATE: before image, after image;
//     PARTIAL_UPDATE: before image, shared image, after image
//   an image: a NULL bitmap, (columns in the image + 7) / 8 bytes, LSB first, one bit per
//     column its bitmap sets; then the value of each of those columns that is not NULL, in
//     column order, encoded by its type (binlog/values/)
//   shared image (PARTIAL_UPDATE): value_options, packed; when its bit 0 (PARTIAL_JSON_UPDATES)
//     is set, partial_bits: one bit per JSON column of the table, LSB first, whether or not an
//     image carries the column; a set bit means the after image holds that column as a
//     length-prefixed list of JSON diffs (json/json_diff.h) instead of a document
//
//   MariaDB's *_ROWS_COMPRESSED: as above up to the bitmaps; then the rows are one compressed
//   block: a header byte 0x80 | algorithm << 4 | n (algorithm 0 = zlib, the only one; n = 1..4),
//   n bytes of the uncompressed size (big-endian), then the zlib stream. `rows` below is the
//   inflated block (in Event::owned).
struct RowsEvent {
    RowsKind kind = RowsKind::Write;
    uint8_t version = 2;  // 1: types 23-25 (and MariaDB), 2: types 30-32/39
    uint64_t table_id = 0;
    uint16_t flags = 0;  // STMT_END_F = 0x0001
    uint32_t column_count = 0;
    Bytes columns_before;  // bitmap (ceil(column_count/8) bytes): columns in the before image
    Bytes columns_after;   // Update/PartialUpdate: columns in the after image; else empty
    Bytes rows;            // the row images, decoded with RowDecoder
    // Where `rows` starts, for error messages: an offset in the file/stream, or, when the rows
    // were inflated (MariaDB *_COMPRESSED), the offset of the compressed block.
    uint64_t rows_offset = 0;
    uint8_t type = 0;  // the raw event type, for messages
    bool end_of_statement() const { return (flags & 0x0001) != 0; }
};

// TRANSACTION_PAYLOAD (MySQL binlog_transaction_compression): the inflated inner events,
// which carry no checksum. Iterate them with BinlogDecoder::decode_payload_event.
struct TransactionPayloadEvent {
    uint64_t uncompressed_size = 0;
    Bytes events;  // view into Event::owned
};

// An event we do not need and skip: known types with no meaning for CDC (INTVAR, RAND,
// USER_VAR, ...), and unknown types carrying LOG_EVENT_IGNORABLE_F.
struct SkippedEvent {
    bool unknown = false;  // true: the type is not one we know (counted by the decoder)
};

// A TABLE_MAP: the decoder has cached the schema, available via BinlogDecoder::table().
struct TableMapNotice {
    uint64_t table_id = 0;
};

using EventBody =
    std::variant<SkippedEvent, FormatDescriptionEvent, RotateEvent, QueryEvent, XidEvent, GtidEvent,
                 PreviousGtidsEvent, MariaGtidEvent, MariaGtidListEvent, BinlogCheckpointEvent,
                 AnnotateRowsEvent, RowsQueryEvent, HeartbeatEvent, IncidentEvent, StopEvent,
                 TableMapNotice, RowsEvent, TransactionPayloadEvent, XaPrepareEvent>;

struct Event {
    EventHeader header;
    uint64_t offset = 0;  // where the event starts (in the file / stream position)
    EventBody body;
    // Inflated bytes for compressed events; RowsEvent/TransactionPayloadEvent/QueryEvent views
    // may point here. A unique_ptr so moving the Event keeps the views valid.
    std::unique_ptr<std::vector<uint8_t>> owned;
};

}  // namespace cdc::binlog

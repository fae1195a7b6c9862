// Internal to binlog/: what every per-event parser gets (the FORMAT_DESCRIPTION in force, the
// header, where the event starts) and the parsers' declarations. decoder.cpp dispatches on the
// type code; each parser lives in its own file and reads the body in a straight line.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "binlog/event.h"
#include "common/byte_reader.h"
#include "common/result.h"
#include "model/table_schema.h"

namespace cdc::binlog {

struct EventContext {
    const FormatDescriptionEvent& fde;
    const EventHeader& header;
    uint64_t offset = 0;  // event start, for messages
    // Inner events of a TRANSACTION_PAYLOAD: `offset` is the payload event's, `inner_pos` the
    // inner event's position inside the inflated payload.
    bool inner = false;
    uint64_t inner_pos = 0;

    // Where the body starts, as an absolute offset for ByteReader messages.
    uint64_t body_offset() const { return (inner ? inner_pos : offset) + fde.common_header_length; }
    uint8_t post_header_len(uint8_t type) const;
    uint8_t post_header_len() const { return post_header_len(header.type); }
    // "QUERY event at offset 1234: "
    std::string where() const;
    Error error(Errc code, std::string_view what) const;
    Error error(const ByteReader& r) const { return r.error().with_context(where()); }
    ByteReader body_reader(Bytes body) const { return ByteReader(body, body_offset()); }
};

// The post-header length MySQL 8 / MariaDB 10 use for a type, for FORMAT_DESCRIPTIONs that
// do not list it (older servers, or before the first FORMAT_DESCRIPTION).
uint8_t default_post_header_len(uint8_t type);
// "QUERY", or "unknown type 100".
std::string event_type_label(uint8_t type);

// The whole event (header included): the FDE computes its own checksum rule.
Result<FormatDescriptionEvent> parse_format_description(Bytes event, uint64_t offset,
                                                        const EventHeader& header, bool verify);
Result<RotateEvent> parse_rotate(const EventContext& ctx, Bytes body);
Result<QueryEvent> parse_query(const EventContext& ctx, Bytes body);
Result<QueryEvent> parse_query_compressed(const EventContext& ctx, Bytes body);
Result<QueryEvent> parse_execute_load_query(const EventContext& ctx, Bytes body);
Result<XidEvent> parse_xid(const EventContext& ctx, Bytes body);
Result<IncidentEvent> parse_incident(const EventContext& ctx, Bytes body);
Result<HeartbeatEvent> parse_heartbeat(const EventContext& ctx, Bytes body);
Result<HeartbeatEvent> parse_heartbeat_v2(const EventContext& ctx, Bytes body);
Result<RowsQueryEvent> parse_rows_query(const EventContext& ctx, Bytes body);
Result<GtidEvent> parse_gtid(const EventContext& ctx, Bytes body);
Result<GtidEvent> parse_gtid_tagged(const EventContext& ctx, Bytes body);
Result<PreviousGtidsEvent> parse_previous_gtids(const EventContext& ctx, Bytes body);
Result<MariaGtidEvent> parse_maria_gtid(const EventContext& ctx, Bytes body);
Result<MariaGtidListEvent> parse_maria_gtid_list(const EventContext& ctx, Bytes body);
Result<BinlogCheckpointEvent> parse_binlog_checkpoint(const EventContext& ctx, Bytes body);
Result<AnnotateRowsEvent> parse_annotate_rows(const EventContext& ctx, Bytes body);
Result<model::TableSchema> parse_table_map(const EventContext& ctx, Bytes body);
Result<RowsEvent> parse_rows(const EventContext& ctx, Bytes body);
// MariaDB *_ROWS_COMPRESSED: the row images are inflated into `owned`.
Result<RowsEvent> parse_rows_compressed(const EventContext& ctx, Bytes body,
                                        std::unique_ptr<std::vector<uint8_t>>& owned);
Result<XaPrepareEvent> parse_xa_prepare(const EventContext& ctx, Bytes body);
Result<TransactionPayloadEvent> parse_transaction_payload(
    const EventContext& ctx, Bytes body, std::unique_ptr<std::vector<uint8_t>>& owned);

// An XID's gtrid and bqual bytes, after its lengths were read (each at most kXidPartMax).
inline constexpr uint64_t kXidPartMax = 64;
Status read_xid_data(ByteReader& r, uint64_t gtrid_length, uint64_t bqual_length, Xid& xid);

// MariaDB's compressed block: header byte 0x80 | n, n big-endian length bytes, zlib data.
Result<std::vector<uint8_t>> inflate_mariadb_block(const EventContext& ctx, Bytes block);

}  // namespace cdc::binlog

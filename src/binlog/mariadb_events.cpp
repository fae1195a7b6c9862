// MariaDB's own events: GTID (162), GTID_LIST (163), BINLOG_CHECKPOINT (161),
// ANNOTATE_ROWS (160). START_ENCRYPTION is refused in the dispatcher.
#include "binlog/event_context.h"

namespace cdc::binlog {

namespace {

constexpr uint8_t kFlGroupCommitId = 0x02;
constexpr uint8_t kFlPreparedXa = 0x40;
constexpr uint8_t kFlCompletedXa = 0x80;
// GTID_LIST: the top 4 bits of the count word are flags.
constexpr uint32_t kGtidListCountMask = 0x0fffffff;
constexpr size_t kGtidListEntrySize = 16;

}  // namespace

std::string MariaGtidEvent::to_string(uint32_t server_id) const {
    return std::to_string(domain_id) + "-" + std::to_string(server_id) + "-" +
           std::to_string(seq_no);
}

Result<MariaGtidEvent> parse_maria_gtid(const EventContext& ctx, Bytes body) {
    ByteReader r = ctx.body_reader(body);
    MariaGtidEvent ev;
    ev.seq_no = r.read_u64le();
    ev.domain_id = r.read_u32le();
    ev.flags = r.read_u8();
    if (r.ok() && (ev.flags & kFlGroupCommitId) != 0) ev.commit_id = r.read_u64le();
    if (r.ok() && (ev.flags & (kFlPreparedXa | kFlCompletedXa)) != 0) {
        // Gtid_log_event: formatID (4), gtrid and bqual lengths (1 each), their bytes.
        ev.xid.format_id = r.read_u32le();
        uint8_t gtrid_length = r.read_u8();
        uint8_t bqual_length = r.read_u8();
        Status st = read_xid_data(r, gtrid_length, bqual_length, ev.xid);
        if (!st) return st.error().with_context(ctx.where());
    }
    if (!r.ok()) return ctx.error(r);
    return ev;
}

Result<MariaGtidListEvent> parse_maria_gtid_list(const EventContext& ctx, Bytes body) {
    ByteReader r = ctx.body_reader(body);
    uint32_t count = r.read_u32le() & kGtidListCountMask;
    if (!r.ok()) return ctx.error(r);
    if (count > r.remaining() / kGtidListEntrySize) {
        return ctx.error(Errc::Malformed, std::to_string(count) + " GTIDs cannot fit in " +
                                              std::to_string(r.remaining()) + " bytes");
    }
    MariaGtidListEvent ev;
    for (uint32_t i = 0; i < count; ++i) {
        uint32_t domain = r.read_u32le();
        uint32_t server = r.read_u32le();
        uint64_t seq = r.read_u64le();
        if (i > 0) ev.gtid_list += ",";
        ev.gtid_list += std::to_string(domain) + "-" + std::to_string(server) + "-" +
                        std::to_string(seq);
    }
    if (!r.ok()) return ctx.error(r);
    return ev;
}

Result<BinlogCheckpointEvent> parse_binlog_checkpoint(const EventContext& ctx, Bytes body) {
    ByteReader r = ctx.body_reader(body);
    uint32_t length = r.read_u32le();
    BinlogCheckpointEvent ev;
    ev.file = std::string(r.read_str(length));
    if (!r.ok()) return ctx.error(r);
    return ev;
}

Result<AnnotateRowsEvent> parse_annotate_rows(const EventContext& ctx, Bytes body) {
    ByteReader r = ctx.body_reader(body);
    r.skip(ctx.post_header_len());
    AnnotateRowsEvent ev;
    ev.sql = std::string(as_string_view(r.rest()));
    if (!r.ok()) return ctx.error(r);
    return ev;
}

}  // namespace cdc::binlog

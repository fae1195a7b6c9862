// XA transactions' binary identifiers: XA_PREPARE (38), as both servers write it
// (MySQL libbinlogevents XA_prepare_event, MariaDB XA_prepare_log_event), and the XID that a
// MariaDB GTID carries when FL_PREPARED_XA or FL_COMPLETED_XA is set (Gtid_log_event).
//
// XA_PREPARE body (after a post-header of the FORMAT_DESCRIPTION's length, 0 in practice):
//   one_phase     1 byte   1: XA COMMIT ... ONE PHASE (committed here), 0: XA PREPARE
//   formatID      4 bytes  little-endian
//   gtrid_length  4 bytes  0..64
//   bqual_length  4 bytes  0..64
//   data          gtrid_length + bqual_length bytes
#include "binlog/event_context.h"

namespace cdc::binlog {

namespace {

constexpr char kHex[] = "0123456789ABCDEF";

void append_hex(std::string& out, std::string_view bytes) {
    for (char c : bytes) {
        auto b = static_cast<uint8_t>(c);
        out += kHex[b >> 4];
        out += kHex[b & 0x0f];
    }
}

}  // namespace

std::string Xid::to_string() const {
    std::string s = "X'";
    append_hex(s, gtrid);
    s += "',X'";
    append_hex(s, bqual);
    s += "',";
    s += std::to_string(format_id);
    return s;
}

Status read_xid_data(ByteReader& r, uint64_t gtrid_length, uint64_t bqual_length, Xid& xid) {
    if (!r.ok()) return r.error();
    if (gtrid_length > kXidPartMax || bqual_length > kXidPartMax) {
        return make_error(Errc::Malformed, "XID lengths " + std::to_string(gtrid_length) + "+" +
                                               std::to_string(bqual_length) +
                                               " exceed 64 bytes each");
    }
    xid.gtrid = std::string(r.read_str(gtrid_length));
    xid.bqual = std::string(r.read_str(bqual_length));
    if (!r.ok()) return r.error();
    return {};
}

Result<XaPrepareEvent> parse_xa_prepare(const EventContext& ctx, Bytes body) {
    ByteReader r = ctx.body_reader(body);
    r.skip(ctx.post_header_len());
    XaPrepareEvent ev;
    ev.one_phase = r.read_u8() != 0;
    ev.xid.format_id = r.read_u32le();
    uint32_t gtrid_length = r.read_u32le();
    uint32_t bqual_length = r.read_u32le();
    Status st = read_xid_data(r, gtrid_length, bqual_length, ev.xid);
    if (!st) return st.error().with_context(ctx.where());
    return ev;
}

}  // namespace cdc::binlog

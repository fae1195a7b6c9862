// Small events with a fixed layout: ROTATE, XID, INCIDENT, HEARTBEAT (v1 and v2), ROWS_QUERY.
#include "binlog/event_context.h"

namespace cdc::binlog {

namespace {

// HEARTBEAT_V2 fields (codecs/binary.cpp in MySQL): packed-integer type and length.
constexpr uint64_t kHeartbeatEndMark = 0;
constexpr uint64_t kHeartbeatLogFilename = 1;
constexpr uint64_t kHeartbeatLogPosition = 2;

}  // namespace

Result<RotateEvent> parse_rotate(const EventContext& ctx, Bytes body) {
    ByteReader r = ctx.body_reader(body);
    RotateEvent ev;
    // A post-header of 0 is a pre-4.0 ROTATE with no position: the next file starts at 4.
    ev.position = ctx.post_header_len() >= 8 ? r.read_u64le() : 4;
    r.skip(ctx.post_header_len() > 8 ? ctx.post_header_len() - 8 : 0);
    ev.next_file = std::string(as_string_view(r.rest()));
    if (!r.ok()) return ctx.error(r);
    if (ev.next_file.empty()) return ctx.error(Errc::Malformed, "no file name");
    return ev;
}

Result<XidEvent> parse_xid(const EventContext& ctx, Bytes body) {
    ByteReader r = ctx.body_reader(body);
    r.skip(ctx.post_header_len());
    if (r.ok() && r.remaining() != 8) {
        return ctx.error(Errc::Malformed, "body is " + std::to_string(r.remaining()) +
                                              " bytes after the post-header, an XID has 8");
    }
    XidEvent ev;
    ev.xid = r.read_u64le();
    if (!r.ok()) return ctx.error(r);
    return ev;
}

Result<IncidentEvent> parse_incident(const EventContext& ctx, Bytes body) {
    ByteReader r = ctx.body_reader(body);
    IncidentEvent ev;
    ev.code = r.read_u16le();
    r.skip(ctx.post_header_len() > 2 ? ctx.post_header_len() - 2 : 0);
    if (r.ok() && !r.empty()) ev.message = std::string(r.read_u8_prefixed_str());
    if (!r.ok()) return ctx.error(r);
    return ev;
}

Result<HeartbeatEvent> parse_heartbeat(const EventContext& ctx, Bytes body) {
    HeartbeatEvent ev;
    ev.log_file = std::string(as_string_view(body));
    ev.position = ctx.header.log_pos;
    return ev;
}

Result<HeartbeatEvent> parse_heartbeat_v2(const EventContext& ctx, Bytes body) {
    ByteReader r = ctx.body_reader(body);
    HeartbeatEvent ev;
    while (r.ok() && !r.empty()) {
        uint64_t type = r.read_packed_int();
        if (type == kHeartbeatEndMark) break;
        uint64_t length = r.read_packed_int();
        if (!r.ok()) break;
        if (length > r.remaining()) {
            return ctx.error(Errc::Truncated, "field " + std::to_string(type) + " of " +
                                                  std::to_string(length) + " bytes, " +
                                                  std::to_string(r.remaining()) + " left");
        }
        ByteReader field = r.sub_reader(static_cast<size_t>(length));
        if (type == kHeartbeatLogFilename) {
            ev.log_file = std::string(as_string_view(field.rest()));
        } else if (type == kHeartbeatLogPosition) {
            ev.position = field.read_packed_int();
            if (!field.ok()) return ctx.error(field);
        }
    }
    if (!r.ok()) return ctx.error(r);
    return ev;
}

Result<RowsQueryEvent> parse_rows_query(const EventContext& ctx, Bytes body) {
    ByteReader r = ctx.body_reader(body);
    // One length byte follows; it overflows for statements over 255 bytes, so the text is
    // simply the rest of the event (as MySQL itself reads it).
    r.skip(ctx.post_header_len() + 1u);
    RowsQueryEvent ev;
    ev.sql = std::string(as_string_view(r.rest()));
    if (!r.ok()) return ctx.error(r);
    return ev;
}

}  // namespace cdc::binlog

// MySQL GTID / ANONYMOUS_GTID (fixed layout) and PREVIOUS_GTIDS (a GTID set, optionally with
// tags since 8.3). GTID_TAGGED is in gtid_tagged.cpp.
#include "binlog/event_context.h"
#include "binlog/gtid_text.h"
#include "binlog/serialization.h"

namespace cdc::binlog {

namespace {

constexpr uint8_t kLogicalTimestampTypecode = 2;
// 8.0.1+: immediate_commit_timestamp in 7 bytes; its top bit (bit 55) says that
// original_commit_timestamp (7 more bytes) follows, else the two are equal.
constexpr size_t kCommitTimestampSize = 7;
constexpr uint64_t kOriginalFollowsBit = uint64_t{1} << 55;
constexpr size_t kUuidSize = 16;
// PREVIOUS_GTIDS count word of the tagged format: format byte, 6 count bytes, format byte.
constexpr uint64_t kGtidSetFormatTagged = 1;

std::string interval_text(int64_t start, int64_t end) {
    // Stored half-open [start, end); printed closed.
    if (end - 1 == start) return std::to_string(start);
    return std::to_string(start) + "-" + std::to_string(end - 1);
}

}  // namespace

std::string format_uuid(const uint8_t* b) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string s;
    s.reserve(36);
    for (size_t i = 0; i < kUuidSize; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) s.push_back('-');
        s.push_back(kHex[b[i] >> 4]);
        s.push_back(kHex[b[i] & 0x0f]);
    }
    return s;
}

std::string GtidEvent::to_string() const {
    std::string s = format_uuid(sid.data());
    if (!tag.empty()) s += ":" + tag;
    return s + ":" + std::to_string(gno);
}

Result<GtidEvent> parse_gtid(const EventContext& ctx, Bytes body) {
    ByteReader r = ctx.body_reader(body);
    GtidEvent ev;
    ev.anonymous = ctx.header.type == static_cast<uint8_t>(EventType::AnonymousGtid);
    ev.flags = r.read_u8();
    Bytes sid = r.read_bytes(kUuidSize);
    ev.gno = static_cast<int64_t>(r.read_u64le());
    if (!r.ok()) return ctx.error(r);
    std::copy(sid.begin(), sid.end(), ev.sid.begin());
    // 5.6 stops here; 5.7+ adds the logical clock, 8.0.1+ the commit timestamps, then the
    // transaction length and server versions (not needed). MySQL: libs/mysql/binlog/event/
    // control_events.cpp, Gtid_event's constructor.
    if (r.remaining() >= 17 && r.read_u8() == kLogicalTimestampTypecode) {
        ev.last_committed = static_cast<int64_t>(r.read_u64le());
        ev.sequence_number = static_cast<int64_t>(r.read_u64le());
        if (r.remaining() >= kCommitTimestampSize) {
            ev.immediate_commit_us = r.read_uint_le(kCommitTimestampSize) & ~kOriginalFollowsBit;
        }
    }
    if (!r.ok()) return ctx.error(r);
    if (!ev.anonymous && ev.gno <= 0) {
        return ctx.error(Errc::Malformed, "GNO " + std::to_string(ev.gno) + " is not positive");
    }
    return ev;
}

Result<PreviousGtidsEvent> parse_previous_gtids(const EventContext& ctx, Bytes body) {
    ByteReader r = ctx.body_reader(body);
    r.skip(ctx.post_header_len());
    uint64_t word = r.read_u64le();
    if (!r.ok()) return ctx.error(r);
    bool tagged = (word >> 56) != 0;
    if (tagged && ((word >> 56) != kGtidSetFormatTagged || (word & 0xff) != kGtidSetFormatTagged)) {
        return ctx.error(Errc::Unsupported, "GTID set format " + std::to_string(word >> 56));
    }
    uint64_t sids = tagged ? (word >> 8) & 0xffffffffffffULL : word;
    if (sids > r.remaining() / (kUuidSize + 8)) {
        return ctx.error(Errc::Malformed, std::to_string(sids) + " UUIDs cannot fit in " +
                                              std::to_string(r.remaining()) + " bytes");
    }
    PreviousGtidsEvent ev;
    std::string last_uuid;
    for (uint64_t i = 0; i < sids && r.ok(); ++i) {
        Bytes sid = r.read_bytes(kUuidSize);
        if (!r.ok()) break;  // a failed read gives no bytes: never format them
        std::string uuid = format_uuid(sid.data());
        std::string tag;
        if (tagged) tag = std::string(read_varlen_str(r));
        uint64_t intervals = r.read_u64le();
        if (!r.ok()) break;
        if (intervals > r.remaining() / 16) {
            return ctx.error(Errc::Malformed, std::to_string(intervals) + " intervals cannot fit");
        }
        if (uuid != last_uuid) {
            if (!ev.gtid_set.empty()) ev.gtid_set += ",";
            ev.gtid_set += uuid;
            last_uuid = uuid;
        }
        if (!tag.empty()) ev.gtid_set += ":" + tag;
        for (uint64_t k = 0; k < intervals; ++k) {
            auto start = static_cast<int64_t>(r.read_u64le());
            auto end = static_cast<int64_t>(r.read_u64le());
            if (r.ok() && end <= start) {
                return ctx.error(Errc::Malformed, "empty GTID interval [" + std::to_string(start) +
                                                      ", " + std::to_string(end) + ")");
            }
            ev.gtid_set += ":" + interval_text(start, end);
        }
    }
    if (!r.ok()) return ctx.error(r);
    return ev;
}

}  // namespace cdc::binlog

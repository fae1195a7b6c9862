// GTID_TAGGED (MySQL 8.3+): the GTID in the serialization library's message format
//
//   varlen  format version
//   varlen  message size (the whole body, these header fields included)
//   varlen  last non-ignorable field id
//   { varlen field id, field value }   ids: 0 flags, 1 uuid (16 varlen bytes), 2 gno,
//                                      3 tag (string), 4 last_committed, 5 sequence_number,
//                                      6 immediate_commit_timestamp (µs), 7.. the original
//                                      one, lengths, versions (not needed here)
#include "binlog/event_context.h"
#include "binlog/serialization.h"

namespace cdc::binlog {

namespace {

enum class TaggedField : uint64_t {
    Flags = 0,
    Uuid = 1,
    Gno = 2,
    Tag = 3,
    LastCommitted = 4,
    SequenceNumber = 5,
    ImmediateCommitTimestamp = 6,
};

// Reads one field into `ev`; false for a field id past the ones we need (the rest is skipped,
// since an unknown field's size cannot be known without its type).
bool read_field(ByteReader& r, uint64_t id, GtidEvent& ev, bool& have_uuid, bool& have_gno) {
    switch (static_cast<TaggedField>(id)) {
        case TaggedField::Flags: ev.flags = static_cast<uint8_t>(read_varlen_u64(r)); return true;
        case TaggedField::Uuid:
            for (uint8_t& b : ev.sid) b = static_cast<uint8_t>(read_varlen_u64(r));
            have_uuid = true;
            return true;
        case TaggedField::Gno:
            ev.gno = read_varlen_i64(r);
            have_gno = true;
            return true;
        case TaggedField::Tag: ev.tag = std::string(read_varlen_str(r)); return true;
        case TaggedField::LastCommitted: ev.last_committed = read_varlen_i64(r); return true;
        case TaggedField::SequenceNumber: ev.sequence_number = read_varlen_i64(r); return true;
        case TaggedField::ImmediateCommitTimestamp:
            ev.immediate_commit_us = read_varlen_u64(r);
            return true;
    }
    return false;
}

}  // namespace

Result<GtidEvent> parse_gtid_tagged(const EventContext& ctx, Bytes body) {
    ByteReader r = ctx.body_reader(body);
    (void)read_varlen_u64(r);  // format version
    uint64_t size = read_varlen_u64(r);
    (void)read_varlen_u64(r);  // last non-ignorable field id
    if (!r.ok()) return ctx.error(r);
    if (size > body.size()) {
        return ctx.error(Errc::Truncated, "message of " + std::to_string(size) +
                                              " bytes in a body of " + std::to_string(body.size()));
    }
    GtidEvent ev;
    bool have_uuid = false;
    bool have_gno = false;
    while (r.ok() && r.position() < size) {
        uint64_t id = read_varlen_u64(r);
        if (!r.ok() || !read_field(r, id, ev, have_uuid, have_gno)) break;
    }
    if (!r.ok()) return ctx.error(r);
    if (!have_uuid || !have_gno) return ctx.error(Errc::Malformed, "no UUID or GNO field");
    if (ev.gno <= 0) {
        return ctx.error(Errc::Malformed, "GNO " + std::to_string(ev.gno) + " is not positive");
    }
    return ev;
}

}  // namespace cdc::binlog

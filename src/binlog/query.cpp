// QUERY (and MariaDB's QUERY_COMPRESSED): a statement, e.g. BEGIN, DDL, or SBR DML.
//
//   post-header: thread id 4, exec time 4, schema length 1, error code 2,
//                status vars length 2 (binlog v4; absent in v3's 11-byte post-header)
//   body:        status vars (skipped by their length), schema, NUL, statement text
#include "binlog/event_context.h"

namespace cdc::binlog {

namespace {

constexpr uint8_t kQueryPostHeaderV3 = 11;

// Reads everything before the statement text; leaves `r` at the text.
Result<QueryEvent> parse_query_head(const EventContext& ctx, ByteReader& r) {
    QueryEvent ev;
    uint8_t post_header = ctx.post_header_len();
    if (post_header < kQueryPostHeaderV3) {
        return ctx.error(Errc::Malformed,
                         "post-header length " + std::to_string(post_header) + " is below 11");
    }
    ev.thread_id = r.read_u32le();
    ev.exec_time = r.read_u32le();
    uint8_t schema_length = r.read_u8();
    ev.error_code = r.read_u16le();
    uint16_t status_vars_length = post_header > kQueryPostHeaderV3 ? r.read_u16le() : 0;
    if (post_header > kQueryPostHeaderV3 + 2) r.skip(post_header - kQueryPostHeaderV3 - 2u);
    if (!r.ok()) return ctx.error(r);
    if (status_vars_length > r.remaining()) {
        return ctx.error(Errc::Malformed, "status variables of " +
                                              std::to_string(status_vars_length) +
                                              " bytes run past the event (" +
                                              std::to_string(r.remaining()) + " bytes left)");
    }
    r.skip(status_vars_length);
    ev.schema = std::string(r.read_str(schema_length));
    uint8_t terminator = r.read_u8();
    if (!r.ok()) return ctx.error(r);
    if (terminator != 0) {
        return ctx.error(Errc::Malformed, "schema name is not followed by a NUL byte");
    }
    return ev;
}

}  // namespace

Result<QueryEvent> parse_query(const EventContext& ctx, Bytes body) {
    ByteReader r = ctx.body_reader(body);
    Result<QueryEvent> ev = parse_query_head(ctx, r);
    if (!ev) return ev;
    ev->sql = std::string(as_string_view(r.rest()));
    return ev;
}

Result<QueryEvent> parse_query_compressed(const EventContext& ctx, Bytes body) {
    ByteReader r = ctx.body_reader(body);
    Result<QueryEvent> ev = parse_query_head(ctx, r);
    if (!ev) return ev;
    Result<std::vector<uint8_t>> text = inflate_mariadb_block(ctx, r.rest());
    if (!text) return text.error();
    ev->sql.assign(text->begin(), text->end());
    return ev;
}

}  // namespace cdc::binlog

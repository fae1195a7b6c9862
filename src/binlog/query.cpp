// QUERY (and MariaDB's QUERY_COMPRESSED): a statement, e.g. BEGIN, DDL, or SBR DML.
//
//   post-header: thread id 4, exec time 4, schema length 1, error code 2,
//                status vars length 2 (binlog v4; absent in v3's 11-byte post-header)
//   body:        status vars (skipped by their length), schema, NUL, statement text
#include <optional>

#include "binlog/event_context.h"

namespace cdc::binlog {

namespace {

constexpr uint8_t kQueryPostHeaderV3 = 11;
constexpr uint8_t kStatusFlags2 = 0;   // Q_FLAGS2_CODE: 4 bytes
constexpr uint8_t kStatusSqlMode = 1;  // Q_SQL_MODE_CODE: 8 bytes

// The session's sql_mode, which says how the statement text is lexed. Both servers write
// Q_FLAGS2_CODE, then Q_SQL_MODE_CODE, first; a variable of another code ends the search (its
// length depends on its code, so nothing after it can be found safely).
std::optional<uint64_t> read_sql_mode(Bytes status_vars) {
    ByteReader r(status_vars);
    while (r.ok() && r.remaining() > 0) {
        uint8_t code = r.read_u8();
        if (code == kStatusFlags2) {
            r.skip(4);
            continue;
        }
        if (code != kStatusSqlMode) return std::nullopt;
        uint64_t mode = r.read_u64le();
        if (!r.ok()) return std::nullopt;
        return mode;
    }
    return std::nullopt;
}

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
    ev.sql_mode = read_sql_mode(r.read_bytes(status_vars_length));
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

Result<QueryEvent> parse_execute_load_query(const EventContext& ctx, Bytes body) {
    // The QUERY layout with 13 more post-header bytes (file id, start and end of the file
    // name in the text, duplicate handling), which parse_query_head skips by the post-header
    // length.
    Result<QueryEvent> ev = parse_query(ctx, body);
    if (ev) ev->execute_load = true;
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

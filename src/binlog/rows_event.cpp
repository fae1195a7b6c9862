// Rows events: WRITE/UPDATE/DELETE_ROWS v1 (23-25) and v2 (30-32), PARTIAL_UPDATE_ROWS (39),
// and the uncompressed part of MariaDB's *_ROWS_COMPRESSED (166-171).
//
//   post-header: table id 6 (4 if the post-header is 6), flags 2,
//                v2 only: extra-data length 2 (counting itself), extra data
//   body:        column count (packed), columns-present bitmap,
//                UPDATE/PARTIAL_UPDATE: after-image bitmap, then the row images
#include "binlog/event_context.h"

namespace cdc::binlog {

namespace {

constexpr uint8_t kRowsPostHeaderOld = 6;
constexpr uint8_t kRowsPostHeaderV2 = 10;

struct RowsLayout {
    RowsKind kind;
    uint8_t version;
};

bool rows_layout(uint8_t type, RowsLayout& out) {
    switch (static_cast<EventType>(type)) {
        case EventType::WriteRowsV1:
        case EventType::WriteRowsCompressedV1: out = {RowsKind::Write, 1}; return true;
        case EventType::UpdateRowsV1:
        case EventType::UpdateRowsCompressedV1: out = {RowsKind::Update, 1}; return true;
        case EventType::DeleteRowsV1:
        case EventType::DeleteRowsCompressedV1: out = {RowsKind::Delete, 1}; return true;
        case EventType::WriteRows:
        case EventType::WriteRowsCompressed: out = {RowsKind::Write, 2}; return true;
        case EventType::UpdateRows:
        case EventType::UpdateRowsCompressed: out = {RowsKind::Update, 2}; return true;
        case EventType::DeleteRows:
        case EventType::DeleteRowsCompressed: out = {RowsKind::Delete, 2}; return true;
        case EventType::PartialUpdateRows: out = {RowsKind::PartialUpdate, 2}; return true;
        default: return false;
    }
}

}  // namespace

Result<RowsEvent> parse_rows(const EventContext& ctx, Bytes body) {
    RowsLayout layout{};
    if (!rows_layout(ctx.header.type, layout)) {
        return ctx.error(Errc::Internal, "not a rows event type");
    }
    RowsEvent ev;
    ev.kind = layout.kind;
    ev.version = layout.version;
    ev.type = ctx.header.type;
    uint8_t post_header = ctx.post_header_len();
    ByteReader r = ctx.body_reader(body);
    ev.table_id = post_header == kRowsPostHeaderOld ? r.read_u32le() : r.read_u48le();
    ev.flags = r.read_u16le();
    if (post_header == kRowsPostHeaderV2) {
        uint16_t extra = r.read_u16le();
        if (r.ok() && extra < 2) {
            return ctx.error(Errc::Malformed, "extra-data length " + std::to_string(extra) +
                                                  " is below its own 2 bytes");
        }
        r.skip(extra - 2u);
    }
    uint64_t width = r.read_packed_int();
    if (!r.ok()) return ctx.error(r);
    if (width == 0 || width > 4096) {
        return ctx.error(Errc::Malformed, "column count " + std::to_string(width));
    }
    ev.column_count = static_cast<uint32_t>(width);
    size_t bitmap_bytes = (ev.column_count + 7) / 8;
    ev.columns_before = r.read_bytes(bitmap_bytes);
    if (ev.kind == RowsKind::Update || ev.kind == RowsKind::PartialUpdate) {
        ev.columns_after = r.read_bytes(bitmap_bytes);
    }
    ev.rows_offset = r.absolute_offset();
    ev.rows = r.rest();
    if (!r.ok()) return ctx.error(r);
    return ev;
}

Result<RowsEvent> parse_rows_compressed(const EventContext& ctx, Bytes body,
                                        std::unique_ptr<std::vector<uint8_t>>& owned) {
    Result<RowsEvent> ev = parse_rows(ctx, body);
    if (!ev) return ev;
    Result<std::vector<uint8_t>> rows = inflate_mariadb_block(ctx, ev->rows);
    if (!rows) return rows.error();
    owned = std::make_unique<std::vector<uint8_t>>(std::move(*rows));
    ev->rows = Bytes(*owned);
    return ev;
}

}  // namespace cdc::binlog

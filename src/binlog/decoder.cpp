// BinlogDecoder: header, checksum trailer, then dispatch on the type code to the per-event
// parsers (event_context.h). Keeps the FORMAT_DESCRIPTION in force and the table maps.
#include "binlog/decoder.h"

#include <algorithm>
#include <atomic>

#include "binlog/checksum.h"
#include "binlog/event_context.h"

namespace cdc::binlog {

namespace {

struct DecoderState {
    DecoderOptions options;
    FormatDescriptionEvent fde;
    bool have_fde = false;
    DecoderStats stats;
    std::unordered_map<uint64_t, model::TableSchema> tables;
    std::unordered_map<uint64_t, std::vector<uint8_t>> table_map_bytes;  // body last parsed
};

// The table id a TABLE_MAP body starts with (6 bytes; 4 in 5.0-era formats), or all ones
// when the body is too short (then the full parse reports the error).
uint64_t peek_table_id(const EventContext& ctx, Bytes body) {
    size_t width = ctx.post_header_len() == 6 ? 4 : 6;
    if (body.size() < width) return ~0ull;
    uint64_t id = 0;
    for (size_t i = 0; i < width; ++i) id |= static_cast<uint64_t>(body[i]) << (8 * i);
    return id;
}

template <class T>
Result<EventBody> wrap(Result<T> r) {
    if (!r) return r.error();
    return EventBody(std::move(*r));
}

bool is_skipped_type(EventType t) {
    switch (t) {
        case EventType::Intvar:
        case EventType::Rand:
        case EventType::UserVar:
        case EventType::Slave:          // never written
        case EventType::AppendBlock:    // file data of a LOAD DATA; the statement is in
        case EventType::BeginLoadQuery: // EXECUTE_LOAD_QUERY, decoded as a QueryEvent
        case EventType::DeleteFile:     // a LOAD DATA that failed: drops its file data
        case EventType::Ignorable:
        case EventType::TransactionContext:
        case EventType::ViewChange: return true;
        default: return false;
    }
}

// Decodes the types whose parsers need no decoder state.
Result<EventBody> decode_stateless(const EventContext& ctx, Bytes body,
                                          std::unique_ptr<std::vector<uint8_t>>& owned,
                                          bool& handled) {
    handled = true;
    switch (static_cast<EventType>(ctx.header.type)) {
        case EventType::Query: return wrap(parse_query(ctx, body));
        case EventType::QueryCompressed: return wrap(parse_query_compressed(ctx, body));
        case EventType::ExecuteLoadQuery: return wrap(parse_execute_load_query(ctx, body));
        case EventType::Load:
        case EventType::CreateFile:
        case EventType::ExecLoad:
        case EventType::NewLoad:
            // Statement-based LOAD DATA of MySQL 3.23-5.0.2: rows no CDC reader can see.
            return ctx.error(Errc::Unsupported,
                             "a LOAD DATA logged as a statement by a MySQL server before 5.0.3 "
                             "(its rows are not in the binlog); use binlog_format=ROW");
        case EventType::Stop: return EventBody(StopEvent{});
        case EventType::Rotate: return wrap(parse_rotate(ctx, body));
        case EventType::Xid: return wrap(parse_xid(ctx, body));
        case EventType::Incident: return wrap(parse_incident(ctx, body));
        case EventType::Heartbeat: return wrap(parse_heartbeat(ctx, body));
        case EventType::HeartbeatV2: return wrap(parse_heartbeat_v2(ctx, body));
        case EventType::RowsQuery: return wrap(parse_rows_query(ctx, body));
        case EventType::Gtid:
        case EventType::AnonymousGtid: return wrap(parse_gtid(ctx, body));
        case EventType::GtidTagged: return wrap(parse_gtid_tagged(ctx, body));
        case EventType::PreviousGtids: return wrap(parse_previous_gtids(ctx, body));
        case EventType::MariaGtid: return wrap(parse_maria_gtid(ctx, body));
        case EventType::MariaGtidList: return wrap(parse_maria_gtid_list(ctx, body));
        case EventType::BinlogCheckpoint: return wrap(parse_binlog_checkpoint(ctx, body));
        case EventType::AnnotateRows: return wrap(parse_annotate_rows(ctx, body));
        case EventType::WriteRowsV1:
        case EventType::UpdateRowsV1:
        case EventType::DeleteRowsV1:
        case EventType::WriteRows:
        case EventType::UpdateRows:
        case EventType::DeleteRows:
        case EventType::PartialUpdateRows: return wrap(parse_rows(ctx, body));
        case EventType::WriteRowsCompressedV1:
        case EventType::UpdateRowsCompressedV1:
        case EventType::DeleteRowsCompressedV1:
        case EventType::WriteRowsCompressed:
        case EventType::UpdateRowsCompressed:
        case EventType::DeleteRowsCompressed:
            return wrap(parse_rows_compressed(ctx, body, owned));
        case EventType::TransactionPayload:
            return wrap(parse_transaction_payload(ctx, body, owned));
        case EventType::XaPrepare: return wrap(parse_xa_prepare(ctx, body));
        case EventType::StartV3:
            return ctx.error(Errc::Unsupported,
                             "a binlog v1/v3 file (MySQL before 5.0); only v4 is supported");
        case EventType::PreGaWriteRows:
        case EventType::PreGaUpdateRows:
        case EventType::PreGaDeleteRows:
            return ctx.error(Errc::Unsupported, "pre-GA rows event of a MySQL 5.1 beta");
        case EventType::StartEncryption:
            return ctx.error(Errc::Unsupported, "encrypted binlog (MariaDB encrypt_binlog)");
        default: handled = false; return EventBody(SkippedEvent{});
    }
}

Result<EventBody> decode_body(DecoderState& s, const EventContext& ctx, Bytes body,
                                     std::unique_ptr<std::vector<uint8_t>>& owned) {
    bool handled = false;
    Result<EventBody> r = decode_stateless(ctx, body, owned, handled);
    if (handled) return r;
    auto type = static_cast<EventType>(ctx.header.type);
    if (type == EventType::TableMap) {
        // Servers repeat a table's TABLE_MAP in every transaction: when the bytes are the
        // ones already parsed for that id, keep the schema (and whatever is cached from it).
        uint64_t id = peek_table_id(ctx, body);
        auto known = s.table_map_bytes.find(id);
        if (known != s.table_map_bytes.end() && s.tables.count(id) != 0 &&
            known->second.size() == body.size() &&
            std::equal(body.begin(), body.end(), known->second.begin())) {
            return EventBody(TableMapNotice{id});
        }
        Result<model::TableSchema> schema = parse_table_map(ctx, body);
        if (!schema) return schema.error();
        id = schema->table_id;
        schema->generation = model::next_schema_generation();
        s.tables[id] = std::move(*schema);
        s.table_map_bytes[id].assign(body.begin(), body.end());
        return EventBody(TableMapNotice{id});
    }
    if (is_skipped_type(type)) return EventBody(SkippedEvent{});
    if ((ctx.header.flags & kLogEventIgnorableFlag) != 0) {
        ++s.stats.unknown_ignorable_skipped;
        return EventBody(SkippedEvent{true});
    }
    if (s.options.skip_unknown_events) {
        ++s.stats.unknown_skipped;
        return EventBody(SkippedEvent{true});
    }
    return make_error(Errc::Unsupported,
                      "unknown event type " + std::to_string(ctx.header.type) + " at offset " +
                          std::to_string(ctx.offset) +
                          " (not marked ignorable; DecoderOptions::skip_unknown_events skips it)");
}

// Decodes one event; `inner` events (inside a TRANSACTION_PAYLOAD) have no checksum.
Result<Event> decode_event(DecoderState& s, Bytes bytes, uint64_t offset,
                                  bool inner, uint64_t inner_pos) {
    Result<EventHeader> header = parse_event_header(bytes, inner ? inner_pos : offset);
    if (!header) return header.error();
    Event ev;
    ev.header = *header;
    ev.offset = offset;
    EventContext ctx{s.fde, ev.header, offset, inner, inner_pos};
    if (header->event_size != bytes.size()) {
        return ctx.error(Errc::Malformed, "event size field says " +
                                              std::to_string(header->event_size) + " bytes, got " +
                                              std::to_string(bytes.size()));
    }
    if (header->type == static_cast<uint8_t>(EventType::FormatDescription)) {
        if (inner) return ctx.error(Errc::Malformed, "FORMAT_DESCRIPTION inside a payload");
        Result<FormatDescriptionEvent> fde =
            parse_format_description(bytes, offset, ev.header, s.options.verify_checksums);
        if (!fde) return fde.error();
        s.fde = *fde;
        s.have_fde = true;
        s.tables.clear();
        s.table_map_bytes.clear();
        ev.body = std::move(*fde);
        ++s.stats.events;
        return ev;
    }
    // A ROTATE that comes before any FORMAT_DESCRIPTION (the replication stream's first
    // event) has a trailer when the server uses checksums: recognise it by its CRC.
    bool trailer = !inner && (s.fde.checksum == ChecksumAlg::Crc32 ||
                              (!s.have_fde && header->type == static_cast<uint8_t>(EventType::Rotate) &&
                               bytes.size() > kEventHeaderSize + kChecksumSize &&
                               checksum_matches(bytes, false)));
    size_t start = s.fde.common_header_length;
    size_t end = bytes.size() - (trailer ? kChecksumSize : 0);
    if (bytes.size() < start + (trailer ? kChecksumSize : 0)) {
        return ctx.error(Errc::Truncated, "event of " + std::to_string(bytes.size()) +
                                              " bytes has no room for its header and checksum");
    }
    if (trailer && s.options.verify_checksums && !checksum_matches(bytes, false)) {
        return ctx.error(Errc::ChecksumMismatch, "CRC32 does not match the event bytes");
    }
    Result<EventBody> body = decode_body(s, ctx, bytes.subspan(start, end - start), ev.owned);
    if (!body) return body.error();
    ev.body = std::move(*body);
    ++s.stats.events;
    return ev;
}

}  // namespace

struct BinlogDecoder::State : DecoderState {};

BinlogDecoder::BinlogDecoder(DecoderOptions options) : state_(std::make_unique<State>()) {
    state_->options = options;
}
BinlogDecoder::~BinlogDecoder() = default;
BinlogDecoder::BinlogDecoder(BinlogDecoder&&) noexcept = default;
BinlogDecoder& BinlogDecoder::operator=(BinlogDecoder&&) noexcept = default;

Result<Event> BinlogDecoder::decode(Bytes bytes, uint64_t offset) {
    return decode_event(*state_, bytes, offset, false, 0);
}

Result<std::optional<Event>> BinlogDecoder::next_payload_event(
    const TransactionPayloadEvent& payload, size_t& cursor, uint64_t payload_offset) {
    if (cursor >= payload.events.size()) return std::optional<Event>();
    Bytes rest = payload.events.subspan(cursor);
    Result<EventHeader> header = parse_event_header(rest, cursor);
    if (!header) {
        return header.error().with_context("TRANSACTION_PAYLOAD at offset " +
                                           std::to_string(payload_offset) + ": ");
    }
    if (header->event_size > rest.size()) {
        return make_error(Errc::Truncated,
                          "TRANSACTION_PAYLOAD at offset " + std::to_string(payload_offset) +
                              ": inner " + event_type_label(header->type) + " event at byte " +
                              std::to_string(cursor) + " of " + std::to_string(header->event_size) +
                              " bytes, " + std::to_string(rest.size()) + " left");
    }
    Result<Event> ev = decode_event(*state_, rest.first(header->event_size), payload_offset, true,
                                    cursor);
    if (!ev) return ev.error();
    cursor += header->event_size;
    return std::optional<Event>(std::move(*ev));
}

const model::TableSchema* BinlogDecoder::table(uint64_t table_id) const {
    auto it = state_->tables.find(table_id);
    return it == state_->tables.end() ? nullptr : &it->second;
}

const FormatDescriptionEvent& BinlogDecoder::format() const { return state_->fde; }
const DecoderStats& BinlogDecoder::stats() const { return state_->stats; }

}  // namespace cdc::binlog

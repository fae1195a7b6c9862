// BinlogDecoder: turns the bytes of one event into a typed Event. Pure: no I/O.
//
//   BinlogDecoder dec(options);
//   for each event's bytes (header + body + checksum trailer, as in the file or the stream):
//       Result<Event> ev = dec.decode(bytes, offset);
//       if (!ev) stop: the error names the event type and offset;
//       if TableMapNotice  -> dec.table(id) now returns the schema
//       if RowsEvent       -> RowDecoder rows(ev.rows, *dec.table(ev.table_id)) ...
//       if TransactionPayloadEvent -> while (dec.next_payload_event(...)) decode inner events
//
// State kept between events: the FORMAT_DESCRIPTION (checksum algorithm, post-header lengths,
// server flavour) and the table maps by id. A FORMAT_DESCRIPTION resets the table maps, as a
// new file or a server restart does.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <unordered_map>

#include "binlog/event.h"
#include "common/result.h"
#include "model/table_schema.h"

namespace cdc::binlog {

struct DecoderOptions {
    // Verify CRC32 trailers when the FORMAT_DESCRIPTION says the stream has them.
    bool verify_checksums = true;
    // An unknown event type without LOG_EVENT_IGNORABLE_F is an error unless this is set,
    // then it is skipped and counted (stats().unknown_skipped).
    bool skip_unknown_events = false;
    // A PARTIAL_UPDATE_ROWS JSON diff whose before image lacks the column (written with
    // binlog_row_image=MINIMAL) cannot be applied: an error unless this is set, then the
    // column is left out of the after image (Absent) and counted by the caller. For offline
    // decoding; the daemon refuses such servers at its checks.
    bool partial_json_without_before_as_absent = false;
};

struct DecoderStats {
    uint64_t events = 0;
    uint64_t unknown_ignorable_skipped = 0;
    uint64_t unknown_skipped = 0;
};

class BinlogDecoder {
public:
    explicit BinlogDecoder(DecoderOptions options = {});
    ~BinlogDecoder();
    BinlogDecoder(BinlogDecoder&&) noexcept;
    BinlogDecoder& operator=(BinlogDecoder&&) noexcept;

    // Decodes one complete event: `bytes` holds exactly event_size bytes (checksum included).
    // `offset` is only used in error messages and stored in Event::offset.
    Result<Event> decode(Bytes bytes, uint64_t offset);

    // Splits the next inner event off a TRANSACTION_PAYLOAD's inflated bytes (inner events
    // have no checksum) and decodes it. `cursor` starts at 0 and is advanced; returns
    // std::nullopt-like empty optional at the end.
    Result<std::optional<Event>> next_payload_event(const TransactionPayloadEvent& payload,
                                                    size_t& cursor, uint64_t payload_offset);

    // The schema of a mapped table, or nullptr if no TABLE_MAP for it was seen.
    const model::TableSchema* table(uint64_t table_id) const;

    // The current FORMAT_DESCRIPTION (a default v4 one until the first FDE arrives).
    const FormatDescriptionEvent& format() const;
    const DecoderStats& stats() const;

private:
    struct State;
    std::unique_ptr<State> state_;
};

// Reads the 19-byte common header. Fails with Truncated if fewer bytes.
Result<EventHeader> parse_event_header(Bytes bytes, uint64_t offset);

}  // namespace cdc::binlog

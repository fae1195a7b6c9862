#include "binlog/decoder.h"

namespace cdc::binlog {

Result<EventHeader> parse_event_header(Bytes bytes, uint64_t offset) {
    ByteReader r(bytes, offset);
    EventHeader h;
    h.timestamp = r.read_u32le();
    h.type = r.read_u8();
    h.server_id = r.read_u32le();
    h.event_size = r.read_u32le();
    h.log_pos = r.read_u32le();
    h.flags = r.read_u16le();
    if (!r.ok()) return r.error().with_context("event header at offset " + std::to_string(offset) + ": ");
    if (h.event_size < kEventHeaderSize) {
        return make_error(Errc::Malformed, "event header at offset " + std::to_string(offset) +
                                               ": event size " + std::to_string(h.event_size) +
                                               " is smaller than the 19-byte header");
    }
    return h;
}

}  // namespace cdc::binlog

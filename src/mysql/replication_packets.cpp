#include "mysql/replication_packets.h"

#include <limits>

namespace cdc::mysql {
namespace {

void put_le(std::string& out, uint64_t v, size_t n) {
    for (size_t i = 0; i < n; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

void put_short_string(std::string& out, std::string_view s) {
    s = s.substr(0, 255);
    out += static_cast<char>(s.size());
    out.append(s);
}

}  // namespace

std::string register_replica_payload(uint32_t server_id, std::string_view report_host,
                                     uint16_t report_port) {
    std::string out;
    put_le(out, server_id, 4);
    put_short_string(out, report_host);
    put_short_string(out, "");  // user
    put_short_string(out, "");  // password
    put_le(out, report_port, 2);
    put_le(out, 0, 4);  // replication rank, unused
    put_le(out, 0, 4);  // master id, filled in by the server
    return out;
}

Result<std::string> binlog_dump_payload(std::string_view file, uint64_t position,
                                        uint16_t flags, uint32_t server_id) {
    if (position > std::numeric_limits<uint32_t>::max()) {
        return make_error(Errc::Unsupported,
                          "binlog position " + std::to_string(position) + " in " +
                              std::string(file) + " is beyond 4 GiB, which COM_BINLOG_DUMP "
                                                  "cannot request");
    }
    std::string out;
    put_le(out, position, 4);
    put_le(out, flags, 2);
    put_le(out, server_id, 4);
    out.append(file);
    return out;
}

Result<StreamPosition::Placed> StreamPosition::advance(Bytes event) {
    ByteReader r(event);
    r.skip(4);  // timestamp
    Placed placed;
    placed.type = r.read_u8();
    r.skip(4);  // server id
    const uint32_t size = r.read_u32le();
    const uint32_t log_pos = r.read_u32le();
    const uint16_t flags = r.read_u16le();
    if (!r.ok()) return r.error().with_context("binlog stream event header: ");
    if (size != event.size()) {
        return make_error(Errc::Malformed,
                          "binlog stream: event at " + file_ + ":" + std::to_string(next_) +
                              " says it is " + std::to_string(size) + " bytes, the packet has " +
                              std::to_string(event.size()));
    }
    placed.artificial = (flags & kArtificialEventFlag) != 0 || log_pos == 0;
    placed.offset = next_;

    switch (placed.type) {
        case kRotateEvent:
            if (Status s = on_rotate(event); !s) return s.error();
            return placed;
        case kHeartbeatEvent:
        case kHeartbeatEventV2:
            // Says where the server is; our position is that of the last event we saw.
            placed.artificial = true;
            return placed;
        case kFormatDescriptionEvent:
            // Every supported server (5.6.1+, MariaDB 5.3+) ends the FDE with the algorithm
            // byte and a 4-byte checksum field; the rest of the file follows its choice.
            if (event.size() >= kEventHeaderLength + 5) {
                checksum_ = event[event.size() - 5] == 1;
            }
            break;
        default:
            break;
    }
    if (log_pos != 0 && log_pos >= size) {
        placed.offset = log_pos - size;
        next_ = log_pos;
    } else if (log_pos == 0 && !placed.artificial) {
        next_ += size;
    }
    return placed;
}

Status StreamPosition::on_rotate(Bytes event) {
    const size_t tail = checksum_ ? 4 : 0;
    if (event.size() < kEventHeaderLength + 8 + tail) {
        return make_error(Errc::Malformed, "binlog stream: ROTATE event too short");
    }
    ByteReader r(event.subspan(kEventHeaderLength, event.size() - kEventHeaderLength - tail));
    const uint64_t position = r.read_u64le();
    std::string_view name = as_string_view(r.rest());
    if (!r.ok() || name.empty()) {
        return make_error(Errc::Malformed, "binlog stream: ROTATE event without a file name");
    }
    file_.assign(name);
    next_ = position;
    return {};
}

}  // namespace cdc::mysql

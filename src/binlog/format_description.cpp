// FORMAT_DESCRIPTION (binlog v4): the first event of every file; says how to read the rest.
//
//   2   binlog version (4)
//   50  server version, NUL padded ("8.0.31", "10.5.15-MariaDB-log")
//   4   create timestamp
//   1   common header length (19)
//   n   post-header length of each event type, index = type - 1
//   1   checksum algorithm  \  only servers that know checksums: MySQL >= 5.6.1,
//   4   CRC32 (or room)     /  MariaDB >= 5.3
#include <array>
#include <cctype>
#include <string_view>

#include "binlog/checksum.h"
#include "binlog/event_context.h"

namespace cdc::binlog {

namespace {

constexpr size_t kServerVersionLength = 50;
constexpr size_t kChecksumDescriptionSize = 1 + kChecksumSize;

// "5.6.41-debug-log" -> {5, 6, 41}; stops at the first character that is not a digit or '.'.
std::array<uint32_t, 3> split_version(std::string_view v) {
    std::array<uint32_t, 3> parts{0, 0, 0};
    size_t part = 0;
    for (char c : v) {
        if (std::isdigit(static_cast<unsigned char>(c))) {
            parts[part] = parts[part] * 10 + static_cast<uint32_t>(c - '0');
        } else if (c == '.' && part < 2) {
            ++part;
        } else {
            break;
        }
    }
    return parts;
}

bool version_at_least(const std::array<uint32_t, 3>& v, std::array<uint32_t, 3> min) {
    return v >= min;
}

bool has_checksum_field(std::string_view version, bool mariadb) {
    auto v = split_version(version);
    return mariadb ? version_at_least(v, {5, 3, 0}) : version_at_least(v, {5, 6, 1});
}

}  // namespace

Result<FormatDescriptionEvent> parse_format_description(Bytes event, uint64_t offset,
                                                        const EventHeader& header, bool verify) {
    FormatDescriptionEvent fde;
    EventContext ctx{fde, header, offset};
    ByteReader r(event.subspan(kEventHeaderSize), offset + kEventHeaderSize);
    fde.binlog_version = r.read_u16le();
    std::string_view version = r.read_str(kServerVersionLength);
    fde.create_timestamp = r.read_u32le();
    fde.common_header_length = r.read_u8();
    if (!r.ok()) return ctx.error(r);
    if (fde.binlog_version != 4) {
        return ctx.error(Errc::Unsupported,
                         "binlog format version " + std::to_string(fde.binlog_version) +
                             " (a server before MySQL 5.0); only version 4 is supported");
    }
    fde.server_version = std::string(version.substr(0, version.find('\0')));
    fde.is_mariadb = fde.server_version.find("MariaDB") != std::string::npos;
    if (fde.common_header_length < kEventHeaderSize) {
        return ctx.error(Errc::Malformed, "common header length " +
                                              std::to_string(fde.common_header_length) +
                                              " is below 19");
    }
    size_t lengths = r.remaining();
    bool with_checksum = has_checksum_field(fde.server_version, fde.is_mariadb);
    if (with_checksum) {
        if (lengths < kChecksumDescriptionSize) {
            return ctx.error(Errc::Truncated, "no room for the checksum algorithm and CRC32");
        }
        lengths -= kChecksumDescriptionSize;
    }
    Bytes post_headers = r.read_bytes(lengths);
    fde.post_header_lengths.assign(post_headers.begin(), post_headers.end());
    if (!with_checksum) {
        fde.checksum = ChecksumAlg::Undefined;
        return fde;
    }
    uint8_t alg = r.read_u8();
    if (!r.ok()) return ctx.error(r);
    if (alg != static_cast<uint8_t>(ChecksumAlg::Off) &&
        alg != static_cast<uint8_t>(ChecksumAlg::Crc32)) {
        return ctx.error(Errc::Malformed, "unknown checksum algorithm " + std::to_string(alg));
    }
    fde.checksum = static_cast<ChecksumAlg>(alg);
    if (verify && fde.checksum == ChecksumAlg::Crc32 && !checksum_matches(event, true)) {
        return ctx.error(Errc::ChecksumMismatch, "CRC32 does not match the event bytes");
    }
    return fde;
}

}  // namespace cdc::binlog

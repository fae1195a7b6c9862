// Test helper: builds event bytes by hand (little-endian fields, packed integers, CRC32).
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "binlog/checksum.h"
#include "common/byte_reader.h"

namespace cdc::test {

class EventBuilder {
public:
    EventBuilder& u8(uint8_t v) { body_.push_back(v); return *this; }
    EventBuilder& le(uint64_t v, int n) {
        for (int i = 0; i < n; ++i) body_.push_back(static_cast<uint8_t>(v >> (8 * i)));
        return *this;
    }
    EventBuilder& be(uint64_t v, int n) {
        for (int i = n - 1; i >= 0; --i) body_.push_back(static_cast<uint8_t>(v >> (8 * i)));
        return *this;
    }
    EventBuilder& packed(uint64_t v) {
        if (v < 251) return u8(static_cast<uint8_t>(v));
        if (v < (1u << 16)) return u8(0xfc).le(v, 2);
        if (v < (1u << 24)) return u8(0xfd).le(v, 3);
        return u8(0xfe).le(v, 8);
    }
    EventBuilder& str(std::string_view s) { body_.insert(body_.end(), s.begin(), s.end()); return *this; }
    EventBuilder& bytes(const std::vector<uint8_t>& b) { body_.insert(body_.end(), b.begin(), b.end()); return *this; }
    EventBuilder& zeros(size_t n) { body_.insert(body_.end(), n, 0); return *this; }
    const std::vector<uint8_t>& body() const { return body_; }
    size_t size() const { return body_.size(); }

    // Header + body (+ CRC32 when `crc`).
    std::vector<uint8_t> event(uint8_t type, bool crc = false, uint16_t flags = 0,
                               uint32_t log_pos = 0) const {
        std::vector<uint8_t> out;
        uint32_t size = static_cast<uint32_t>(19 + body_.size() + (crc ? 4 : 0));
        auto put = [&out](uint64_t v, int n) {
            for (int i = 0; i < n; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
        };
        put(1700000000, 4);
        out.push_back(type);
        put(1, 4);
        put(size, 4);
        put(log_pos, 4);
        put(flags, 2);
        out.insert(out.end(), body_.begin(), body_.end());
        if (crc) put(binlog::binlog_crc32(Bytes(out)), 4);
        return out;
    }

private:
    std::vector<uint8_t> body_;
};

// Bytes from hex digits, in pairs; spaces between the pairs (as a hex dump prints them) are
// skipped.
inline std::vector<uint8_t> from_hex(std::string_view hex) {
    std::vector<uint8_t> out;
    std::string pair;
    for (char c : hex) {
        if (c == ' ') continue;
        pair += c;
        if (pair.size() == 2) {
            out.push_back(static_cast<uint8_t>(std::stoi(pair, nullptr, 16)));
            pair.clear();
        }
    }
    return out;
}

// A v4 FORMAT_DESCRIPTION like MySQL 8.0's (or MariaDB's when the version says so).
// `alg`: -1 writes no checksum field (pre-5.6.1 server).
inline std::vector<uint8_t> make_fde(std::string_view version, int alg, uint16_t flags = 0) {
    EventBuilder b;
    b.le(4, 2).str(version).zeros(50 - version.size()).le(1700000000, 4).u8(19);
    // post-header lengths for types 1..42, as MySQL 8 writes them
    static const uint8_t kLengths[] = {0, 13, 0, 8, 0, 0, 0, 0, 4, 0, 4, 0, 0, 0, 84, 0, 4, 26,
                                       8, 0, 0, 0, 8, 8, 8, 2, 0, 0, 0, 10, 10, 10, 42, 42, 0, 18,
                                       52, 0, 10, 40, 0, 0};
    for (uint8_t l : kLengths) b.u8(l);
    if (alg < 0) return b.event(15, false, flags);
    b.u8(static_cast<uint8_t>(alg));
    // The CRC is computed with the in-use flag cleared, then the flag is set.
    std::vector<uint8_t> ev = b.event(15, true, static_cast<uint16_t>(flags & ~1));
    if (alg != 1) std::fill(ev.end() - 4, ev.end(), 0);
    ev[17] = static_cast<uint8_t>(flags);
    return ev;
}

}  // namespace cdc::test

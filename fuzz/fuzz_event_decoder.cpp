// Fuzz target: BinlogDecoder over a sequence of events, and RowDecoder over every rows event.
//
// Input: one control byte, then events split by their header's size field (bytes 9..12).
//   bit 0: start from a MariaDB 10.5 FORMAT_DESCRIPTION instead of a MySQL 8.0 one
//   bit 1: verify CRC32 trailers (off by default so mutated events get past the checksum)
//   bit 2: DecoderOptions::skip_unknown_events
// The fixed FORMAT_DESCRIPTION is decoded first so the fuzzer starts deep in the decoder; an
// input may still carry its own (the seeds are whole fixture binlogs without the magic).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <variant>
#include <vector>

#include "binlog/decoder.h"
#include "fuzz_rows.h"

namespace {

// The FORMAT_DESCRIPTION events of rust_mysql_common/json.binlog.000001 (MySQL 8.0.22, CRC32,
// in-use flag set) and rust_mysql_common/mariadb-bin.000001 (MariaDB 10.5.15, CRC32).
constexpr const char* kMySqlFde =
    "dc1d4f600f01000000790000007d00000001000400382e302e323200000000000000000000000000"
    "00000000000000000000000000000000000000000000000000000000000000dc1d4f6013000d0008"
    "000000000400040000006100041a08000000080808020000000a0a0a2a2a001234000a2801b49eea"
    "21";
constexpr const char* kMariaDbFde =
    "8f8660620f01000000fc000000000100000100040031302e352e31352d4d6172696144422d313a31"
    "302e352e31352b6d617269617e666f63616c2d6c6f670000000000000000008f86606213380d0008"
    "00120004040404120000e400041a08000000080808020000000a0a0a000000000000000000000000"
    "00000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00000000000000000000000000000000000000000000000000000000000000000000000004130400"
    "0d0808080a0a0a01a03a2d5b";

std::vector<uint8_t> from_hex(const char* hex) {
    std::vector<uint8_t> out;
    auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
    for (const char* p = hex; p[0] != '\0' && p[1] != '\0'; p += 2) {
        out.push_back(static_cast<uint8_t>(nibble(p[0]) << 4 | nibble(p[1])));
    }
    return out;
}

void handle(cdc::binlog::BinlogDecoder& decoder, const cdc::binlog::Event& event, int depth) {
    using namespace cdc::binlog;
    if (const auto* rows = std::get_if<RowsEvent>(&event.body)) {
        if (const auto* schema = decoder.table(rows->table_id)) {
            cdc::fuzz::decode_all_rows(*rows, *schema, event.offset);
        }
    } else if (const auto* payload = std::get_if<TransactionPayloadEvent>(&event.body)) {
        if (depth > 0) return;  // payloads do not nest
        size_t cursor = 0;
        while (true) {
            auto inner = decoder.next_payload_event(*payload, cursor, event.offset);
            if (!inner || !inner->has_value()) return;
            handle(decoder, **inner, depth + 1);
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace cdc::binlog;
    if (size < 1) return 0;
    static const std::vector<uint8_t> mysql_fde = from_hex(kMySqlFde);
    static const std::vector<uint8_t> mariadb_fde = from_hex(kMariaDbFde);
    const uint8_t control = data[0];
    DecoderOptions options;
    options.verify_checksums = (control & 0x02) != 0;
    options.skip_unknown_events = (control & 0x04) != 0;
    BinlogDecoder decoder(options);
    const auto& fde = (control & 0x01) ? mariadb_fde : mysql_fde;
    if (!decoder.decode(cdc::Bytes(fde), 4)) std::abort();  // a known-good event

    size_t pos = 1;
    uint64_t offset = 4 + fde.size();
    while (pos < size) {
        size_t len = size - pos;
        if (len >= kEventHeaderSize) {
            const uint32_t declared = static_cast<uint32_t>(data[pos + 9]) |
                                      static_cast<uint32_t>(data[pos + 10]) << 8 |
                                      static_cast<uint32_t>(data[pos + 11]) << 16 |
                                      static_cast<uint32_t>(data[pos + 12]) << 24;
            if (declared >= kEventHeaderSize && declared <= len) len = declared;
        }
        auto event = decoder.decode(cdc::Bytes(data + pos, len), offset);
        if (event) handle(decoder, *event, 0);
        pos += len;
        offset += len;
    }
    return 0;
}

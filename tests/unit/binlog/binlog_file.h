// Test helper: reads a binlog file (4-byte magic fe 62 69 6e, then events back to back) and
// splits it into events by their size field. Shared by the binlog tests and others.
#pragma once

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "common/byte_reader.h"

namespace cdc::test {

struct RawEvent {
    uint64_t offset = 0;
    Bytes bytes;  // header + body + checksum, a view into BinlogFile::data
};

struct BinlogFile {
    std::vector<uint8_t> data;
    std::vector<RawEvent> events;
    // Set when the file is not a binlog or ends inside an event; `events` holds the whole
    // events before that point.
    std::string split_error;
};

inline BinlogFile read_binlog_file(const std::string& path) {
    BinlogFile f;
    std::ifstream in(path, std::ios::binary);
    f.data.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    static constexpr uint8_t kMagic[] = {0xfe, 0x62, 0x69, 0x6e};
    if (f.data.size() < 4 || !std::equal(kMagic, kMagic + 4, f.data.begin())) {
        f.split_error = "no binlog magic";
        return f;
    }
    size_t pos = 4;
    while (pos < f.data.size()) {
        if (f.data.size() - pos < 19) {
            f.split_error = "file ends inside an event header at offset " + std::to_string(pos);
            break;
        }
        uint32_t size = 0;
        for (int i = 0; i < 4; ++i) size |= static_cast<uint32_t>(f.data[pos + 9 + i]) << (8 * i);
        if (size < 19 || size > f.data.size() - pos) {
            f.split_error = "event at offset " + std::to_string(pos) + " claims " +
                            std::to_string(size) + " bytes, " + std::to_string(f.data.size() - pos) +
                            " left";
            break;
        }
        f.events.push_back({pos, Bytes(f.data).subspan(pos, size)});
        pos += size;
    }
    return f;
}

// Every binlog under CDC_FIXTURES_DIR (reference outputs and notes left out), sorted.
inline std::vector<std::string> fixture_binlog_paths(const std::string& root) {
    std::vector<std::string> out;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
        if (!entry.is_regular_file()) continue;
        std::string p = entry.path().string();
        auto ends_with = [&p](std::string_view s) {
            return p.size() >= s.size() && p.compare(p.size() - s.size(), s.size(), s) == 0;
        };
        if (ends_with(".txt") || ends_with(".gz") || ends_with(".json") || ends_with(".md")) continue;
        out.push_back(p);
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace cdc::test

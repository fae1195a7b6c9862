// Fuzz target: applying PARTIAL_JSON diffs (apply_json_diffs). The first two bytes give the
// length of the before image (binary JSON); the rest is the diff list.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "binlog/json/json_diff.h"
#include "common/json_writer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 2) return 0;
    size_t before_size = static_cast<size_t>(data[0]) | static_cast<size_t>(data[1]) << 8;
    if (before_size > size - 2) before_size = size - 2;
    const cdc::Bytes before(data + 2, before_size);
    const cdc::Bytes diffs(data + 2 + before_size, size - 2 - before_size);
    std::string out;
    const bool ok = cdc::binlog::apply_json_diffs(before, diffs, out).ok();
    if (!ok && !out.empty()) std::abort();
    if (ok && !cdc::is_valid_utf8(out)) std::abort();
    return 0;
}

// Fuzz target: MySQL binary JSON to text (json_binary_to_text), checked against the DOM path
// used for partial updates. Both must agree whenever both accept a document, and what they
// write must be valid UTF-8.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "binlog/json/json_binary.h"
#include "binlog/json/json_diff.h"
#include "common/json_writer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const cdc::Bytes input(data, size);
    std::string streamed;
    const bool streamed_ok = cdc::binlog::json_binary_to_text(input, streamed).ok();
    if (!streamed_ok && !streamed.empty()) std::abort();  // errors leave the output untouched
    if (streamed_ok && !cdc::is_valid_utf8(streamed)) std::abort();

    // No diffs: the DOM route renders the same document.
    std::string via_dom;
    const bool dom_ok = cdc::binlog::apply_json_diffs(input, cdc::Bytes(), via_dom).ok();
    if (streamed_ok && dom_ok && streamed != via_dom) std::abort();
    return 0;
}

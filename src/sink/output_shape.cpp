#include "sink/output_shape.h"

namespace cdc::sink {
namespace {

std::string format_of(std::string_view value) {
    if (value.starts_with(R"({"kind":)")) return "seed";
    // Debezium's change events, with or without the JsonConverter schema, and its
    // schema-change events.
    if (value.starts_with(R"({"before":)") || value.starts_with(R"({"schema":)") ||
        value.starts_with(R"({"source":)")) {
        return "debezium";
    }
    return "";
}

std::string key_of(std::string_view key) {
    if (key.empty()) return "";
    // A truncate's key names no row, a schema change's is the table as a JSON string: both
    // are the same in every key scheme.
    if (key == "[]" || key.front() == '"') return "";
    if (key.front() == '[') return "bare_primary_key";
    if (key.starts_with(R"({"table":)")) return "primary_key";
    if (key.front() == '{') {
        // Debezium's key struct; with the table when several tables share the topic.
        return key.find(R"("__dbz__physicalTableIdentifier")") != std::string_view::npos
                   ? "primary_key"
                   : "bare_primary_key";
    }
    return "table";  // "schema.table" as it is, the original connector's key
}

}  // namespace

OutputShape infer_output_shape(std::string_view key, std::string_view value) {
    return {format_of(value), key_of(key)};
}

}  // namespace cdc::sink

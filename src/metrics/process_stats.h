// Process figures for /metrics: resident memory from /proc/self/statm and the start time, as
// Prometheus' own client libraries export them (process_resident_memory_bytes,
// process_start_time_seconds), so existing dashboards find them.
#pragma once

#include <cstdint>
#include <optional>

namespace cdc::metrics {

// Resident set size in bytes; nullopt where /proc is not readable.
std::optional<uint64_t> resident_memory_bytes();

}  // namespace cdc::metrics

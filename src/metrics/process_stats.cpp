#include "metrics/process_stats.h"

#include <unistd.h>

#include <cstdio>

namespace cdc::metrics {

std::optional<uint64_t> resident_memory_bytes() {
    std::FILE* f = std::fopen("/proc/self/statm", "r");
    if (f == nullptr) return std::nullopt;
    unsigned long long size = 0;
    unsigned long long resident = 0;
    int n = std::fscanf(f, "%llu %llu", &size, &resident);
    std::fclose(f);
    if (n != 2) return std::nullopt;
    long page = sysconf(_SC_PAGESIZE);
    return static_cast<uint64_t>(resident) * static_cast<uint64_t>(page > 0 ? page : 4096);
}

}  // namespace cdc::metrics

// Test helper: the process's peak resident memory, for tests that bound what one call costs.
#pragma once

#include <cstdio>

namespace cdc::test {

// Peak resident memory (VmHWM) since the last call, in KiB: each call resets the peak to the
// current size (clear_refs 5), so one test's peak does not hide the next one's.
inline long peak_rss_kb() {
    long kb = 0;
    if (std::FILE* f = std::fopen("/proc/self/status", "r")) {
        char line[256];
        while (std::fgets(line, sizeof line, f) != nullptr) {
            if (std::sscanf(line, "VmHWM: %ld", &kb) == 1) break;
        }
        std::fclose(f);
    }
    if (std::FILE* f = std::fopen("/proc/self/clear_refs", "w")) {
        std::fputs("5", f);
        std::fclose(f);
    }
    return kb;
}

}  // namespace cdc::test

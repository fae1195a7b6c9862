// ProgressMeter: what a person watching a snapshot wants to know: rows done of about how many,
// the rate and the time left. A log line at a steady interval; a progress bar redrawn in place
// when stderr is a terminal.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace cdc::snapshot {

class ProgressMeter {
public:
    ProgressMeter(std::chrono::milliseconds log_interval, bool bar);

    // A table begins: `done` rows of it were delivered before, about `estimate` in total.
    void start_table(const std::string& table, uint64_t done, uint64_t estimate);
    void add_rows(uint64_t n);  // cheap; reports when due
    void finish_table();

    // "12345/100000 rows (12%), 45678 rows/s, ETA 0:00:02" (exposed for tests).
    static std::string describe(uint64_t done, uint64_t estimate, double rate);

private:
    void report(bool force_log);

    using Clock = std::chrono::steady_clock;
    std::chrono::milliseconds log_interval_;
    bool bar_;
    std::string table_;
    uint64_t done_ = 0;
    uint64_t estimate_ = 0;
    uint64_t since_check_ = 0;
    uint64_t rows_at_start_ = 0;
    Clock::time_point started_;
    Clock::time_point last_log_;
    Clock::time_point last_bar_;
};

}  // namespace cdc::snapshot

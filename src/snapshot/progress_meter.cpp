#include "snapshot/progress_meter.h"
#include "common/log_fields.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>

namespace cdc::snapshot {
namespace {

std::string duration_text(double seconds) {
    auto s = static_cast<uint64_t>(seconds + 0.5);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%llu:%02llu:%02llu", static_cast<unsigned long long>(s / 3600),
                  static_cast<unsigned long long>(s / 60 % 60),
                  static_cast<unsigned long long>(s % 60));
    return buf;
}

}  // namespace

ProgressMeter::ProgressMeter(std::chrono::milliseconds log_interval, bool bar)
    : log_interval_(log_interval), bar_(bar) {}

std::string ProgressMeter::describe(uint64_t done, uint64_t estimate, double rate) {
    // The estimate is the server's (InnoDB samples it); never show less than what is done.
    uint64_t total = std::max(done, estimate);
    std::string out = std::to_string(done) + "/" + std::to_string(total) + " rows";
    if (total > 0) out += " (" + std::to_string(done * 100 / total) + "%)";
    out += ", " + std::to_string(static_cast<uint64_t>(rate)) + " rows/s";
    if (rate > 0 && total > done) {
        out += ", ETA " + duration_text(static_cast<double>(total - done) / rate);
    }
    return out;
}

void ProgressMeter::start_table(const std::string& table, uint64_t done, uint64_t estimate) {
    table_ = table;
    done_ = done;
    rows_at_start_ = done;
    estimate_ = estimate;
    since_check_ = 0;
    started_ = last_log_ = last_bar_ = Clock::now();
}

void ProgressMeter::add_rows(uint64_t n) {
    done_ += n;
    since_check_ += n;
    if (since_check_ < 1024) return;  // the clock is read once per 1024 rows at most
    since_check_ = 0;
    report(false);
}

void ProgressMeter::finish_table() {
    if (bar_) {
        report(false);
        std::fputc('\n', stderr);
        std::fflush(stderr);
    }
}

void ProgressMeter::report(bool force_log) {
    auto now = Clock::now();
    double secs = std::chrono::duration<double>(now - started_).count();
    double rate = secs > 0 ? static_cast<double>(done_ - rows_at_start_) / secs : 0;
    if (force_log || now - last_log_ >= log_interval_) {
        last_log_ = now;
        if (bar_) std::fputs("\r\033[K", stderr);
        LogFields fields{{"table", table_},
                         {"rows", done_},
                         {"rows_estimated", estimate_},
                         {"rows_per_second", rate}};
        spdlog::info("snapshot of {}: {}", table_, describe(done_, estimate_, rate));
    }
    if (bar_ && now - last_bar_ >= std::chrono::milliseconds(200)) {
        last_bar_ = now;
        uint64_t total = std::max(done_, estimate_);
        constexpr int kWidth = 30;
        int filled = total > 0 ? static_cast<int>(done_ * kWidth / total) : 0;
        std::string bar(static_cast<size_t>(filled), '#');
        bar.resize(kWidth, '.');
        std::fprintf(stderr, "\r\033[K%s [%s] %s", table_.c_str(), bar.c_str(),
                     describe(done_, estimate_, rate).c_str());
        std::fflush(stderr);
    }
}

}  // namespace cdc::snapshot

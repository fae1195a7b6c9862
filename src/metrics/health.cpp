#include "metrics/health.h"

#include <algorithm>

namespace cdc::metrics {
namespace {

// Whole seconds since `since_ns`, if that is at least `limit`.
bool longer_than(int64_t now_ns, int64_t since_ns, std::chrono::seconds limit, int64_t& secs) {
    if (since_ns == 0) return false;
    int64_t elapsed = now_ns - since_ns;
    secs = elapsed / 1'000'000'000;
    return elapsed >= std::chrono::duration_cast<std::chrono::nanoseconds>(limit).count();
}

}  // namespace

Verdict liveness(const Registry& r, int64_t now_ns, std::chrono::seconds wedged_after) {
    int64_t secs = 0;
    // Waiting for a broker, the pipeline thread still serves Kafka's callbacks.
    int64_t tick = std::max(r.pipeline_tick.ns(), r.kafka.callback_tick.ns());
    if (longer_than(now_ns, tick, wedged_after, secs)) {
        return {false,
                "the pipeline thread has made no progress for " + std::to_string(secs) + " s"};
    }
    return {true, "alive"};
}

Verdict readiness(const Registry& r, int64_t now_ns, std::chrono::seconds unreachable_after) {
    if (r.stopping.load(std::memory_order_relaxed)) return {false, "stopping"};
    int64_t secs = 0;
    if (longer_than(now_ns, r.mysql_down_since.ns(), unreachable_after, secs)) {
        std::string why = r.mysql_down_reason();
        std::replace(why.begin(), why.end(), '\n', ' ');  // the body is one line
        return {false, "MySQL server unreachable for " + std::to_string(secs) + " s" +
                           (why.empty() ? "" : ": " + why)};
    }
    if (longer_than(now_ns, r.kafka.down_since.ns(), unreachable_after, secs)) {
        return {false, "Kafka broker unreachable for " + std::to_string(secs) + " s"};
    }
    if (longer_than(now_ns, r.flush_outstanding_since.ns(), unreachable_after, secs)) {
        return {false, "checkpoint not advanced for " + std::to_string(secs) +
                           " s with changes pending (the sink does not complete its flush)"};
    }
    if (!r.ever_connected.load(std::memory_order_relaxed) &&
        !r.snapshot_running.load(std::memory_order_relaxed)) {
        return {false, "starting: not connected to the MySQL server yet"};
    }
    if (r.snapshot_running.load(std::memory_order_relaxed)) {
        return {true, "ready: initial snapshot in progress"};
    }
    return {true, "ready"};
}

}  // namespace cdc::metrics

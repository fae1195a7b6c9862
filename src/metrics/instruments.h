// Counter and Gauge: the values the daemon's threads update and the HTTP thread reads. Relaxed
// atomics: an update on the hot path is one uncontended atomic add or store, and a scrape
// needs no ordering between values (each is read on its own).
//
//   metrics::Counter changes;
//   changes.add();                 // pipeline thread, per change
//   uint64_t n = changes.value();  // HTTP thread, per scrape
#pragma once

#include <atomic>
#include <cstdint>

namespace cdc::metrics {

class Counter {
public:
    void add(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
    // For a counter that only one thread ever adds to (the pipeline thread's per-change and
    // per-event counts): a plain load and store instead of a locked read-modify-write (a
    // `lock xadd` on x86), which the hot path would pay four times per change. Readers still
    // see whole values.
    void add_single_writer(uint64_t n = 1) {
        value_.store(value_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
    }
    uint64_t value() const { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<uint64_t> value_{0};
};

class Gauge {
public:
    void set(double v) { value_.store(v, std::memory_order_relaxed); }
    double value() const { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<double> value_{0.0};
};

// A point in time as nanoseconds of some clock, 0 = not set: "since when" for readiness.
class Timestamp {
public:
    void set(int64_t ns) { ns_.store(ns, std::memory_order_relaxed); }
    void clear() { ns_.store(0, std::memory_order_relaxed); }
    // Sets it only if unset: the start of an outage, not its latest sighting.
    void set_if_clear(int64_t ns) {
        int64_t expected = 0;
        ns_.compare_exchange_strong(expected, ns, std::memory_order_relaxed);
    }
    int64_t ns() const { return ns_.load(std::memory_order_relaxed); }
    bool is_set() const { return ns() != 0; }

private:
    std::atomic<int64_t> ns_{0};
};

}  // namespace cdc::metrics

// FlushPolicy: when the pipeline starts a flush (whose checkpoint is saved once the sink made it
// durable), and when it hands buffered output on early to bound memory. The stream and the
// snapshot follow the same rules; each keeps its own policy, which records when its last flush
// began. Decisions take `now` from the caller, so they read the clock once per event; they are
// inline, being asked after every event.
//
//   FlushPolicy policy(flush_limits(config), Clock::now());
//   policy.changed();                                   // an event was handled
//   if (policy.due(now) && checkpointer.start(cp)) policy.flush_began(now);
//   if (policy.over_limits(sink.pending_bytes(), writer.pending())) sink.drain();
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

#include "config/config.h"

namespace cdc::app {

class FlushPolicy {
public:
    using Clock = std::chrono::steady_clock;

    struct Limits {
        std::chrono::milliseconds interval{500};  // FLUSH_INTERVAL_MS
        std::size_t max_changes = 10000;          // FLUSH_MAX_CHANGES
        std::size_t max_bytes = 8 * 1024 * 1024;  // FLUSH_MAX_BYTES
    };

    FlushPolicy(Limits limits, Clock::time_point now) : limits_(limits), last_flush_(now) {}

    // Counts from `now` with nothing changed, as after a flush of everything (a new connection).
    void restart(Clock::time_point now) { flush_began(now); }
    // Something was handled that the next flush covers.
    void changed() { changed_ = true; }
    // A flush began at `now`: it covers every change so far.
    void flush_began(Clock::time_point now) {
        last_flush_ = now;
        changed_ = false;
    }

    // FLUSH_INTERVAL_MS has passed since the last flush began.
    bool due(Clock::time_point now) const { return now - last_flush_ >= limits_.interval; }
    // Nothing more from the server is waiting: also due after a fifth of the interval when
    // something changed, so that under a trickle the changes are checkpointed sooner, and a
    // replay's end is not held back for the rest of an interval.
    bool due_when_caught_up(Clock::time_point now) const {
        return due(now) || (changed_ && now - last_flush_ >= caught_up_interval());
    }
    // When due_when_caught_up() turns true if nothing else arrives.
    Clock::time_point next_due() const {
        return last_flush_ + (changed_ ? caught_up_interval() : limits_.interval);
    }

    // The sink holds FLUSH_MAX_BYTES or more: hand it on, between checkpoints.
    bool bytes_over_limit(uint64_t pending_bytes) const {
        return pending_bytes >= limits_.max_bytes;
    }
    // ... or FLUSH_MAX_CHANGES changes were written since the last hand-over.
    bool over_limits(uint64_t pending_bytes, uint64_t pending_changes) const {
        return bytes_over_limit(pending_bytes) || pending_changes >= limits_.max_changes;
    }

private:
    std::chrono::milliseconds caught_up_interval() const { return limits_.interval / 5; }

    Limits limits_;
    Clock::time_point last_flush_;
    bool changed_ = false;  // since the last flush began
};

FlushPolicy::Limits flush_limits(const config::Config& config);

}  // namespace cdc::app

#include "app/flush_policy.h"

namespace cdc::app {

void FlushPolicy::flush_began(Clock::time_point now) {
    last_flush_ = now;
    changed_ = false;
}

bool FlushPolicy::due(Clock::time_point now) const { return now - last_flush_ >= limits_.interval; }

bool FlushPolicy::due_when_caught_up(Clock::time_point now) const {
    return due(now) || (changed_ && now - last_flush_ >= caught_up_interval());
}

FlushPolicy::Clock::time_point FlushPolicy::next_due() const {
    return last_flush_ + (changed_ ? caught_up_interval() : limits_.interval);
}

bool FlushPolicy::bytes_over_limit(uint64_t pending_bytes) const {
    return pending_bytes >= limits_.max_bytes;
}

bool FlushPolicy::over_limits(uint64_t pending_bytes, uint64_t pending_changes) const {
    return bytes_over_limit(pending_bytes) || pending_changes >= limits_.max_changes;
}

FlushPolicy::Limits flush_limits(const config::Config& config) {
    return {.interval = config.flush_interval,
            .max_changes = config.flush_max_changes,
            .max_bytes = config.flush_max_bytes};
}

}  // namespace cdc::app

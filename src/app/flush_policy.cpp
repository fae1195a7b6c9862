#include "app/flush_policy.h"

namespace cdc::app {

FlushPolicy::Limits flush_limits(const config::Config& config) {
    return {.interval = config.flush_interval,
            .max_changes = config.flush_max_changes,
            .max_bytes = config.flush_max_bytes};
}

}  // namespace cdc::app

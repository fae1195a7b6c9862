// render: the registry as a /metrics body (Prometheus text format 0.0.4). Every family is
// documented in docs/OPERATIONS.md; keep the two in step.
#pragma once

#include <chrono>
#include <string>

#include "metrics/registry.h"

namespace cdc::metrics {

std::string render(const Registry& registry, std::chrono::system_clock::time_point now);

}  // namespace cdc::metrics

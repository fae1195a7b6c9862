// health: what /healthz and /readyz answer, decided from the registry (docs/OPERATIONS.md,
// "Health and readiness").
//
//   Liveness (/healthz): 200 unless the pipeline thread showed no sign of life (an event loop
//   turn, a reconnect wait, a snapshot chunk, a Kafka callback) for `wedged_after`.
//   Readiness (/readyz): 503 while stopping, before the first connection, when the MySQL
//   server or every Kafka broker has been unreachable for `unreachable_after`, or when a
//   flush (changes waiting for their checkpoint) has been outstanding that long; else 200,
//   with "initial snapshot in progress" while the snapshot runs.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "metrics/registry.h"

namespace cdc::metrics {

struct Verdict {
    bool ok = true;
    std::string reason;  // one line
};

Verdict liveness(const Registry& r, int64_t steady_now_ns, std::chrono::seconds wedged_after);
Verdict readiness(const Registry& r, int64_t steady_now_ns, std::chrono::seconds unreachable_after);

}  // namespace cdc::metrics

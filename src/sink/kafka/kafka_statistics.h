// Kafka statistics for /metrics: librdkafka's statistics callback (statistics.interval.ms,
// set to a second when the daemon exports metrics) gives the producer's queue depth, the
// requests in flight, retries and which brokers are up; the sink's own delivery counts are
// copied at the same time. The callback runs inside poll()/flush(), on the pipeline thread,
// so reading the sink's counters there needs no lock.
#pragma once

#include <librdkafka/rdkafka.h>

#include <cstdint>
#include <string_view>

#include "metrics/registry.h"

namespace cdc::sink {

// The sink's counters the callback copies (the sink owns them; pointers stay valid).
struct KafkaCounts {
    const uint64_t* produced = nullptr;
    const uint64_t* delivered = nullptr;
    const uint64_t* failed = nullptr;
    const uint64_t* dropped = nullptr;
};

// Fills `out` from one statistics JSON document and the counts. A document that does not
// parse leaves the gauges as they were.
void publish_kafka_statistics(std::string_view json, const KafkaCounts& counts,
                              metrics::KafkaMetrics& out);

// Asks librdkafka for statistics every second unless the configuration sets an interval.
void enable_kafka_statistics(rd_kafka_conf_t* conf);

}  // namespace cdc::sink

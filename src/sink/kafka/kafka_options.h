// KafkaOptions: what KafkaSink takes from the daemon's configuration, as plain values, so that
// sink/ does not depend on config/. app/kafka_options.h builds it from config::Config.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "metrics/registry.h"
#include "model/table_id.h"

namespace cdc::sink {

struct KafkaOptions {
    std::string brokers;              // KAFKA_BROKERS; wins over the file's bootstrap.servers
    std::string config_file;          // KAFKA_CONFIG_FILE, "" when not given
    std::string compression = "lz4";  // librdkafka's compression.codec
    // The configured tables' topics, in order (repeats allowed): checked, or created, at start.
    std::vector<std::string> topics;
    // The topic of any table's changes, also of a table not configured.
    std::function<std::string(const model::TableId& table)> topic_for;
    // Where the producer's statistics and delivery counts go (for /metrics); may be null.
    metrics::KafkaMetrics* metrics = nullptr;
};

}  // namespace cdc::sink

// Output topics for KafkaSink: their partition counts, and creating them when missing.
//
// A missing topic is created with the Admin API (CreateTopics, partitions and replication from
// KafkaSettings, else the broker's defaults); where the broker does not offer that, asking for
// the topic's metadata lets a broker with auto.create.topics.enable create it. When neither
// works the error names the topic and what to do.
#pragma once

#include <librdkafka/rdkafka.h>

#include <cstdint>
#include <string>

#include "common/result.h"
#include "sink/kafka_client.h"
#include "sink/kafka_config.h"

namespace cdc::sink {

// The topic's partition count, creating the topic if it is missing. Waits at most
// settings.connect_timeout for a new topic to show its partitions.
Result<int32_t> ensure_topic(rd_kafka_t* rk, const std::string& topic,
                             const KafkaSettings& settings);

}  // namespace cdc::sink

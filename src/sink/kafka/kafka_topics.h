// Output topics for KafkaSink: their partition counts, and creating them when missing.
//
// A missing topic is created by asking for its metadata (a broker with auto.create.topics.enable
// creates it with its defaults) or with the Admin API (CreateTopics, with the partitions and
// replication from KafkaSettings when set: then CreateTopics goes first). When neither works the
// error names the topic and what to do.
#pragma once

#include <librdkafka/rdkafka.h>

#include <cstdint>
#include <string>

#include "common/result.h"
#include "sink/kafka/kafka_client.h"
#include "sink/kafka/kafka_config.h"

namespace cdc::sink {

// The topic's partition count, creating the topic if it is missing. Waits at most
// settings.connect_timeout for a new topic to show its partitions.
Result<int32_t> ensure_topic(rd_kafka_t* rk, const std::string& topic,
                             const KafkaSettings& settings);

}  // namespace cdc::sink

// Output topics for KafkaSink: their partition counts, and creating them when missing.
//
// A missing topic is created by asking for its metadata (a broker with auto.create.topics.enable
// creates it with its defaults) or with the Admin API (CreateTopics, with the partitions and
// replication from KafkaSettings when set: then CreateTopics goes first). When neither works the
// error names the topic and what to do.
#pragma once

#include <librdkafka/rdkafka.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"
#include "sink/kafka/kafka_client.h"
#include "sink/kafka/kafka_config.h"

namespace cdc::sink {

// Kafka's limit (Topic.MAX_NAME_LENGTH): 249 characters of a-z A-Z 0-9 . _ -, not . or ..
inline constexpr std::size_t kMaxTopicNameLength = 249;
// Why `topic` is not a valid topic name ("it has the character '$', ..."), or "".
std::string topic_name_problem(std::string_view topic);
// The same as an InvalidArgument naming the topic and the settings that make it.
Status check_topic_name(std::string_view topic);

struct TopicInfo {
    rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART;  // NO_ERROR: usable
    int32_t partitions = 0;
    int brokers = 0;  // in the metadata answer
};

// The topic as the brokers' metadata describes it, without creating it.
Result<TopicInfo> describe_topic(rd_kafka_t* rk, const std::string& topic);

// CreateTopics with settings' partitions and replication (else the broker's defaults);
// validate_only asks the broker whether it would, without creating. TOPIC_ALREADY_EXISTS
// counts as success. Returns "" on success, else the broker's (or librdkafka's) reason.
std::string create_topic(rd_kafka_t* rk, const std::string& topic, const KafkaSettings& settings,
                         bool validate_only);

// Asks for the topic's metadata with auto-creation allowed: a broker with
// auto.create.topics.enable=true creates a missing topic then.
void request_auto_creation(rd_kafka_t* rk, const std::string& topic);

// The topic's partition count, creating the topic if it is missing. Waits at most
// settings.connect_timeout for a new topic to show its partitions.
Result<int32_t> ensure_topic(rd_kafka_t* rk, const std::string& topic,
                             const KafkaSettings& settings);

}  // namespace cdc::sink

// The resume scan of KafkaSink: before producing, read the last message of every partition of
// the output topics and learn the newest change position already written there.
//
// It uses its own consumer (no group, nothing committed): for each partition it asks for the
// watermarks and reads from high-1; when that offset holds no message of ours (a transaction
// marker, another producer's message, a compacted gap) it steps further back, up to the low
// watermark. A partition with no message of ours has no position: nothing sent to it is dropped.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "sink/kafka/kafka_config.h"
#include "sink/kafka/kafka_position.h"
#include "sink/output_shape.h"

namespace cdc::sink {

struct TopicPartitions {
    std::string topic;
    int32_t partitions = 0;
};

// newest[p]: the position in the newest message of ours in partition p, if any.
struct TopicResume {
    std::string topic;
    std::vector<std::optional<ChangePosition>> newest;
    std::vector<OutputShape> newest_shape;  // the shape of the message holding newest[p]
};

// Reads every partition of every topic. Bounded by settings.connect_timeout per round.
Result<std::vector<TopicResume>> read_newest_positions(const KafkaSettings& settings,
                                                       const std::vector<TopicPartitions>& topics);

}  // namespace cdc::sink

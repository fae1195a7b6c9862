#include "app/kafka_options.h"

#include <string>

namespace cdc::app {

sink::KafkaOptions kafka_options(const config::Config& config) {
    sink::KafkaOptions options;
    options.brokers = config.kafka_brokers;
    options.config_file = config.kafka_config_file;
    options.compression = std::string(config::to_string(config.kafka_compression));
    for (const auto& table : config.tables) options.topics.push_back(config.topic_for(table));
    // The naming rule (KAFKA_TOPIC_TEMPLATE, else `output`) stays with the configuration.
    options.topic_for = [config](const model::TableId& table) { return config.topic_for(table); };
    return options;
}

}  // namespace cdc::app

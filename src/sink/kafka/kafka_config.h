// Kafka client settings for KafkaSink: its KafkaOptions plus the KAFKA_CONFIG_FILE properties,
// turned into librdkafka configurations for the producer and for the resume reader.
//
// KAFKA_CONFIG_FILE holds `key=value` lines (blank lines and lines starting with # or ! are
// skipped): any librdkafka property (SASL, SSL, tuning), plus these of ours:
//   mysql-cdc.topic.partitions=N          partitions of topics we create (default: broker's)
//   mysql-cdc.topic.replication.factor=N  their replication factor (default: broker's)
//   mysql-cdc.connect.timeout.ms=N        how long start-up waits for the brokers (30000)
// No value from the file ever appears in a message or log: a secret under a mistyped key is
// not recognisable as one.
//
// Properties the exactly-once guarantee rests on are fixed: enable.idempotence=true, acks=all,
// enable.gapless.guarantee=true; the file may restate them but not change them.
#pragma once

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "sink/kafka/kafka_options.h"

namespace cdc::sink {

struct KafkaProperty {
    std::string key;
    std::string value;
    bool operator==(const KafkaProperty&) const = default;
};

struct KafkaSettings {
    std::string bootstrap;                // bootstrap.servers, for messages
    std::string source;                   // where the file properties came from, for messages
    std::vector<KafkaProperty> producer;  // in order: later ones override earlier ones
    std::vector<KafkaProperty> reader;    // connection and security properties only
    int32_t topic_partitions = -1;        // -1: the broker's default
    int16_t topic_replication = -1;
    std::chrono::milliseconds connect_timeout{30000};
};

// The key=value lines of a properties file. `source` names the file in error messages.
Result<std::vector<KafkaProperty>> parse_kafka_properties(std::string_view text,
                                                          const std::string& source);

// The settings from the options and the already-parsed file properties.
Result<KafkaSettings> make_kafka_settings(const KafkaOptions& options,
                                          const std::vector<KafkaProperty>& file_properties);

// The same, reading options.config_file when set.
Result<KafkaSettings> load_kafka_settings(const KafkaOptions& options);

struct ConfDeleter {
    void operator()(rd_kafka_conf_t* conf) const { rd_kafka_conf_destroy(conf); }
};
using ConfPtr = std::unique_ptr<rd_kafka_conf_t, ConfDeleter>;

// A librdkafka configuration with the properties set in order; an invalid one is an
// InvalidArgument naming the property and librdkafka's reason, never its value.
Result<ConfPtr> make_rdkafka_conf(const std::vector<KafkaProperty>& properties,
                                  const std::string& source);

}  // namespace cdc::sink

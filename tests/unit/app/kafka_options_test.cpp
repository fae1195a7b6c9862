#include "app/kafka_options.h"

#include <gtest/gtest.h>

namespace cdc::app {
namespace {

TEST(KafkaOptions, CarriesWhatTheSinkReadsFromTheConfiguration) {
    config::Config c;
    c.output_sink = config::OutputSink::Kafka;
    c.kafka_brokers = "k1:9092,k2:9092";
    c.kafka_config_file = "/etc/kafka.properties";
    c.kafka_compression = config::KafkaCompression::Zstd;
    c.kafka_topic_template = "cdc.{schema}.{table}";
    c.tables = {{"shop", "orders"}, {"shop", "items"}};
    sink::KafkaOptions o = kafka_options(c);
    EXPECT_EQ(o.brokers, "k1:9092,k2:9092");
    EXPECT_EQ(o.config_file, "/etc/kafka.properties");
    EXPECT_EQ(o.compression, "zstd");
    EXPECT_EQ(o.topics, (std::vector<std::string>{"cdc.shop.orders", "cdc.shop.items"}));
    // A table outside the configured list gets its topic by the same rule.
    EXPECT_EQ(o.topic_for({"other", "t"}), "cdc.other.t");
}

TEST(KafkaOptions, OneOutputTopicForEveryTable) {
    config::Config c;
    c.output_topic = "changes";
    c.tables = {{"s", "a"}, {"s", "b"}};
    sink::KafkaOptions o = kafka_options(c);
    EXPECT_EQ(o.compression, "lz4");
    EXPECT_EQ(o.topics, (std::vector<std::string>{"changes", "changes"}));
    EXPECT_EQ(o.topic_for({"x", "y"}), "changes");
}

}  // namespace
}  // namespace cdc::app

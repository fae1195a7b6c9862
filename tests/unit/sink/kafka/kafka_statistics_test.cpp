#include "sink/kafka/kafka_statistics.h"

#include <gtest/gtest.h>

namespace cdc::sink {
namespace {

TEST(KafkaStatistics, QueueInFlightRetriesAndBrokersFromTheStatisticsDocument) {
    metrics::KafkaMetrics m;
    uint64_t produced = 10, delivered = 7, failed = 1, dropped = 2;
    const char* doc = R"({"msg_cnt": 3, "msg_size": 300, "brokers": {
        "b1:9092/1": {"nodeid": 1, "state": "UP", "waitresp_msg_cnt": 2, "txretries": 4},
        "b2:9092/2": {"nodeid": 2, "state": "DOWN", "waitresp_msg_cnt": 0, "txretries": 1},
        "b1:9092/bootstrap": {"nodeid": -1, "state": "UP", "txretries": 0}}})";
    publish_kafka_statistics(doc, {&produced, &delivered, &failed, &dropped}, m);
    EXPECT_EQ(m.queue_messages.value(), 3);
    EXPECT_EQ(m.queue_bytes.value(), 300);
    EXPECT_EQ(m.in_flight.value(), 2);
    EXPECT_EQ(m.retries.value(), 5);
    EXPECT_EQ(m.brokers_up.value(), 1);
    EXPECT_EQ(m.produced.value(), 10);
    EXPECT_EQ(m.delivered.value(), 7);
    EXPECT_EQ(m.delivery_errors.value(), 1);
    EXPECT_EQ(m.replayed_dropped.value(), 2);
    EXPECT_FALSE(m.down_since.is_set());
    EXPECT_TRUE(m.callback_tick.is_set());
}

TEST(KafkaStatistics, NoBrokerUpStartsAnOutageOnce) {
    metrics::KafkaMetrics m;
    const char* down = R"({"msg_cnt": 0, "brokers": {"b:9092/1": {"nodeid": 1, "state": "DOWN"}}})";
    publish_kafka_statistics(down, {}, m);
    int64_t since = m.down_since.ns();
    EXPECT_NE(since, 0);
    publish_kafka_statistics(down, {}, m);
    EXPECT_EQ(m.down_since.ns(), since);
    publish_kafka_statistics(R"({"brokers": {"b:9092/1": {"nodeid": 1, "state": "UP"}}})", {}, m);
    EXPECT_FALSE(m.down_since.is_set());
}

TEST(KafkaStatistics, ABadDocumentLeavesTheGauges) {
    metrics::KafkaMetrics m;
    m.queue_messages.set(5);
    publish_kafka_statistics("{not json", {}, m);
    EXPECT_EQ(m.queue_messages.value(), 5);
}

}  // namespace
}  // namespace cdc::sink

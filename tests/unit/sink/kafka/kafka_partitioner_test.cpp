#include "sink/kafka/kafka_partitioner.h"

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include <random>
#include <string>

namespace cdc::sink {
namespace {

// Values of the Java client's Utils.murmur2 (Kafka's own test cases).
TEST(KafkaPartitioner, Murmur2MatchesKafka) {
    EXPECT_EQ(kafka_murmur2("21"), -973932308);
    EXPECT_EQ(kafka_murmur2("foobar"), -790332482);
    EXPECT_EQ(kafka_murmur2("a-little-bit-long-string"), -985981536);
    EXPECT_EQ(kafka_murmur2("a-little-bit-longer-string"), -1486304829);
    EXPECT_EQ(kafka_murmur2("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8"), -58897971);
    EXPECT_EQ(kafka_murmur2("abc"), 479470107);
}

// librdkafka's murmur2 partitioner is Java-compatible too: a differential check over random
// keys of every tail length, including bytes >= 0x80.
TEST(KafkaPartitioner, AgreesWithLibrdkafkaMurmur2) {
    std::mt19937 rng(42);
    for (int i = 0; i < 5000; ++i) {
        std::string key(static_cast<size_t>(rng() % 40), '\0');
        for (auto& c : key) c = static_cast<char>(rng() & 0xff);
        for (int32_t count : {1, 3, 6, 64}) {
            int32_t theirs = rd_kafka_msg_partitioner_murmur2(nullptr, key.data(), key.size(),
                                                              count, nullptr, nullptr);
            ASSERT_EQ(partition_for_key(key, count), theirs) << "key length " << key.size();
        }
    }
}

TEST(KafkaPartitioner, Deterministic) {
    EXPECT_EQ(partition_for_key("[1]", 6), partition_for_key(std::string("[1]"), 6));
    for (int32_t n = 1; n < 50; ++n) {
        int32_t p = partition_for_key("[\"some key\",42]", n);
        EXPECT_GE(p, 0);
        EXPECT_LT(p, n);
    }
    EXPECT_EQ(partition_for_key("", 1), 0);
}

}  // namespace
}  // namespace cdc::sink

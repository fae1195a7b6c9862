#include <gtest/gtest.h>

#include <string>

#include "sink/kafka/kafka_topics.h"

namespace cdc::sink {
namespace {

TEST(KafkaTopicName, LegalNames) {
    EXPECT_EQ(topic_name_problem("cdc"), "");
    EXPECT_EQ(topic_name_problem("cdc.shop.orders_2024-v1"), "");
    EXPECT_EQ(topic_name_problem(std::string(249, 'a')), "");
}

TEST(KafkaTopicName, IllegalNamesSayWhy) {
    EXPECT_EQ(topic_name_problem(""), "it is empty");
    EXPECT_EQ(topic_name_problem(".."), "it is . or .., which Kafka does not allow");
    EXPECT_EQ(topic_name_problem(std::string(250, 'a')),
              "it is 250 characters long, more than Kafka's 249");
    EXPECT_EQ(topic_name_problem("cdc.shop.odd$name"),
              "it has the character '$', and topic names allow only a-z A-Z 0-9 . _ -");
    EXPECT_EQ(topic_name_problem("cdc.shop.caf\xc3\xa9"),
              "it has the byte 0xc3, and topic names allow only a-z A-Z 0-9 . _ -");
    EXPECT_EQ(topic_name_problem("a b"),
              "it has a space, and topic names allow only a-z A-Z 0-9 . _ -");
}

TEST(KafkaTopicName, CheckNamesTheTopicAndTheSettings) {
    EXPECT_TRUE(check_topic_name("cdc").ok());
    Status st = check_topic_name("cdc.d.odd$name");
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().code, Errc::InvalidArgument);
    EXPECT_EQ(st.error().message,
              "\"cdc.d.odd$name\" is not a valid Kafka topic name: it has the character '$', and "
              "topic names allow only a-z A-Z 0-9 . _ - (change `output` or KAFKA_TOPIC_TEMPLATE)");
}

}  // namespace
}  // namespace cdc::sink

#include "sink/kafka/kafka_config.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace cdc::sink {
namespace {

KafkaOptions base_options() {
    KafkaOptions c;
    c.brokers = "k1:9092,k2:9092";
    c.topics = {"out"};
    return c;
}

// The value a property ends up with (the last setting wins in librdkafka).
std::string value_of(const std::vector<KafkaProperty>& props, const std::string& key) {
    std::string v = "<unset>";
    for (const auto& p : props) {
        if (p.key == key) v = p.value;
    }
    return v;
}

TEST(KafkaConfig, ParsesKeyValueLines) {
    auto props = parse_kafka_properties(
        "# comment\n\n  security.protocol = SASL_SSL \r\n! also a comment\n"
        "sasl.password=a=b=c\nlinger.ms=50",
        "f");
    ASSERT_TRUE(props.ok()) << props.error().message;
    ASSERT_EQ(props->size(), 3u);
    EXPECT_EQ((*props)[0], (KafkaProperty{"security.protocol", "SASL_SSL"}));
    EXPECT_EQ((*props)[1], (KafkaProperty{"sasl.password", "a=b=c"}));
    EXPECT_EQ((*props)[2], (KafkaProperty{"linger.ms", "50"}));
}

TEST(KafkaConfig, LineWithoutEqualsNamesTheLineButNotItsText) {
    auto props = parse_kafka_properties("a=1\nhunter2\n", "KAFKA_CONFIG_FILE x");
    ASSERT_FALSE(props.ok());
    EXPECT_EQ(props.error().code, Errc::InvalidArgument);
    EXPECT_NE(props.error().message.find("line 2"), std::string::npos);
    EXPECT_EQ(props.error().message.find("hunter2"), std::string::npos);
}

TEST(KafkaConfig, DefaultsAndFixedProperties) {
    auto s = make_kafka_settings(base_options(), {});
    ASSERT_TRUE(s.ok()) << s.error().message;
    EXPECT_EQ(s->bootstrap, "k1:9092,k2:9092");
    EXPECT_EQ(value_of(s->producer, "bootstrap.servers"), "k1:9092,k2:9092");
    EXPECT_EQ(value_of(s->producer, "enable.idempotence"), "true");
    EXPECT_EQ(value_of(s->producer, "acks"), "all");
    EXPECT_EQ(value_of(s->producer, "message.timeout.ms"), "0");
    EXPECT_EQ(value_of(s->producer, "compression.codec"), "lz4");
    EXPECT_EQ(value_of(s->reader, "bootstrap.servers"), "k1:9092,k2:9092");
    EXPECT_EQ(s->topic_partitions, -1);
    EXPECT_EQ(s->connect_timeout, std::chrono::milliseconds(30000));
    // Every property is one librdkafka knows.
    auto conf = make_rdkafka_conf(s->producer, s->source);
    EXPECT_TRUE(conf.ok()) << conf.error().message;
}

TEST(KafkaConfig, FileTunesAndSecuresButBrokersVariableWins) {
    auto c = base_options();
    c.compression = "zstd";
    auto s = make_kafka_settings(c, {{"linger.ms", "50"},
                                     {"security.protocol", "SASL_PLAINTEXT"},
                                     {"bootstrap.servers", "other:1"},
                                     {"acks", "-1"},
                                     {"mysql-cdc.topic.partitions", "6"},
                                     {"mysql-cdc.topic.replication.factor", "3"},
                                     {"mysql-cdc.connect.timeout.ms", "2500"}});
    ASSERT_TRUE(s.ok()) << s.error().message;
    EXPECT_EQ(s->bootstrap, "k1:9092,k2:9092");
    EXPECT_EQ(value_of(s->producer, "linger.ms"), "50");
    EXPECT_EQ(value_of(s->producer, "compression.codec"), "zstd");
    EXPECT_EQ(value_of(s->reader, "security.protocol"), "SASL_PLAINTEXT");
    EXPECT_EQ(value_of(s->reader, "linger.ms"), "<unset>");  // producer-only
    EXPECT_EQ(s->topic_partitions, 6);
    EXPECT_EQ(s->topic_replication, 3);
    EXPECT_EQ(s->connect_timeout, std::chrono::milliseconds(2500));
    // Our settings are not passed to librdkafka.
    EXPECT_EQ(value_of(s->producer, "mysql-cdc.topic.partitions"), "<unset>");
}

TEST(KafkaConfig, BrokersFromTheFileWhenTheVariableIsEmpty) {
    auto c = base_options();
    c.brokers.clear();
    auto s = make_kafka_settings(c, {{"bootstrap.servers", "f:1"}});
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(s->bootstrap, "f:1");
    auto none = make_kafka_settings(c, {});
    ASSERT_FALSE(none.ok());
    EXPECT_NE(none.error().message.find("KAFKA_BROKERS"), std::string::npos);
}

TEST(KafkaConfig, ExactlyOnceSettingsCannotBeWeakened) {
    for (const auto& p : std::vector<KafkaProperty>{{"enable.idempotence", "false"},
                                                    {"acks", "1"},
                                                    {"enable.gapless.guarantee", "false"},
                                                    {"transactional.id", "x"}}) {
        auto s = make_kafka_settings(base_options(), {p});
        ASSERT_FALSE(s.ok()) << p.key;
        EXPECT_NE(s.error().message.find(p.key), std::string::npos) << s.error().message;
    }
}

TEST(KafkaConfig, BadOwnSettings) {
    for (const auto& p : std::vector<KafkaProperty>{{"mysql-cdc.topic.partitions", "0"},
                                                    {"mysql-cdc.topic.partitions", "six"},
                                                    {"mysql-cdc.connect.timeout.ms", "-5"},
                                                    {"mysql-cdc.nope", "1"}}) {
        auto s = make_kafka_settings(base_options(), {p});
        ASSERT_FALSE(s.ok()) << p.key << "=" << p.value;
        EXPECT_EQ(s.error().code, Errc::InvalidArgument);
        EXPECT_NE(s.error().message.find(p.key), std::string::npos);
    }
}

TEST(KafkaConfig, NoValueFromTheFileInAnyMessage) {
    // A secret under a mistyped key is not recognisable as a secret: no value is ever shown,
    // whichever check refuses it.
    const std::string secret = "hunter2-s3cr3t";
    for (const auto& key :
         {"sasl.pasword", "no.such.password", "linger.ms", "security.protocol", "acks"}) {
        auto bad = make_rdkafka_conf({{key, secret}}, "KAFKA_CONFIG_FILE f");
        ASSERT_FALSE(bad.ok()) << key;
        EXPECT_NE(bad.error().message.find(key), std::string::npos) << bad.error().message;
        EXPECT_EQ(bad.error().message.find("hunter2"), std::string::npos) << bad.error().message;
    }
    // librdkafka's reason is kept when it can be told without the value.
    auto unknown = make_rdkafka_conf({{"sasl.pasword", secret}}, "KAFKA_CONFIG_FILE f");
    ASSERT_FALSE(unknown.ok());
    EXPECT_NE(unknown.error().message.find("No such configuration property"), std::string::npos)
        << unknown.error().message;
    for (const auto& p : std::vector<KafkaProperty>{{"mysql-cdc.topic.partitions", secret},
                                                    {"mysql-cdc.connect.timeout.ms", secret},
                                                    {"enable.idempotence", secret},
                                                    {"acks", secret}}) {
        auto s = make_kafka_settings(base_options(), {p});
        ASSERT_FALSE(s.ok()) << p.key;
        EXPECT_NE(s.error().message.find(p.key), std::string::npos) << s.error().message;
        EXPECT_EQ(s.error().message.find("hunter2"), std::string::npos) << s.error().message;
    }
    // librdkafka's range message prints the value unquoted: the reason is left out.
    auto range = make_rdkafka_conf({{"linger.ms", "-77"}}, "KAFKA_CONFIG_FILE f");
    ASSERT_FALSE(range.ok());
    EXPECT_EQ(range.error().message.find("77"), std::string::npos) << range.error().message;
}

}  // namespace
}  // namespace cdc::sink

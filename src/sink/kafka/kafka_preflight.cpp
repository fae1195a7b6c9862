#include "sink/kafka/kafka_preflight.h"

#include <algorithm>
#include <set>
#include <thread>

#include "sink/kafka/kafka_client.h"
#include "sink/kafka/kafka_config.h"
#include "sink/kafka/kafka_topics.h"

namespace cdc::sink {
namespace {

using Level = PreflightLine::Level;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

PreflightLine line(Level level, std::string name, std::string detail) {
    return {level, std::move(name), std::move(detail), ""};
}

PreflightLine about(const std::string& topic, PreflightLine l) {
    l.topic = topic;
    return l;
}

std::string partitions_text(int32_t n) {
    return std::to_string(n) + (n == 1 ? " partition" : " partitions");
}

std::string how_to_create(const std::string& topic, const KafkaSettings& s) {
    return "create it (kafka-topics.sh --bootstrap-server " + s.bootstrap + " --create --topic " +
           topic + " --partitions " +
           (s.topic_partitions > 0 ? std::to_string(s.topic_partitions) : std::string("N")) +
           "), or let this client create topics (CreateTopics) or the broker auto-create them";
}

// A topic that is not there: would CreateTopics succeed, or does the broker create it on
// demand? The daemon's start tries the same two ways (kafka_topics.h).
PreflightLine check_missing_topic(rd_kafka_t* rk, const std::string& topic,
                                  const KafkaSettings& s) {
    const std::string name = "kafka topic " + topic;
    const std::string refused = create_topic(rk, topic, s, /*validate_only=*/true);
    if (refused.empty()) {
        return line(Level::Ok, name,
                    "does not exist yet; the daemon creates it at start (CreateTopics validated, " +
                        (s.topic_partitions > 0 ? partitions_text(s.topic_partitions)
                                                : std::string("the broker's default partitions")) +
                        ")");
    }
    request_auto_creation(rk, topic);
    // An auto-created topic shows up at once; give its partitions a moment to get leaders.
    auto deadline = Clock::now() + std::min<std::chrono::milliseconds>(s.connect_timeout, 5000ms);
    while (true) {
        auto info = describe_topic(rk, topic);
        if (!info) return line(Level::Fail, name, info.error().message);
        if (info->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
            return line(Level::Ok, name,
                        "did not exist; the broker created it when asked for it "
                        "(auto.create.topics.enable), " +
                            partitions_text(info->partitions));
        }
        if (info->err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED) {
            return line(Level::Fail, name,
                        "not authorized: grant this client Describe and Write on it");
        }
        if (Clock::now() >= deadline) break;
        std::this_thread::sleep_for(200ms);
    }
    return line(Level::Fail, name,
                "does not exist and cannot be created (CreateTopics: " + refused +
                    "; the broker does not auto-create topics): " + how_to_create(topic, s));
}

PreflightLine check_topic(rd_kafka_t* rk, const std::string& topic, const KafkaSettings& s) {
    const std::string name = "kafka topic " + topic;
    auto info = describe_topic(rk, topic);
    if (!info) return line(Level::Fail, name, info.error().message);
    switch (info->err) {
        case RD_KAFKA_RESP_ERR_NO_ERROR:
            return line(Level::Ok, name, "exists, " + partitions_text(info->partitions));
        case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART: return check_missing_topic(rk, topic, s);
        case RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED:
            return line(Level::Fail, name,
                        "not authorized: grant this client Describe and Write on it");
        default: return line(Level::Fail, name, "not available: " + kafka_error_text(info->err));
    }
}

}  // namespace

std::vector<PreflightLine> kafka_preflight(const KafkaOptions& options,
                                           std::chrono::milliseconds broker_wait) {
    std::vector<PreflightLine> out;
    std::vector<std::string> topics;
    for (const std::string& t : options.topics) {
        if (std::find(topics.begin(), topics.end(), t) != topics.end()) continue;
        std::string problem = topic_name_problem(t);
        if (!problem.empty()) {
            out.push_back(about(t, line(Level::Fail, "kafka topic " + t,
                                        "not a valid Kafka topic name: " + problem +
                                            " (change `output` or KAFKA_TOPIC_TEMPLATE)")));
            continue;
        }
        topics.push_back(t);
    }

    auto settings = load_kafka_settings(options);
    if (!settings) {
        out.push_back(line(Level::Fail, "kafka settings", settings.error().message));
        return out;
    }
    auto conf = make_rdkafka_conf(settings->producer, settings->source);
    if (!conf) {
        out.push_back(line(Level::Fail, "kafka settings", conf.error().message));
        return out;
    }
    ClientErrors errors;
    auto rk = make_kafka_client(RD_KAFKA_PRODUCER, std::move(*conf), errors);
    if (!rk) {
        out.push_back(line(Level::Fail, "kafka producer", rk.error().message));
        return out;
    }
    out.push_back(line(Level::Ok, "kafka producer",
                       "built from " + (options.config_file.empty()
                                            ? std::string("the defaults (no KAFKA_CONFIG_FILE)")
                                            : settings->source)));

    KafkaSettings bounded = *settings;
    bounded.connect_timeout = std::min(bounded.connect_timeout, broker_wait);
    Status reached = wait_for_brokers(rk->get(), bounded, errors);
    if (!reached) {
        out.push_back(line(Level::Fail, "kafka brokers", reached.error().message));
        return out;
    }
    out.push_back(line(Level::Ok, "kafka brokers", settings->bootstrap + " answered"));
    for (const std::string& t : topics) {
        out.push_back(about(t, check_topic(rk->get(), t, *settings)));
    }
    return out;
}

}  // namespace cdc::sink

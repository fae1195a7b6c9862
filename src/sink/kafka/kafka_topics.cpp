#include "sink/kafka/kafka_topics.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>

namespace cdc::sink {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr int kRequestTimeoutMs = 5000;

bool is_topic_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

}  // namespace

std::string topic_name_problem(std::string_view topic) {
    if (topic.empty()) return "it is empty";
    if (topic == "." || topic == "..") return "it is . or .., which Kafka does not allow";
    if (topic.size() > kMaxTopicNameLength) {
        return "it is " + std::to_string(topic.size()) + " characters long, more than Kafka's " +
               std::to_string(kMaxTopicNameLength);
    }
    for (char c : topic) {
        if (!is_topic_char(c)) {
            const auto byte = static_cast<unsigned char>(c);
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%02x", byte);
            std::string what = byte == ' ' ? std::string("a space")
                               : byte > 0x20 && byte < 0x7f
                                   ? std::string("the character '") + c + "'"
                                   : std::string("the byte ") + hex;
            return "it has " + what + ", and topic names allow only a-z A-Z 0-9 . _ -";
        }
    }
    return "";
}

Status check_topic_name(std::string_view topic) {
    std::string problem = topic_name_problem(topic);
    if (problem.empty()) return {};
    return make_error(Errc::InvalidArgument, "\"" + std::string(topic) +
                                                 "\" is not a valid Kafka topic name: " + problem +
                                                 " (change `output` or KAFKA_TOPIC_TEMPLATE)");
}

// Listing every topic does not trigger auto-creation, so this only looks.
Result<TopicInfo> describe_topic(rd_kafka_t* rk, const std::string& topic) {
    const rd_kafka_metadata_t* md = nullptr;
    rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 1, nullptr, &md, kRequestTimeoutMs);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        return make_error(Errc::Unavailable, "cannot read Kafka metadata for topic " + topic +
                                                 ": " + kafka_error_text(err));
    }
    MetadataPtr owned(md);
    TopicInfo info;
    info.brokers = md->broker_cnt;
    for (int i = 0; i < md->topic_cnt; ++i) {
        if (topic != md->topics[i].topic) continue;
        info.err = md->topics[i].err;
        info.partitions = md->topics[i].partition_cnt;
        if (info.err == RD_KAFKA_RESP_ERR_NO_ERROR && info.partitions == 0) {
            info.err = RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE;
        }
    }
    return info;
}

std::string create_topic(rd_kafka_t* rk, const std::string& topic, const KafkaSettings& s,
                         bool validate_only) {
    char errstr[512];
    rd_kafka_NewTopic_t* nt = rd_kafka_NewTopic_new(topic.c_str(), s.topic_partitions,
                                                    s.topic_replication, errstr, sizeof errstr);
    if (nt == nullptr) return errstr;
    rd_kafka_queue_t* queue = rd_kafka_queue_new(rk);
    rd_kafka_AdminOptions_t* options =
        rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS);
    rd_kafka_AdminOptions_set_request_timeout(options, kRequestTimeoutMs, errstr, sizeof errstr);
    if (validate_only) rd_kafka_AdminOptions_set_validate_only(options, 1, errstr, sizeof errstr);
    rd_kafka_CreateTopics(rk, &nt, 1, options, queue);
    std::string problem;
    rd_kafka_event_t* ev = rd_kafka_queue_poll(queue, kRequestTimeoutMs + 2000);
    if (ev == nullptr) {
        problem = "no answer to CreateTopics";
    } else if (rd_kafka_event_error(ev) != RD_KAFKA_RESP_ERR_NO_ERROR) {
        problem = rd_kafka_event_error_string(ev);
    } else {
        size_t count = 0;
        const rd_kafka_topic_result_t** results =
            rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev), &count);
        for (size_t i = 0; i < count; ++i) {
            rd_kafka_resp_err_t err = rd_kafka_topic_result_error(results[i]);
            if (err != RD_KAFKA_RESP_ERR_NO_ERROR &&
                err != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
                const char* text = rd_kafka_topic_result_error_string(results[i]);
                problem = text != nullptr ? text : rd_kafka_err2str(err);
            }
        }
    }
    if (ev != nullptr) rd_kafka_event_destroy(ev);
    rd_kafka_AdminOptions_destroy(options);
    rd_kafka_queue_destroy(queue);
    rd_kafka_NewTopic_destroy(nt);
    return problem;
}

void request_auto_creation(rd_kafka_t* rk, const std::string& topic) {
    TopicPtr rkt(rd_kafka_topic_new(rk, topic.c_str(), nullptr));
    const rd_kafka_metadata_t* md = nullptr;
    if (rd_kafka_metadata(rk, 0, rkt.get(), &md, kRequestTimeoutMs) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        rd_kafka_metadata_destroy(md);
    }
}

Result<int32_t> ensure_topic(rd_kafka_t* rk, const std::string& topic,
                             const KafkaSettings& settings) {
    if (Status valid = check_topic_name(topic); !valid) return valid.error();
    auto info = describe_topic(rk, topic);
    if (!info) return info.error();
    if (info->err == RD_KAFKA_RESP_ERR_NO_ERROR) return info->partitions;

    // Without a partition count of ours, broker auto-creation gives what CreateTopics would
    // (the broker's default), costs one request, and works on brokers without CreateTopics.
    if (settings.topic_partitions < 0) {
        request_auto_creation(rk, topic);
        info = describe_topic(rk, topic);
        if (!info) return info.error();
        if (info->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
            spdlog::info("Kafka topic {} was created by the broker ({} partitions)", topic,
                         info->partitions);
            return info->partitions;
        }
    }
    std::string create_problem = create_topic(rk, topic, settings, false);
    if (create_problem.empty()) {
        spdlog::info("created Kafka topic {} ({} partitions)", topic,
                     settings.topic_partitions > 0 ? std::to_string(settings.topic_partitions)
                                                   : "the broker's default");
    } else {
        spdlog::debug("CreateTopics {}: {}; trying broker auto-creation", topic, create_problem);
    }
    auto deadline = Clock::now() + settings.connect_timeout;
    // An auto-created topic appears at once; a topic that stays unknown this long will not.
    auto unknown_deadline =
        Clock::now() + std::min<std::chrono::milliseconds>(settings.connect_timeout, 5000ms);
    while (true) {
        if (!create_problem.empty()) request_auto_creation(rk, topic);
        info = describe_topic(rk, topic);
        if (!info) return info.error();
        if (info->err == RD_KAFKA_RESP_ERR_NO_ERROR) return info->partitions;
        auto now = Clock::now();
        bool unknown = info->err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART;
        if (now >= deadline || (unknown && now >= unknown_deadline)) break;
        std::this_thread::sleep_for(200ms);
    }
    if (info->err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED) {
        return make_error(Errc::FailedPrecondition, "not authorized to use Kafka topic " + topic +
                                                        ": grant this client "
                                                        "Describe and Write on it");
    }
    if (info->err != RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) {
        return make_error(Errc::Unavailable, "Kafka topic " + topic + " is not available: " +
                                                 kafka_error_text(info->err));
    }
    return make_error(Errc::FailedPrecondition,
                      "Kafka topic " + topic + " does not exist and could not be created (" +
                          (create_problem.empty() ? "it did not appear" : create_problem) +
                          "; the broker does not auto-create topics): create it, or allow "
                          "topic creation on the broker");
}

}  // namespace cdc::sink

#include "sink/kafka/kafka_resume.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "sink/kafka/kafka_client.h"

namespace cdc::sink {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kWatermarkTimeoutMs = 5000;
constexpr int64_t kMaxWindow = 1 << 20;

// One partition's scan: read [start, high) and keep the newest position of ours.
struct PartitionScan {
    int64_t low = 0;
    int64_t high = 0;
    int64_t start = 0;
    int64_t window = 1;
    bool done = false;
    std::optional<ChangePosition> newest;
    OutputShape newest_shape;  // of the message holding `newest`
};

struct PartitionListDeleter {
    void operator()(rd_kafka_topic_partition_list_t* l) const {
        rd_kafka_topic_partition_list_destroy(l);
    }
};

Status read_watermarks(rd_kafka_t* rk, const std::string& topic, int32_t p, PartitionScan& s) {
    rd_kafka_resp_err_t err = rd_kafka_query_watermark_offsets(rk, topic.c_str(), p, &s.low,
                                                               &s.high, kWatermarkTimeoutMs);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        return make_error(Errc::Unavailable, "cannot read the offsets of Kafka topic " + topic +
                                                 " partition " + std::to_string(p) + ": " +
                                                 kafka_error_text(err));
    }
    s.done = s.high <= s.low;  // empty partition
    s.start = std::max(s.low, s.high - s.window);
    return {};
}

// Keeps the message's position if it is the newest so far; Malformed on unreadable headers.
// The partition is finished by its end-of-partition event, not by an offset: a window may
// end in a message that is not ours.
Status take_message(rd_kafka_message_t* m, const std::string& topic, PartitionScan& s) {
    rd_kafka_headers_t* headers = nullptr;
    if (rd_kafka_message_headers(m, &headers) != RD_KAFKA_RESP_ERR_NO_ERROR) headers = nullptr;
    auto pos = position_from_headers(headers);
    if (!pos) {
        return pos.error().with_context("Kafka topic " + topic + " partition " +
                                        std::to_string(m->partition) + " offset " +
                                        std::to_string(m->offset) + ": ");
    }
    if (*pos && (!s.newest || **pos > *s.newest)) {
        s.newest = std::move(**pos);
        std::string_view key, value;
        if (m->key != nullptr) key = {static_cast<const char*>(m->key), m->key_len};
        if (m->payload != nullptr) value = {static_cast<const char*>(m->payload), m->len};
        s.newest_shape = infer_output_shape(key, value);
    }
    return {};
}

// One round: assign every unfinished partition at its start offset and read up to its high
// watermark. Partitions that end without a message of ours widen their window for the next.
Status scan_round(rd_kafka_t* rk, const std::string& topic, std::vector<PartitionScan>& parts,
                  const KafkaSettings& settings) {
    std::unique_ptr<rd_kafka_topic_partition_list_t, PartitionListDeleter> list(
        rd_kafka_topic_partition_list_new(static_cast<int>(parts.size())));
    size_t waiting = 0;
    for (size_t p = 0; p < parts.size(); ++p) {
        if (parts[p].done) continue;
        rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), static_cast<int32_t>(p))
            ->offset = parts[p].start;
        ++waiting;
    }
    if (waiting == 0) return {};
    rd_kafka_assign(rk, list.get());
    auto deadline = Clock::now() + settings.connect_timeout;
    while (waiting > 0) {
        if (Clock::now() >= deadline) {
            rd_kafka_assign(rk, nullptr);
            return make_error(Errc::Unavailable,
                              "timed out reading the last messages of Kafka "
                              "topic " +
                                  topic + " (to resume exactly once)");
        }
        rd_kafka_message_t* m = rd_kafka_consumer_poll(rk, 200);
        if (m == nullptr) continue;
        Status st;
        auto p = static_cast<size_t>(m->partition);
        bool ours = m->rkt != nullptr && topic == rd_kafka_topic_name(m->rkt) && p < parts.size();
        if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF && ours && !parts[p].done) {
            // The window held no message of ours: look further back next round.
            if (parts[p].newest || parts[p].start <= parts[p].low) {
                parts[p].done = true;
            } else {
                parts[p].window = std::min(parts[p].window * 16, kMaxWindow);
                parts[p].start = std::max(parts[p].low, parts[p].high - parts[p].window);
            }
            --waiting;
        } else if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
            spdlog::debug("resume scan of {}: {}", topic, rd_kafka_message_errstr(m));
        } else if (ours && !parts[p].done) {
            st = take_message(m, topic, parts[p]);
        }
        rd_kafka_message_destroy(m);
        if (!st) {
            rd_kafka_assign(rk, nullptr);
            return st;
        }
    }
    return rd_kafka_assign(rk, nullptr) == RD_KAFKA_RESP_ERR_NO_ERROR
               ? Status{}
               : make_error(Errc::Internal, "cannot unassign the resume reader");
}

Result<TopicResume> scan_topic(rd_kafka_t* rk, const TopicPartitions& t,
                               const KafkaSettings& settings) {
    std::vector<PartitionScan> parts(static_cast<size_t>(t.partitions));
    for (size_t p = 0; p < parts.size(); ++p) {
        Status st = read_watermarks(rk, t.topic, static_cast<int32_t>(p), parts[p]);
        if (!st) return st.error();
    }
    while (true) {
        bool all_done = true;
        for (const auto& s : parts) all_done = all_done && s.done;
        if (all_done) break;
        Status st = scan_round(rk, t.topic, parts, settings);
        if (!st) return st.error();
    }
    TopicResume out{t.topic, {}, {}};
    for (auto& s : parts) {
        out.newest.push_back(std::move(s.newest));
        out.newest_shape.push_back(std::move(s.newest_shape));
    }
    return out;
}

}  // namespace

Result<std::vector<TopicResume>> read_newest_positions(const KafkaSettings& settings,
                                                       const std::vector<TopicPartitions>& topics) {
    auto props = settings.reader;
    props.push_back({"enable.partition.eof", "true"});
    props.push_back({"enable.auto.commit", "false"});
    props.push_back({"isolation.level", "read_uncommitted"});
    props.push_back({"group.id", "mysql-cdc-resume"});
    // The end of a partition is known only from an empty fetch: do not let the broker hold it.
    props.push_back({"fetch.wait.max.ms", "10"});
    auto conf = make_rdkafka_conf(props, settings.source);
    if (!conf) return conf.error();
    ClientErrors errors;
    auto rk = make_kafka_client(RD_KAFKA_CONSUMER, std::move(*conf), errors);
    if (!rk) return rk.error();
    std::vector<TopicResume> out;
    for (const auto& t : topics) {
        auto r = scan_topic(rk->get(), t, settings);
        if (!r) return r.error();
        out.push_back(std::move(*r));
    }
    rd_kafka_consumer_close(rk->get());
    return out;
}

}  // namespace cdc::sink

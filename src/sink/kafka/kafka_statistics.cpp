#include "sink/kafka/kafka_statistics.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstring>

namespace cdc::sink {

void publish_kafka_statistics(std::string_view json, const KafkaCounts& counts,
                              metrics::KafkaMetrics& out) {
    auto count = [](const uint64_t* n) { return n == nullptr ? 0.0 : static_cast<double>(*n); };
    out.produced.set(count(counts.produced));
    out.delivered.set(count(counts.delivered));
    out.delivery_errors.set(count(counts.failed));
    out.replayed_dropped.set(count(counts.dropped));
    int64_t now = metrics::steady_ns(std::chrono::steady_clock::now());
    out.callback_tick.set(now);
    nlohmann::json doc = nlohmann::json::parse(json, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) return;
    out.queue_messages.set(doc.value("msg_cnt", 0.0));
    out.queue_bytes.set(doc.value("msg_size", 0.0));
    double in_flight = 0;
    double retries = 0;
    int up = 0;
    auto brokers = doc.find("brokers");
    if (brokers != doc.end() && brokers->is_object()) {
        for (const auto& [name, b] : brokers->items()) {
            if (!b.is_object()) continue;
            in_flight += b.value("waitresp_msg_cnt", 0.0);
            retries += b.value("txretries", 0.0);
            // Bootstrap and internal entries have node id -1; the brokers proper have theirs.
            if (b.value("nodeid", -1) >= 0 && b.value("state", std::string()) == "UP") ++up;
        }
    }
    out.in_flight.set(in_flight);
    out.retries.set(retries);
    out.brokers_up.set(up);
    if (up > 0) {
        out.down_since.clear();
    } else {
        out.down_since.set_if_clear(now);
    }
}

void enable_kafka_statistics(rd_kafka_conf_t* conf) {
    char value[32];
    size_t size = sizeof value;
    if (rd_kafka_conf_get(conf, "statistics.interval.ms", value, &size) == RD_KAFKA_CONF_OK &&
        std::strcmp(value, "0") != 0) {
        return;  // the user's KAFKA_CONFIG_FILE chose an interval
    }
    char err[256];
    rd_kafka_conf_set(conf, "statistics.interval.ms", "1000", err, sizeof err);
}

}  // namespace cdc::sink

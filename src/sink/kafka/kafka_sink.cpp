#include "sink/kafka/kafka_sink.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "model/gtid_set.h"
#include "model/mariadb_gtid_state.h"
#include "sink/kafka/kafka_resume.h"
#include "sink/kafka/kafka_topics.h"

namespace cdc::sink {
namespace {

void delivery_callback(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
    auto* events = static_cast<ProducerEvents*>(static_cast<ClientErrors*>(opaque));
    ++events->reported;
    events->reported_bytes += m->len + m->key_len;
    events->epochs.acknowledged(reinterpret_cast<uintptr_t>(m->_private));
    if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        ++events->delivered;
        return;
    }
    ++events->failed;
    if (events->first_failure) return;
    rd_kafka_headers_t* headers = nullptr;
    if (rd_kafka_message_headers(m, &headers) != RD_KAFKA_RESP_ERR_NO_ERROR) headers = nullptr;
    auto pos = position_from_headers(headers);
    std::string where = pos && *pos ? (*pos)->to_string() : "a change without position";
    events->first_failure = make_error(
        Errc::DataLoss, "Kafka did not accept the change at " + where + " (topic " +
                            rd_kafka_topic_name(m->rkt) + " partition " +
                            std::to_string(m->partition) + "): " + kafka_error_text(m->err) +
                            "; stopping without moving the checkpoint past it");
}

int statistics_callback(rd_kafka_t*, char* json, size_t json_len, void* opaque) {
    auto* events = static_cast<ProducerEvents*>(static_cast<ClientErrors*>(opaque));
    if (events->metrics != nullptr) {
        publish_kafka_statistics({json, json_len}, events->counts, *events->metrics);
    }
    return 0;  // librdkafka frees the document
}

std::string topic_summary(const std::string& name, int32_t partitions) {
    return name + " (" + std::to_string(partitions) + " partitions)";
}

}  // namespace

KafkaSink::KafkaSink(KafkaOptions options, KafkaSettings settings)
    : options_(std::move(options)),
      settings_(std::move(settings)),
      events_(std::make_unique<ProducerEvents>()) {
    events_->metrics = options_.metrics;
    events_->counts = {&produced_, &events_->delivered, &events_->failed, &dropped_};
}

KafkaSink::~KafkaSink() {
    if (!rk_) return;
    // Whatever was not flushed is not covered by a checkpoint and will be produced again on
    // restart; waiting for it here could block forever while the broker is away.
    rd_kafka_purge(rk_.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
    rd_kafka_flush(rk_.get(), 1000);
}

Result<std::unique_ptr<KafkaSink>> KafkaSink::open(KafkaOptions options, KafkaSettings settings) {
    auto sink = std::unique_ptr<KafkaSink>(new KafkaSink(std::move(options), std::move(settings)));
    const KafkaSettings& s = sink->settings_;
    auto conf = make_rdkafka_conf(s.producer, s.source);
    if (!conf) return conf.error();
    rd_kafka_conf_set_dr_msg_cb(conf->get(), delivery_callback);
    if (sink->options_.metrics != nullptr) {
        enable_kafka_statistics(conf->get());
        rd_kafka_conf_set_stats_cb(conf->get(), statistics_callback);
        sink->options_.metrics->enabled.store(true, std::memory_order_relaxed);
    }
    auto rk = make_kafka_client(RD_KAFKA_PRODUCER, std::move(*conf), *sink->events_);
    if (!rk) return rk.error();
    sink->rk_ = std::move(*rk);
    Status st = wait_for_brokers(sink->rk_.get(), s, *sink->events_);
    if (!st) return st.error();
    std::string summary;
    for (const std::string& name : sink->options_.topics) {
        if (sink->topics_.count(name) != 0) continue;
        auto topic = sink->add_topic(name);
        if (!topic) return topic.error();
        summary += (summary.empty() ? "" : ", ") + topic_summary(name, (*topic)->partitions);
    }
    spdlog::info("Kafka: brokers {}, topics {}, compression {}", s.bootstrap, summary,
                 sink->options_.compression);
    return sink;
}

Result<KafkaSink::Topic*> KafkaSink::add_topic(const std::string& name) {
    auto partitions = ensure_topic(rk_.get(), name, settings_);
    if (!partitions) return partitions.error();
    auto topic = std::make_unique<Topic>();
    topic->name = name;
    topic->handle.reset(rd_kafka_topic_new(rk_.get(), name.c_str(), nullptr));
    if (!topic->handle) {
        return make_error(Errc::Internal, "cannot create a handle for Kafka topic " + name + ": " +
                                              kafka_error_text(rd_kafka_last_error()));
    }
    topic->partitions = *partitions;
    topic->newest.resize(static_cast<size_t>(*partitions));
    topic->newest_shape.resize(static_cast<size_t>(*partitions));
    Topic* raw = topic.get();
    topics_.emplace(name, std::move(topic));
    return raw;
}

Result<KafkaSink::Topic*> KafkaSink::topic_for(const OutputRecord& record) {
    // Changes come in runs of one table: the last answer, before hashing the name.
    if (last_topic_ != nullptr && record.table == table_key_.table &&
        record.schema == table_key_.schema) {
        return last_topic_;
    }
    last_topic_ = nullptr;
    table_key_.schema.assign(record.schema);
    table_key_.table.assign(record.table);
    auto found = by_table_.find(table_key_);
    if (found != by_table_.end()) return last_topic_ = found->second;
    std::string name = options_.topic_for(table_key_);
    auto existing = topics_.find(name);
    Topic* topic = existing != topics_.end() ? existing->second.get() : nullptr;
    if (topic == nullptr) {
        // A table whose topic was not checked at start (not in the configured list).
        auto added = add_topic(name);
        if (!added) return added.error();
        topic = *added;
    }
    by_table_.emplace(table_key_, topic);
    return last_topic_ = topic;
}

Status KafkaSink::recover(const model::Checkpoint& checkpoint) {
    std::vector<TopicPartitions> list;
    for (const auto& [name, topic] : topics_) list.push_back({name, topic->partitions});
    auto scanned = read_newest_positions(settings_, list);
    if (!scanned) return scanned.error();
    // A partition whose newest change's transaction ended before the checkpoint (by the
    // checkpoint's GTID state) holds nothing a replay could repeat: forgotten, so that a replay
    // from another server is not compared with its position at all.
    auto state = model::MariaGtidState::parse(checkpoint.gtid_state);
    // MySQL's set, when the text is one: a message's GTID (a set of one) is covered when the
    // set contains it.
    std::optional<model::GtidSet> mysql_set;
    if (!state) {
        if (auto set = model::GtidSet::parse(checkpoint.gtid_state)) mysql_set = std::move(*set);
    }
    auto covered_mysql = [&](const ChangePosition& found) {
        if (!mysql_set || found.mysql_gtid.empty()) return false;
        auto one = model::GtidSet::parse(found.mysql_gtid);
        return one && !one->empty() && mysql_set->contains(*one);
    };
    for (auto& result : *scanned) {
        Topic& topic = *topics_.at(result.topic);
        std::string newest;
        for (size_t p = 0; p < result.newest.size() && p < topic.newest.size(); ++p) {
            auto& found = result.newest[p];
            if (found && !found->snapshot &&
                ((found->has_gtid_seq && state &&
                  state->contains(found->gtid_domain, found->gtid_seq)) ||
                 covered_mysql(*found))) {
                found.reset();
            }
            if (found && (!topic.newest[p] || *found > *topic.newest[p])) {
                topic.newest[p] = std::move(found);
                if (p < result.newest_shape.size()) topic.newest_shape[p] = result.newest_shape[p];
            }
            if (topic.newest[p]) {
                newest += " " + std::to_string(p) + "=" + topic.newest[p]->to_string();
            }
        }
        spdlog::info("Kafka: resuming from {} (skip_rows={}); newest in topic {}:{}",
                     checkpoint.position.to_string(), checkpoint.skip_rows, topic.name,
                     newest.empty() ? " (empty)" : newest);
    }
    return {};
}

std::optional<std::string> KafkaSink::delivered_after(const model::Checkpoint& checkpoint) const {
    std::optional<std::string> first;
    for_delivered_after(checkpoint, [&](const std::string& what, const OutputShape&) {
        first = what;
        return false;
    });
    return first;
}

std::vector<OutputShape> KafkaSink::delivered_after_shapes(
    const model::Checkpoint& checkpoint) const {
    std::vector<OutputShape> shapes;
    for_delivered_after(checkpoint, [&](const std::string&, const OutputShape& shape) {
        if (std::find(shapes.begin(), shapes.end(), shape) == shapes.end()) {
            shapes.push_back(shape);
        }
        return true;
    });
    return shapes;
}

void KafkaSink::for_delivered_after(
    const model::Checkpoint& checkpoint,
    const std::function<bool(const std::string&, const OutputShape&)>& visit) const {
    if (checkpoint.position.empty()) return;
    // The checkpoint's first skip_rows changes of its transaction were delivered before it.
    ChangePosition cp{checkpoint.position.file, checkpoint.position.pos, checkpoint.skip_rows,
                      false};
    for (const auto& [name, topic] : topics_) {
        for (size_t p = 0; p < topic->newest.size(); ++p) {
            const auto& newest = topic->newest[p];
            // Snapshot rows carry the stream's start after them, not a stream position.
            if (!newest || newest->snapshot) continue;
            bool other_server = newest->server_id != 0 && checkpoint.server_id != 0 &&
                                newest->server_id != checkpoint.server_id;
            const OutputShape& shape = topic->newest_shape[p];
            if (other_server) {
                // recover() forgot every newest the checkpoint's GTID state covers.
                if (!visit("topic " + name + " partition " + std::to_string(p) + " holds " +
                               newest->to_string() + " of server_id " +
                               std::to_string(newest->server_id),
                           shape)) {
                    return;
                }
            } else if (*newest >= cp) {
                if (!visit("topic " + name + " partition " + std::to_string(p) + " holds " +
                               newest->to_string(),
                           shape)) {
                    return;
                }
            }
        }
    }
}

void KafkaSink::output_covered() {
    for (auto& [name, topic] : topics_) {
        for (auto& newest : topic->newest) newest.reset();
    }
}

uint64_t KafkaSink::pending_bytes() const { return produced_bytes_ - events_->reported_bytes; }

KafkaSinkStats KafkaSink::stats() const {
    return {produced_, events_->delivered, events_->failed, dropped_};
}

Result<std::unique_ptr<Sink>> make_kafka_sink(KafkaOptions options) {
    // Before connecting: a bad name is a setting to fix, not something to wait for.
    for (const std::string& topic : options.topics) {
        if (Status valid = check_topic_name(topic); !valid) return valid.error();
    }
    auto settings = load_kafka_settings(options);
    if (!settings) return settings.error();
    auto sink = KafkaSink::open(std::move(options), std::move(*settings));
    if (!sink) return sink.error();
    return std::unique_ptr<Sink>(std::move(*sink));
}

}  // namespace cdc::sink

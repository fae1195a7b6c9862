// KafkaSink: changes to Kafka through librdkafka's idempotent producer, exactly once across
// crashes and broker outages without broker transactions (../shared/DESIGN.md, "Position and
// delivery").
//
//   auto sink = make_kafka_sink(options);      // waits (bounded) for the brokers, checks topics
//   if (!sink) fail(sink.error().message);
//   (*sink)->recover(checkpoint);              // resume scan: the newest position per partition
//   (*sink)->write(record) ...;                // may block while the producer queue is full
//   (*sink)->flush();                          // every change acknowledged, or an error
//
// Every message is keyed by the record's key, partitioned by our own murmur2 of it (so a replay
// lands where the original did), and carries its position in headers (kafka_position.h). A
// replayed record whose position is not newer than the newest in its partition is dropped and
// counted. When the broker is away, messages wait in the producer's queue, bounded by
// queue.buffering.max.kbytes/.messages; when that is full write() blocks, which stops the
// binlog reader: back-pressure, never loss. A failed delivery or a fatal producer error makes
// flush() (and every later call) fail, so the checkpoint never moves past a lost change.
//
// Not thread-safe, except request_stop(). Delivery reports are handled only inside
// write()/drain()/flush(), on the caller's thread.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/table_id.h"
#include "sink/ack_epochs.h"
#include "sink/kafka/kafka_client.h"
#include "sink/kafka/kafka_config.h"
#include "sink/kafka/kafka_options.h"
#include "sink/kafka/kafka_position.h"
#include "sink/kafka/kafka_statistics.h"
#include "sink/sink.h"

namespace cdc::sink {

// Counters, for logs, metrics and tests.
struct KafkaSinkStats {
    uint64_t produced = 0;   // handed to the producer
    uint64_t delivered = 0;  // acknowledged by the broker
    uint64_t failed = 0;     // delivery reports with an error
    uint64_t dropped = 0;    // replayed changes already in their partition
};

// Delivery and error reports, filled by librdkafka's callbacks during poll/flush.
struct ProducerEvents : ClientErrors {
    uint64_t reported = 0;
    uint64_t reported_bytes = 0;
    uint64_t delivered = 0;
    uint64_t failed = 0;
    std::optional<Error> first_failure;
    AckEpochs epochs;                          // for begin_flush()/flush_completed()
    metrics::KafkaMetrics* metrics = nullptr;  // the statistics callback's target
    KafkaCounts counts;
};

class KafkaSink final : public Sink {
public:
    // Connects (bounded wait), and makes sure options.topics exist (creating them).
    static Result<std::unique_ptr<KafkaSink>> open(KafkaOptions options, KafkaSettings settings);
    ~KafkaSink() override;

    Status recover(const model::Checkpoint& checkpoint) override;
    std::optional<std::string> delivered_after(const model::Checkpoint& checkpoint) const override;
    std::vector<OutputShape> delivered_after_shapes(
        const model::Checkpoint& checkpoint) const override;
    void output_covered() override;
    Status write(const OutputRecord& record) override;
    Status drain() override;
    Status flush() override;
    // The ticket is the epoch the flush closes (ack_epochs.h).
    Result<uint64_t> begin_flush(model::Checkpoint& checkpoint) override;
    Result<bool> flush_completed(uint64_t ticket) override;
    uint64_t pending_bytes() const override;

    // Makes a write() or flush() that waits for the broker give up (Unavailable). Thread-safe.
    void request_stop() override { stop_.store(true, std::memory_order_release); }
    KafkaSinkStats stats() const;

private:
    struct Topic {
        std::string name;
        TopicPtr handle;
        int32_t partitions = 0;
        // The newest position in each partition: from the resume scan, then what we produced.
        std::vector<std::optional<ChangePosition>> newest;
        // The shape of the message the resume scan found newest[p] in.
        std::vector<OutputShape> newest_shape;
    };

    KafkaSink(KafkaOptions options, KafkaSettings settings);
    Result<Topic*> topic_for(const OutputRecord& record);
    // Calls visit(description, shape) for each partition whose newest change is not covered
    // by `checkpoint`, until it returns false.
    void for_delivered_after(
        const model::Checkpoint& checkpoint,
        const std::function<bool(const std::string&, const OutputShape&)>& visit) const;
    Result<Topic*> add_topic(const std::string& name);
    // Whether a replayed record is in its partition already; an error when its position
    // cannot be ordered with the partition's newest (another server, no common GTID domain).
    Result<bool> already_written(Topic& topic, int32_t partition, const OutputRecord& record);
    Status produce(Topic& topic, int32_t partition, const OutputRecord& record);
    Status write_to(Topic& topic, int32_t partition, const OutputRecord& record);
    using Clock = std::chrono::steady_clock;
    Status wait_for_queue_space(const OutputRecord& record, Clock::time_point since);
    Status check_failures();
    void log_waiting(const char* what, Clock::time_point since);

    KafkaOptions options_;
    KafkaSettings settings_;
    std::unique_ptr<ProducerEvents> events_;  // stable address: the callbacks' opaque
    KafkaPtr rk_;
    std::unordered_map<std::string, std::unique_ptr<Topic>> topics_;  // by topic name
    std::unordered_map<model::TableId, Topic*> by_table_;
    model::TableId table_key_;     // scratch for by_table_ lookups: keeps its strings' capacity
    Topic* last_topic_ = nullptr;  // topic_for's answer for table_key_ (topics stay put)
    std::vector<char> position_header_;  // scratch for the mysql-cdc.position header's value
    uint64_t produced_ = 0;
    uint64_t produced_bytes_ = 0;
    uint64_t dropped_ = 0;
    std::optional<Error> sticky_;  // once set, every call returns it
    std::atomic<bool> stop_{false};
    std::chrono::steady_clock::time_point last_wait_log_{};
};

// The Kafka sink for the daemon: settings from the options (and KAFKA_CONFIG_FILE), connected,
// with every configured table's topic present.
Result<std::unique_ptr<Sink>> make_kafka_sink(KafkaOptions options);

}  // namespace cdc::sink

// librdkafka handles for KafkaSink: ownership, logging, error callbacks and the start-up wait.
//
// Callbacks run only inside rd_kafka_poll()/rd_kafka_flush() on the thread that calls them
// (log lines excepted: librdkafka logs from its own threads, and spdlog is thread-safe), so the
// state they record needs no locking.
#pragma once

#include <librdkafka/rdkafka.h>

#include <memory>
#include <string>

#include "common/result.h"
#include "sink/kafka/kafka_config.h"

namespace cdc::sink {

struct KafkaDeleter {
    void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
};
using KafkaPtr = std::unique_ptr<rd_kafka_t, KafkaDeleter>;

struct TopicDeleter {
    void operator()(rd_kafka_topic_t* rkt) const { rd_kafka_topic_destroy(rkt); }
};
using TopicPtr = std::unique_ptr<rd_kafka_topic_t, TopicDeleter>;

struct MetadataDeleter {
    void operator()(const rd_kafka_metadata_t* md) const { rd_kafka_metadata_destroy(md); }
};
using MetadataPtr = std::unique_ptr<const rd_kafka_metadata_t, MetadataDeleter>;

// What librdkafka's error callback told us, for messages and for giving up early.
struct ClientErrors {
    std::string last;            // the latest error, e.g. "Connection refused"
    std::string authentication;  // set once authentication failed: retrying will not help
};

// A client with our log and error callbacks installed. `errors` must outlive the client.
Result<KafkaPtr> make_kafka_client(rd_kafka_type_t type, ConfPtr conf, ClientErrors& errors);

// Waits until a broker answers a metadata request, at most settings.connect_timeout. Gives up
// at once on an authentication failure. The error names the bootstrap servers.
Status wait_for_brokers(rd_kafka_t* rk, const KafkaSettings& settings, ClientErrors& errors);

// "<NAME>: <description>" of a librdkafka error code.
std::string kafka_error_text(rd_kafka_resp_err_t err);

}  // namespace cdc::sink

// The Kafka side of `mysql-cdc check`: can the producer be built from the settings and
// KAFKA_CONFIG_FILE, do the brokers answer, does each output topic exist or can it be created.
// Every step is bounded in time and reported as one line, so the user sees all there is to fix.
//
//   for (const PreflightLine& l : kafka_preflight(options)) print(l.level, l.name, l.detail);
//
// It creates nothing the daemon would not: a missing topic is checked with CreateTopics
// (validate_only) first; only when the broker cannot say so is the topic's metadata asked for
// with auto-creation allowed, which creates it on a broker with auto.create.topics.enable, as
// the daemon's start would.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "sink/kafka/kafka_options.h"

namespace cdc::sink {

struct PreflightLine {
    enum class Level { Ok, Warn, Fail };
    Level level = Level::Ok;
    std::string name;    // "kafka brokers", "kafka topic cdc", ...
    std::string detail;  // what was found, or what is wrong and what to do
    std::string topic;   // the topic a line is about, else ""
};

// options.topics are checked once each (repeats are skipped). The brokers get at most
// `broker_wait` (and never longer than mysql-cdc.connect.timeout.ms) to answer.
std::vector<PreflightLine> kafka_preflight(
    const KafkaOptions& options,
    std::chrono::milliseconds broker_wait = std::chrono::milliseconds(10000));

}  // namespace cdc::sink

// KafkaSink's hot path: write(), and waiting for the broker in write(), drain() and flush().
#include <spdlog/spdlog.h>

#include <cstdint>

#include "sink/kafka/kafka_partitioner.h"
#include "sink/kafka/kafka_position_header.h"
#include "sink/kafka/kafka_sink.h"

namespace cdc::sink {
namespace {

using namespace std::chrono_literals;

constexpr auto kWaitLogInterval = 10s;
constexpr uint64_t kPollEvery = 64;  // writes between polls for delivery reports

// The position in one header (kafka_position_header.h): the producer's cost grows with the
// number of headers, not with their length. No header without a position (nothing to resume by).
// The commit time is the message timestamp, not a header.
rd_kafka_headers_t* position_headers(const OutputRecord& record, std::vector<char>& scratch) {
    if (record.binlog_file.empty()) return nullptr;
    std::string_view value =
        format_position_header({record.binlog_file, record.binlog_pos, record.row_index,
                                record.part, record.snapshot, record.server_id, record.gtid},
                               scratch);
    rd_kafka_headers_t* headers = rd_kafka_headers_new(1);
    rd_kafka_header_add(headers, kHeaderPosition, -1, value.data(),
                        static_cast<ssize_t>(value.size()));
    return headers;
}

std::string position_text(const OutputRecord& record) {
    return std::string(record.binlog_file) + ":" + std::to_string(record.binlog_pos) + " row " +
           std::to_string(record.row_index);
}

}  // namespace

Status KafkaSink::check_failures() {
    if (sticky_) return *sticky_;
    char reason[512];
    rd_kafka_resp_err_t fatal = rd_kafka_fatal_error(rk_.get(), reason, sizeof reason);
    if (fatal != RD_KAFKA_RESP_ERR_NO_ERROR) {
        std::string first =
            events_->first_failure
                ? " (first failed delivery: " + events_->first_failure->message + ")"
                : "";
        std::string name = rd_kafka_err2name(fatal);
        sticky_ = make_error(Errc::DataLoss,
                             "Kafka producer fatal error: " + name + ": " + reason + first +
                                 "; stopping without moving the checkpoint past undelivered "
                                 "changes (a restart resumes from it)");
    } else if (events_->first_failure) {
        sticky_ = events_->first_failure;
    } else if (!events_->authentication.empty()) {
        sticky_ = make_error(Errc::FailedPrecondition,
                             "Kafka authentication failed at " + settings_.bootstrap + ": " +
                                 events_->authentication + " (check the SASL/SSL settings in " +
                                 settings_.source + ")");
    }
    if (!sticky_) return {};
    // Later messages must not overtake a lost one: that would hide it from the resume scan.
    rd_kafka_purge(rk_.get(), RD_KAFKA_PURGE_F_QUEUE);
    return *sticky_;
}

void KafkaSink::log_waiting(const char* what, Clock::time_point since) {
    auto now = Clock::now();
    if (now - since < kWaitLogInterval || now - last_wait_log_ < kWaitLogInterval) return;
    last_wait_log_ = now;
    uint64_t waiting = produced_ - events_->reported;
    spdlog::warn("Kafka: {}: waiting for {} deliveries ({:.1f} MB) from {}{}", what, waiting,
                 static_cast<double>(pending_bytes()) / 1e6, settings_.bootstrap,
                 events_->last.empty() ? "" : "; last error: " + events_->last);
}

Status KafkaSink::wait_for_queue_space(const OutputRecord& record, Clock::time_point since) {
    rd_kafka_poll(rk_.get(), 100);
    Status st = check_failures();
    if (!st) return st;
    if (stop_.load(std::memory_order_acquire)) {
        sticky_ = make_error(Errc::Unavailable,
                             "stopped while waiting for Kafka to accept the "
                             "change at " +
                                 position_text(record));
        return *sticky_;
    }
    log_waiting("producer queue full, holding back the binlog reader", since);
    return {};
}

Result<bool> KafkaSink::already_written(Topic& topic, int32_t partition,
                                        const OutputRecord& record) {
    if (record.binlog_file.empty()) return false;  // no position: cannot be compared
    if (record.snapshot) return false;             // see OutputRecord::snapshot
    auto& newest = topic.newest[static_cast<size_t>(partition)];
    if (!newest) return false;
    auto older = replayed_not_newer(
        {record.binlog_file, record.binlog_pos, record.row_index, record.server_id,
         record.has_gtid_seq, record.gtid_domain, record.gtid_seq, record.part},
        *newest);
    if (older) return *older;
    return make_error(Errc::FailedPrecondition,
                      "cannot tell whether the change at " + position_text(record) +
                          " (server_id " + std::to_string(record.server_id) + ", GTID " +
                          std::string(record.gtid.empty() ? "none" : record.gtid) +
                          ") was already written to Kafka topic " + topic.name + " partition " +
                          std::to_string(partition) + ", whose newest message " +
                          newest->to_string() + " is from server_id " +
                          std::to_string(newest->server_id) +
                          " without a GTID of the same domain: positions of different servers "
                          "cannot be compared. Resume once from a server whose binlog holds "
                          "that message's position (its server_id), stop with SIGTERM, then "
                          "fail over");
}

Status KafkaSink::produce(Topic& topic, int32_t partition, const OutputRecord& record) {
    rd_kafka_headers_t* headers = position_headers(record, position_header_);
    std::optional<Clock::time_point> since;
    while (true) {
        rd_kafka_resp_err_t err = rd_kafka_producev(
            rk_.get(), RD_KAFKA_V_RKT(topic.handle.get()), RD_KAFKA_V_PARTITION(partition),
            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
            // An empty key is a null key (a Debezium message of a table without a primary key).
            RD_KAFKA_V_KEY(record.key.empty() ? nullptr : record.key.data(), record.key.size()),
            // A tombstone's value is null (not empty): what log compaction removes a key by.
            RD_KAFKA_V_VALUE(record.tombstone ? nullptr : const_cast<char*>(record.value.data()),
                             record.tombstone ? 0 : record.value.size()),
            RD_KAFKA_V_HEADERS(headers),
            // CreateTime = the commit time; 0 (unknown) lets librdkafka stamp the send time.
            RD_KAFKA_V_TIMESTAMP(record.commit_time_ms),
            RD_KAFKA_V_OPAQUE(
                reinterpret_cast<void*>(static_cast<uintptr_t>(events_->epochs.current()))),
            RD_KAFKA_V_END);
        if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {  // the producer owns the headers now
            events_->epochs.produced();
            return {};
        }
        if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
            if (headers != nullptr) rd_kafka_headers_destroy(headers);
            sticky_ = make_error(Errc::DataLoss, "cannot produce the change at " +
                                                     position_text(record) + " to Kafka topic " +
                                                     topic.name + ": " + kafka_error_text(err));
            return *sticky_;
        }
        if (!since) since = Clock::now();
        Status st = wait_for_queue_space(record, *since);
        if (!st) {
            if (headers != nullptr) rd_kafka_headers_destroy(headers);
            return st;
        }
    }
}

Status KafkaSink::write(const OutputRecord& record) {
    if (sticky_) return *sticky_;
    if (events_->first_failure) return check_failures();
    auto topic = topic_for(record);
    if (!topic) {
        sticky_ = topic.error();
        return *sticky_;
    }
    Topic& t = **topic;
    if (!record.all_partitions) {
        std::string_view by = record.key.empty() ? record.partition_key : record.key;
        return write_to(t, partition_for_key(by, t.partitions), record);
    }
    // A truncate: in every partition, so that it is ordered with each of the table's changes
    // (docs/EVENTS.md); each copy is compared with its partition's newest on a replay.
    for (int32_t partition = 0; partition < t.partitions; ++partition) {
        Status st = write_to(t, partition, record);
        if (!st) return st;
    }
    return {};
}

Status KafkaSink::write_to(Topic& t, int32_t partition, const OutputRecord& record) {
    auto written = already_written(t, partition, record);
    if (!written) {
        sticky_ = written.error();
        return *sticky_;
    }
    if (*written) {
        if (dropped_++ == 0) {
            // Said once: after a reset of the server's binlog (file names starting over) this
            // would drop new changes, and the log is where someone would look.
            spdlog::info(
                "Kafka: dropping replayed changes already written (the first at {}; "
                "newest in topic {} partition {}: {})",
                position_text(record), t.name, partition,
                t.newest[static_cast<size_t>(partition)]->to_string());
        }
        return {};
    }
    Status st = produce(t, partition, record);
    if (!st) return st;
    if (!record.binlog_file.empty()) {
        auto& newest = t.newest[static_cast<size_t>(partition)];
        if (!newest) newest.emplace();
        if (newest->file != record.binlog_file) newest->file.assign(record.binlog_file);
        newest->pos = record.binlog_pos;
        newest->row = record.row_index;
        newest->part = record.part;
        newest->snapshot = record.snapshot;
        newest->server_id = record.server_id;
        newest->has_gtid_seq = record.has_gtid_seq;
        newest->gtid_domain = record.gtid_domain;
        newest->gtid_seq = record.gtid_seq;
    }
    ++produced_;
    produced_bytes_ += record.key.size() + record.value.size();
    if (produced_ % kPollEvery == 0) {
        rd_kafka_poll(rk_.get(), 0);
        return check_failures();
    }
    return {};
}

Status KafkaSink::drain() {
    rd_kafka_poll(rk_.get(), 0);
    return check_failures();
}

Status KafkaSink::flush() {
    Status st = check_failures();
    if (!st) return st;
    auto since = Clock::now();
    while (produced_ != events_->reported) {
        rd_kafka_flush(rk_.get(), 500);  // serves delivery reports
        st = check_failures();
        if (!st) return st;
        if (produced_ == events_->reported) break;
        if (stop_.load(std::memory_order_acquire)) {
            return make_error(Errc::Unavailable, "stopped while waiting for Kafka to acknowledge " +
                                                     std::to_string(produced_ - events_->reported) +
                                                     " changes");
        }
        log_waiting("flush", since);
    }
    return {};
}

Result<uint64_t> KafkaSink::begin_flush(model::Checkpoint& checkpoint) {
    (void)checkpoint;  // the position is in the messages' headers, nothing to add
    Status st = check_failures();
    if (!st) return st.error();
    return events_->epochs.close();
}

Result<bool> KafkaSink::flush_completed(uint64_t ticket) {
    rd_kafka_poll(rk_.get(), 0);  // serves delivery reports
    Status st = check_failures();
    if (!st) return st.error();
    return events_->epochs.complete(ticket);
}

}  // namespace cdc::sink

#include "metrics/render.h"

#include <string_view>

#include "metrics/exposition.h"
#include "metrics/process_stats.h"

namespace cdc::metrics {
namespace {

double seconds_between(int64_t later_ns, int64_t earlier_ns) {
    return static_cast<double>(later_ns - earlier_ns) / 1e9;
}

void render_tables(const Registry& r, Exposition& out) {
    std::vector<const TableMetrics*> tables = r.tables();
    out.family("mysql_cdc_changes_total", "counter",
               "Changes emitted to the sink, by table and kind (snapshot_insert, insert, update, "
               "delete, truncate)");
    for (const TableMetrics* t : tables) {
        for (size_t k = 0; k < kChangeKinds; ++k) {
            uint64_t n = t->changes[k].value();
            std::string_view kind = model::change_kind_name(static_cast<model::ChangeKind>(k));
            out.sample("mysql_cdc_changes_total",
                       {{"schema", t->id.schema}, {"table", t->id.table}, {"kind", kind}},
                       static_cast<double>(n));
        }
    }
    out.family("mysql_cdc_emitted_bytes_total", "counter",
               "Bytes of change JSON (the message value) emitted to the sink, by table");
    for (const TableMetrics* t : tables) {
        out.sample("mysql_cdc_emitted_bytes_total",
                   {{"schema", t->id.schema}, {"table", t->id.table}},
                   static_cast<double>(t->bytes.value()));
    }
    out.family("mysql_cdc_snapshot_rows", "gauge",
               "Rows of the table's initial snapshot read so far");
    for (const TableMetrics* t : tables) {
        if (!t->in_snapshot.load(std::memory_order_relaxed)) continue;
        out.sample("mysql_cdc_snapshot_rows", {{"schema", t->id.schema}, {"table", t->id.table}},
                   t->snapshot_rows.value());
    }
    out.family("mysql_cdc_snapshot_rows_estimated", "gauge",
               "The server's estimate of the table's rows when its snapshot began");
    for (const TableMetrics* t : tables) {
        if (!t->in_snapshot.load(std::memory_order_relaxed)) continue;
        out.sample("mysql_cdc_snapshot_rows_estimated",
                   {{"schema", t->id.schema}, {"table", t->id.table}},
                   t->snapshot_rows_estimated.value());
    }
    out.family("mysql_cdc_snapshot_chunks_total", "counter",
               "Chunks of the table's snapshot completed by this process");
    for (const TableMetrics* t : tables) {
        if (!t->in_snapshot.load(std::memory_order_relaxed)) continue;
        out.sample("mysql_cdc_snapshot_chunks_total",
                   {{"schema", t->id.schema}, {"table", t->id.table}},
                   static_cast<double>(t->snapshot_chunks.value()));
    }
    out.family("mysql_cdc_resnapshots_total", "counter",
               "Re-snapshots of the table on demand (mysql-cdc snapshot) completed by this "
               "process");
    for (const TableMetrics* t : tables) {
        out.sample("mysql_cdc_resnapshots_total",
                   {{"schema", t->id.schema}, {"table", t->id.table}},
                   static_cast<double>(t->resnapshots.value()));
    }
    out.family("mysql_cdc_resnapshot_rows_total", "counter",
               "Rows written by re-snapshots of the table on demand (also counted in "
               "mysql_cdc_changes_total as snapshot_insert)");
    for (const TableMetrics* t : tables) {
        out.sample("mysql_cdc_resnapshot_rows_total",
                   {{"schema", t->id.schema}, {"table", t->id.table}},
                   static_cast<double>(t->resnapshot_rows.value()));
    }
}

void render_stream(const Registry& r, Exposition& out, int64_t now_unix) {
    auto count = [](const Counter& c) { return static_cast<double>(c.value()); };
    out.single("mysql_cdc_binlog_events_total", "counter",
               "Binlog events read from the server and processed (heartbeats included)",
               count(r.events_read));
    out.single("mysql_cdc_binlog_read_bytes_total", "counter",
               "Bytes of binlog events read from the server and processed", count(r.bytes_read));
    out.single("mysql_cdc_transactions_total", "counter",
               "Transactions (and standalone statements) processed to their end",
               count(r.transactions));
    out.single("mysql_cdc_decode_errors_total", "counter",
               "Events that could not be decoded (each stops the stream)", count(r.decode_errors));
    out.single("mysql_cdc_replayed_changes_skipped_total", "counter",
               "Changes re-read after a restart that a previous run had delivered, dropped",
               count(r.replayed_skipped));
    out.family("mysql_cdc_skipped_events_total", "counter",
               "Events passed over by a setting: statement-based changes (STATEMENT_EVENTS=warn), "
               "incidents (INCIDENT_EVENTS=warn), unknown events (SKIP_UNKNOWN_EVENTS, or "
               "marked ignorable by the server)");
    for (size_t i = 0; i < kSkipReasons; ++i) {
        out.sample("mysql_cdc_skipped_events_total",
                   {{"reason", skip_reason_name(static_cast<SkipReason>(i))}}, count(r.skipped[i]));
    }
    out.family("mysql_cdc_reconnects_total", "counter",
               "Reconnections to the MySQL server, by cause");
    for (size_t i = 0; i < kReconnectCauses; ++i) {
        out.sample("mysql_cdc_reconnects_total",
                   {{"cause", reconnect_cause_name(static_cast<ReconnectCause>(i))}},
                   count(r.reconnects[i]));
    }
    Registry::Position pos = r.position();
    out.family("mysql_cdc_binlog_position_info", "info",
               "The binlog file and GTID of the last event processed (value always 1)");
    if (!pos.file.empty()) {
        out.sample("mysql_cdc_binlog_position_info", {{"file", pos.file}, {"gtid", pos.gtid}}, 1);
    }
    out.single("mysql_cdc_binlog_offset_bytes", "gauge",
               "Offset in the current binlog file after the last event processed",
               static_cast<double>(pos.offset));
    out.single("mysql_cdc_replication_lag_seconds", "gauge",
               "Now minus the binlog header timestamp (commit time, whole seconds) of the last "
               "event processed; 0 once a heartbeat arrives with nothing left to process",
               r.lag_seconds(now_unix));
    out.single("mysql_cdc_last_event_timestamp_seconds", "gauge",
               "Binlog header timestamp (Unix seconds) of the last event processed",
               static_cast<double>(r.last_event_time()));
    out.single("mysql_cdc_connected", "gauge", "1 while a binlog dump from the server is running",
               r.connected.load(std::memory_order_relaxed) ? 1 : 0);
}

void render_checkpoints(const Registry& r, Exposition& out, int64_t now_ns) {
    out.single("mysql_cdc_flushes_total", "counter",
               "Flushes started (every FLUSH_INTERVAL_MS while changes arrive)",
               static_cast<double>(r.flushes.value()));
    out.single("mysql_cdc_last_flush_changes", "gauge", "Changes the last flush made durable",
               r.last_flush_changes.value());
    out.single("mysql_cdc_last_flush_bytes", "gauge",
               "Bytes the sink held buffered when the last flush started",
               r.last_flush_bytes.value());
    out.single("mysql_cdc_checkpoints_total", "counter", "Checkpoints saved",
               static_cast<double>(r.checkpoints.value()));
    out.single("mysql_cdc_last_checkpoint_duration_seconds", "gauge",
               "From the start of the last checkpoint's flush until it was saved",
               r.last_checkpoint_duration.value());
    int64_t saved = r.last_checkpoint_wall.ns();
    out.single("mysql_cdc_checkpoint_age_seconds", "gauge",
               "Seconds since the last checkpoint was saved (since the start before the first)",
               seconds_between(now_ns, saved != 0 ? saved : r.start_time_unix() * 1'000'000'000));
}

void render_kafka(const KafkaMetrics& k, Exposition& out) {
    if (!k.enabled.load(std::memory_order_relaxed)) return;
    out.single("mysql_cdc_kafka_queue_messages", "gauge",
               "Messages in the producer's queues, in flight included (librdkafka msg_cnt)",
               k.queue_messages.value());
    out.single("mysql_cdc_kafka_queue_bytes", "gauge",
               "Bytes of the messages in the producer's queues (librdkafka msg_size)",
               k.queue_bytes.value());
    out.single("mysql_cdc_kafka_in_flight_messages", "gauge",
               "Messages sent to a broker and waiting for its answer", k.in_flight.value());
    out.single("mysql_cdc_kafka_produced_messages_total", "counter",
               "Messages handed to the producer", k.produced.value());
    out.single("mysql_cdc_kafka_delivered_messages_total", "counter",
               "Messages the brokers acknowledged", k.delivered.value());
    out.single("mysql_cdc_kafka_delivery_errors_total", "counter",
               "Delivery reports with an error (each stops the daemon before its checkpoint)",
               k.delivery_errors.value());
    out.single("mysql_cdc_kafka_retries_total", "counter",
               "Produce requests the producer sent again (librdkafka txretries)",
               k.retries.value());
    out.single("mysql_cdc_kafka_replayed_dropped_total", "counter",
               "Replayed changes not produced again because their partition already holds them",
               k.replayed_dropped.value());
    out.single("mysql_cdc_kafka_brokers_up", "gauge", "Brokers the producer is connected to",
               k.brokers_up.value());
}

}  // namespace

std::string render(const Registry& r, std::chrono::system_clock::time_point now) {
    int64_t now_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
    Exposition out;
    render_tables(r, out);
    render_stream(r, out, now_ns / 1'000'000'000);
    render_checkpoints(r, out, now_ns);
    render_kafka(r.kafka, out);
    out.single("mysql_cdc_snapshot_running", "gauge", "1 while the initial snapshot is read",
               r.snapshot_running.load(std::memory_order_relaxed) ? 1 : 0);
    if (auto rss = resident_memory_bytes()) {
        out.single("process_resident_memory_bytes", "gauge", "Resident memory size in bytes",
                   static_cast<double>(*rss));
    }
    out.single("process_start_time_seconds", "gauge",
               "Start time of the process since the Unix epoch in seconds",
               static_cast<double>(r.start_time_unix()));
    return out.take();
}

}  // namespace cdc::metrics

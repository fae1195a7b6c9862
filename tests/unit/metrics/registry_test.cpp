#include "metrics/registry.h"

#include <gtest/gtest.h>

#include "metrics/health.h"
#include "metrics/render.h"

namespace cdc::metrics {
namespace {

using namespace std::chrono_literals;
constexpr int64_t kSecond = 1'000'000'000;

TEST(Registry, TableEntriesAreCreatedOnceAndStayPut) {
    Registry r;
    TableMetrics& a = r.table({"s", "a"});
    TableMetrics& b = r.table({"s", "b"});
    for (int i = 0; i < 100; ++i) r.table({"s", "t" + std::to_string(i)});
    EXPECT_EQ(&r.table({"s", "a"}), &a);
    EXPECT_EQ(&r.table({"s", "b"}), &b);
    a.add_change(model::ChangeKind::Insert, 10);
    a.add_change(model::ChangeKind::Insert, 5);
    a.add_change(model::ChangeKind::Delete, 1);
    EXPECT_EQ(a.changes[static_cast<size_t>(model::ChangeKind::Insert)].value(), 2u);
    EXPECT_EQ(a.changes[static_cast<size_t>(model::ChangeKind::Delete)].value(), 1u);
    EXPECT_EQ(a.bytes.value(), 16u);
    EXPECT_EQ(r.tables().size(), 102u);
}

TEST(Registry, LagIsNowMinusLastEventUntilAHeartbeatSaysCaughtUp) {
    Registry r;
    EXPECT_EQ(r.lag_seconds(1000), 0);  // nothing processed yet
    r.event_processed(990);
    EXPECT_EQ(r.lag_seconds(1000), 10);
    r.caught_up();
    EXPECT_EQ(r.lag_seconds(1000), 0);
    r.event_processed(995);
    EXPECT_EQ(r.lag_seconds(1000), 5);
    EXPECT_EQ(r.lag_seconds(990), 0);  // a server clock ahead of ours is not negative lag
}

TEST(Render, CountersByTableAndKindWithLabels) {
    Registry r;
    r.table({"shop", "orders"}).add_change(model::ChangeKind::Update, 100);
    r.set_position("mysql-bin.000003", 1234, "0-1-42");
    r.kafka.enabled = true;
    std::string text = render(r, std::chrono::system_clock::now());
    EXPECT_NE(text.find("mysql_cdc_changes_total{schema=\"shop\",table=\"orders\",kind=\"update\"} "
                        "1\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("mysql_cdc_changes_total{schema=\"shop\",table=\"orders\",kind=\"insert\"} "
                        "0\n"),
              std::string::npos);
    EXPECT_NE(text.find("mysql_cdc_emitted_bytes_total{schema=\"shop\",table=\"orders\"} 100\n"),
              std::string::npos);
    EXPECT_NE(text.find("mysql_cdc_binlog_position_info{file=\"mysql-bin.000003\",gtid=\"0-1-42\"} "
                        "1\n"),
              std::string::npos);
    EXPECT_NE(text.find("mysql_cdc_binlog_offset_bytes 1234\n"), std::string::npos);
    EXPECT_NE(text.find("# TYPE mysql_cdc_kafka_queue_messages gauge\n"), std::string::npos);
    EXPECT_NE(text.find("# TYPE process_start_time_seconds gauge\n"), std::string::npos);
    // Snapshot families list only tables with a snapshot.
    EXPECT_EQ(text.find("mysql_cdc_snapshot_rows{"), std::string::npos);
}

TEST(Render, NoKafkaFamiliesWithoutKafka) {
    Registry r;
    std::string text = render(r, std::chrono::system_clock::now());
    EXPECT_EQ(text.find("mysql_cdc_kafka_"), std::string::npos);
}

TEST(Health, LivenessFailsOnlyWhenThePipelineStalls) {
    Registry r;
    int64_t now = 1000 * kSecond;
    EXPECT_TRUE(liveness(r, now, 300s).ok);  // not started yet: no tick to judge
    r.pipeline_tick.set(now - 10 * kSecond);
    EXPECT_TRUE(liveness(r, now, 300s).ok);
    r.pipeline_tick.set(now - 301 * kSecond);
    EXPECT_FALSE(liveness(r, now, 300s).ok);
    r.kafka.callback_tick.set(now - kSecond);  // waiting for a broker, serving its callbacks
    EXPECT_TRUE(liveness(r, now, 300s).ok);
}

TEST(Health, ReadinessReasons) {
    Registry r;
    int64_t now = 1000 * kSecond;
    Verdict v = readiness(r, now, 10s);
    EXPECT_FALSE(v.ok);
    EXPECT_NE(v.reason.find("not connected"), std::string::npos);
    r.snapshot_running = true;
    v = readiness(r, now, 10s);
    EXPECT_TRUE(v.ok);
    EXPECT_NE(v.reason.find("snapshot"), std::string::npos);
    r.snapshot_running = false;
    r.mysql_up();
    EXPECT_EQ(readiness(r, now, 10s).reason, "ready");

    r.mysql_down(now - 5 * kSecond, "connection refused");
    EXPECT_TRUE(readiness(r, now, 10s).ok);            // not long enough yet
    r.mysql_down(now - 2 * kSecond, "still refused");  // the outage began earlier
    v = readiness(r, now + 6 * kSecond, 10s);
    EXPECT_FALSE(v.ok);
    EXPECT_EQ(v.reason, "MySQL server unreachable for 11 s: still refused");
    r.mysql_up();
    EXPECT_TRUE(readiness(r, now, 10s).ok);

    r.kafka.down_since.set(now - 20 * kSecond);
    EXPECT_NE(readiness(r, now, 10s).reason.find("Kafka broker unreachable for 20 s"),
              std::string::npos);
    r.kafka.down_since.clear();
    r.flush_outstanding_since.set(now - 30 * kSecond);
    EXPECT_NE(readiness(r, now, 10s).reason.find("checkpoint not advanced for 30 s"),
              std::string::npos);
    r.flush_outstanding_since.clear();
    r.stopping = true;
    EXPECT_EQ(readiness(r, now, 10s).reason, "stopping");
}

}  // namespace
}  // namespace cdc::metrics

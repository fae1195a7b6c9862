#include "app/check_command.h"

#include <cstdio>
#include <string>

#include "app/daemon.h"
#include "app/kafka_options.h"
#include "app/pipeline.h"
#include "app/table_resolution.h"
#include "mysql/gtid_failover.h"
#include "mysql/server_checks.h"
#include "mysql/table_list.h"
#include "sink/kafka/kafka_preflight.h"
#include "state/state_store.h"

namespace cdc::app {
namespace {

enum class Level { Ok, Warn, Fail };

void print_line(Level level, const std::string& name, const std::string& detail) {
    const char* tag = level == Level::Fail ? "FAIL" : level == Level::Warn ? "warn" : "ok";
    std::printf("%-5s %s: %s\n", tag, name.c_str(), detail.c_str());
}

// The state part: which files the tables resume from, and whether the server still has the
// position.
bool check_state(const config::Config& config, mysql::Connection& conn) {
    state::StateStore store = state_store(config);
    auto plan = store.load();
    if (!plan) {
        print_line(Level::Fail, "state", plan.error().message);
        return false;
    }
    print_line(Level::Ok, "state file", store.path());
    for (const std::string& note : plan->notes) print_line(Level::Ok, "state", note);
    for (const model::TableId& t : plan->added) {
        print_line(Level::Ok, "state",
                   t.qualified() + ": no saved position (" +
                       (plan->checkpoint.position.empty()
                            ? "a first run starts at the current position, or snapshots with "
                              "INITIAL_SNAPSHOT=true"
                            : "added: snapshotted with INITIAL_SNAPSHOT=true, else streamed from "
                              "the restart point") +
                       ")");
    }
    for (const model::TableId& t : plan->joinable) {
        print_line(Level::Ok, "state",
                   t.qualified() +
                       ": no saved position; the saved run's MYSQL_TABLE patterns "
                       "select it: streamed from the restart point");
    }
    if (plan->checkpoint.position.empty()) return true;
    const auto& pos = plan->checkpoint.position;
    const model::Checkpoint& cp = plan->checkpoint;
    auto info = mysql::read_server_gtid_info(conn);
    auto saved = model::MariaGtidState::parse(cp.gtid_state);
    if (info && cp.server_id != 0 && info->server_id != cp.server_id && saved && !saved->empty()) {
        // Another server than the position's: the daemon resumes there by GTID.
        auto server = model::MariaGtidState::parse(info->gtid_binlog_pos);
        auto verdict = server ? mysql::judge_history(*saved, *server, info->replicating)
                              : mysql::HistoryVerdict::Missing;
        std::string host = conn.endpoint();
        std::string detail = verdict == mysql::HistoryVerdict::Holds
                                 ? "on " + host + " (server_id " + std::to_string(info->server_id) +
                                       ", the position is of server_id " +
                                       std::to_string(cp.server_id) + "): resumes there by GTID"
                             : verdict == mysql::HistoryVerdict::Lagging
                                 ? mysql::lagging_message(host, *saved, info->gtid_binlog_pos)
                                 : mysql::missing_message(host, *saved, info->gtid_binlog_pos);
        Level level = verdict == mysql::HistoryVerdict::Holds     ? Level::Ok
                      : verdict == mysql::HistoryVerdict::Lagging ? Level::Warn
                                                                  : Level::Fail;
        print_line(level, "saved GTID state " + cp.gtid_state, detail);
        return level != Level::Fail;
    }
    Status available = mysql::check_resume_position(conn, pos.file, pos.pos, plan->checkpoint.gtid);
    if (!available && available.error().code == Errc::DataLoss &&
        config.snapshot_mode == config::SnapshotMode::WhenNeeded) {
        // The daemon takes a new snapshot instead of stopping (docs/SNAPSHOT.md).
        print_line(Level::Warn, "saved position " + pos.to_string(),
                   "not usable, SNAPSHOT_MODE=when_needed takes a new snapshot at the start: " +
                       available.error().message);
        return true;
    }
    print_line(available ? Level::Ok : Level::Fail, "saved position " + pos.to_string(),
               available ? "still on the server" : available.error().message);
    return available.ok();
}

// MYSQL_TABLE's patterns against the server's tables: one line per pattern; `config.tables`
// gets what they match, for the checks that follow.
bool check_patterns(config::Config& config, mysql::Connection& conn) {
    if (config.table_patterns.include.empty()) return true;
    auto server_tables = mysql::list_base_tables(conn);
    if (!server_tables) {
        print_line(Level::Fail, "table patterns", server_tables.error().message);
        return false;
    }
    TableResolution r = resolve_tables(config, *server_tables);
    for (const PatternMatches& m : r.patterns) {
        std::string detail = m.tables.empty() ? "no table (yet): a table created later that "
                                                "matches is watched from its first change"
                                              : table_list_text(m.tables);
        if (!m.excluded.empty()) detail += "; excluded: " + table_list_text(m.excluded);
        print_line(m.tables.empty() ? Level::Warn : Level::Ok, "pattern " + m.pattern, detail);
    }
    config.tables = std::move(r.tables);
    return true;
}

// Every host of MYSQL_HOST: its connection and server checks; the state against the first
// that answers (the daemon's first choice). With a list, a host that does not answer is a
// warning as long as another does.
bool check_mysql(config::Config& config) {
    std::vector<config::HostPort> hosts = config.mysql_hosts;
    if (hosts.empty()) hosts.push_back({config.mysql_host, config.mysql_port});
    bool all_ok = true;
    bool state_checked = false;
    size_t reached = 0;
    for (const config::HostPort& host : hosts) {
        const std::string suffix = hosts.size() > 1 ? " " + host.to_string() : "";
        auto conn = mysql::Connection::open(connection_params(config, host.host, host.port));
        if (!conn) {
            print_line(hosts.size() > 1 ? Level::Warn : Level::Fail, "connection" + suffix,
                       conn.error().message);
            continue;
        }
        ++reached;
        print_line(Level::Ok, "connection" + suffix,
                   conn->endpoint() + ", server " + conn->server_version());
        // Patterns are resolved once, against the first host that answers.
        if (reached == 1 && !check_patterns(config, *conn)) return false;
        auto outcomes = mysql::run_server_checks(*conn, config.tables, config.mysql_server_id,
                                                 config.initial_snapshot);
        for (const auto& o : outcomes) {
            print_line(!o.ok ? Level::Fail : (o.warning ? Level::Warn : Level::Ok), o.name + suffix,
                       o.detail);
            all_ok = all_ok && o.ok;
        }
        if (!state_checked) {
            state_checked = true;
            all_ok = check_state(config, *conn) && all_ok;
        }
    }
    if (reached == 0 && hosts.size() > 1) {
        print_line(Level::Fail, "connection", "none of the hosts of MYSQL_HOST answers");
    }
    return all_ok && reached > 0;
}

bool kafka_configured(const config::Config& config) {
    return config.output_sink == config::OutputSink::Kafka || !config.kafka_brokers.empty();
}

// " (table shop.orders)" after a topic made by KAFKA_TOPIC_TEMPLATE, so a bad name leads to its
// table; `output`'s one topic takes every table and is not annotated.
std::string tables_of(const config::Config& config, const std::string& topic) {
    if (topic.empty() || config.kafka_topic_template.empty()) return "";
    std::string list;
    for (const model::TableId& t : config.tables) {
        if (config.topic_for(t) == topic) list += (list.empty() ? "" : ", ") + t.qualified();
    }
    if (list.empty()) return "";
    return (list.find(',') == std::string::npos ? " (table " : " (tables ") + list + ")";
}

bool check_kafka(const config::Config& config) {
    sink::KafkaOptions options = kafka_options(config);
    if (config.output_sink != config::OutputSink::Kafka) {
        // Brokers without the Kafka sink: they are checked, the topics only when named.
        print_line(Level::Warn, "kafka",
                   "KAFKA_BROKERS is set but OUTPUT_SINK is " +
                       std::string(config::to_string(config.output_sink)) +
                       ": the daemon does not write to Kafka");
        if (config.output_topic.empty() && config.kafka_topic_template.empty()) {
            options.topics.clear();
        }
    }
    bool all_ok = true;
    for (const sink::PreflightLine& l : sink::kafka_preflight(options)) {
        const Level level = l.level == sink::PreflightLine::Level::Fail   ? Level::Fail
                            : l.level == sink::PreflightLine::Level::Warn ? Level::Warn
                                                                          : Level::Ok;
        print_line(level, l.name + tables_of(config, l.topic), l.detail);
        all_ok = all_ok && level != Level::Fail;
    }
    return all_ok;
}

}  // namespace

int run_check(const config::Config& given) {
    for (const std::string& w : given.warnings) print_line(Level::Warn, "configuration", w);
    config::Config config = given;  // with the tables MYSQL_TABLE's patterns match
    bool all_ok = check_mysql(config);
    if (kafka_configured(config)) all_ok = check_kafka(config) && all_ok;
    std::printf(all_ok ? "all checks passed\n" : "some checks failed: fix them and run again\n");
    return all_ok ? 0 : 1;
}

}  // namespace cdc::app

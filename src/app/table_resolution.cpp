#include "app/table_resolution.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "app/pipeline.h"
#include "mysql/table_list.h"

namespace cdc::app {

TableResolution resolve_tables(const config::Config& config,
                               const std::vector<model::TableId>& server_tables) {
    TableResolution r;
    r.tables = config.tables;
    for (const model::TablePattern& p : config.table_patterns.include) {
        PatternMatches m{p.text, {}, {}};
        for (const model::TableId& t : server_tables) {
            if (!p.matches(t)) continue;
            if (config.table_patterns.excluded(t)) {
                m.excluded.push_back(t);
            } else if (std::find(r.tables.begin(), r.tables.end(), t) == r.tables.end()) {
                m.tables.push_back(t);
                r.tables.push_back(t);
            }
        }
        if (m.tables.empty() && m.excluded.empty()) {
            r.warnings.push_back("MYSQL_TABLE pattern " + p.text +
                                 " matches no table on the server (yet): a table created later "
                                 "that matches is watched from its first change");
        }
        r.patterns.push_back(std::move(m));
    }
    return r;
}

std::string table_list_text(const std::vector<model::TableId>& tables) {
    std::string text;
    for (const model::TableId& t : tables) text += (text.empty() ? "" : ", ") + t.qualified();
    return text;
}

Result<config::Config> resolve_table_patterns(const config::Config& config) {
    if (config.table_patterns.include.empty()) return config;
    // Any host of MYSQL_HOST will do (one topology, the same tables): the first that answers.
    std::vector<config::HostPort> hosts = config.mysql_hosts;
    if (hosts.empty()) hosts.push_back({config.mysql_host, config.mysql_port});
    Result<mysql::Connection> conn = make_error(Errc::Internal, "no host");
    for (const config::HostPort& host : hosts) {
        conn = mysql::Connection::open(connection_params(config, host.host, host.port));
        if (conn) break;
    }
    if (!conn) {
        return conn.error().with_context(
            "cannot resolve the MYSQL_TABLE patterns against the server's tables: ");
    }
    auto server_tables = mysql::list_base_tables(*conn);
    if (!server_tables) return server_tables.error();
    TableResolution r = resolve_tables(config, *server_tables);
    for (const PatternMatches& m : r.patterns) {
        spdlog::info("MYSQL_TABLE pattern {} matches {}{}", m.pattern,
                     m.tables.empty() ? std::string("no table") : table_list_text(m.tables),
                     m.excluded.empty() ? std::string()
                                        : " (excluded: " + table_list_text(m.excluded) + ")");
    }
    for (const std::string& w : r.warnings) spdlog::warn("{}", w);
    config::Config resolved = config;
    resolved.tables = std::move(r.tables);
    return resolved;
}

}  // namespace cdc::app

// binlog_tail: a hand-run and integration-test driver for src/mysql/.
//
//   binlog_tail --host 127.0.0.1 --port 3306 --user cdc --password pw connect
//   binlog_tail ... check --table shop.orders [--table ...] [--server-id N] [--snapshot]
//   binlog_tail ... position                    # the server's current file and position
//   binlog_tail ... check-position FILE POS
//   binlog_tail ... tail --file F --pos P [--count N] [--stop-after-ms M] [--annotate] [--quiet]
//
// Prints one line per result; an error is printed as "error: <Errc>: <message>" with exit 3.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "mysql/binlog_client.h"
#include "mysql/connection.h"
#include "mysql/server_checks.h"

namespace {

using namespace cdc;
using namespace cdc::mysql;

struct Args {
    std::map<std::string, std::string> opts;
    std::vector<std::string> tables;
    std::vector<std::string> positional;
    bool has(const std::string& k) const { return opts.count(k) > 0; }
    std::string get(const std::string& k, const std::string& d = "") const {
        auto it = opts.find(k);
        return it == opts.end() ? d : it->second;
    }
};

Args parse_args(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        std::string s = argv[i];
        if (s == "--snapshot" || s == "--annotate" || s == "--quiet") {
            a.opts[s.substr(2)] = "1";
        } else if (s.rfind("--", 0) == 0 && i + 1 < argc) {
            if (s == "--table") a.tables.push_back(argv[++i]);
            else a.opts[s.substr(2)] = argv[++i];
        } else {
            a.positional.push_back(s);
        }
    }
    return a;
}

SslMode ssl_mode_of(const std::string& s) {
    if (s == "disabled") return SslMode::Disabled;
    if (s == "required") return SslMode::Required;
    if (s == "verify_ca") return SslMode::VerifyCa;
    if (s == "verify_identity") return SslMode::VerifyIdentity;
    return SslMode::Preferred;
}

int fail(const Error& e) {
    std::cout << "error: " << errc_name(e.code) << ": " << e.message << std::endl;
    return 3;
}

int run_check(Connection& conn, const Args& a) {
    std::vector<model::TableId> tables;
    for (const auto& t : a.tables) {
        const size_t dot = t.find('.');
        tables.push_back({t.substr(0, dot), dot == std::string::npos ? "" : t.substr(dot + 1)});
    }
    const auto id = static_cast<uint32_t>(std::stoul(a.get("server-id", "1001")));
    const auto outcomes = run_server_checks(conn, tables, id, a.has("snapshot"));
    for (const auto& o : outcomes) {
        std::cout << (o.ok ? (o.warning ? "WARN " : "OK   ") : "FAIL ") << o.name << ": "
                  << o.detail << "\n";
    }
    if (Status s = first_failure(outcomes); !s) return fail(s.error());
    return 0;
}

int run_tail(Connection conn, const Args& a) {
    BinlogClientOptions o;
    o.server_id = static_cast<uint32_t>(std::stoul(a.get("server-id", "1001")));
    o.file = a.get("file");
    o.position = std::stoull(a.get("pos", "4"));
    o.heartbeat_period = std::chrono::milliseconds(std::stoll(a.get("heartbeat-ms", "1000")));
    o.send_annotate_rows = a.has("annotate");
    const long count = std::stol(a.get("count", "-1"));
    auto client = BinlogClient::start(std::move(conn), o);
    if (!client) return fail(client.error());
    std::thread stopper;
    if (a.has("stop-after-ms")) {
        const auto ms = std::chrono::milliseconds(std::stoll(a.get("stop-after-ms")));
        stopper = std::thread([c = client->get(), ms] {
            std::this_thread::sleep_for(ms);
            c->stop();
        });
    }
    int rc = 0;
    const bool quiet = a.has("quiet");  // throughput: count only, print a summary
    const auto t0 = std::chrono::steady_clock::now();
    long n = 0;
    for (; count < 0 || n < count; ++n) {
        auto ev = (*client)->next();
        if (!ev) {
            rc = fail(ev.error());
            break;
        }
        if (quiet) continue;
        std::cout << "event type=" << int(ev->type) << " file=" << ev->file
                  << " offset=" << ev->offset << " next=" << ev->next_position
                  << " size=" << ev->bytes.size() << " artificial=" << ev->artificial
                  << std::endl;
    }
    if (stopper.joinable()) stopper.join();
    if (quiet) {
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
                                .count();
        const double mb = static_cast<double>((*client)->bytes_received()) / 1e6;
        std::cout << "events=" << n << " bytes=" << (*client)->bytes_received()
                  << " seconds=" << secs << " MB/s=" << mb / secs
                  << " events/s=" << static_cast<double>(n) / secs << std::endl;
    }
    return rc;
}

}  // namespace

int main(int argc, char** argv) {
    const Args a = parse_args(argc, argv);
    if (a.positional.empty()) {
        std::cerr << "usage: binlog_tail [--host H --port P --user U --password PW "
                     "--ssl-mode M --ssl-ca F] connect|check|position|check-position|tail\n";
        return 2;
    }
    ConnectionParams p;
    p.host = a.get("host", "127.0.0.1");
    p.port = static_cast<uint16_t>(std::stoul(a.get("port", "3306")));
    p.user = a.get("user", "root");
    p.password = a.get("password");
    p.database = a.get("database");
    p.ssl_mode = ssl_mode_of(a.get("ssl-mode", "preferred"));
    p.ssl_ca = a.get("ssl-ca");
    p.connect_timeout = std::chrono::seconds(std::stoll(a.get("connect-timeout", "5")));
    p.read_timeout = std::chrono::seconds(std::stoll(a.get("read-timeout", "30")));
    auto conn = Connection::open(p);
    if (!conn) return fail(conn.error());
    const std::string& cmd = a.positional[0];
    if (cmd == "connect") {
        auto who = conn->query("SELECT CURRENT_USER()");
        if (!who) return fail(who.error());
        std::cout << "connected version=" << conn->server_version()
                  << " mariadb=" << conn->is_mariadb() << " number=" << conn->version_number()
                  << " user=" << who->rows[0][0].value_or("")
                  << " tls=" << (conn->tls_version().empty() ? "none" : conn->tls_version())
                  << std::endl;
        return 0;
    }
    if (cmd == "check") return run_check(*conn, a);
    if (cmd == "position") {
        auto pos = current_binlog_position(*conn);
        if (!pos) return fail(pos.error());
        std::cout << "position " << pos->first << " " << pos->second << std::endl;
        return 0;
    }
    if (cmd == "check-position" && a.positional.size() == 3) {
        Status s = check_position_available(*conn, a.positional[1], std::stoull(a.positional[2]));
        if (!s) return fail(s.error());
        std::cout << "position available" << std::endl;
        return 0;
    }
    if (cmd == "tail") return run_tail(std::move(*conn), a);
    std::cerr << "unknown command " << cmd << "\n";
    return 2;
}

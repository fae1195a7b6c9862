#include "mysql/binlog_client.h"

#include <mysql.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>

#include "mysql/binlog_dump_gtid.h"
#include "mysql/check_messages.h"
#include "mysql/errors.h"
#include "mysql/grants.h"

namespace cdc::mysql {
namespace {

// MariaDB's MARIA_SLAVE_CAPABILITY_GTID, its highest: GTID, GTID_LIST and BINLOG_CHECKPOINT
// events come as themselves, and events a replica does not need (ANNOTATE_ROWS unless asked
// for) are left out rather than replaced by dummy events. Compressed events are sent as they
// are to every replica, whatever the capability.
constexpr int kMariaSlaveCapabilityGtid = 4;

std::string this_host_name() {
    std::array<char, 256> buf{};
    if (gethostname(buf.data(), buf.size() - 1) != 0) return "mysql-cdc";
    return buf.data();
}

}  // namespace

BinlogClient::BinlogClient(Connection conn, StreamPosition position)
    : conn_(std::move(conn)), position_(std::move(position)) {}

Result<std::unique_ptr<BinlogClient>> BinlogClient::start(Connection conn,
                                                          const BinlogClientOptions& options) {
    if (options.server_id == 0) {
        return make_error(Errc::InvalidArgument, "the replica server id must not be 0");
    }
    auto checksum = conn.query("SELECT @@global.binlog_checksum");
    if (!checksum) return checksum.error();
    const bool crc =
        !checksum->rows.empty() && checksum->rows[0][0] && *checksum->rows[0][0] != "NONE";
    const bool by_gtid = conn.is_mariadb() ? !options.mariadb_gtid_state.empty()
                                           : options.mysql_gtid_set.has_value();
    std::unique_ptr<BinlogClient> client(new BinlogClient(
        std::move(conn), by_gtid ? StreamPosition("", 4, crc)
                                 : StreamPosition(options.file, options.position, crc)));
    if (Status s = client->negotiate(options); !s) return s.error();
    client->socket_.store(static_cast<int>(mysql_get_socket(client->conn_.handle())),
                          std::memory_order_release);
    return client;
}

Status BinlogClient::negotiate(const BinlogClientOptions& options) {
    // The server sends checksummed events only to a replica that says it can check them.
    if (Status s = conn_.execute("SET @master_binlog_checksum = @@global.binlog_checksum"); !s) {
        return s;
    }
    const bool mariadb = conn_.is_mariadb();
    if (!mariadb) {  // MySQL 8.0.26+ reads the new names
        if (Status s = conn_.execute("SET @source_binlog_checksum = @@global.binlog_checksum");
            !s) {
            return s;
        }
    } else if (Status s = conn_.execute("SET @mariadb_slave_capability = " +
                                        std::to_string(kMariaSlaveCapabilityGtid));
               !s) {
        return s;
    }
    if (options.heartbeat_period.count() > 0) {
        const std::string ns =
            std::to_string(std::chrono::nanoseconds(options.heartbeat_period).count());
        if (Status s = conn_.execute("SET @master_heartbeat_period = " + ns); !s) return s;
        if (!mariadb) {
            if (Status s = conn_.execute("SET @source_heartbeat_period = " + ns); !s) return s;
        }
    }
    const std::string host = options.report_host.empty() ? this_host_name() : options.report_host;
    if (Status s =
            send_command(COM_REGISTER_SLAVE, register_replica_payload(options.server_id, host, 0),
                         true, "registering as a replica (COM_REGISTER_SLAVE)");
        !s) {
        return s;
    }
    const bool by_gtid = mariadb && !options.mariadb_gtid_state.empty();
    if (by_gtid) {
        // What MariaDB's own replica sends (slave.cc): the state, strict mode (the server
        // refuses a state its binlog contradicts instead of starting somewhere else), no
        // ignoring of duplicates.
        for (const std::string& sql :
             {"SET @slave_connect_state = " + conn_.quote_literal(options.mariadb_gtid_state),
              std::string("SET @slave_gtid_strict_mode = 1"),
              std::string("SET @slave_gtid_ignore_duplicates = 0")}) {
            if (Status s = conn_.execute(sql); !s) return s;
        }
    }
    if (!mariadb && options.mysql_gtid_set) {
        // MySQL's replica with auto-position: the server skips what the set holds.
        auto set = model::GtidSet::parse(*options.mysql_gtid_set);
        if (!set) return set.error().with_context("the saved GTID set: ");
        auto dump = binlog_dump_gtid_payload(options.server_id, *set);
        if (!dump) return dump.error();
        return send_command(kComBinlogDumpGtid, *dump, false,
                            "requesting the binlog by GTID (COM_BINLOG_DUMP_GTID)");
    }
    const uint16_t flags = mariadb && options.send_annotate_rows ? kDumpSendAnnotateRows : 0;
    auto dump = by_gtid
                    ? binlog_dump_payload("", 4, flags, options.server_id)
                    : binlog_dump_payload(options.file, options.position, flags, options.server_id);
    if (!dump) return dump.error();
    // No reply to read: the answer is the event stream (or an error packet) that next() reads.
    return send_command(COM_BINLOG_DUMP, *dump, false, "requesting the binlog (COM_BINLOG_DUMP)");
}

Status BinlogClient::send_command(int command, const std::string& payload, bool read_reply,
                                  std::string_view doing) {
    MYSQL* m = conn_.handle();
    // db_command is what the library's own commands go through (ma_simple_command); with
    // skip_check it only sends, otherwise it also reads the OK or error reply.
    const int rc =
        m->methods->db_command(m, static_cast<enum_server_command>(command), payload.data(),
                               payload.size(), read_reply ? 0 : 1, nullptr);
    if (rc == 0) return {};
    Error e = conn_.last_error(doing);
    const unsigned code = mysql_errno(m);
    if (code == kErAccessDenied || code == kErSpecificAccessDenied) {
        // MariaDB answers a replica command without the privilege with "Access denied".
        auto who = conn_.query("SELECT CURRENT_USER()");
        const Account account = who && !who->rows.empty() && who->rows[0][0]
                                    ? parse_account(*who->rows[0][0])
                                    : Account{conn_.user(), "%"};
        e = make_error(
            Errc::FailedPrecondition,
            missing_privileges_message(account, {"REPLICATION SLAVE"}) + " (" + e.message + ")");
    }
    return e;
}

Result<RawEvent> BinlogClient::next() {
    MYSQL* m = conn_.handle();
    const unsigned long len = mysql_net_read_packet(m);
    if (len == packet_error || len == 0) return stream_error();
    const unsigned char* packet = m->net.read_pos;
    if (packet[0] == 0xfe && len < 9) {
        // EOF: the server ended the dump (it is shutting down, or was asked not to block).
        return make_error(Errc::Unavailable,
                          "MySQL at " + conn_.endpoint() + " ended the binlog stream (EOF packet)");
    }
    if (packet[0] != 0x00) {
        return make_error(Errc::Malformed, "binlog stream from " + conn_.endpoint() +
                                               ": packet starts with byte " +
                                               std::to_string(packet[0]) + ", expected 0x00");
    }
    bytes_received_ += len;
    const Bytes bytes(packet + 1, len - 1);
    auto placed = position_.advance(bytes);
    if (!placed) return placed.error();
    RawEvent ev;
    ev.bytes = bytes;
    ev.file = position_.file();
    ev.offset = placed->offset;
    ev.next_position = position_.next();
    ev.type = placed->type;
    ev.artificial = placed->artificial;
    return ev;
}

Error BinlogClient::stream_error() {
    if (stopped()) {
        return make_error(Errc::Unavailable,
                          "binlog stream from " + conn_.endpoint() + " stopped on request");
    }
    MYSQL* m = conn_.handle();
    ErrorContext ctx{conn_.host(), conn_.port(), conn_.user(), "reading the binlog stream"};
    unsigned code = mysql_errno(m);
    if (code == 0) code = kCrServerLost;  // a zero-length read: the socket was closed
    Error e = translate_error(code, mysql_error(m), ErrorStage::Stream, ctx);
    if (e.code == Errc::DataLoss && is_position_gone_message(mysql_error(m))) {
        e.message = "the binlog position " + position_.file() + ":" +
                    std::to_string(position_.next()) + " is no longer on the server at " +
                    conn_.endpoint() + " (purged): " + std::string(kPositionGoneAdvice) +
                    " (server said: " + mysql_error(m) + ")";
    }
    return e;
}

void BinlogClient::stop() {
    stopped_.store(true, std::memory_order_release);
    const int fd = socket_.load(std::memory_order_acquire);
    if (fd >= 0) ::shutdown(fd, SHUT_RDWR);
}

}  // namespace cdc::mysql

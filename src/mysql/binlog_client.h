// BinlogClient: follows a server's binary log as a replica, handing out each event's raw bytes.
//
//   auto conn = Connection::open(params);                      // a connection of its own
//   auto client = BinlogClient::start(std::move(*conn), {.server_id = 1001,
//                                                        .file = "mysql-bin.000042",
//                                                        .position = 4});
//   while (true) {
//       Result<RawEvent> ev = (*client)->next();  // blocks; heartbeats keep it alive
//       if (!ev) return ev.error();  // Unavailable: reconnect; DataLoss: position purged
//       decoder.feed(ev->bytes, ev->offset);      // bytes valid until the next next()
//   }
//
// start() negotiates the checksum (@master_binlog_checksum), MariaDB's capability (GTID and
// the other MariaDB events come as themselves; ANNOTATE_ROWS only when asked, since they
// are about half of a MariaDB binlog's bytes), the heartbeat period, registers as a replica
// (COM_REGISTER_SLAVE) and sends COM_BINLOG_DUMP. Connector/C does the authentication, TLS and
// packet framing; nothing here parses events beyond the header fields needed to track the
// position. stop() may be called from another thread (a signal handler's thread) and makes a
// blocked next() return. Owns its Connection; a stopped or failed client is discarded.
//
// Sizes: an event is one packet (parts of 16 MiB joined by Connector/C), whose buffer grows
// only as the bytes arrive and refuses more than the client's max_allowed_packet (1 GiB,
// connection.cpp); StreamPosition checks the event's own size field against the packet. The
// buffer keeps the size of the largest event for the connection's life (docs/MEMORY.md).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "common/byte_reader.h"
#include "common/result.h"
#include "mysql/connection.h"
#include "mysql/replication_packets.h"

namespace cdc::mysql {

struct BinlogClientOptions {
    uint32_t server_id = 0;  // our replica id: unique among the server's replicas
    std::string file;        // where to start: a file of SHOW BINARY LOGS ...
    uint64_t position = 4;   // ... and an event boundary in it (4 = its beginning)
    // The server sends a heartbeat event after this much idle time; keep it well below the
    // connection's read_timeout, which otherwise ends an idle stream. 0 = no heartbeats.
    std::chrono::milliseconds heartbeat_period{std::chrono::seconds(15)};
    // MariaDB: when set, start after these transactions instead (@slave_connect_state, in
    // strict mode): `file` and `position` are then ignored and the server's first, artificial
    // ROTATE names the file it starts in.
    std::string mariadb_gtid_state;
    // MySQL: when set, start after this GTID set instead (COM_BINLOG_DUMP_GTID, its text as
    // model::GtidSet reads it), likewise.
    std::optional<std::string> mysql_gtid_set;
    bool send_annotate_rows = false;  // MariaDB: also send ANNOTATE_ROWS (the SQL text)
    std::string report_host;          // shown by SHOW SLAVE HOSTS; empty = this host's name
};

struct RawEvent {
    Bytes bytes;                 // header .. checksum exactly as sent; valid until the next call
    std::string_view file;       // the binlog file the event is in; valid until the next call
    uint64_t offset = 0;         // where the event starts in that file
    uint64_t next_position = 0;  // where the following event starts: the resume point
    uint8_t type = 0;
    bool artificial = false;  // server-made (first ROTATE/FDE, heartbeat): not at `offset`
};

class BinlogClient {
public:
    static Result<std::unique_ptr<BinlogClient>> start(Connection conn,
                                                       const BinlogClientOptions& options);

    Result<RawEvent> next();

    // Thread-safe: shuts the socket down so a blocked next() returns Unavailable ("stopped").
    void stop();
    bool stopped() const { return stopped_.load(std::memory_order_acquire); }

    const StreamPosition& position() const { return position_; }
    uint64_t bytes_received() const { return bytes_received_; }

private:
    BinlogClient(Connection conn, StreamPosition position);
    Status negotiate(const BinlogClientOptions& options);
    Status send_command(int command, const std::string& payload, bool read_reply,
                        std::string_view doing);
    Error stream_error();

    Connection conn_;
    StreamPosition position_;
    std::atomic<int> socket_{-1};
    std::atomic<bool> stopped_{false};
    uint64_t bytes_received_ = 0;
};

}  // namespace cdc::mysql

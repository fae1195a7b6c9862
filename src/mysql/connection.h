// Connection: one client session to MySQL or MariaDB, RAII over MariaDB Connector/C's MYSQL*.
//
//   ConnectionParams p{.host = "db", .port = 3306, .user = "cdc", .password = pw};
//   Result<Connection> c = Connection::open(p);
//   if (!c) return c.error();            // FailedPrecondition / Unavailable, never the password
//   Result<QueryResult> r = c->query("SELECT @@server_id");
//
// The library does authentication (mysql_native_password, caching_sha2_password, ed25519 via
// its client plugins), TLS and the protocol; this class maps settings onto its options and
// its errors onto cdc::Error (errors.h). Not thread-safe, except that the socket may be shut
// down from another thread (BinlogClient::stop). Closed on destruction.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

struct st_mysql;

namespace cdc::mysql {

enum class SslMode { Disabled, Preferred, Required, VerifyCa, VerifyIdentity };

const char* ssl_mode_name(SslMode mode);

struct ConnectionParams {
    std::string host = "127.0.0.1";
    uint16_t port = 3306;
    std::string user;
    std::string password;  // never logged, never put in a message
    std::string database;  // may be empty
    SslMode ssl_mode = SslMode::Preferred;
    std::string ssl_ca;  // PEM file; required by VerifyCa / VerifyIdentity
    std::chrono::seconds connect_timeout{10};
    std::chrono::seconds read_timeout{60};
    std::chrono::seconds write_timeout{60};
};

using Row = std::vector<std::optional<std::string>>;  // nullopt = SQL NULL

struct QueryResult {
    std::vector<std::string> columns;
    std::vector<Row> rows;

    // Index of a column by name (case-insensitive), or nullopt.
    std::optional<size_t> column(std::string_view name) const;
};

// How a streamed result's values of one column are laid out (StreamedRow::field).
enum class ValueForm : uint8_t {
    Text,      // the bytes as sent: strings, BLOBs, DECIMAL and BIT (sent as text or bytes)
    Int64,     // 8 bytes, an int64_t in the machine's order (every signed integer type)
    UInt64,    // 8 bytes, a uint64_t (unsigned integers, YEAR)
    Double,    // 8 bytes, a double (a FLOAT widened to it, exactly)
    Temporal,  // sizeof(TemporalParts) bytes (text_forms.h): DATE, TIME, DATETIME, TIMESTAMP
};

// One column of a streamed result, as the server described it.
struct ResultColumn {
    std::string name;
    uint16_t collation = 0;  // MySQL collation id of the values as sent (63 = binary)
    uint32_t flags = 0;      // protocol column flags (UNSIGNED_FLAG, ENUM_FLAG, ...)
    uint8_t type = 0;        // protocol type code (MYSQL_TYPE_*)
    uint8_t decimals = 0;
    ValueForm form = ValueForm::Text;
};

// One row of a streamed result: views into the library's buffer, valid during the callback.
class StreamedRow {
public:
    StreamedRow(const char* const* fields, const unsigned long* lengths, size_t count)
        : fields_(fields), lengths_(lengths), count_(count) {}
    size_t size() const { return count_; }
    bool is_null(size_t i) const { return fields_[i] == nullptr; }
    std::string_view field(size_t i) const { return {fields_[i], lengths_[i]}; }

private:
    const char* const* fields_;
    const unsigned long* lengths_;
    size_t count_;
};

class Connection {
public:
    static Result<Connection> open(const ConnectionParams& params);

    Connection(Connection&& other) noexcept;
    Connection& operator=(Connection&& other) noexcept;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    ~Connection();

    // Runs one statement and returns its whole result set (empty for statements without one).
    Result<QueryResult> query(std::string_view sql);
    // Runs one statement and hands its rows to `on_row` as they arrive from the server, never
    // holding the whole result. `on_columns` is called once before the first row. An error
    // from a callback stops the query; the rest of the result is read and discarded.
    //
    // It runs as a prepared statement (mariadb_stmt_execute_direct: prepare and execute in one
    // round trip, or two on servers without it). The server then sends numbers and temporals
    // in binary instead of printing them, which costs its one thread of the session markedly
    // less per row, and they reach `on_row` in binary too, as each column's `form` says
    // (nobody prints them only for the next step to parse them). Implemented in
    // prepared_statement.cpp.
    Status stream_prepared(
        std::string_view sql,
        const std::function<Status(const std::vector<ResultColumn>&)>& on_columns,
        const std::function<Status(const StreamedRow&)>& on_row);
    // Runs one statement and discards any result.
    Status execute(std::string_view sql);
    // `text` as a quoted SQL string literal, escaped for this connection's character set.
    std::string quote_literal(std::string_view text);

    const std::string& server_version() const { return server_version_; }  // "10.11.6-MariaDB-log"
    bool is_mariadb() const;
    // major * 10000 + minor * 100 + patch, e.g. 101106 or 80036.
    uint32_t version_number() const { return version_number_; }

    // The negotiated TLS version ("TLSv1.3"), empty without TLS.
    std::string tls_version() const;

    // "host:port" and "'user'@'host'" as the user configured them, for messages.
    std::string endpoint() const;
    const std::string& user() const { return user_; }
    const std::string& host() const { return host_; }
    uint16_t port() const { return port_; }

    // The library handle, for BinlogClient's packet-level use. Owned by this object.
    st_mysql* handle() { return mysql_; }
    // Translates the handle's current error (after a failed library call while `doing`).
    Error last_error(std::string_view doing) const;
    // The server's error number and text of the last failed call, for callers that act on a
    // particular error (e.g. 1220 from SHOW BINLOG EVENTS at an offset inside an event).
    unsigned last_errno() const;
    std::string last_error_text() const;

private:
    Connection(st_mysql* mysql, const ConnectionParams& params);
    void close();

    st_mysql* mysql_ = nullptr;
    std::string host_;
    uint16_t port_ = 0;
    std::string user_;
    std::string server_version_;
    uint32_t version_number_ = 0;
};

}  // namespace cdc::mysql

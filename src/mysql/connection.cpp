#include "mysql/connection.h"

#include <mysql.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <utility>

#include "mysql/errors.h"

namespace cdc::mysql {
namespace {

// mysql_library_init is not thread-safe; mysql_init would call it lazily from any thread.
void init_library_once() {
    static std::once_flag once;
    std::call_once(once, [] { mysql_library_init(0, nullptr, nullptr); });
}

bool contains_ci(std::string_view haystack, std::string_view needle) {
    auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                          [](char a, char b) {
                              return std::tolower(static_cast<unsigned char>(a)) ==
                                     std::tolower(static_cast<unsigned char>(b));
                          });
    return it != haystack.end();
}

bool requires_tls(SslMode mode) { return mode != SslMode::Disabled && mode != SslMode::Preferred; }

// Maps our settings onto Connector/C options. Returns an error for settings it cannot honour.
Status apply_options(MYSQL* m, const ConnectionParams& p) {
    unsigned int connect = static_cast<unsigned int>(p.connect_timeout.count());
    unsigned int read = static_cast<unsigned int>(p.read_timeout.count());
    unsigned int write = static_cast<unsigned int>(p.write_timeout.count());
    // Binlog events can be as large as the server's max_allowed_packet (up to 1 GiB).
    unsigned long max_packet = 1UL << 30;
    mysql_optionsv(m, MYSQL_OPT_CONNECT_TIMEOUT, &connect);
    mysql_optionsv(m, MYSQL_OPT_READ_TIMEOUT, &read);
    mysql_optionsv(m, MYSQL_OPT_WRITE_TIMEOUT, &write);
    mysql_optionsv(m, MYSQL_OPT_MAX_ALLOWED_PACKET, &max_packet);
    mysql_optionsv(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    // The library takes host "localhost" to mean its default Unix socket and then ignores the
    // port. The original connector (PyMySQL) always connects over TCP to host:port, and so do
    // we: MYSQL_HOST=localhost MYSQL_PORT=3307 reaches the server on port 3307.
    if (!p.host.empty()) {
        unsigned int tcp = MYSQL_PROTOCOL_TCP;
        mysql_optionsv(m, MYSQL_OPT_PROTOCOL, &tcp);
    }

    if (p.ssl_mode == SslMode::Disabled) return {};
    if ((p.ssl_mode == SslMode::VerifyCa || p.ssl_mode == SslMode::VerifyIdentity) &&
        p.ssl_ca.empty()) {
        return make_error(Errc::InvalidArgument,
                          std::string("MYSQL_SSL_MODE=") + ssl_mode_name(p.ssl_mode) +
                              " needs MYSQL_SSL_CA (the CA certificate file that signed the "
                              "server's certificate)");
    }
    // Asking for TLS; whether it was required is checked after connecting (open()).
    my_bool yes = 1;
    mysql_optionsv(m, MYSQL_OPT_SSL_ENFORCE, &yes);
    if (!p.ssl_ca.empty()) mysql_optionsv(m, MYSQL_OPT_SSL_CA, p.ssl_ca.c_str());
    my_bool verify_identity = p.ssl_mode == SslMode::VerifyIdentity ? 1 : 0;
    mysql_optionsv(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify_identity);
    return {};
}

uint32_t version_number_of(MYSQL* m) { return static_cast<uint32_t>(mysql_get_server_version(m)); }

}  // namespace

const char* ssl_mode_name(SslMode mode) {
    switch (mode) {
        case SslMode::Disabled: return "DISABLED";
        case SslMode::Preferred: return "PREFERRED";
        case SslMode::Required: return "REQUIRED";
        case SslMode::VerifyCa: return "VERIFY_CA";
        case SslMode::VerifyIdentity: return "VERIFY_IDENTITY";
    }
    return "?";
}

std::optional<size_t> QueryResult::column(std::string_view name) const {
    for (size_t i = 0; i < columns.size(); ++i) {
        if (columns[i].size() == name.size() && contains_ci(columns[i], name)) return i;
    }
    return std::nullopt;
}

Result<Connection> Connection::open(const ConnectionParams& params) {
    init_library_once();
    MYSQL* m = mysql_init(nullptr);
    if (m == nullptr) return make_error(Errc::Internal, "mysql_init: out of memory");
    Connection conn(m, params);
    if (Status s = apply_options(m, params); !s) return s.error();

    // The server's preferred plugin (caching_sha2_password, ed25519, ...) is negotiated by the
    // library; without TLS its caching_sha2 plugin fetches the server's RSA key itself.
    if (mysql_real_connect(m, params.host.c_str(), params.user.c_str(), params.password.c_str(),
                           params.database.empty() ? nullptr : params.database.c_str(), params.port,
                           nullptr, CLIENT_MULTI_RESULTS) == nullptr) {
        ErrorContext ctx{params.host, params.port, params.user, "connecting"};
        // The library's text never holds the password; redacting it anyway is cheap insurance.
        const std::string said = redact(mysql_error(m), params.password);
        return translate_error(mysql_errno(m), said, ErrorStage::Connect, ctx);
    }
    if (requires_tls(params.ssl_mode) && mysql_get_ssl_cipher(m) == nullptr) {
        return make_error(Errc::FailedPrecondition,
                          std::string("MYSQL_SSL_MODE=") + ssl_mode_name(params.ssl_mode) +
                              " but MySQL at " + conn.endpoint() +
                              " did not agree to TLS: enable TLS on the server (ssl_cert/ssl_key)"
                              " or set MYSQL_SSL_MODE=PREFERRED");
    }
    conn.server_version_ = mysql_get_server_info(m);
    conn.version_number_ = version_number_of(m);
    return conn;
}

Connection::Connection(st_mysql* mysql, const ConnectionParams& params)
    : mysql_(mysql), host_(params.host), port_(params.port), user_(params.user) {}

Connection::Connection(Connection&& other) noexcept
    : mysql_(std::exchange(other.mysql_, nullptr)),
      host_(std::move(other.host_)),
      port_(other.port_),
      user_(std::move(other.user_)),
      server_version_(std::move(other.server_version_)),
      version_number_(other.version_number_) {}

Connection& Connection::operator=(Connection&& other) noexcept {
    if (this != &other) {
        close();
        mysql_ = std::exchange(other.mysql_, nullptr);
        host_ = std::move(other.host_);
        port_ = other.port_;
        user_ = std::move(other.user_);
        server_version_ = std::move(other.server_version_);
        version_number_ = other.version_number_;
    }
    return *this;
}

Connection::~Connection() { close(); }

void Connection::close() {
    if (mysql_ != nullptr) mysql_close(mysql_);
    mysql_ = nullptr;
}

bool Connection::is_mariadb() const { return contains_ci(server_version_, "mariadb"); }

std::string Connection::tls_version() const {
    const char* cipher = mysql_get_ssl_cipher(mysql_);
    if (cipher == nullptr) return {};
    const char* version = nullptr;
    if (mariadb_get_infov(mysql_, MARIADB_CONNECTION_TLS_VERSION, &version) != 0 || !version) {
        return "TLS";
    }
    return version;
}

std::string Connection::endpoint() const { return host_ + ":" + std::to_string(port_); }

Error Connection::last_error(std::string_view doing) const {
    ErrorContext ctx{host_, port_, user_, doing};
    return translate_error(mysql_errno(mysql_), mysql_error(mysql_), ErrorStage::Query, ctx);
}

unsigned Connection::last_errno() const { return mysql_errno(mysql_); }

std::string Connection::last_error_text() const { return mysql_error(mysql_); }

Result<QueryResult> Connection::query(std::string_view sql) {
    const std::string doing = "running " + std::string(sql.substr(0, 80));
    if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) return last_error(doing);
    QueryResult out;
    MYSQL_RES* res = mysql_store_result(mysql_);
    if (res == nullptr) {
        if (mysql_field_count(mysql_) != 0) return last_error(doing);
        return out;
    }
    const unsigned n = mysql_num_fields(res);
    MYSQL_FIELD* fields = mysql_fetch_fields(res);
    out.columns.reserve(n);
    for (unsigned i = 0; i < n; ++i)
        out.columns.emplace_back(fields[i].name, fields[i].name_length);
    out.rows.reserve(mysql_num_rows(res));
    while (MYSQL_ROW row = mysql_fetch_row(res)) {
        unsigned long* lengths = mysql_fetch_lengths(res);
        Row& r = out.rows.emplace_back(n);
        for (unsigned i = 0; i < n; ++i) {
            if (row[i] != nullptr) r[i] = std::string(row[i], lengths[i]);
        }
    }
    mysql_free_result(res);
    // Statements we send return one result; drain any trailing status results.
    while (mysql_next_result(mysql_) == 0) {
        if (MYSQL_RES* extra = mysql_store_result(mysql_)) mysql_free_result(extra);
    }
    return out;
}

Status Connection::execute(std::string_view sql) {
    Result<QueryResult> r = query(sql);
    if (!r) return r.error();
    return {};
}

std::string Connection::quote_literal(std::string_view text) {
    std::string out(text.size() * 2 + 3, '\0');
    out[0] = '\'';
    const unsigned long n = mysql_real_escape_string(mysql_, out.data() + 1, text.data(),
                                                     static_cast<unsigned long>(text.size()));
    out.resize(n + 1);
    return out + "'";
}

}  // namespace cdc::mysql

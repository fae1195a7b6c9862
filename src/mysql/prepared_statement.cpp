// Connection::stream_prepared and PreparedStatement: streamed queries through the binary
// protocol.
//
// Each result column is bound to a buffer of the type it arrives in (integers as 64 bits,
// doubles, MYSQL_TIME for temporals, bytes for everything else) and fetched row by row
// (unbuffered: the library reads one row from the socket per fetch); the row handed on points
// at those buffers, in the ValueForm of each column. A value longer than its buffer is
// fetched again into a grown one.
#include "mysql/prepared_statement.h"

#include <mysql.h>

#include <memory>
#include <utility>
#include <vector>

#include "mysql/connection.h"
#include "mysql/errors.h"
#include "mysql/text_forms.h"

namespace cdc::mysql {
namespace {

// How one result column is fetched and printed.
enum class Fetch : uint8_t { Signed, Unsigned, Float, Double, Date, Time, DateTime, Bytes };

Fetch fetch_of(const MYSQL_FIELD& f) {
    switch (f.type) {
        case MYSQL_TYPE_TINY:
        case MYSQL_TYPE_SHORT:
        case MYSQL_TYPE_INT24:
        case MYSQL_TYPE_LONG:
        case MYSQL_TYPE_LONGLONG:
        case MYSQL_TYPE_YEAR:
            return (f.flags & UNSIGNED_FLAG) != 0 ? Fetch::Unsigned : Fetch::Signed;
        case MYSQL_TYPE_FLOAT: return Fetch::Float;
        case MYSQL_TYPE_DOUBLE: return Fetch::Double;
        case MYSQL_TYPE_DATE:
        case MYSQL_TYPE_NEWDATE: return Fetch::Date;
        case MYSQL_TYPE_TIME: return Fetch::Time;
        case MYSQL_TYPE_DATETIME:
        case MYSQL_TYPE_TIMESTAMP: return Fetch::DateTime;
        default: return Fetch::Bytes;  // strings, DECIMAL (sent as text), BIT, BLOBs, JSON
    }
}

// A first buffer for byte values; longer ones grow it (to the longest value seen).
constexpr size_t kInitialBytes = 256;

struct BoundColumn {
    Fetch fetch = Fetch::Bytes;
    union {
        long long i;
        unsigned long long u;
        float f;
        double d;
    } number{};
    MYSQL_TIME time{};
    std::vector<char> bytes;
    unsigned long length = 0;
    my_bool is_null = 0;
    my_bool error = 0;
    double widened = 0;   // a FLOAT's value as a double
    TemporalParts parts;  // a temporal's value as handed on
};

void bind_column(BoundColumn& c, MYSQL_BIND& b) {
    b = MYSQL_BIND{};
    b.length = &c.length;
    b.is_null = &c.is_null;
    b.error = &c.error;
    switch (c.fetch) {
        case Fetch::Signed:
        case Fetch::Unsigned:
            b.buffer_type = MYSQL_TYPE_LONGLONG;
            b.is_unsigned = c.fetch == Fetch::Unsigned;
            b.buffer = &c.number.i;
            b.buffer_length = sizeof c.number.i;
            break;
        case Fetch::Float:
            b.buffer_type = MYSQL_TYPE_FLOAT;
            b.buffer = &c.number.f;
            b.buffer_length = sizeof c.number.f;
            break;
        case Fetch::Double:
            b.buffer_type = MYSQL_TYPE_DOUBLE;
            b.buffer = &c.number.d;
            b.buffer_length = sizeof c.number.d;
            break;
        case Fetch::Date:
        case Fetch::Time:
        case Fetch::DateTime:
            b.buffer_type = c.fetch == Fetch::Date   ? MYSQL_TYPE_DATE
                            : c.fetch == Fetch::Time ? MYSQL_TYPE_TIME
                                                     : MYSQL_TYPE_DATETIME;
            b.buffer = &c.time;
            b.buffer_length = sizeof c.time;
            break;
        case Fetch::Bytes:
            b.buffer_type = MYSQL_TYPE_BLOB;  // the bytes as sent, no conversion
            b.buffer = c.bytes.data();
            b.buffer_length = c.bytes.size();
            break;
    }
}

TemporalParts parts_of(const MYSQL_TIME& t) {
    TemporalParts p;
    p.year = t.year;
    p.month = t.month;
    p.day = t.day;
    p.hour = t.hour;  // a TIME's days are already counted in (the library adds day * 24)
    p.minute = t.minute;
    p.second = t.second;
    p.micros = static_cast<uint32_t>(t.second_part);
    p.negative = t.neg != 0;
    return p;
}

ValueForm form_of(Fetch fetch) {
    switch (fetch) {
        case Fetch::Signed: return ValueForm::Int64;
        case Fetch::Unsigned: return ValueForm::UInt64;
        case Fetch::Float:
        case Fetch::Double: return ValueForm::Double;
        case Fetch::Date:
        case Fetch::Time:
        case Fetch::DateTime: return ValueForm::Temporal;
        case Fetch::Bytes: return ValueForm::Text;
    }
    return ValueForm::Text;
}

// The column's current value in its ValueForm; the view stays valid until the next fetch.
std::string_view value_of(BoundColumn& c) {
    switch (c.fetch) {
        case Fetch::Signed:
        case Fetch::Unsigned:
            return {reinterpret_cast<const char*>(&c.number.i), sizeof c.number.i};
        case Fetch::Float:
            c.widened = static_cast<double>(c.number.f);
            return {reinterpret_cast<const char*>(&c.widened), sizeof c.widened};
        case Fetch::Double: return {reinterpret_cast<const char*>(&c.number.d), sizeof c.number.d};
        case Fetch::Date:
        case Fetch::Time:
        case Fetch::DateTime:
            c.parts = parts_of(c.time);
            return {reinterpret_cast<const char*>(&c.parts), sizeof c.parts};
        case Fetch::Bytes: return {c.bytes.data(), c.length};
    }
    return {};
}

struct StmtCloser {
    void operator()(MYSQL_STMT* s) const { mysql_stmt_close(s); }  // reads any unread rows
};

struct ResultFreer {
    void operator()(MYSQL_RES* r) const { mysql_free_result(r); }
};

// The result of `stmt`'s execution, row by row, in the text protocol's forms.
Status stream_rows(MYSQL_STMT* stmt, const std::function<Error()>& stmt_error,
                   const std::function<Status(const std::vector<ResultColumn>&)>& on_columns,
                   const std::function<Status(const StreamedRow&)>& on_row) {
    std::unique_ptr<MYSQL_RES, ResultFreer> meta(mysql_stmt_result_metadata(stmt));
    if (!meta) {
        if (mysql_stmt_field_count(stmt) != 0) return stmt_error();
        return {};
    }
    const unsigned n = mysql_num_fields(meta.get());
    const MYSQL_FIELD* fields = mysql_fetch_fields(meta.get());
    std::vector<ResultColumn> columns(n);
    std::vector<BoundColumn> bound(n);
    std::vector<MYSQL_BIND> binds(n);
    for (unsigned i = 0; i < n; ++i) {
        columns[i].name.assign(fields[i].name, fields[i].name_length);
        columns[i].collation = static_cast<uint16_t>(fields[i].charsetnr);
        columns[i].flags = fields[i].flags;
        columns[i].type = static_cast<uint8_t>(fields[i].type);
        columns[i].decimals = static_cast<uint8_t>(fields[i].decimals);
        bound[i].fetch = fetch_of(fields[i]);
        columns[i].form = form_of(bound[i].fetch);
        if (bound[i].fetch == Fetch::Bytes) bound[i].bytes.resize(kInitialBytes);
        bind_column(bound[i], binds[i]);
    }
    if (mysql_stmt_bind_result(stmt, binds.data()) != 0) return stmt_error();
    Status st = on_columns(columns);
    std::vector<const char*> values(n);
    std::vector<unsigned long> lengths(n);
    while (st) {
        const int rc = mysql_stmt_fetch(stmt);
        if (rc == MYSQL_NO_DATA) break;
        if (rc != 0 && rc != MYSQL_DATA_TRUNCATED) {
            st = stmt_error();
            break;
        }
        bool grown = false;
        for (unsigned i = 0; i < n && st; ++i) {
            BoundColumn& c = bound[i];
            if (c.is_null) {
                values[i] = nullptr;
                lengths[i] = 0;
                continue;
            }
            if (c.fetch == Fetch::Bytes && c.length > c.bytes.size()) {
                c.bytes.resize(c.length);
                bind_column(c, binds[i]);
                if (mysql_stmt_fetch_column(stmt, &binds[i], i, 0) != 0) st = stmt_error();
                grown = true;
            } else if (c.fetch != Fetch::Bytes && c.error) {
                st = make_error(Errc::Internal, "the value of column " + columns[i].name +
                                                    " does not fit its fetch buffer");
            }
            const std::string_view v = value_of(c);
            values[i] = v.data();
            lengths[i] = static_cast<unsigned long>(v.size());
        }
        if (!st) break;
        if (grown && mysql_stmt_bind_result(stmt, binds.data()) != 0) {
            st = stmt_error();
            break;
        }
        st = on_row(StreamedRow(values.data(), lengths.data(), n));
    }
    // Reads whatever rows a stop left unread, so the statement can run again.
    if (!st) mysql_stmt_free_result(stmt);
    return st;
}

Error statement_error(const Connection& conn, MYSQL_STMT* stmt, std::string_view doing) {
    ErrorContext ctx{conn.host(), conn.port(), conn.user(), doing};
    // A connection lost while rows are fetched is recorded on the connection, not on the
    // statement (whose error stays 0 and empty): report the connection's then.
    if (mysql_stmt_errno(stmt) == 0) {
        if (mysql_errno(const_cast<Connection&>(conn).handle()) != 0) return conn.last_error(doing);
        return make_error(Errc::Unavailable, "lost the connection to MySQL at " + conn.endpoint() +
                                                 " while " + std::string(doing) +
                                                 " (the client library reported no error)");
    }
    return translate_error(mysql_stmt_errno(stmt), mysql_stmt_error(stmt), ErrorStage::Query, ctx);
}

}  // namespace

Status Connection::stream_prepared(
    std::string_view sql, const std::function<Status(const std::vector<ResultColumn>&)>& on_columns,
    const std::function<Status(const StreamedRow&)>& on_row) {
    const std::string doing = "running " + std::string(sql.substr(0, 80));
    std::unique_ptr<MYSQL_STMT, StmtCloser> stmt(mysql_stmt_init(mysql_));
    if (!stmt) return last_error(doing);
    auto stmt_error = [&] { return statement_error(*this, stmt.get(), doing); };
    if (mariadb_stmt_execute_direct(stmt.get(), sql.data(), sql.size()) != 0) return stmt_error();
    return stream_rows(stmt.get(), stmt_error, on_columns, on_row);
}

Result<PreparedStatement> PreparedStatement::prepare(Connection& conn, std::string_view sql) {
    std::string doing = "preparing " + std::string(sql.substr(0, 80));
    MYSQL_STMT* stmt = mysql_stmt_init(conn.handle());
    if (stmt == nullptr) return conn.last_error(doing);
    if (mysql_stmt_prepare(stmt, sql.data(), static_cast<unsigned long>(sql.size())) != 0) {
        Error e = statement_error(conn, stmt, doing);
        mysql_stmt_close(stmt);
        return e;
    }
    return PreparedStatement(conn, stmt, "running " + std::string(sql.substr(0, 80)));
}

PreparedStatement::PreparedStatement(PreparedStatement&& other) noexcept
    : conn_(other.conn_),
      stmt_(std::exchange(other.stmt_, nullptr)),
      doing_(std::move(other.doing_)) {}

PreparedStatement& PreparedStatement::operator=(PreparedStatement&& other) noexcept {
    if (this != &other) {
        if (stmt_ != nullptr) mysql_stmt_close(stmt_);
        conn_ = other.conn_;
        stmt_ = std::exchange(other.stmt_, nullptr);
        doing_ = std::move(other.doing_);
    }
    return *this;
}

PreparedStatement::~PreparedStatement() {
    if (stmt_ != nullptr) mysql_stmt_close(stmt_);
}

Status PreparedStatement::stream(
    const std::vector<IntegerParam>& params,
    const std::function<Status(const std::vector<ResultColumn>&)>& on_columns,
    const std::function<Status(const StreamedRow&)>& on_row) {
    auto stmt_error = [&] { return statement_error(*conn_, stmt_, doing_); };
    if (params.size() != mysql_stmt_param_count(stmt_)) {
        return make_error(Errc::Internal,
                          doing_ + ": " + std::to_string(params.size()) + " parameters for " +
                              std::to_string(mysql_stmt_param_count(stmt_)) + " placeholders");
    }
    std::vector<IntegerParam> values = params;  // the binds point here during execute
    std::vector<MYSQL_BIND> binds(values.size());
    for (size_t i = 0; i < values.size(); ++i) {
        binds[i] = MYSQL_BIND{};
        binds[i].buffer_type = MYSQL_TYPE_LONGLONG;
        binds[i].buffer = &values[i].value;
        binds[i].is_unsigned = values[i].is_unsigned;
    }
    if (!binds.empty() && mysql_stmt_bind_param(stmt_, binds.data()) != 0) return stmt_error();
    if (mysql_stmt_execute(stmt_) != 0) return stmt_error();
    return stream_rows(stmt_, stmt_error, on_columns, on_row);
}

}  // namespace cdc::mysql

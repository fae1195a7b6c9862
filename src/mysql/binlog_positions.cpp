// Binlog position queries declared in server_checks.h.
#include <charconv>

#include "mysql/check_messages.h"
#include "mysql/server_checks.h"

namespace cdc::mysql {
namespace {

std::optional<uint64_t> to_u64(const std::optional<std::string>& s) {
    if (!s) return std::nullopt;
    uint64_t v = 0;
    auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), v);
    if (ec != std::errc() || end != s->data() + s->size()) return std::nullopt;
    return v;
}

}  // namespace

Status check_position_available(Connection& conn, const std::string& file, uint64_t pos) {
    auto r = conn.query("SHOW BINARY LOGS");
    if (!r) return r.error();
    std::string oldest;
    for (const auto& row : r->rows) {
        if (row.size() < 2 || !row[0]) continue;
        if (oldest.empty()) oldest = *row[0];
        if (*row[0] != file) continue;
        const auto size = to_u64(row[1]);
        if (!size) {
            return make_error(Errc::Internal, "SHOW BINARY LOGS gave no size for " + file);
        }
        if (pos > *size) {
            return make_error(Errc::DataLoss, position_beyond_end_message(file, pos, *size));
        }
        return {};
    }
    return make_error(Errc::DataLoss, position_gone_message(file, pos, oldest));
}

Result<std::pair<std::string, uint64_t>> current_binlog_position(Connection& conn) {
    const bool new_mysql = !conn.is_mariadb() && conn.version_number() >= 80200;
    auto r = conn.query(new_mysql ? "SHOW BINARY LOG STATUS" : "SHOW MASTER STATUS");
    if (!r) return r.error();
    if (r->rows.empty()) return make_error(Errc::FailedPrecondition, binlog_off_message());
    const auto& row = r->rows.front();
    const auto pos = row.size() >= 2 ? to_u64(row[1]) : std::nullopt;
    if (!row[0] || !pos) {
        return make_error(Errc::Internal, "SHOW MASTER STATUS returned an unexpected row");
    }
    return std::pair{*row[0], *pos};
}

}  // namespace cdc::mysql

#include "binlog/xa_statement.h"

#include <strings.h>

#include <cctype>

#include "common/hex.h"

namespace cdc::binlog {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

void skip_spaces(std::string_view& s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
}

// Consumes `word` (case-insensitive) followed by a space or the end.
bool take_word(std::string_view& s, std::string_view word) {
    skip_spaces(s);
    if (s.size() < word.size() || strncasecmp(s.data(), word.data(), word.size()) != 0) {
        return false;
    }
    if (s.size() > word.size() && !is_space(s[word.size()])) return false;
    s.remove_prefix(word.size());
    return true;
}

bool take_char(std::string_view& s, char c) {
    skip_spaces(s);
    if (s.empty() || s.front() != c) return false;
    s.remove_prefix(1);
    return true;
}

// X'6131' -> "a1"
bool take_hex_string(std::string_view& s, std::string& out) {
    skip_spaces(s);
    if (s.size() < 3 || (s[0] != 'X' && s[0] != 'x') || s[1] != '\'') return false;
    s.remove_prefix(2);
    size_t end = s.find('\'');
    if (end == std::string_view::npos || !from_hex(s.substr(0, end), out)) return false;
    s.remove_prefix(end + 1);
    return true;
}

bool take_number(std::string_view& s, uint32_t& out) {
    skip_spaces(s);
    uint64_t v = 0;
    size_t n = 0;
    while (n < s.size() && std::isdigit(static_cast<unsigned char>(s[n])) != 0) {
        v = v * 10 + static_cast<uint64_t>(s[n] - '0');
        if (v > UINT32_MAX) return false;
        ++n;
    }
    if (n == 0) return false;
    out = static_cast<uint32_t>(v);
    s.remove_prefix(n);
    return true;
}

bool take_xid(std::string_view& s, Xid& xid) {
    return take_hex_string(s, xid.gtrid) && take_char(s, ',') && take_hex_string(s, xid.bqual) &&
           take_char(s, ',') && take_number(s, xid.format_id) && xid.gtrid.size() <= 64 &&
           xid.bqual.size() <= 64;
}

}  // namespace

std::optional<Result<XaStatement>> parse_xa_statement(std::string_view sql) {
    std::string_view s = sql;
    if (!take_word(s, "XA")) return std::nullopt;
    XaStatement st;
    if (take_word(s, "START") || take_word(s, "BEGIN")) {
        st.kind = XaStatementKind::Start;
    } else if (take_word(s, "END")) {
        st.kind = XaStatementKind::End;
    } else if (take_word(s, "COMMIT")) {
        st.kind = XaStatementKind::Commit;
    } else if (take_word(s, "ROLLBACK")) {
        st.kind = XaStatementKind::Rollback;
    } else {
        return std::nullopt;  // XA PREPARE is an event of its own; XA RECOVER is not logged
    }
    std::string_view rest = s;
    if (!take_xid(rest, st.xid)) {
        return Result<XaStatement>(make_error(
            Errc::Malformed, "cannot read the XID of '" + std::string(sql.substr(0, 200)) +
                                 "' (expected X'hex',X'hex',formatID as the server writes it)"));
    }
    // Whatever follows the XID (ONE PHASE, SUSPEND, FOR MIGRATE) does not change its meaning
    // here: XA COMMIT ... ONE PHASE is never logged as a statement.
    return Result<XaStatement>(std::move(st));
}

}  // namespace cdc::binlog

#include "mysql/binlog_history.h"

#include <algorithm>

#include "common/hex.h"
#include "common/parse_number.h"
#include "mysql/check_messages.h"

namespace cdc::mysql {
namespace {

std::optional<MariaGtid> parse_one(std::string_view item) {
    size_t a = item.find('-');
    size_t b = a == std::string_view::npos ? a : item.find('-', a + 1);
    if (b == std::string_view::npos) return std::nullopt;
    MariaGtid g;
    if (!parse_number(item.substr(0, a), g.domain) ||
        !parse_number(item.substr(a + 1, b - a - 1), g.server) ||
        !parse_number(item.substr(b + 1), g.seq)) {
        return std::nullopt;
    }
    return g;
}

std::string at(std::string_view file, uint64_t pos) {
    return std::string(file) + ":" + std::to_string(pos);
}

}  // namespace

std::optional<BinlogFileName> split_binlog_name(std::string_view name) {
    size_t dot = name.rfind('.');
    if (dot == std::string_view::npos) return std::nullopt;
    BinlogFileName out;
    if (!parse_number(name.substr(dot + 1), out.index)) return std::nullopt;
    out.base = std::string(name.substr(0, dot));
    return out;
}

std::optional<std::vector<MariaGtid>> parse_mariadb_gtids(std::string_view text) {
    std::string cleaned;
    for (char c : text) {
        if (c != '[' && c != ']' && c != ' ') cleaned += c;
    }
    std::vector<MariaGtid> out;
    std::string_view rest = cleaned;
    while (!rest.empty()) {
        size_t comma = rest.find(',');
        auto g = parse_one(rest.substr(0, comma));
        if (!g) return std::nullopt;
        out.push_back(*g);
        rest.remove_prefix(comma == std::string_view::npos ? rest.size() : comma + 1);
    }
    return out;
}

bool state_holds(const std::vector<MariaGtid>& state, const std::vector<MariaGtid>& saved) {
    return std::all_of(saved.begin(), saved.end(), [&](const MariaGtid& g) {
        return std::find(state.begin(), state.end(), g) != state.end();
    });
}

bool is_mysql_gtid(std::string_view text) {
    // 8-4-4-4-12 hex digits, then ':' and (with a tag, MySQL 8.3+) "tag:" before the number.
    if (text.size() < 38 || text[36] != ':') return false;
    bool all_zero = true;
    for (size_t i = 0; i < 36; ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? text[i] != '-' : hex_value(text[i]) < 0) return false;
        if (!dash && text[i] != '0') all_zero = false;
    }
    uint64_t gno = 0;
    std::string_view number = text.substr(text.rfind(':') + 1);
    return !all_zero && parse_number(number, gno) && gno > 0;
}

std::string file_newer_than_newest_message(std::string_view file, uint64_t pos,
                                           std::string_view newest) {
    return "the saved position " + at(file, pos) +
           " is in a binlog file newer than the server's newest (" + std::string(newest) +
           "): the server's binlog history was reset (RESET MASTER) or this is a different "
           "server, so the changes since the saved position are not on it: " +
           std::string(kPositionGoneAdvice);
}

std::string file_of_other_server_message(std::string_view file, uint64_t pos,
                                         std::string_view newest) {
    return "the saved position " + at(file, pos) +
           " is not on the server, whose binlog files are named like " +
           (newest.empty() ? std::string("(none)") : std::string(newest)) +
           ": this is a different server, or its log_bin setting changed: " +
           std::string(kPositionGoneAdvice);
}

std::string inside_event_message(std::string_view file, uint64_t pos,
                                 std::string_view server_said) {
    return "the saved position " + at(file, pos) +
           " is not the start of an event in that file on the server" +
           (server_said.empty() ? std::string() : " (" + std::string(server_said) + ")") +
           ": the server's binlog history was reset or replaced (RESET MASTER, or a different "
           "server), or the state file was edited: " +
           std::string(kPositionGoneAdvice);
}

std::string history_replaced_message(std::string_view file, uint64_t pos,
                                     std::string_view saved_gtid, std::string_view server_has) {
    return "the server's binlog history was reset or replaced (RESET MASTER, or a different "
           "server): the state file's position " +
           at(file, pos) + " was saved with GTID " + std::string(saved_gtid) +
           ", but the server has " + std::string(server_has) +
           ", so resuming there would skip or repeat changes: " + std::string(kPositionGoneAdvice);
}

std::string shorten(std::string_view text, size_t max) {
    if (text.size() <= max) return std::string(text);
    return std::string(text.substr(0, max)) + "...";
}

}  // namespace cdc::mysql

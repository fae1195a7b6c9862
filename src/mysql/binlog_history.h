// Is the server's binlog still the history a saved position was taken from? The decisions and
// one-line messages of the resume checks (check_resume_position in server_checks.h), kept apart
// from the queries so they are unit-tested without a server. Pure.
//
// A state file names a position (file:pos) and, since GTIDs are recorded, the GTID of the last
// transaction that began before it. After RESET MASTER, or when MYSQL_HOST now points at another
// server, the same file:pos may exist and even be an event boundary, but the events there are
// different ones: resuming would skip or repeat changes without a word. The GTID tells:
//   MariaDB: BINLOG_GTID_POS(file, pos) is the GTID state at the position (the last GTID of each
//            domain before it). A saved GTID is good when it is its domain's GTID there (its
//            transaction ended before pos) or when the event at pos is that GTID's own (a
//            transaction in progress, resumed from its start).
//   MySQL:   no function maps a position to GTIDs; the saved GTID must be in gtid_executed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cdc::mysql {

// "mysql-bin.000012" -> {"mysql-bin", 12}; nullopt when there is no numeric extension.
struct BinlogFileName {
    std::string base;
    uint64_t index = 0;
};
std::optional<BinlogFileName> split_binlog_name(std::string_view name);

// One MariaDB GTID: domain-server-sequence.
struct MariaGtid {
    uint32_t domain = 0;
    uint32_t server = 0;
    uint64_t seq = 0;
    friend bool operator==(const MariaGtid&, const MariaGtid&) = default;
};

// "0-1-5" or a list "0-1-5,1-2-7" (spaces and brackets as SHOW BINLOG EVENTS prints them are
// tolerated); an empty text is an empty list. nullopt when it is not in that form.
std::optional<std::vector<MariaGtid>> parse_mariadb_gtids(std::string_view text);

// Every GTID of `saved` is the one `state` holds for its domain.
bool state_holds(const std::vector<MariaGtid>& state, const std::vector<MariaGtid>& saved);

// A MySQL GTID "uuid:n" or "uuid:tag:n" that stands for a real transaction (not an anonymous
// one, whose UUID is all zeros).
bool is_mysql_gtid(std::string_view text);

// Each message ends with kPositionGoneAdvice (check_messages.h).
// The saved file is missing and sorts after the server's newest: a reset, not a purge.
std::string file_newer_than_newest_message(std::string_view file, uint64_t pos,
                                           std::string_view newest);
// The saved file has another base name than the server's binlogs.
std::string file_of_other_server_message(std::string_view file, uint64_t pos,
                                         std::string_view newest);
// The position is within the file but not where an event starts. `server_said` may be empty.
std::string inside_event_message(std::string_view file, uint64_t pos, std::string_view server_said);
// The saved GTID is not the server's at that position. `server_has` says what the server has
// there ("GTID state 0-1-3 at that position", "gtid_executed 3E11FA47-...:1-5").
std::string history_replaced_message(std::string_view file, uint64_t pos,
                                     std::string_view saved_gtid, std::string_view server_has);

// A long GTID set cut to `max` characters with "...", for messages.
std::string shorten(std::string_view text, size_t max = 200);

}  // namespace cdc::mysql

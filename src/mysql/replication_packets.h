// The replication commands a replica sends, and position tracking over the event stream.
// Pure (no I/O): BinlogClient sends these payloads through Connector/C and feeds every
// received event to StreamPosition.
//
// COM_REGISTER_SLAVE payload (after the command byte):
//   4 server_id | 1+n report host | 1+n user | 1+n password | 2 port | 4 rank | 4 master id
// COM_BINLOG_DUMP payload (after the command byte):
//   4 position | 2 flags | 4 server_id | n file name (to the end of the packet)
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/byte_reader.h"
#include "common/result.h"

namespace cdc::mysql {

inline constexpr uint16_t kDumpNonBlock = 0x01;             // BINLOG_DUMP_NON_BLOCK
inline constexpr uint16_t kDumpSendAnnotateRows = 0x02;     // MariaDB BINLOG_SEND_ANNOTATE_ROWS_EVENT
inline constexpr uint8_t kRotateEvent = 4;
inline constexpr uint8_t kFormatDescriptionEvent = 15;
inline constexpr uint8_t kHeartbeatEvent = 27;
inline constexpr uint8_t kHeartbeatEventV2 = 41;  // MySQL 8.0.26+
inline constexpr uint16_t kArtificialEventFlag = 0x0020;   // LOG_EVENT_ARTIFICIAL_F
inline constexpr size_t kEventHeaderLength = 19;

// Our user name and password are never sent here: the server does not need them.
std::string register_replica_payload(uint32_t server_id, std::string_view report_host,
                                     uint16_t report_port);

// Fails for positions COM_BINLOG_DUMP cannot express (> 4 GiB).
Result<std::string> binlog_dump_payload(std::string_view file, uint64_t position,
                                        uint16_t flags, uint32_t server_id);

// Where each event of the stream sits in the server's binlog files. Starts at the requested
// file/position, follows ROTATE events (the server's first, artificial one names the file it
// really opened) and the checksum algorithm of each file's FORMAT_DESCRIPTION event.
class StreamPosition {
public:
    StreamPosition(std::string file, uint64_t position, bool checksum)
        : file_(std::move(file)), next_(position), checksum_(checksum) {}

    struct Placed {
        uint8_t type = 0;
        uint64_t offset = 0;    // where the event starts in file()
        bool artificial = false;  // made up by the server: not at `offset` in the file
    };

    // Takes one complete event (header .. checksum) and moves the position past it.
    Result<Placed> advance(Bytes event);

    const std::string& file() const { return file_; }
    uint64_t next() const { return next_; }  // where the next event starts: the resume point
    bool checksum() const { return checksum_; }

private:
    Status on_rotate(Bytes event);

    std::string file_;
    uint64_t next_ = 0;
    bool checksum_ = false;
};

}  // namespace cdc::mysql

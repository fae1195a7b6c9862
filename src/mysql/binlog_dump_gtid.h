// COM_BINLOG_DUMP_GTID (0x1e): MySQL's request to stream the binlog from a GTID set, what a
// replica with SOURCE_AUTO_POSITION=1 sends. The server skips every transaction in the set
// and sends the rest, whichever of its binlog files holds them, so the request does not
// depend on file names or offsets: it is how a reader continues on another server of the same
// topology (a promoted replica). MariaDB does not have it: its replicas set
// @slave_connect_state and send COM_BINLOG_DUMP.
//
// Payload after the command byte (MySQL's com_binlog_dump_gtid, all little-endian):
//   2 flags | 4 server_id | 4 file name length | n file name | 8 position |
//   4 GTID data length | n GTID data (model::GtidSet::encode())
// With the flag kDumpThroughGtid the server reads the set; the file name is then empty and
// the position 4 (the header of a binlog file), as MySQL's replica sends them.
#pragma once

#include <cstdint>
#include <string>

#include "common/result.h"
#include "model/gtid_set.h"

namespace cdc::mysql {

inline constexpr uint8_t kComBinlogDumpGtid = 0x1e;
inline constexpr uint16_t kDumpThroughGtid = 0x04;  // USING_GTID_PROTOCOL / BINLOG_THROUGH_GTID

// `flags` is added to kDumpThroughGtid (kDumpNonBlock to end at the last event).
Result<std::string> binlog_dump_gtid_payload(uint32_t server_id, const model::GtidSet& executed,
                                             uint16_t flags = 0);

}  // namespace cdc::mysql

// The one header that carries a message's position: mysql-cdc.position.
//
// Each header costs the producer a header object, two copies and a list slot per message, and
// the broker a length-prefixed name on the wire, so the whole position travels in one header
// (bench/README.md, "Headers"). Its value is ASCII text a person can read in kcat:
//
//   pos:4567 row:2 part:1 snapshot server:1 gtid:0-1-99 file:mysql-bin.000003
//
// Grammar (fields separated by exactly one space; `file` is last and takes the rest of the
// value, so a file name may hold spaces, colons or anything else):
//
//   value  = *(field " ") "file:" name
//   field  = "pos:" u64 / "row:" u64 / "part:" u32 / "server:" u32 / "gtid:" gtid / "snapshot"
//   u64    = decimal digits (no sign, no spaces), within the field's range
//   gtid   = 1*(any byte but " ")        ; MariaDB domain-server-seq, MySQL uuid:n or uuid:tag:n
//   name   = 1*(any byte)
//
// A field at its default (0, no GTID, not a snapshot) is left out; the writer puts them in the
// order above. The reader takes them in any order but refuses a field twice, a name it does not
// know (a newer version's field could change the order: refusing beats guessing), an empty or
// out-of-range number and a missing or empty file. The meaning of each field is ChangePosition's
// (kafka_position.h); the multi-header form of earlier versions is still read there.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "sink/kafka/kafka_position.h"

namespace cdc::sink {

inline constexpr const char* kHeaderPosition = "mysql-cdc.position";

// What one message's header says, by view (the producer's hot path copies nothing else).
struct PositionFields {
    std::string_view file;
    uint64_t pos = 0;
    uint64_t row = 0;
    uint32_t part = 0;
    bool snapshot = false;
    uint32_t server_id = 0;
    std::string_view gtid;
};

// The header's value for `f`, written into `buf` (grown when needed, never shrunk: the hot path
// allocates nothing); the view is valid until buf changes.
std::string_view format_position_header(const PositionFields& f, std::vector<char>& buf);

// The position a header value names; Malformed (with the text, cut to a readable length) when
// it does not follow the grammar.
Result<ChangePosition> parse_position_header(std::string_view text);

}  // namespace cdc::sink

// Text forms of GTIDs shared by the GTID event parsers: "3e11fa47-71ca-11e1-9e33-c80aa9429562".
#pragma once

#include <cstdint>
#include <string>

namespace cdc::binlog {

std::string format_uuid(const uint8_t* bytes16);

}  // namespace cdc::binlog

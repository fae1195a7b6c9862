#include "binlog/event_type.h"

namespace cdc::binlog {

std::string_view event_type_name(uint8_t) { return "UNKNOWN"; }  // TODO(events helper)

}  // namespace cdc::binlog

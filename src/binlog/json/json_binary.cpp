#include "binlog/json/json_binary.h"

namespace cdc::binlog {

Status json_binary_to_text(Bytes, std::string&) {
    return make_error(Errc::Unsupported, "binary JSON not implemented yet");  // TODO(json helper)
}

}  // namespace cdc::binlog

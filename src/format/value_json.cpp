#include "format/value_json.h"

namespace cdc::format {

void append_value_json(const model::Value&, std::string& out) { out += "null"; }  // TODO(values helper)

}  // namespace cdc::format

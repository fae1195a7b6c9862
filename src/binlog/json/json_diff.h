// Applying the partial JSON updates of PARTIAL_UPDATE_ROWS_EVENT (binlog_row_value_options=
// PARTIAL_JSON) to the column's before-image.
#pragma once

#include <string>

#include "common/byte_reader.h"
#include "common/result.h"

namespace cdc::binlog {

// `before` is the column's binary JSON from the before image; `diffs` is the column's
// after-image field: the list of diffs as the event stores them (after the length prefix).
// Appends the resulting document as JSON text to `out`.
Status apply_json_diffs(Bytes before, Bytes diffs, std::string& out);

}  // namespace cdc::binlog

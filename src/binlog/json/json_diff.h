// Applying the partial JSON updates of PARTIAL_UPDATE_ROWS_EVENT (binlog_row_value_options=
// PARTIAL_JSON) to the column's before-image.
#pragma once

#include <string>

#include "common/byte_reader.h"
#include "common/result.h"

namespace cdc::binlog {

// `before` is the column's binary JSON from the before image; `diffs` is the column's
// after-image field: the list of diffs as the event stores them (after the length prefix).
// Appends the resulting document as JSON text to `out`, formatted like json_binary_to_text.
// An empty `diffs` (MySQL logs one when the value did not change) renders `before` unchanged.
//
// Semantics are MySQL's apply_json_diff: REPLACE needs the path to exist; INSERT adds an
// object member (never overwriting) or an array element at the index (clamped to the end);
// REMOVE deletes an existing member/element. A diff MySQL would reject (path missing, INSERT
// over an existing key, ...) is a DataLoss error, as it stops a MySQL replica
// (ER_COULD_NOT_APPLY_JSON_DIFF): the before image is not what the server changed. Corrupt
// bytes are Malformed/Truncated. On error `out` is left as it was.
Status apply_json_diffs(Bytes before, Bytes diffs, std::string& out);

}  // namespace cdc::binlog

// Text of the opaque values of MySQL's binary JSON: a MySQL column type plus raw bytes.
//
// Rendered as MySQL's Json_wrapper::to_string does: DATE/TIME/DATETIME/TIMESTAMP (stored as
// MySQL's 8-byte "packed" temporal integers) as strings with 6 fractional digits for the
// types that have a time part; NEWDECIMAL (precision, scale, binary decimal) as a number;
// VAR_STRING as a string; anything else as "base64:type<N>:<base64>".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/byte_reader.h"
#include "common/result.h"

namespace cdc::binlog::json {

// `field_type` is a MySQL enum_field_types value (model::ColumnType).
Status append_opaque(uint8_t field_type, Bytes data, std::string& out);

// MySQL's base64_encode: standard alphabet, '=' padding, and a line break after every 76
// output characters (MySQL's JSON text keeps them), written as `newline`.
void append_mysql_base64(std::string& out, Bytes data, std::string_view newline);

}  // namespace cdc::binlog::json

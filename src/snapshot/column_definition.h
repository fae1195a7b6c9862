// A snapshot column's model::ColumnDef, from information_schema.COLUMNS: the same type and
// parameters the binlog's TABLE_MAP gives the stream (with binlog_row_metadata=FULL), so a
// formatter that renders by column type (the Debezium format) renders a snapshot row exactly as
// it renders the same row streamed.
//
//   DATA_TYPE 'datetime', DATETIME_PRECISION 3  ->  {type DateTime2, fsp 3}
//   'int', COLUMN_TYPE 'int(10) unsigned'       ->  {type Long, is_unsigned}
//   'varbinary', no charset                     ->  {type VarChar, collation 63 (binary)}
//   'enum', COLUMN_TYPE "enum('a','it''s')"     ->  {type Enum, enum_labels a, it's}
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/table_schema.h"

namespace cdc::snapshot {

struct InformationSchemaColumn {
    std::string name;
    std::string data_type;    // DATA_TYPE, lower case
    std::string column_type;  // COLUMN_TYPE as the server prints it (ENUM/SET labels kept)
    bool nullable = true;     // IS_NULLABLE = 'YES'
    // The collation id of a character column, 0 when unknown: the formatters take a value's
    // character set from the value (the result set's column), so the snapshot leaves it 0;
    // binary types get 63 (binary) whatever this says.
    uint16_t collation = 0;
    uint64_t octet_length = 0;  // CHARACTER_OCTET_LENGTH
    uint8_t fsp = 0;            // DATETIME_PRECISION
    uint8_t precision = 0;      // NUMERIC_PRECISION (BIT: the number of bits)
    uint8_t scale = 0;          // NUMERIC_SCALE
};

model::ColumnDef column_definition(const InformationSchemaColumn& c);

// The labels of "enum('a','b')" / "set('a','b')" ('' inside a label is one quote, and a
// backslash escapes the next character, as SHOW COLUMNS prints them).
std::vector<std::string> enum_labels(std::string_view column_type);

}  // namespace cdc::snapshot

// RowConverter: turns a chunk query's result row (each column's values in the ValueForm the
// result says: numbers and temporals in binary from a prepared statement, or the text
// protocol's forms) into a RowImage whose values render exactly as the binlog decoder's
// values of the same row do, and into the row's key.
//
// The reader's session sets time_zone = '+00:00' (TIMESTAMP as UTC text) and
// character_set_results = NULL, so character columns arrive as their stored bytes with the
// column's collation id: they go through the same charset conversion as binlog values.
#pragma once

#include <vector>

#include "common/result.h"
#include "model/row_image.h"
#include "mysql/connection.h"
#include "snapshot/snapshot_state.h"
#include "snapshot/table_layout.h"

namespace cdc::snapshot {

class RowConverter {
public:
    explicit RowConverter(const TableLayout& layout) : layout_(layout) {}

    // Checks the result's shape against the layout; call once per query.
    Status start(const std::vector<mysql::ResultColumn>& columns);
    // Fills `image` (views into `row`, valid while it is). Errc::Malformed on a value that
    // does not parse, naming the column.
    Status convert(const mysql::StreamedRow& row, model::RowImage& image);
    // The key of `row` (after convert()).
    void key_of(const mysql::StreamedRow& row, std::vector<KeyValue>& key) const;

private:
    const TableLayout& layout_;
    std::vector<uint16_t> collations_;
    std::vector<mysql::ValueForm> forms_;
};

// Parsers of the server's text forms (exposed for tests); false when the text is malformed.
bool parse_date_text(std::string_view s, model::Date& out);
bool parse_time_text(std::string_view s, model::Time& out);
bool parse_datetime_text(std::string_view s, model::DateTime& out);

}  // namespace cdc::snapshot

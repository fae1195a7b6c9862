// RowDecoder: walks the row images of one rows event, decoding each column with the table's
// schema.
//
//   RowDecoder rows(rows_event, schema, offset_of_event);
//   model::RowImage before, after;
//   while (true) {
//       Result<bool> more = rows.next(before, after);  // false at the end
//       if (!more) error; if (!*more) break;
//       Write:  after holds the row            Delete: before holds the row
//       Update / PartialUpdate: both (partial JSON diffs already applied to `after`)
//   }
//
// Values may point into the event bytes and into the decoder's arena, which is reset at each
// next(): format a row before asking for the next one.
#pragma once

#include <cstdint>
#include <vector>

#include "binlog/event.h"
#include "common/result.h"
#include "model/row_image.h"
#include "model/table_schema.h"
#include "model/value.h"
#include "model/value_arena.h"

namespace cdc::binlog {

class RowDecoder {
public:
    RowDecoder(const RowsEvent& event, const model::TableSchema& schema, uint64_t event_offset);

    // Decodes the next row into before/after (the image(s) the event kind has; the other
    // is cleared). Returns false when the event has no more rows.
    Result<bool> next(model::RowImage& before, model::RowImage& after);

private:
    const RowsEvent& event_;
    const model::TableSchema& schema_;
    ByteReader reader_;
    model::ValueArena arena_;
};

}  // namespace cdc::binlog

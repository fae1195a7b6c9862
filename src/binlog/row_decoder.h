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
#include <string>
#include <vector>

#include "binlog/event.h"
#include "common/result.h"
#include "model/row_image.h"
#include "model/table_schema.h"
#include "model/value.h"
#include "model/value_arena.h"

namespace cdc::binlog {

// True when the table has TIMESTAMP/DATETIME/TIME columns in the pre-5.6 format. MariaDB before
// 10.1.2 wrote TIMESTAMP(N) etc. that way with N fractional digits the TABLE_MAP does not
// record: such rows can be misread without any byte looking wrong until a later row.
bool has_old_temporal_columns(const model::TableSchema& schema);

// Stops a rows event whose row images leave columns out (binlog_row_image MINIMAL or NOBLOB
// on the writing session, MariaDB 11's FULL_NODUP, MySQL's PARTIAL_JSON with MINIMAL): the
// rows would be emitted with columns missing. FailedPrecondition, naming the setting, the
// event's type, offset and table, and how many columns each image carries.
Status check_full_row_images(const RowsEvent& event, const model::TableSchema& schema,
                             uint64_t event_offset);

// Stops a rows event whose TABLE_MAP carried no column names (binlog_row_metadata MINIMAL or
// NO_LOG when the table was mapped): the rows would be emitted with "@1, @2" names and,
// with NO_LOG, without knowing which integers are UNSIGNED.
Status check_column_names(const RowsEvent& event, const model::TableSchema& schema,
                          uint64_t event_offset);

class RowDecoder {
public:
    RowDecoder(const RowsEvent& event, const model::TableSchema& schema, uint64_t event_offset);

    // See DecoderOptions::partial_json_without_before_as_absent; `counter` counts such columns.
    void leave_out_unresolvable_partial_json(uint64_t* counter) { unresolved_counter_ = counter; }

    // Decodes the next row into before/after (the image(s) the event kind has; the other
    // is cleared). Returns false when the event has no more rows.
    Result<bool> next(model::RowImage& before, model::RowImage& after);

private:
    // How an image is read: PARTIAL_UPDATE_ROWS keeps the before image's binary JSON and
    // prefixes its after image with value options and a partial-JSON bitmap.
    // PlainAfter: an UPDATE's after image (the event's second column bitmap).
    enum class ImageRole : uint8_t { Plain, PlainAfter, KeepJson, PartialAfter };

    Status decode_image(model::RowImage& image, ImageRole role);
    Status decode_partial_json(size_t column, model::Value& out);
    // "WRITE_ROWS row 2 of `s`.`t` (table id 7) at offset 1858: what"
    Error row_error(Errc code, uint64_t at, const std::string& what) const;
    Error column_error(size_t column, uint64_t at) const;

    const RowsEvent& event_;
    const model::TableSchema& schema_;
    ByteReader reader_;
    model::ValueArena arena_;
    uint64_t row_index_ = 0;           // 1-based number of the row being decoded
    size_t before_null_bytes_ = 0;     // NULL bitmap size of the before (or only) image
    size_t after_null_bytes_ = 0;      // ... and of an UPDATE's after image
    bool before_all_present_ = false;  // the before (or only) image carries every column
    bool after_all_present_ = false;   // ... and the after image (binlog_row_image=FULL)
    std::vector<Bytes> json_before_;   // per column: the before image's binary JSON
    std::string json_scratch_;
    uint64_t* unresolved_counter_ = nullptr;
};

}  // namespace cdc::binlog

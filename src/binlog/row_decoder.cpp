#include "binlog/row_decoder.h"

namespace cdc::binlog {

RowDecoder::RowDecoder(const RowsEvent& event, const model::TableSchema& schema,
                       uint64_t event_offset)
    : event_(event), schema_(schema), reader_(event.rows, event_offset) {}

Result<bool> RowDecoder::next(model::RowImage&, model::RowImage&) {
    return make_error(Errc::Unsupported, "row decoder not implemented yet");  // TODO(events helper)
}

}  // namespace cdc::binlog

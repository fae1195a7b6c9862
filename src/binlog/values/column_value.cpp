#include "binlog/values/column_value.h"

namespace cdc::binlog {

void decode_column_value(ByteReader& r, const model::ColumnDef&, model::Value&,
                         model::ValueArena&) {
    r.fail(Errc::Unsupported, "column decoding not implemented yet");  // TODO(values helper)
}

}  // namespace cdc::binlog

#include "model/change_event.h"

namespace cdc::model {

std::string_view change_kind_name(ChangeKind kind) {
    switch (kind) {
        case ChangeKind::SnapshotInsert: return "snapshot_insert";
        case ChangeKind::Insert: return "insert";
        case ChangeKind::Update: return "update";
        case ChangeKind::Delete: return "delete";
        case ChangeKind::Truncate: return "truncate";
    }
    return "unknown";
}

}  // namespace cdc::model

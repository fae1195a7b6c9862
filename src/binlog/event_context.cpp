#include "binlog/event_context.h"

namespace cdc::binlog {

uint8_t default_post_header_len(uint8_t type) {
    switch (static_cast<EventType>(type)) {
        case EventType::Query:
        case EventType::QueryCompressed: return 13;
        case EventType::Rotate: return 8;
        case EventType::AppendBlock:
        case EventType::DeleteFile:
        case EventType::BeginLoadQuery: return 4;
        case EventType::ExecuteLoadQuery: return 26;
        case EventType::FormatDescription: return 84;
        case EventType::TableMap: return 8;
        case EventType::WriteRowsV1:
        case EventType::UpdateRowsV1:
        case EventType::DeleteRowsV1:
        case EventType::WriteRowsCompressedV1:
        case EventType::UpdateRowsCompressedV1:
        case EventType::DeleteRowsCompressedV1: return 8;
        case EventType::WriteRows:
        case EventType::UpdateRows:
        case EventType::DeleteRows:
        case EventType::PartialUpdateRows:
        case EventType::WriteRowsCompressed:
        case EventType::UpdateRowsCompressed:
        case EventType::DeleteRowsCompressed: return 10;
        case EventType::Incident: return 2;
        case EventType::Gtid:
        case EventType::AnonymousGtid: return 42;
        case EventType::TransactionContext: return 18;
        case EventType::ViewChange: return 52;
        case EventType::BinlogCheckpoint: return 4;
        case EventType::MariaGtid: return 19;
        case EventType::MariaGtidList: return 4;
        default: return 0;
    }
}

std::string event_type_label(uint8_t type) {
    std::string_view name = event_type_name(type);
    if (name == "UNKNOWN") return "unknown type " + std::to_string(type);
    return std::string(name);
}

uint8_t EventContext::post_header_len(uint8_t type) const {
    if (type >= 1 && static_cast<size_t>(type - 1) < fde.post_header_lengths.size()) {
        return fde.post_header_lengths[type - 1];
    }
    return default_post_header_len(type);
}

std::string EventContext::where() const {
    std::string s = event_type_label(header.type) + " event at offset " + std::to_string(offset);
    if (inner) {
        s += " (inner event at byte " + std::to_string(inner_pos) + " of its payload)";
    }
    return s + ": ";
}

Error EventContext::error(Errc code, std::string_view what) const {
    return Error{code, where() + std::string(what)};
}

}  // namespace cdc::binlog

#include "binlog/event_type.h"

namespace cdc::binlog {

std::string_view event_type_name(uint8_t type) {
    switch (static_cast<EventType>(type)) {
        case EventType::Unknown: return "UNKNOWN";
        case EventType::StartV3: return "START_V3";
        case EventType::Query: return "QUERY";
        case EventType::Stop: return "STOP";
        case EventType::Rotate: return "ROTATE";
        case EventType::Intvar: return "INTVAR";
        case EventType::Load: return "LOAD";
        case EventType::Slave: return "SLAVE";
        case EventType::CreateFile: return "CREATE_FILE";
        case EventType::AppendBlock: return "APPEND_BLOCK";
        case EventType::ExecLoad: return "EXEC_LOAD";
        case EventType::DeleteFile: return "DELETE_FILE";
        case EventType::NewLoad: return "NEW_LOAD";
        case EventType::Rand: return "RAND";
        case EventType::UserVar: return "USER_VAR";
        case EventType::FormatDescription: return "FORMAT_DESCRIPTION";
        case EventType::Xid: return "XID";
        case EventType::BeginLoadQuery: return "BEGIN_LOAD_QUERY";
        case EventType::ExecuteLoadQuery: return "EXECUTE_LOAD_QUERY";
        case EventType::TableMap: return "TABLE_MAP";
        case EventType::PreGaWriteRows: return "PRE_GA_WRITE_ROWS";
        case EventType::PreGaUpdateRows: return "PRE_GA_UPDATE_ROWS";
        case EventType::PreGaDeleteRows: return "PRE_GA_DELETE_ROWS";
        case EventType::WriteRowsV1: return "WRITE_ROWS_V1";
        case EventType::UpdateRowsV1: return "UPDATE_ROWS_V1";
        case EventType::DeleteRowsV1: return "DELETE_ROWS_V1";
        case EventType::Incident: return "INCIDENT";
        case EventType::Heartbeat: return "HEARTBEAT";
        case EventType::Ignorable: return "IGNORABLE";
        case EventType::RowsQuery: return "ROWS_QUERY";
        case EventType::WriteRows: return "WRITE_ROWS";
        case EventType::UpdateRows: return "UPDATE_ROWS";
        case EventType::DeleteRows: return "DELETE_ROWS";
        case EventType::Gtid: return "GTID";
        case EventType::AnonymousGtid: return "ANONYMOUS_GTID";
        case EventType::PreviousGtids: return "PREVIOUS_GTIDS";
        case EventType::TransactionContext: return "TRANSACTION_CONTEXT";
        case EventType::ViewChange: return "VIEW_CHANGE";
        case EventType::XaPrepare: return "XA_PREPARE";
        case EventType::PartialUpdateRows: return "PARTIAL_UPDATE_ROWS";
        case EventType::TransactionPayload: return "TRANSACTION_PAYLOAD";
        case EventType::HeartbeatV2: return "HEARTBEAT_V2";
        case EventType::GtidTagged: return "GTID_TAGGED";
        case EventType::AnnotateRows: return "ANNOTATE_ROWS";
        case EventType::BinlogCheckpoint: return "BINLOG_CHECKPOINT";
        case EventType::MariaGtid: return "MARIADB_GTID";
        case EventType::MariaGtidList: return "MARIADB_GTID_LIST";
        case EventType::StartEncryption: return "START_ENCRYPTION";
        case EventType::QueryCompressed: return "QUERY_COMPRESSED";
        case EventType::WriteRowsCompressedV1: return "WRITE_ROWS_COMPRESSED_V1";
        case EventType::UpdateRowsCompressedV1: return "UPDATE_ROWS_COMPRESSED_V1";
        case EventType::DeleteRowsCompressedV1: return "DELETE_ROWS_COMPRESSED_V1";
        case EventType::WriteRowsCompressed: return "WRITE_ROWS_COMPRESSED";
        case EventType::UpdateRowsCompressed: return "UPDATE_ROWS_COMPRESSED";
        case EventType::DeleteRowsCompressed: return "DELETE_ROWS_COMPRESSED";
    }
    return "UNKNOWN";
}

}  // namespace cdc::binlog

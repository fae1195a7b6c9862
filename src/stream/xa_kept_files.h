// The files XaFileStore keeps (xa_file_store.h): their names, which carry where the group
// starts and, once resolved, where its XA COMMIT/ROLLBACK ends, and the XID read back from a
// file's last event.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "stream/xa_store.h"

namespace cdc::stream::xa_files {

inline constexpr uint8_t kBinlogMagic[4] = {0xfe, 'b', 'i', 'n'};

// prepared@<file>@<pos>.binlog
std::string prepared_name(const model::BinlogPosition& at);
// resolved@<file>@<pos>@<file2>@<pos2>.binlog
std::string resolved_name(const model::BinlogPosition& at, const model::BinlogPosition& end);
// prepared_at (and resolved_at) from a name; nullopt for any other file.
std::optional<PreparedXa> parse_name(std::string_view name);

// The XID of a kept group: its last event is the XA_PREPARE. Walks the event headers only, so
// opening the store does not read large groups.
Result<binlog::Xid> read_xid(const std::string& path);

Error io_error(const std::string& what, const std::string& path);

}  // namespace cdc::stream::xa_files

// The XA statements the servers write into QUERY events, recognised and their XID read.
//
//   auto xa = parse_xa_statement(query.sql);   // nullopt: not an XA statement
//   if (xa && !*xa) ...                       // an XA statement whose XID cannot be read
//   (*xa)->kind, (*xa)->xid
//
// Both servers re-serialise the XID (XID::serialize) rather than log the client's text:
// `XA START X'7831',X'',1` for XA START 'x1' (MySQL: XA START/XA END around the rows of an
// XA PREPARE group; both: XA COMMIT/XA ROLLBACK of a prepared transaction in a group of its
// own). MariaDB writes no XA START query: its GTID carries FL_PREPARED_XA instead.
#pragma once

#include <optional>
#include <string_view>

#include "binlog/event.h"
#include "common/result.h"

namespace cdc::binlog {

enum class XaStatementKind : uint8_t { Start, End, Commit, Rollback };

struct XaStatement {
    XaStatementKind kind = XaStatementKind::Start;
    Xid xid;
};

// nullopt when `sql` is not one of XA START/END/COMMIT/ROLLBACK (case-insensitive, as the
// first words); an error when it is but its XID is not X'hex',X'hex',number.
std::optional<Result<XaStatement>> parse_xa_statement(std::string_view sql);

}  // namespace cdc::binlog

// The control socket's one-line protocol ({STATE_DIR}/mysql-cdc.sock, docs/OPERATIONS.md),
// shared by the daemon (ControlServer) and the `mysql-cdc snapshot` command.
//
//   request:  snapshot [--wait] shop.orders [shop.items ...]\n
//   reply:    ok <what happens>\n   or   error <what is wrong and what to do>\n
//
// With --wait the reply comes when the re-snapshot finished (or failed); without it, as soon
// as the daemon accepted or refused the request.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "model/table_id.h"

namespace cdc::app {

inline constexpr const char* kControlSocketName = "mysql-cdc.sock";
// The longest request line a daemon reads (a few hundred tables).
inline constexpr size_t kMaxControlLine = 64 * 1024;

struct ControlRequest {
    std::vector<model::TableId> tables;  // in the order given, without repeats
    bool wait = false;
};

// Errc::InvalidArgument with a message for the reply when the line is not a request.
Result<ControlRequest> parse_control_request(std::string_view line);
// The request line (without its newline) for `request`.
std::string control_request_line(const ControlRequest& request);

// {state_dir}/mysql-cdc.sock
std::string control_socket_path(const std::string& state_dir);

}  // namespace cdc::app

// `mysql-cdc snapshot --table shop.orders [--table ...] [--wait]`: asks the daemon running with
// this STATE_DIR to re-read tables while it streams (app/resnapshot.h), over its control socket
// (control_request.h), and prints its answer.
#pragma once

#include <string>
#include <vector>

namespace cdc::app {

struct SnapshotCommandOptions {
    std::vector<std::string> tables;  // SCHEMA.TABLE
    bool wait = false;                // until the re-snapshot finished, not only accepted
};

// 0 when the daemon accepted (or, with wait, completed) it; 1 with one line on stderr otherwise.
int run_snapshot_command(const std::string& state_dir, const SnapshotCommandOptions& options);

}  // namespace cdc::app

// The daemon (`mysql-cdc` with no subcommand) and `mysql-cdc check`.
#pragma once

#include "config/config.h"

namespace cdc::app {

// Runs until SIGTERM/SIGINT (exit 0) or a fatal error (one line on the log, exit 1).
int run_daemon(const config::Config& config);

// Runs every server check and prints what is fine and what to fix; exit 0 when all pass.
int run_check(const config::Config& config);

// {STATE_DIR}/binlog_position_{schema}_{table}.json for the configured table(s).
std::string state_file_path(const config::Config& config);

}  // namespace cdc::app

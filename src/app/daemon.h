// The daemon (`mysql-cdc` with no subcommand); `mysql-cdc check` is in check_command.h.
#pragma once

#include <signal.h>

#include "config/config.h"
#include "state/state_store.h"

namespace cdc::app {

// Blocks SIGINT/SIGTERM in the calling thread and so in every thread started from it later; the
// daemon waits for them on a thread of its own. Called first thing, so a signal that comes
// during start-up waits (pending) instead of killing the process before it saved anything.
sigset_t block_stop_signals();
// Gives them their default action back (every command but the daemon).
void unblock_stop_signals(const sigset_t& set);

// Runs until SIGTERM/SIGINT (exit 0) or a fatal error (one line on the log, exit 1).
int run_daemon(const config::Config& config);

// The state of the configured tables in STATE_DIR (layout: state/state_store.h, docs/STATE.md).
state::StateStore state_store(const config::Config& config);

}  // namespace cdc::app

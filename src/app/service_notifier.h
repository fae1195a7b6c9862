// systemd's service notifications (sd_notify(3), Type=notify in packaging/mysql-cdc.service):
// readiness, a STATUS= line with what the daemon is doing, STOPPING=1, and watchdog pings.
// Without NOTIFY_SOCKET (not started by systemd) every call is a cheap no-op.
//
//   notify_status("connecting to db1:3306");
//   notify_ready("streaming from mysql-bin.000003:4");  // READY=1 once, then STATUS= only
//   notify_streaming(true);      // from now on the watchdog wants loop_alive() ticks
//   loop_alive();                // each turn of the event loop (a relaxed atomic store)
//   notify_stopping();           // on SIGTERM/SIGINT
//
// The notification socket belongs to the process (systemd passes it in the environment), so
// this state is process-wide like the signal handling in daemon.cpp.
#pragma once

#include <string_view>

namespace cdc::app {

// STATUS=<text>: shown by `systemctl status`.
void notify_status(std::string_view text);
// READY=1 with STATUS=<text> the first time (systemd's start job completes), STATUS= after.
// Ready means connected to the server, checked and either streaming or reading the initial
// snapshot: a snapshot can take hours, longer than any start timeout should be.
void notify_ready(std::string_view text);
// STOPPING=1: the final flush and checkpoint are under way.
void notify_stopping();

// With WatchdogSec= set (WATCHDOG_USEC in the environment), starts a thread that sends
// WATCHDOG=1 every half period. While the event loop runs it pings only if the loop turned
// within the period, so a stuck loop gets the daemon restarted; connecting, backing off and
// the snapshot are not checked (they wait on the server, bounded by its timeouts).
void start_watchdog();
void notify_streaming(bool in_event_loop);
void loop_alive();

}  // namespace cdc::app

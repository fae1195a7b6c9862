// Names the calling thread (at most 15 characters show), so that `top -H`, `ps -L` and perf
// tell the daemon's threads apart: "cdc-binlog-read", "cdc-snap-read", "cdc-file-write".
#pragma once

namespace cdc {

void name_this_thread(const char* name);

}  // namespace cdc

// An exclusive lock on OUTPUT_FILE itself, held while the file sink has it open.
//
// The state directory lock keeps two daemons off one state directory, but two daemons with
// their own state directories and the same OUTPUT_FILE would each append from their own idea of
// the file's length and truncate it to their own checkpoint on start: they overwrite each
// other's lines. An flock on the file's descriptor (dropped by the kernel when the process dies,
// even by SIGKILL) lets only one in; the error names the holder when /proc/locks tells it.
#pragma once

#include <string>

#include "common/result.h"

namespace cdc::sink {

// Takes the lock on `fd` (open on `path`) without waiting; FailedPrecondition when another
// open file holds it. On a file system without locks it warns and succeeds.
Status lock_output_file(int fd, const std::string& path);

}  // namespace cdc::sink

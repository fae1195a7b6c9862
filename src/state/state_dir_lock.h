// StateDirLock: one mysql-cdc instance per state directory.
//
// An exclusive flock on {STATE_DIR}/mysql-cdc.lock, held for the life of the process (the
// kernel drops it when the process dies, even by SIGKILL, so a crash never leaves it stale).
// The file holds the owner's pid for the error message.
#pragma once

#include <string>

#include "common/result.h"

namespace cdc::state {

class StateDirLock {
public:
    // Creates the directory if needed. Fails with FailedPrecondition when another process
    // holds the lock.
    static Result<StateDirLock> acquire(const std::string& state_dir);

    StateDirLock(StateDirLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
    StateDirLock& operator=(StateDirLock&&) = delete;
    StateDirLock(const StateDirLock&) = delete;
    ~StateDirLock();

private:
    explicit StateDirLock(int fd) : fd_(fd) {}
    int fd_ = -1;
};

}  // namespace cdc::state

#include "sink/output_file_lock.h"

#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace cdc::sink {
namespace {

// The pid of a process holding an flock on the file (dev, ino), from /proc/locks lines like
// "3: FLOCK  ADVISORY  WRITE 4242 08:01:1234 0 EOF" (device numbers in hex). 0 if not found.
long flock_holder(dev_t dev, ino_t ino) {
    std::ifstream locks("/proc/locks");
    char wanted[64];
    std::snprintf(wanted, sizeof wanted, "%02x:%02x:%lu", major(dev), minor(dev),
                  static_cast<unsigned long>(ino));
    std::string line;
    while (std::getline(locks, line)) {
        std::istringstream fields(line);
        std::string id, kind, mode, access, pid, file;
        fields >> id >> kind;
        if (kind != "FLOCK") continue;  // another kind of lock, or "->": a waiter
        fields >> mode >> access >> pid >> file;
        if (file == wanted) return std::strtol(pid.c_str(), nullptr, 10);
    }
    return 0;
}

std::string process_name(long pid) {
    std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
    std::string name;
    std::getline(comm, name);
    return name;
}

}  // namespace

Status lock_output_file(int fd, const std::string& path) {
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) return {};
    const int err = errno;
    if (err == ENOLCK || err == EOPNOTSUPP || err == EINVAL) {
        // Some network and FUSE file systems have no locks: refusing would make the file sink
        // unusable there, so say what is not guarded and go on.
        spdlog::warn("cannot lock OUTPUT_FILE {} ({}): make sure no other mysql-cdc writes to it",
                     path, std::strerror(err));
        return {};
    }
    if (err != EWOULDBLOCK) {
        return make_error(Errc::FailedPrecondition,
                          "cannot lock OUTPUT_FILE " + path + ": " + std::strerror(err));
    }
    std::string holder = "another process";
    struct stat st {};
    if (::fstat(fd, &st) == 0) {
        if (long pid = flock_holder(st.st_dev, st.st_ino); pid > 0) {
            const std::string name = process_name(pid);
            holder += " (pid " + std::to_string(pid) + (name.empty() ? "" : ", " + name) + ")";
        }
    }
    return make_error(Errc::FailedPrecondition,
                      "OUTPUT_FILE " + path + " is in use by " + holder +
                          ": two daemons appending to one file overwrite each other's lines; "
                          "stop the other one, or give each its own OUTPUT_FILE");
}

}  // namespace cdc::sink

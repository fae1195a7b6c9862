#include "state/state_dir_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace cdc::state {

Result<StateDirLock> StateDirLock::acquire(const std::string& state_dir) {
    std::error_code ec;
    std::filesystem::create_directories(state_dir, ec);
    if (ec) {
        return make_error(Errc::FailedPrecondition, "cannot create state directory " + state_dir +
                                                        " (Quix__State__Dir): " + ec.message());
    }
    std::string path = state_dir + "/mysql-cdc.lock";
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        return make_error(Errc::FailedPrecondition,
                          "cannot open " + path + ": " + std::strerror(errno));
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        char buf[32] = {};
        ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
        std::string owner = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "unknown";
        while (!owner.empty() && (owner.back() == '\n' || owner.back() == ' ')) owner.pop_back();
        ::close(fd);
        return make_error(Errc::FailedPrecondition, "another mysql-cdc (pid " + owner +
                                                        ") is using state directory " + state_dir +
                                                        ": stop it first, or give this one its own "
                                                        "Quix__State__Dir");
    }
    std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) == 0) {
        (void)!::pwrite(fd, pid.data(), pid.size(), 0);
    }
    return StateDirLock(fd);
}

StateDirLock::~StateDirLock() {
    if (fd_ >= 0) ::close(fd_);
}

}  // namespace cdc::state

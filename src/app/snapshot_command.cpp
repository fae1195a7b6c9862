#include "app/snapshot_command.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "app/control_request.h"

namespace cdc::app {
namespace {

int fail(const std::string& message) {
    std::fprintf(stderr, "mysql-cdc: %s\n", message.c_str());
    return 1;
}

}  // namespace

int run_snapshot_command(const std::string& state_dir, const SnapshotCommandOptions& options) {
    std::string line = "snapshot";
    if (options.wait) line += " --wait";
    for (const std::string& t : options.tables) line += " " + t;
    // Checked here too, so a typo is reported without a daemon.
    auto request = parse_control_request(line);
    if (!request) return fail(request.error().message);

    const std::string path = control_socket_path(state_dir);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof addr.sun_path) return fail("control socket path too long: " + path);
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return fail(std::string("socket: ") + std::strerror(errno));
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        const int err = errno;
        ::close(fd);
        if (err == ENOENT || err == ECONNREFUSED) {
            return fail("no mysql-cdc daemon is running with STATE_DIR=" + state_dir + " (no " +
                        std::string(err == ENOENT ? "" : "live ") + "control socket " + path +
                        "): start it, or give the STATE_DIR it runs with");
        }
        return fail("cannot reach the daemon at " + path + ": " + std::strerror(err));
    }
    std::string out = control_request_line(*request) + "\n";
    if (::send(fd, out.data(), out.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(out.size())) {
        ::close(fd);
        return fail("cannot send the request to " + path + ": " + std::strerror(errno));
    }
    std::string reply;
    char buf[4096];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        reply.append(buf, static_cast<size_t>(n));
        if (reply.find('\n') != std::string::npos) break;
    }
    ::close(fd);
    if (size_t nl = reply.find('\n'); nl != std::string::npos) reply.resize(nl);
    if (reply.rfind("ok ", 0) == 0) {
        std::printf("%s\n", reply.c_str() + 3);
        return 0;
    }
    if (reply.rfind("error ", 0) == 0) return fail(reply.substr(6));
    return fail("the daemon closed the control socket without an answer (it is stopping?)");
}

}  // namespace cdc::app

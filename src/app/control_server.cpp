#include "app/control_server.h"

#include <fcntl.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "app/control_request.h"
#include "common/thread_name.h"

namespace cdc::app {
namespace {

// A client that connects and says nothing does not hold the daemon's control thread.
constexpr int kReadTimeoutMs = 5000;

std::string errno_text() { return std::strerror(errno); }

// One line (without its newline), or nullopt when the client sent none in time.
std::optional<std::string> read_line(int fd) {
    std::string line;
    char buf[4096];
    while (line.size() <= kMaxControlLine) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, kReadTimeoutMs) <= 0) return std::nullopt;
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return line.empty() ? std::nullopt : std::optional<std::string>(line);
        line.append(buf, static_cast<size_t>(n));
        if (size_t nl = line.find('\n'); nl != std::string::npos) return line.substr(0, nl);
    }
    return std::nullopt;
}

}  // namespace

ControlConnection::~ControlConnection() {
    if (fd_ >= 0) ::close(fd_);
}

void ControlConnection::send(const std::string& line) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (fd_ < 0) return;
    std::string out = line + "\n";
    size_t off = 0;
    while (off < out.size()) {
        ssize_t n = ::send(fd_, out.data() + off, out.size() - off, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;  // the client went away: nobody to tell
        off += static_cast<size_t>(n);
    }
    ::close(fd_);
    fd_ = -1;
}

Result<std::unique_ptr<ControlServer>> ControlServer::start(const std::string& path,
                                                            Handler handler) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof addr.sun_path) {
        return make_error(Errc::InvalidArgument,
                          "control socket " + path + ": the path is longer than " +
                              std::to_string(sizeof addr.sun_path - 1) +
                              " bytes, the limit of a unix socket: use a shorter STATE_DIR");
    }
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return make_error(Errc::Unavailable, "control socket: " + errno_text());
    // A socket left by a daemon that crashed: this process holds STATE_DIR's lock, so nobody
    // else serves it.
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode)) ::unlink(path.c_str());
    // Created 0600 (umask is process-wide, so fchmod-like narrowing is done on the path at once,
    // before listen(): nobody can connect before it).
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::chmod(path.c_str(), 0600) != 0 || ::listen(fd, 8) != 0) {
        std::string why = errno_text();
        ::close(fd);
        return make_error(Errc::Unavailable, "control socket " + path + ": " + why);
    }
    int wake[2];
    if (::pipe2(wake, O_CLOEXEC) != 0) {
        std::string why = errno_text();
        ::close(fd);
        ::unlink(path.c_str());
        return make_error(Errc::Unavailable, "control socket: " + why);
    }
    return std::unique_ptr<ControlServer>(new ControlServer(path, fd, wake, std::move(handler)));
}

ControlServer::ControlServer(std::string path, int listen_fd, int wake_fd[2], Handler handler)
    : path_(std::move(path)),
      listen_fd_(listen_fd),
      wake_read_(wake_fd[0]),
      wake_write_(wake_fd[1]),
      handler_(std::move(handler)) {
    thread_ = std::thread([this] {
        name_this_thread("cdc-control");
        run();
    });
}

ControlServer::~ControlServer() {
    char c = 0;
    (void)!::write(wake_write_, &c, 1);
    if (thread_.joinable()) thread_.join();
    ::close(listen_fd_);
    ::close(wake_read_);
    ::close(wake_write_);
    ::unlink(path_.c_str());
}

void ControlServer::run() {
    for (;;) {
        pollfd p[2] = {{listen_fd_, POLLIN, 0}, {wake_read_, POLLIN, 0}};
        if (::poll(p, 2, -1) < 0) {
            if (errno == EINTR) continue;
            spdlog::error("control socket {}: {}", path_, errno_text());
            return;
        }
        if (p[1].revents != 0) return;
        if ((p[0].revents & POLLIN) == 0) continue;
        int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) continue;
        serve(fd);
    }
}

void ControlServer::serve(int fd) {
    auto reply = std::make_shared<ControlConnection>(fd);
    auto line = read_line(fd);
    if (!line) {
        reply->send("error no request line received");
        return;
    }
    handler_(*line, reply);
}

}  // namespace cdc::app

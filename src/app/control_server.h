// ControlServer: the daemon's local control socket, {STATE_DIR}/mysql-cdc.sock (a unix
// socket, mode 0600: only the daemon's user may talk to it), served on a thread of its own
// with plain POSIX sockets: one request line in, one reply line out (control_request.h). It
// is not HTTP, so no library applies. A socket left by a crashed daemon is replaced (the
// STATE_DIR lock already keeps one daemon per directory); the socket is removed at stop.
//
//   auto server = ControlServer::start(path, [&](const std::string& line, ControlReply reply) {
//       reply->send("ok ...");   // now, or later from another thread (--wait)
//   });
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/result.h"

namespace cdc::app {

// One client connection waiting for its reply line; closed once sent (or when dropped).
class ControlConnection {
public:
    explicit ControlConnection(int fd) : fd_(fd) {}
    ~ControlConnection();
    ControlConnection(const ControlConnection&) = delete;
    ControlConnection& operator=(const ControlConnection&) = delete;
    // Writes `line` and a newline, then closes; later calls do nothing. Thread-safe.
    void send(const std::string& line);

private:
    std::mutex mutex_;
    int fd_;
};
using ControlReply = std::shared_ptr<ControlConnection>;

class ControlServer {
public:
    using Handler = std::function<void(const std::string& line, ControlReply reply)>;

    static Result<std::unique_ptr<ControlServer>> start(const std::string& path, Handler handler);
    ~ControlServer();  // stops the thread and removes the socket
    ControlServer(const ControlServer&) = delete;
    ControlServer& operator=(const ControlServer&) = delete;

private:
    ControlServer(std::string path, int listen_fd, int wake_fd[2], Handler handler);
    void run();
    void serve(int fd);

    std::string path_;
    int listen_fd_;
    int wake_read_;
    int wake_write_;
    Handler handler_;
    std::thread thread_;
};

}  // namespace cdc::app

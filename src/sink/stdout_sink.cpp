#include "sink/stdout_sink.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

namespace cdc::sink {
namespace {

// Blocks SIGPIPE on this thread while it lives, so that a write to a pipe without a reader
// fails with EPIPE instead of killing the process; a SIGPIPE raised meanwhile is consumed.
class SigpipeBlocked {
public:
    SigpipeBlocked() {
        sigemptyset(&pipe_);
        sigaddset(&pipe_, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
    }
    ~SigpipeBlocked() {
        if (sigismember(&old_, SIGPIPE) == 0) {
            const timespec no_wait{0, 0};
            while (sigtimedwait(&pipe_, nullptr, &no_wait) == SIGPIPE) {
            }
            pthread_sigmask(SIG_SETMASK, &old_, nullptr);
        }
    }
    SigpipeBlocked(const SigpipeBlocked&) = delete;
    SigpipeBlocked& operator=(const SigpipeBlocked&) = delete;

private:
    sigset_t pipe_;
    sigset_t old_;
};

}  // namespace

Status StdoutSink::write(const OutputRecord& record) {
    if (failed_) return *failed_;
    if (record.tombstone) return {};  // a Kafka compaction marker, nothing to write in a line
    if (changes_ == 0) {
        first_change_ = std::string(record.binlog_file) + ":" + std::to_string(record.binlog_pos);
        if (record.snapshot) first_change_ = "the snapshot (stream start " + first_change_ + ")";
    }
    ++changes_;
    buffer_.append(record.value);
    buffer_ += '\n';
    return {};
}

Status StdoutSink::flush() {
    if (failed_) return *failed_;
    SigpipeBlocked blocked;
    while (written_ < buffer_.size()) {
        ssize_t n = ::write(fd_, buffer_.data() + written_, buffer_.size() - written_);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return write_failed(errno);
        written_ += static_cast<size_t>(n);
    }
    buffer_.clear();
    written_ = 0;
    changes_ = 0;
    return {};
}

Error StdoutSink::write_failed(int err) {
    std::string why = std::strerror(err);
    if (err == EPIPE) why += " (the program reading mysql-cdc's output has exited)";
    failed_ = make_error(
        Errc::FailedPrecondition,
        "cannot write to standard output: " + why + "; " + std::to_string(changes_) +
            " changes from binlog position " + first_change_ + " on were not delivered" +
            (written_ > 0 ? " in full" : "") +
            ": stopping with the checkpoint before them, so a restart writes them again");
    return *failed_;
}

}  // namespace cdc::sink

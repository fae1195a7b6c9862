#include "stream/checkpointer.h"

namespace cdc::stream {

Result<bool> Checkpointer::start(model::Checkpoint checkpoint) {
    Status st = complete_if_done();
    if (!st) return st.error();
    if (pending_) return false;
    auto ticket = sink_.begin_flush(checkpoint);
    if (!ticket) return ticket.error();
    pending_ = Pending{*ticket, std::move(checkpoint)};
    // A sink whose flush completes at once (stdout, an empty file flush) is saved right away.
    st = complete_if_done();
    if (!st) return st.error();
    return true;
}

Status Checkpointer::poll(Clock::time_point now) {
    if (!pending_ || now - last_poll_ < std::chrono::milliseconds(1)) return {};
    last_poll_ = now;
    return complete_if_done();
}

Status Checkpointer::complete_if_done() {
    if (!pending_) return {};
    auto done = sink_.flush_completed(pending_->ticket);
    if (!done) {
        pending_.reset();  // never saved: the restart resumes from the last saved checkpoint
        return done.error();
    }
    if (!*done) return {};
    model::Checkpoint checkpoint = std::move(pending_->checkpoint);
    pending_.reset();
    return save_(std::move(checkpoint));
}

Status Checkpointer::finish(model::Checkpoint checkpoint) {
    pending_.reset();  // the blocking flush covers it, and `checkpoint` is newer
    Status st = sink_.flush();
    if (!st) return st;
    sink_.fill_checkpoint(checkpoint);
    return save_(std::move(checkpoint));
}

Status Checkpointer::settle() {
    if (!pending_) return {};
    Status st = sink_.flush();  // covers the outstanding flush and more
    if (!st) {
        pending_.reset();
        return st;
    }
    return complete_if_done();
}

}  // namespace cdc::stream

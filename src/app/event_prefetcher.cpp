#include "app/event_prefetcher.h"

#include "common/thread_name.h"

namespace cdc::app {

EventPrefetcher::EventPrefetcher(mysql::BinlogClient& client) : client_(client) {
    thread_ = std::thread([this] {
        name_this_thread("cdc-binlog-read");
        run();
    });
}

EventPrefetcher::~EventPrefetcher() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
    }
    changed_.notify_all();
    client_.stop();  // a read blocked on an idle stream returns
    thread_.join();
}

void EventPrefetcher::run() {
    for (;;) {
        Result<mysql::RawEvent> raw = client_.next();
        std::unique_lock<std::mutex> lock(mutex_);
        if (!raw) {
            error_ = raw.error();
            changed_.notify_all();
            return;
        }
        std::unique_ptr<OwnedEvent> ev;
        if (!spare_.empty()) {
            ev = std::move(spare_.back());
            spare_.pop_back();
        }
        lock.unlock();
        // The copy is made without the lock: the pipeline goes on meanwhile.
        if (!ev) ev = std::make_unique<OwnedEvent>();
        ev->is_lent = raw->bytes.size() > kLendBytes;
        if (ev->is_lent) {
            ev->bytes.clear();
            ev->lent = raw->bytes;  // valid until client_.next(), which waits for its return
        } else {
            ev->bytes.assign(raw->bytes.begin(), raw->bytes.end());
        }
        if (ev->file != raw->file) ev->file.assign(raw->file);
        ev->offset = raw->offset;
        ev->next_position = raw->next_position;
        ev->type = raw->type;
        ev->artificial = raw->artificial;
        lock.lock();
        changed_.wait(lock, [&] { return stop_ || queued_bytes_ < kMaxQueuedBytes; });
        if (stop_) return;
        const bool lent = ev->is_lent;
        queued_bytes_ += ev->bytes.size();
        queue_.push_back(std::move(ev));
        queued_events_.store(queue_.size(), std::memory_order_relaxed);
        if (lent) {
            lent_out_ = true;
            changed_.notify_all();
            changed_.wait(lock, [&] { return stop_ || !lent_out_; });
            if (stop_) return;
        }
        lock.unlock();
        changed_.notify_all();
    }
}

Result<mysql::RawEvent> EventPrefetcher::next() {
    auto ev = next_until(std::chrono::steady_clock::time_point::max());
    if (!ev) return ev.error();
    return **ev;
}

void EventPrefetcher::wake() {
    std::lock_guard<std::mutex> lock(mutex_);
    woken_ = true;
    changed_.notify_all();
}

Result<std::optional<mysql::RawEvent>> EventPrefetcher::next_until(
    std::chrono::steady_clock::time_point deadline) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (current_) {
        if (current_->is_lent) {
            lent_out_ = false;  // the reader may read on: the lent bytes are not used any more
            changed_.notify_all();
        }
        // Keep a few buffers for reuse; a rare huge event is not kept around.
        if (spare_.size() < 64 && current_->bytes.capacity() <= kLendBytes) {
            spare_.push_back(std::move(current_));
        }
        current_.reset();
    }
    auto ready = [&] { return !queue_.empty() || error_.has_value() || woken_; };
    if (deadline == std::chrono::steady_clock::time_point::max()) {
        changed_.wait(lock, ready);
    } else if (!changed_.wait_until(lock, deadline, ready)) {
        return std::optional<mysql::RawEvent>{};
    }
    if (woken_ && queue_.empty() && !error_) {
        woken_ = false;
        return std::optional<mysql::RawEvent>{};
    }
    woken_ = false;
    if (queue_.empty()) return *error_;
    return std::optional<mysql::RawEvent>(take_front(lock));
}

mysql::RawEvent EventPrefetcher::take_front(std::unique_lock<std::mutex>& lock) {
    current_ = std::move(queue_.front());
    queue_.pop_front();
    queued_events_.store(queue_.size(), std::memory_order_relaxed);
    queued_bytes_ -= current_->bytes.size();
    lock.unlock();
    changed_.notify_all();
    mysql::RawEvent ev;
    ev.bytes =
        current_->is_lent ? current_->lent : Bytes(current_->bytes.data(), current_->bytes.size());
    ev.file = current_->file;
    ev.offset = current_->offset;
    ev.next_position = current_->next_position;
    ev.type = current_->type;
    ev.artificial = current_->artificial;
    return ev;
}

}  // namespace cdc::app

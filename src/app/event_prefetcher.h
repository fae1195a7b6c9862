// EventPrefetcher: reads a BinlogClient's events on a thread of its own into a bounded queue,
// so receiving (and the checksum position tracking) overlaps with decoding, formatting and the
// sink's writes and syncs, which the pipeline does on its own thread. Without it the pipeline
// waited for the network and for fdatasync in turn and was idle about half of the time.
//
//   EventPrefetcher events(*client);               // starts reading at once
//   while (...) {
//       Result<mysql::RawEvent> ev = events.next();  // in stream order; blocks
//       if (!ev) return ev.error();                   // the client's error, after every event
//   }                                                 // read before it
//
// An event's bytes and file name stay valid until the next call of next(). Memory is bounded
// by bytes, not events: reading pauses while kMaxQueuedBytes of events wait. An event larger
// than kLendBytes is not copied at all: it is lent straight from the client's packet buffer and
// the reader waits until the pipeline is done with it (the next call of next()), so a huge row
// event is held once, in the connection's buffer, not twice (docs/MEMORY.md).
// The destructor stops the client (a blocked read returns) and joins the thread; the client
// must outlive the prefetcher, and nobody else may call its next() meanwhile.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "mysql/binlog_client.h"

namespace cdc::app {

class EventPrefetcher {
public:
    static constexpr size_t kMaxQueuedBytes = 8u << 20;
    static constexpr size_t kLendBytes = 1u << 20;

    explicit EventPrefetcher(mysql::BinlogClient& client);
    ~EventPrefetcher();
    EventPrefetcher(const EventPrefetcher&) = delete;
    EventPrefetcher& operator=(const EventPrefetcher&) = delete;

    Result<mysql::RawEvent> next();
    // The same, waiting no later than `deadline`: nullopt when no event came by then (the
    // pipeline flushes on time without waiting for the server's next heartbeat).
    Result<std::optional<mysql::RawEvent>> next_until(
        std::chrono::steady_clock::time_point deadline);
    // Thread-safe: a next_until() waiting (or the next one) returns nullopt at once, so the
    // event loop turns (a re-snapshot's reader waits for it: app/resnapshot.h).
    void wake();
    // Whether nothing read is waiting: the pipeline has caught up with the server (or the
    // network is slower than it). Lock-free, for a check per event.
    bool caught_up() const { return queued_events_.load(std::memory_order_relaxed) == 0; }

private:
    // One event copied out of the client library's buffer, or lent from it (`lent`).
    struct OwnedEvent {
        std::vector<uint8_t> bytes;
        Bytes lent;
        bool is_lent = false;
        std::string file;
        uint64_t offset = 0;
        uint64_t next_position = 0;
        uint8_t type = 0;
        bool artificial = false;
    };

    void run();
    mysql::RawEvent take_front(std::unique_lock<std::mutex>& lock);

    mysql::BinlogClient& client_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<std::unique_ptr<OwnedEvent>> queue_;
    std::vector<std::unique_ptr<OwnedEvent>> spare_;  // returned events, reused (no allocation)
    size_t queued_bytes_ = 0;
    std::atomic<size_t> queued_events_{0};  // queue_.size(), for caught_up()
    std::optional<Error> error_;            // the client's error: the end of the stream
    bool stop_ = false;
    bool woken_ = false;     // wake(): next_until() returns at once
    bool lent_out_ = false;  // a lent event is queued or in use: the reader must not read on
    std::unique_ptr<OwnedEvent> current_;  // what the last next() returned views into
    std::thread thread_;
};

}  // namespace cdc::app

// Checkpointer: saves each checkpoint once the sink has made the output it covers durable (the
// file synced, Kafka acknowledged), without stopping the pipeline while it waits. A blocking
// flush every FLUSH_INTERVAL_MS stalled formatting for the length of an fdatasync of the
// interval's output (0.2 s of every 0.5 s in the file benchmark) or of Kafka's round trip.
//
//   Checkpointer checkpoints(sink, save);
//   checkpoints.start(cp);   // a flush is due: begins it; cp is saved when it completes
//   checkpoints.poll(now);   // often: saves the outstanding checkpoint once its flush completed
//   checkpoints.finish(cp);  // at the end: a blocking flush, then cp is saved
//
// At most one flush is outstanding: start() while one is returns false and does nothing, so a
// sink slower than the interval checkpoints as often as it can. The sink's memory bound (drain)
// is the pipeline's, as before.
#pragma once

#include <chrono>
#include <functional>
#include <optional>

#include "common/result.h"
#include "model/position.h"
#include "sink/sink.h"

namespace cdc::stream {

class Checkpointer {
public:
    using Save = std::function<Status(model::Checkpoint)>;
    using Clock = std::chrono::steady_clock;

    Checkpointer(sink::Sink& sink, Save save) : sink_(sink), save_(std::move(save)) {}

    // Begins a flush of everything written so far, to be recorded as `checkpoint` (the sink adds
    // its part). False when the previous flush is still outstanding.
    Result<bool> start(model::Checkpoint checkpoint);
    // Saves the outstanding checkpoint if its flush completed. Never blocks; asks the sink at
    // most once a millisecond (Kafka's answer costs a poll of the producer).
    Status poll(Clock::time_point now);
    bool outstanding() const { return pending_.has_value(); }
    // Blocks until everything written is flushed, then saves `checkpoint`.
    Status finish(model::Checkpoint checkpoint);
    // Blocks until the outstanding flush (if any) completed, and saves its checkpoint.
    Status settle();

private:
    struct Pending {
        uint64_t ticket = 0;
        model::Checkpoint checkpoint;
    };
    Status complete_if_done();

    sink::Sink& sink_;
    Save save_;
    std::optional<Pending> pending_;
    Clock::time_point last_poll_{};
};

}  // namespace cdc::stream

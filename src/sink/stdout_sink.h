// StdoutSink: JSON lines on standard output. At-least-once: after a crash, the changes
// since the last checkpoint are printed again.
#pragma once

#include <string>

#include "sink/sink.h"

namespace cdc::sink {

class StdoutSink final : public Sink {
public:
    Status recover(const model::Checkpoint&) override { return {}; }
    Status write(const OutputRecord& record) override;
    Status flush() override;
    uint64_t pending_bytes() const override { return buffer_.size(); }

private:
    std::string buffer_;
};

}  // namespace cdc::sink

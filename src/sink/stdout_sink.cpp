#include "sink/stdout_sink.h"

#include <cstdio>

namespace cdc::sink {

Status StdoutSink::write(const OutputRecord& record) {
    buffer_.append(record.value);
    buffer_ += '\n';
    return {};
}

Status StdoutSink::flush() {
    if (buffer_.empty()) return {};
    size_t n = std::fwrite(buffer_.data(), 1, buffer_.size(), stdout);
    bool complete = n == buffer_.size();
    buffer_.clear();
    if (!complete || std::fflush(stdout) != 0) {
        return make_error(Errc::Unavailable, "cannot write to standard output");
    }
    return {};
}

}  // namespace cdc::sink

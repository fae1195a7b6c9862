// AckEpochs: which flushes Kafka has fully acknowledged, when acknowledgements come out of order.
//
// Each message is produced in an epoch, the number of flushes begun before it, which it carries
// as its opaque to the delivery report. The flush that closed epoch e is complete once no message
// of epoch e or earlier is outstanding. A plain count of reports would not tell: reports of
// different partitions arrive in any order, so a later message can be acknowledged before an
// earlier one, and a checkpoint saved on the count could cover a change never delivered.
//
//   AckEpochs epochs;
//   epochs.produced();                         // per message, tagged epochs.current()
//   epochs.acknowledged(tag);                  // per delivery report, success or failure
//   uint64_t ticket = epochs.close();          // at a flush
//   if (epochs.complete(ticket)) checkpoint(); // every message up to the flush reported
#pragma once

#include <cstdint>
#include <deque>

namespace cdc::sink {

class AckEpochs {
public:
    uint64_t current() const { return first_ + counts_.size() - 1; }
    void produced() { ++counts_.back(); }
    // A report with an epoch we did not hand out (or already complete) is ignored.
    void acknowledged(uint64_t epoch) {
        if (epoch < first_ || epoch - first_ >= counts_.size()) return;
        uint64_t& count = counts_[epoch - first_];
        if (count > 0) --count;
    }
    // Ends the current epoch; returns its number, for complete().
    uint64_t close() {
        counts_.push_back(0);
        return current() - 1;
    }
    bool complete(uint64_t epoch) {
        while (counts_.size() > 1 && counts_.front() == 0) {
            counts_.pop_front();
            ++first_;
        }
        return epoch < first_;
    }

private:
    uint64_t first_ = 0;              // the oldest epoch with messages outstanding (or current)
    std::deque<uint64_t> counts_{0};  // messages outstanding per epoch, from first_
};

}  // namespace cdc::sink

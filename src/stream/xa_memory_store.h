// XaMemoryStore: a PreparedXaStore in memory, for `mysql-cdc decode` (which reads its files
// once, in order, and never resumes) and for tests. Holds every prepared group's events until
// it is resolved, so its memory is the size of the XA transactions waiting for their commit.
// find() goes by the order groups were kept, not by binlog position.
#pragma once

#include <vector>

#include "stream/xa_store.h"

namespace cdc::stream {

class XaMemoryStore final : public PreparedXaStore {
public:
    Status begin_capture(const model::BinlogPosition& start, Bytes fde) override;
    Status capture(Bytes event) override;
    Status keep_capture(const binlog::Xid& xid) override;
    Status read_capture(const EventSink& sink) override;
    Status drop_capture() override;

    Result<std::optional<PreparedXa>> find(const binlog::Xid& xid,
                                           const model::BinlogPosition& at) override;
    Status read(const PreparedXa& group, const EventSink& sink) override;
    Status resolve(const PreparedXa& group, const model::BinlogPosition& at) override;
    Status checkpoint_saved(const model::BinlogPosition& position) override;
    std::vector<PreparedXa> unresolved() const override;

private:
    struct Group {
        PreparedXa info;
        std::vector<std::vector<uint8_t>> events;
    };
    static Status read_events(const std::vector<std::vector<uint8_t>>& events,
                              const EventSink& sink);

    std::vector<Group> groups_;  // in the order they were prepared
    std::optional<Group> capture_;
    uint64_t next_id_ = 1;
};

}  // namespace cdc::stream

#include "stream/xa_memory_store.h"

#include <algorithm>

namespace cdc::stream {

Status XaMemoryStore::begin_capture(const model::BinlogPosition& start, Bytes fde) {
    capture_.emplace();
    capture_->info.prepared_at = start;
    capture_->events.emplace_back(fde.begin(), fde.end());
    return {};
}

Status XaMemoryStore::capture(Bytes event) {
    if (!capture_) return make_error(Errc::Internal, "XA capture without begin_capture");
    capture_->events.emplace_back(event.begin(), event.end());
    return {};
}

Status XaMemoryStore::keep_capture(const binlog::Xid& xid) {
    if (!capture_) return make_error(Errc::Internal, "XA capture without begin_capture");
    capture_->info.xid = xid;
    capture_->info.id = next_id_++;
    // The same group read again (a resume) replaces the copy kept before.
    std::erase_if(groups_,
                  [&](const Group& g) { return g.info.prepared_at == capture_->info.prepared_at; });
    groups_.push_back(std::move(*capture_));
    capture_.reset();
    return {};
}

Status XaMemoryStore::read_capture(const EventSink& sink) {
    if (!capture_) return make_error(Errc::Internal, "XA capture without begin_capture");
    return read_events(capture_->events, sink);
}

Status XaMemoryStore::drop_capture() {
    capture_.reset();
    return {};
}

Result<std::optional<PreparedXa>> XaMemoryStore::find(const binlog::Xid& xid,
                                                      const model::BinlogPosition& at) {
    // By the order groups were read, not by position: `decode` names positions after the
    // files it is given, which need not sort. The XID's last unresolved group; else the one
    // this very resolution resolved (read again).
    const Group* best = nullptr;
    for (const Group& g : groups_) {
        if (g.info.xid == xid && !g.info.resolved_at) best = &g;
    }
    for (const Group& g : groups_) {
        if (best == nullptr && g.info.xid == xid && g.info.resolved_at == at) best = &g;
    }
    if (best == nullptr) return std::optional<PreparedXa>{};
    return std::optional<PreparedXa>(best->info);
}

Status XaMemoryStore::read(const PreparedXa& group, const EventSink& sink) {
    for (const Group& g : groups_) {
        if (g.info.id == group.id) return read_events(g.events, sink);
    }
    return make_error(Errc::Internal, "XA group " + std::to_string(group.id) + " not kept");
}

Status XaMemoryStore::resolve(const PreparedXa& group, const model::BinlogPosition& at) {
    for (Group& g : groups_) {
        if (g.info.id != group.id) continue;
        g.info.resolved_at = at;
        return {};
    }
    return make_error(Errc::Internal, "XA group " + std::to_string(group.id) + " not kept");
}

Status XaMemoryStore::checkpoint_saved(const model::BinlogPosition& position) {
    std::erase_if(groups_, [&](const Group& g) {
        return g.info.resolved_at && !position_before(position, *g.info.resolved_at);
    });
    return {};
}

std::vector<PreparedXa> XaMemoryStore::unresolved() const {
    std::vector<PreparedXa> out;
    for (const Group& g : groups_) {
        if (!g.info.resolved_at) out.push_back(g.info);
    }
    return out;
}

Status XaMemoryStore::read_events(const std::vector<std::vector<uint8_t>>& events,
                                  const EventSink& sink) {
    uint64_t offset = 4;
    for (const auto& e : events) {
        Status st = sink(Bytes(e.data(), e.size()), offset);
        if (!st) return st;
        offset += e.size();
    }
    return {};
}

}  // namespace cdc::stream

#include "metrics/registry.h"

#include <algorithm>

namespace cdc::metrics {

std::string_view skip_reason_name(SkipReason r) {
    switch (r) {
        case SkipReason::Statement: return "statement";
        case SkipReason::Incident: return "incident";
        case SkipReason::UnknownEvent: return "unknown_event";
        case SkipReason::UnknownIgnorable: return "unknown_ignorable_event";
    }
    return "other";
}

std::string_view reconnect_cause_name(ReconnectCause c) {
    switch (c) {
        case ReconnectCause::Connect: return "connect_failed";
        case ReconnectCause::Disconnect: return "connection_lost";
        case ReconnectCause::Snapshot: return "snapshot_retry";
    }
    return "other";
}

Registry::Registry()
    : start_time_unix_(std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count()) {}

TableMetrics& Registry::table(const model::TableId& id) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = std::find_if(tables_.begin(), tables_.end(),
                              [&](const TableMetrics& t) { return t.id == id; });
    if (found != tables_.end()) return *found;
    TableMetrics& t = tables_.emplace_back();
    t.id = id;
    return t;
}

std::vector<const TableMetrics*> Registry::tables() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<const TableMetrics*> out;
    for (const TableMetrics& t : tables_) out.push_back(&t);
    return out;
}

double Registry::lag_seconds(int64_t now_unix) const {
    uint32_t last = last_event_time();
    if (caught_up_.load(std::memory_order_relaxed) || last == 0) return 0;
    return static_cast<double>(std::max<int64_t>(0, now_unix - static_cast<int64_t>(last)));
}

void Registry::set_position(std::string_view file, uint64_t offset, std::string_view gtid) {
    std::lock_guard<std::mutex> lock(mutex_);
    position_.file.assign(file);
    position_.offset = offset;
    position_.gtid.assign(gtid);
}

Registry::Position Registry::position() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return position_;
}

void Registry::mysql_down(int64_t steady_ns, std::string_view reason) {
    connected.store(false, std::memory_order_relaxed);
    mysql_down_since.set_if_clear(steady_ns);
    std::lock_guard<std::mutex> lock(mutex_);
    mysql_reason_.assign(reason);
}

void Registry::mysql_up() {
    connected.store(true, std::memory_order_relaxed);
    ever_connected.store(true, std::memory_order_relaxed);
    mysql_down_since.clear();
}

std::string Registry::mysql_down_reason() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return mysql_reason_;
}

}  // namespace cdc::metrics

#include "model/mariadb_gtid_state.h"

#include <algorithm>
#include <charconv>

namespace cdc::model {
namespace {

template <typename T>
bool parse_uint(std::string_view text, T& out) {
    if (text.empty()) return false;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && end == text.data() + text.size();
}

std::optional<MariaGtid> parse_one(std::string_view text) {
    size_t a = text.find('-');
    size_t b = a == std::string_view::npos ? a : text.find('-', a + 1);
    if (b == std::string_view::npos) return std::nullopt;
    MariaGtid g;
    if (!parse_uint(text.substr(0, a), g.domain) ||
        !parse_uint(text.substr(a + 1, b - a - 1), g.server) ||
        !parse_uint(text.substr(b + 1), g.seq)) {
        return std::nullopt;
    }
    return g;
}

}  // namespace

std::string MariaGtid::to_string() const {
    return std::to_string(domain) + "-" + std::to_string(server) + "-" + std::to_string(seq);
}

std::optional<MariaGtidState> MariaGtidState::parse(std::string_view text) {
    MariaGtidState state;
    while (!text.empty()) {
        size_t comma = text.find(',');
        std::string_view item = text.substr(0, comma);
        text.remove_prefix(comma == std::string_view::npos ? text.size() : comma + 1);
        while (!item.empty() && (item.front() == ' ' || item.front() == '\n'))
            item.remove_prefix(1);
        while (!item.empty() && (item.back() == ' ' || item.back() == '\n')) item.remove_suffix(1);
        if (item.empty() && text.empty() && state.domains_.empty()) break;  // blank text
        auto g = parse_one(item);
        if (!g || state.find(g->domain) != nullptr) return std::nullopt;
        state.add(*g);
    }
    return state;
}

void MariaGtidState::add(const MariaGtid& gtid) {
    for (MariaGtid& d : domains_) {
        if (d.domain == gtid.domain) {
            d = gtid;
            return;
        }
    }
    auto at = std::find_if(domains_.begin(), domains_.end(),
                           [&](const MariaGtid& d) { return d.domain > gtid.domain; });
    domains_.insert(at, gtid);
}

const MariaGtid* MariaGtidState::find(uint32_t domain) const {
    for (const MariaGtid& d : domains_) {
        if (d.domain == domain) return &d;
    }
    return nullptr;
}

bool MariaGtidState::contains(uint32_t domain, uint64_t seq) const {
    const MariaGtid* d = find(domain);
    return d != nullptr && seq <= d->seq;
}

bool MariaGtidState::covers(const MariaGtidState& other) const {
    return std::all_of(other.domains_.begin(), other.domains_.end(),
                       [&](const MariaGtid& g) { return contains(g.domain, g.seq); });
}

std::string MariaGtidState::to_string() const {
    std::string out;
    for (const MariaGtid& d : domains_) {
        if (!out.empty()) out += ',';
        out += d.to_string();
    }
    return out;
}

}  // namespace cdc::model

#include "model/gtid_set.h"

#include <algorithm>
#include <charconv>

namespace cdc::model {
namespace {

constexpr size_t kMaxTagLength = 32;  // MySQL's TAG_MAX_LENGTH
constexpr uint8_t kTaggedFormat = 1;

bool less(const GtidSet::Source& s, const GtidSet::Uuid& uuid, std::string_view tag) {
    if (s.uuid != uuid) return s.uuid < uuid;
    return s.tag < tag;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool is_tag_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

bool is_tag_char(char c) { return is_tag_start(c) || (c >= '0' && c <= '9'); }

Result<int64_t> parse_gno(std::string_view text, std::string_view element) {
    int64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size() || v < 1) {
        return make_error(Errc::InvalidArgument,
                          "GTID set: '" + std::string(element) +
                              "' is not a transaction number or an interval of them (1-5)");
    }
    return v;
}

void put_le(std::string& out, uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

// MySQL's serialization format for an unsigned integer: the first byte's trailing one-bits
// count the bytes that follow; the value's low bits fill the rest of the first byte.
void put_varlen(std::string& out, uint64_t v) {
    int bytes = 1;  // k bytes (k <= 8) hold 7k bits of value; 9 bytes hold 64
    while (bytes <= 8 && v >= (uint64_t{1} << (7 * bytes))) ++bytes;
    if (bytes == 9) {
        out.push_back(static_cast<char>(0xff));
        put_le(out, v, 8);
        return;
    }
    uint64_t low = v & ((uint64_t{1} << (8 - bytes)) - 1);
    auto first = static_cast<uint8_t>((low << bytes) | ((uint64_t{1} << (bytes - 1)) - 1));
    out.push_back(static_cast<char>(first));
    put_le(out, v >> (8 - bytes), bytes - 1);
}

}  // namespace

std::string format_uuid(const GtidSet::Uuid& uuid) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string s;
    s.reserve(36);
    for (size_t i = 0; i < uuid.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) s.push_back('-');
        s.push_back(kHex[uuid[i] >> 4]);
        s.push_back(kHex[uuid[i] & 0x0f]);
    }
    return s;
}

Result<GtidSet::Uuid> GtidSet::parse_uuid(std::string_view text) {
    Uuid uuid{};
    size_t byte = 0;
    bool ok = text.size() == 36;
    for (size_t i = 0; ok && i < text.size(); ++i) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            ok = text[i] == '-';
            continue;
        }
        int hi = hex_value(text[i]);
        int lo = i + 1 < text.size() ? hex_value(text[i + 1]) : -1;
        ok = hi >= 0 && lo >= 0 && byte < uuid.size();
        if (ok) uuid[byte++] = static_cast<uint8_t>(hi * 16 + lo);
        ++i;
    }
    if (!ok || byte != uuid.size()) {
        return make_error(Errc::InvalidArgument,
                          "GTID set: '" + std::string(text) +
                              "' is not a server UUID (8-4-4-4-12 hexadecimal digits)");
    }
    return uuid;
}

Result<GtidSet> GtidSet::parse(std::string_view text) {
    std::string compact;
    for (char c : text) {
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t') compact.push_back(c);
    }
    GtidSet set;
    std::string_view rest = compact;
    while (!rest.empty()) {
        size_t comma = rest.find(',');
        std::string_view part = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        if (part.empty()) {
            if (rest.empty() && comma == std::string_view::npos) break;
            return make_error(Errc::InvalidArgument, "GTID set: an empty element between commas");
        }
        size_t colon = part.find(':');
        auto uuid = parse_uuid(part.substr(0, colon));
        if (!uuid) return uuid.error();
        if (colon == std::string_view::npos) {
            return make_error(Errc::InvalidArgument,
                              "GTID set: '" + std::string(part) + "' has no transaction numbers");
        }
        std::string tag;
        bool numbers = false;  // the last tag named has numbers after it
        std::string_view elements = part.substr(colon + 1);
        while (true) {
            size_t next = elements.find(':');
            std::string_view element = elements.substr(0, next);
            if (!element.empty() && is_tag_start(element[0])) {
                if (!tag.empty() && !numbers) {
                    return make_error(Errc::InvalidArgument,
                                      "GTID set: tag '" + tag + "' has no transaction numbers");
                }
                if (element.size() > kMaxTagLength ||
                    !std::all_of(element.begin(), element.end(), is_tag_char)) {
                    return make_error(Errc::InvalidArgument,
                                      "GTID set: '" + std::string(element) +
                                          "' is not a tag (a letter or _, then up to 31 "
                                          "letters, digits or _)");
                }
                tag.assign(element);
                std::transform(tag.begin(), tag.end(), tag.begin(),
                               [](char c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; });
                numbers = false;
            } else {
                size_t dash = element.find('-');
                auto first = parse_gno(element.substr(0, dash), element);
                if (!first) return first.error();
                int64_t last = *first;
                if (dash != std::string_view::npos) {
                    auto l = parse_gno(element.substr(dash + 1), element);
                    if (!l) return l.error();
                    last = *l;
                }
                if (last < *first) {
                    return make_error(
                        Errc::InvalidArgument,
                        "GTID set: interval '" + std::string(element) + "' ends before it starts");
                }
                add_interval(set.source(*uuid, tag), {*first, last});
                numbers = true;
            }
            if (next == std::string_view::npos) break;
            elements = elements.substr(next + 1);
        }
        if (!numbers) {
            return make_error(Errc::InvalidArgument, "GTID set: '" + std::string(part) +
                                                         "' ends without transaction numbers");
        }
    }
    return set;
}

GtidSet::Source& GtidSet::source(const Uuid& uuid, std::string_view tag) {
    auto it = std::lower_bound(sources_.begin(), sources_.end(), 0,
                               [&](const Source& s, int) { return less(s, uuid, tag); });
    if (it != sources_.end() && it->uuid == uuid && it->tag == tag) return *it;
    Source s;
    s.uuid = uuid;
    s.tag = std::string(tag);
    return *sources_.insert(it, std::move(s));
}

const GtidSet::Source* GtidSet::find(const Uuid& uuid, std::string_view tag) const {
    auto it = std::lower_bound(sources_.begin(), sources_.end(), 0,
                               [&](const Source& s, int) { return less(s, uuid, tag); });
    if (it != sources_.end() && it->uuid == uuid && it->tag == tag) return &*it;
    return nullptr;
}

void GtidSet::add_interval(Source& s, Interval iv) {
    auto& v = s.intervals;
    // The common case: the next transaction of the source, or one after it.
    if (v.empty() || v.back().last < iv.first) {
        if (!v.empty() && v.back().last + 1 >= iv.first) {
            v.back().last = std::max(v.back().last, iv.last);
        } else {
            v.push_back(iv);
        }
        return;
    }
    // Anywhere else (rare): insert, then merge what overlaps or touches.
    v.insert(
        std::lower_bound(v.begin(), v.end(), iv,
                         [](const Interval& x, const Interval& y) { return x.first < y.first; }),
        iv);
    std::vector<Interval> merged;
    merged.reserve(v.size());
    for (const Interval& x : v) {
        if (!merged.empty() && merged.back().last >= x.first - 1) {
            merged.back().last = std::max(merged.back().last, x.last);
        } else {
            merged.push_back(x);
        }
    }
    v = std::move(merged);
}

void GtidSet::add(const Uuid& uuid, std::string_view tag, int64_t gno) {
    add_interval(source(uuid, tag), {gno, gno});
}

void GtidSet::add(const GtidSet& other) {
    for (const Source& s : other.sources_) {
        for (const Interval& iv : s.intervals) add_interval(source(s.uuid, s.tag), iv);
    }
}

bool GtidSet::contains(const Uuid& uuid, std::string_view tag, int64_t gno) const {
    const Source* s = find(uuid, tag);
    if (s == nullptr) return false;
    auto it = std::upper_bound(s->intervals.begin(), s->intervals.end(), gno,
                               [](int64_t g, const Interval& iv) { return g < iv.first; });
    return it != s->intervals.begin() && std::prev(it)->last >= gno;
}

bool GtidSet::contains(const GtidSet& other) const { return other.minus(*this).empty(); }

GtidSet GtidSet::minus(const GtidSet& other) const {
    GtidSet out;
    for (const Source& s : sources_) {
        const Source* o = other.find(s.uuid, s.tag);
        Source kept{s.uuid, s.tag, {}};
        for (Interval iv : s.intervals) {
            if (o != nullptr) {
                for (const Interval& cut : o->intervals) {
                    if (cut.last < iv.first || cut.first > iv.last) continue;
                    if (cut.first > iv.first) kept.intervals.push_back({iv.first, cut.first - 1});
                    if (cut.last >= iv.last) {
                        iv.first = 1;
                        iv.last = 0;  // used up
                        break;
                    }
                    iv.first = cut.last + 1;
                }
            }
            if (iv.first <= iv.last) kept.intervals.push_back(iv);
        }
        if (!kept.intervals.empty()) out.sources_.push_back(std::move(kept));
    }
    return out;
}

std::string GtidSet::to_string() const {
    std::string out;
    const Uuid* last_uuid = nullptr;
    for (const Source& s : sources_) {
        if (last_uuid == nullptr || *last_uuid != s.uuid) {
            if (!out.empty()) out += ',';
            out += format_uuid(s.uuid);
            last_uuid = &s.uuid;
        }
        if (!s.tag.empty()) out += ':' + s.tag;
        for (const Interval& iv : s.intervals) {
            out += ':' + std::to_string(iv.first);
            if (iv.last != iv.first) out += '-' + std::to_string(iv.last);
        }
    }
    return out;
}

std::string GtidSet::encode() const {
    bool tagged = std::any_of(sources_.begin(), sources_.end(),
                              [](const Source& s) { return !s.tag.empty(); });
    std::string out;
    uint64_t count = sources_.size();
    if (tagged) {
        put_le(out, kTaggedFormat | (count << 8) | (uint64_t{kTaggedFormat} << 56), 8);
    } else {
        put_le(out, count, 8);
    }
    for (const Source& s : sources_) {
        out.append(reinterpret_cast<const char*>(s.uuid.data()), s.uuid.size());
        if (tagged) {
            put_varlen(out, s.tag.size());
            out += s.tag;
        }
        put_le(out, s.intervals.size(), 8);
        for (const Interval& iv : s.intervals) {
            put_le(out, static_cast<uint64_t>(iv.first), 8);
            put_le(out, static_cast<uint64_t>(iv.last) + 1, 8);
        }
    }
    return out;
}

}  // namespace cdc::model

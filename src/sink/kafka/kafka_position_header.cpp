#include "sink/kafka/kafka_position_header.h"

#include <charconv>
#include <cstring>

#include "common/parse_number.h"

namespace cdc::sink {
namespace {

// Writes straight into a buffer sized up front: std::string appends cost a call to memmove
// each, several per message (bench/README.md, the profile of 2026-12-04).
class Writer {
public:
    explicit Writer(char* p) : p_(p) {}
    template <size_t N>
    void literal(const char (&s)[N]) {
        std::memcpy(p_, s, N - 1);  // a constant size: inlined
        p_ += N - 1;
    }
    void text(std::string_view s) {
        std::memcpy(p_, s.data(), s.size());
        p_ += s.size();
    }
    void number(uint64_t v) {
        p_ = std::to_chars(p_, p_ + 20, v).ptr;  // 20 digits hold any uint64_t
        *p_++ = ' ';
    }
    char* end() const { return p_; }

private:
    char* p_;
};

// A bounded, printable excerpt of a bad value for the error message.
std::string excerpt(std::string_view text) {
    constexpr size_t kMax = 200;
    std::string out;
    for (char c : text.substr(0, kMax)) {
        out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
    }
    if (text.size() > kMax) out += "...";
    return out;
}

template <class Number>
bool take_number(std::string_view value, Number& out) {
    return parse_number(value, out);
}

}  // namespace

std::string_view format_position_header(const PositionFields& f, std::vector<char>& buf) {
    // Names, 20-digit numbers and separators of every field but the two texts: under 128.
    const size_t most = 128 + f.gtid.size() + f.file.size();
    if (buf.size() < most) buf.resize(most);
    Writer w(buf.data());
    if (f.pos != 0) w.literal("pos:"), w.number(f.pos);
    if (f.row != 0) w.literal("row:"), w.number(f.row);
    if (f.part != 0) w.literal("part:"), w.number(f.part);
    if (f.snapshot) w.literal("snapshot ");
    if (f.server_id != 0) w.literal("server:"), w.number(f.server_id);
    if (!f.gtid.empty()) {
        w.literal("gtid:");
        w.text(f.gtid);
        w.literal(" ");
    }
    w.literal("file:");
    w.text(f.file);
    return {buf.data(), static_cast<size_t>(w.end() - buf.data())};
}

Result<ChangePosition> parse_position_header(std::string_view text) {
    auto malformed = [&](std::string_view why) {
        return make_error(Errc::Malformed, std::string("unreadable header ") + kHeaderPosition +
                                               " (" + std::string(why) + "): \"" + excerpt(text) +
                                               "\"");
    };
    ChangePosition p;
    enum Seen : unsigned { kPos = 1, kRow = 2, kPart = 4, kSnapshot = 8, kServer = 16, kGtid = 32 };
    unsigned seen = 0;
    auto once = [&](Seen bit) {
        bool first = (seen & bit) == 0;
        seen |= bit;
        return first;
    };
    std::string_view rest = text;
    while (true) {
        if (rest.starts_with("file:")) {
            std::string_view file = rest.substr(5);
            if (file.empty()) return malformed("empty file");
            p.file = std::string(file);
            return p;
        }
        size_t space = rest.find(' ');
        if (space == std::string_view::npos) return malformed("no file");
        std::string_view field = rest.substr(0, space);
        rest.remove_prefix(space + 1);
        if (field == "snapshot") {
            if (!once(kSnapshot)) return malformed("snapshot twice");
            p.snapshot = true;
            continue;
        }
        size_t colon = field.find(':');
        if (colon == std::string_view::npos) return malformed("a field without ':'");
        std::string_view name = field.substr(0, colon);
        std::string_view value = field.substr(colon + 1);
        bool ok = false;
        if (name == "pos") {
            ok = once(kPos) && take_number(value, p.pos);
        } else if (name == "row") {
            ok = once(kRow) && take_number(value, p.row);
        } else if (name == "part") {
            ok = once(kPart) && take_number(value, p.part);
        } else if (name == "server") {
            ok = once(kServer) && take_number(value, p.server_id);
        } else if (name == "gtid") {
            ok = once(kGtid) && !value.empty();
            if (ok) set_position_gtid(p, value);
        } else {
            return malformed("unknown field " + excerpt(name));
        }
        if (!ok) return malformed("bad or repeated " + std::string(name));
    }
}

}  // namespace cdc::sink

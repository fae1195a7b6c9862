#include "sink/kafka/kafka_position_header.h"

#include "common/parse_number.h"

namespace cdc::sink {
namespace {

void append_number(std::string& out, std::string_view name, uint64_t v) {
    DecimalText text(v);
    out.append(name);
    out.append(text.view());
    out.push_back(' ');
}

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

void format_position_header(const PositionFields& f, std::string& out) {
    out.clear();
    if (f.pos != 0) append_number(out, "pos:", f.pos);
    if (f.row != 0) append_number(out, "row:", f.row);
    if (f.part != 0) append_number(out, "part:", f.part);
    if (f.snapshot) out.append("snapshot ");
    if (f.server_id != 0) append_number(out, "server:", f.server_id);
    if (!f.gtid.empty()) {
        out.append("gtid:");
        out.append(f.gtid);
        out.push_back(' ');
    }
    out.append("file:");
    out.append(f.file);
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

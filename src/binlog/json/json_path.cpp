#include "binlog/json/json_path.h"

#include <algorithm>

namespace cdc::binlog::json {
namespace {

Error bad_path(std::string_view text, std::string_view why) {
    return make_error(Errc::Malformed,
                      "JSON diff path '" + std::string(text) + "': " + std::string(why));
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

void append_utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xc0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xe0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
        out += static_cast<char>(0xf0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
    }
}

class PathParser {
public:
    explicit PathParser(std::string_view text) : text_(text) {}

    Result<std::vector<PathLeg>> parse() {
        skip_space();
        if (done() || text_[pos_++] != '$') return bad_path(text_, "does not start with $");
        std::vector<PathLeg> legs;
        for (skip_space(); !done(); skip_space()) {
            PathLeg leg;
            const char c = text_[pos_++];
            Status st = c == '.'   ? member(leg)
                        : c == '[' ? cell(leg)
                        : c == '*' ? Status(make_error(Errc::Unsupported, "JSON diff path with **"))
                                   : Status(bad_path(text_, "unexpected character"));
            if (!st) return st.error();
            legs.push_back(std::move(leg));
        }
        return legs;
    }

private:
    bool done() const { return pos_ >= text_.size(); }
    void skip_space() {
        while (!done() && is_space(text_[pos_])) ++pos_;
    }

    Status member(PathLeg& leg) {
        leg.kind = PathLeg::Kind::Member;
        skip_space();
        if (done()) return bad_path(text_, "member name missing");
        if (text_[pos_] == '*') return make_error(Errc::Unsupported, "JSON diff path with .*");
        if (text_[pos_] == '"') {
            ++pos_;
            return unescape(leg.member, /*quoted=*/true);
        }
        Status st = unescape(leg.member, /*quoted=*/false);
        if (st && leg.member.empty()) return bad_path(text_, "empty member name");
        return st;
    }

    // Reads a member name up to its closing quote (quoted) or a terminator (unquoted),
    // replacing JSON escapes, as MySQL does by running the name through its JSON parser.
    Status unescape(std::string& out, bool quoted) {
        while (!done()) {
            const char c = text_[pos_];
            if (quoted && c == '"') {
                ++pos_;
                return {};
            }
            if (!quoted && (is_space(c) || c == '[' || c == '.' || c == '*')) return {};
            ++pos_;
            if (c != '\\') {
                out += c;
                continue;
            }
            if (auto st = escape(out); !st) return st;
        }
        return quoted ? Status(bad_path(text_, "unterminated quoted member")) : Status();
    }

    Status escape(std::string& out) {
        if (done()) return bad_path(text_, "dangling backslash");
        const char e = text_[pos_++];
        switch (e) {
            case '"': out += '"'; return {};
            case '\\': out += '\\'; return {};
            case '/': out += '/'; return {};
            case 'b': out += '\b'; return {};
            case 'f': out += '\f'; return {};
            case 'n': out += '\n'; return {};
            case 'r': out += '\r'; return {};
            case 't': out += '\t'; return {};
            case 'u': return unicode_escape(out);
            default: return bad_path(text_, "invalid escape");
        }
    }

    bool hex4(uint32_t& v) {
        if (text_.size() - pos_ < 4) return false;
        v = 0;
        for (int i = 0; i < 4; ++i) {
            const char h = text_[pos_++];
            v <<= 4;
            if (h >= '0' && h <= '9')
                v |= static_cast<uint32_t>(h - '0');
            else if (h >= 'a' && h <= 'f')
                v |= static_cast<uint32_t>(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F')
                v |= static_cast<uint32_t>(h - 'A' + 10);
            else
                return false;
        }
        return true;
    }

    Status unicode_escape(std::string& out) {
        uint32_t cp = 0;
        if (!hex4(cp)) return bad_path(text_, "invalid \\u escape");
        if (cp >= 0xdc00 && cp <= 0xdfff) return bad_path(text_, "lone low surrogate");
        if (cp >= 0xd800 && cp <= 0xdbff) {
            uint32_t low = 0;
            if (text_.substr(pos_, 2) != "\\u") return bad_path(text_, "lone high surrogate");
            pos_ += 2;
            if (!hex4(low) || low < 0xdc00 || low > 0xdfff) {
                return bad_path(text_, "invalid surrogate pair");
            }
            cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        }
        append_utf8(out, cp);
        return {};
    }

    Status cell(PathLeg& leg) {
        leg.kind = PathLeg::Kind::ArrayCell;
        skip_space();
        if (!done() && text_[pos_] == '*')
            return make_error(Errc::Unsupported, "JSON diff path with [*]");
        if (text_.substr(pos_, 4) == "last") {
            pos_ += 4;
            leg.from_end = true;
            skip_space();
            if (done() || text_[pos_] != '-') return close_cell();
            ++pos_;
            skip_space();
        }
        if (done() || text_[pos_] < '0' || text_[pos_] > '9')
            return bad_path(text_, "array index expected");
        uint64_t index = 0;
        while (!done() && text_[pos_] >= '0' && text_[pos_] <= '9') {
            index = index * 10 + static_cast<uint64_t>(text_[pos_++] - '0');
            if (index > UINT32_MAX) return bad_path(text_, "array index too large");
        }
        leg.index = static_cast<uint32_t>(index);
        return close_cell();
    }

    Status close_cell() {
        skip_space();
        if (done()) return bad_path(text_, "unterminated array index");
        if (text_[pos_] == 't') return make_error(Errc::Unsupported, "JSON diff path with a range");
        if (text_[pos_++] != ']') return bad_path(text_, "']' expected");
        return {};
    }

    std::string_view text_;
    size_t pos_ = 0;
};

}  // namespace

Result<std::vector<PathLeg>> parse_json_path(std::string_view text) {
    return PathParser(text).parse();
}

ArrayIndex resolve_array_index(const PathLeg& leg, size_t size) {
    const size_t index = leg.index;
    if (leg.from_end) return {index < size ? size - index - 1 : 0, index < size};
    return {std::min(index, size), index < size};
}

}  // namespace cdc::binlog::json

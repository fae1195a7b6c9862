#include "common/json_writer.h"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace cdc {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// Bytes that need escaping inside a JSON string.
inline bool needs_escape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

void append_escaped_byte(std::string& out, unsigned char c) {
    switch (c) {
        case '"': out += "\\\""; return;
        case '\\': out += "\\\\"; return;
        case '\n': out += "\\n"; return;
        case '\r': out += "\\r"; return;
        case '\t': out += "\\t"; return;
        case '\b': out += "\\b"; return;
        case '\f': out += "\\f"; return;
        default:
            out += "\\u00";
            out += kHex[c >> 4];
            out += kHex[c & 0xf];
    }
}

// Length of the valid UTF-8 sequence starting at s[i], or 0 if invalid.
size_t utf8_sequence_length(std::string_view s, size_t i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) return 1;
    size_t n;
    uint32_t min;
    uint32_t cp;
    if ((c & 0xe0) == 0xc0) {
        n = 2;
        min = 0x80;
        cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
        n = 3;
        min = 0x800;
        cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
        n = 4;
        min = 0x10000;
        cp = c & 0x07;
    } else
        return 0;
    if (i + n > s.size()) return 0;
    for (size_t k = 1; k < n; ++k) {
        auto cc = static_cast<unsigned char>(s[i + k]);
        if ((cc & 0xc0) != 0x80) return 0;
        cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
    return n;
}

constexpr uint64_t kOnes = 0x0101010101010101ull;
constexpr uint64_t kHighs = 0x8080808080808080ull;

inline uint64_t load8(const char* p) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
}

// Non-zero when one of the 8 bytes is < 0x20, '"' or '\\' (bytes >= 0x80 never match).
inline uint64_t special_bytes(uint64_t v) {
    uint64_t below_space = (v - kOnes * 0x20) & ~v & kHighs;
    uint64_t q = v ^ (kOnes * '"');
    uint64_t b = v ^ (kOnes * '\\');
    return below_space | ((q - kOnes) & ~q & kHighs) | ((b - kOnes) & ~b & kHighs);
}

inline bool special_or_non_ascii(uint64_t v) { return (special_bytes(v) | (v & kHighs)) != 0; }

#if defined(__SSE2__)
// Bit i set when byte i of the 16 needs escaping or is >= 0x80 (a signed compare with 0x20
// catches both the controls and, as negative bytes, everything from 0x80).
inline unsigned special_or_non_ascii_mask(const char* p) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    __m128i low = _mm_cmplt_epi8(v, _mm_set1_epi8(0x20));
    __m128i quote = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
    __m128i backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
    return static_cast<unsigned>(
        _mm_movemask_epi8(_mm_or_si128(low, _mm_or_si128(quote, backslash))));
}
#endif

// Same, also stopping at any byte >= 0x80. Every text value of a row passes here.
size_t first_special_or_non_ascii(std::string_view s) {
    size_t i = 0;
#if defined(__SSE2__)
    if (s.size() >= 16) {
        for (; i + 16 <= s.size(); i += 16) {
            if (unsigned m = special_or_non_ascii_mask(s.data() + i))
                return i + std::countr_zero(m);
        }
        if (i == s.size()) return i;
        // The last 1-15 bytes: one load of the last 16, overlapping bytes known to be plain,
        // so its first flagged byte is at or after i.
        unsigned m = special_or_non_ascii_mask(s.data() + s.size() - 16);
        return m == 0 ? s.size() : s.size() - 16 + std::countr_zero(m);
    }
#endif
    for (; i + 8 <= s.size(); i += 8) {
        if (special_or_non_ascii(load8(s.data() + i))) break;
    }
    // The last 0-7 bytes of a longer string: one load of its last 8 bytes (overlapping bytes
    // already known to be plain) instead of a loop.
    if (i == s.size() || (i >= 8 && !special_or_non_ascii(load8(s.data() + s.size() - 8)))) {
        return s.size();
    }
    for (; i < s.size(); ++i) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x80 || needs_escape(c)) return i;
    }
    return s.size();
}

void append_escaped_from(std::string& out, std::string_view s, size_t first) {
    size_t run = 0;  // start of the current run of bytes copied verbatim
    for (size_t i = first; i < s.size(); ++i) {
        auto c = static_cast<unsigned char>(s[i]);
        if (!needs_escape(c)) continue;
        out.append(s.data() + run, i - run);
        append_escaped_byte(out, c);
        run = i + 1;
    }
    out.append(s.data() + run, s.size() - run);
}

// Powers of ten that doubles hold exactly.
constexpr double kPow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
constexpr int kMaxShortFraction = 6;
constexpr double kMaxShortDigits = 1e15;  // at most 15 significant digits (DBL_DIG)

// Digits of m (not 0) written backwards from end; returns where they start.
char* put_digits_backwards(char* end, uint64_t m) {
    do {
        *--end = static_cast<char>('0' + m % 10);
        m /= 10;
    } while (m != 0);
    return end;
}

// The common DOUBLE of a database, a decimal number of at most 15 significant digits and at
// most 6 after the point (1.25, 0.5, 125000), written without Ryu: std::to_chars's shortest
// search costs several hundred instructions a value. Returns nullptr, writing nothing, when v
// is not such a number or its shortest text would be scientific; then to_chars decides.
//
// Why the text is what to_chars writes: a = m / 10^k with m < 10^15 is checked by a correctly
// rounded division, so the decimal m * 10^-k reads back to a. Distinct decimals of at most 15
// digits are distinct doubles, so no other decimal of as few digits reads back to a: with k the
// fewest fraction digits that work, m's digits are the shortest. Then the shorter of fixed and
// scientific notation is taken, fixed on a tie, as to_chars does.
char* write_short_decimal(char* p, double v) {
    double a = v < 0 ? -v : v;
    if (!(a < kMaxShortDigits) || a == 0) return nullptr;  // also NaN
    for (int k = 0; k <= kMaxShortFraction; ++k) {
        double scaled = a * kPow10[k];
        if (!(scaled < kMaxShortDigits)) return nullptr;
        auto m = static_cast<uint64_t>(scaled + 0.5);
        if (m == 0 || static_cast<double>(m) / kPow10[k] != a) continue;
        if (k > 0 && m % 10 == 0) return nullptr;  // k - 1 should have worked: leave it to to_chars
        char digits[20];
        char* end = digits + sizeof digits;
        char* begin = put_digits_backwards(end, m);
        auto n = static_cast<int>(end - begin);
        int significant = n;  // digits left once trailing zeros (k == 0 only) are dropped
        while (k == 0 && significant > 1 && begin[significant - 1] == '0') --significant;
        // Scientific: d[.ddd]e±XX, the exponent below 100 here.
        int scientific = significant + (significant > 1 ? 1 : 0) + 4;
        int fixed = k == 0 ? n : n > k ? n + 1 : k + 2;
        if (fixed > scientific) return nullptr;
        if (v < 0) *p++ = '-';
        if (k == 0) {
            std::memcpy(p, begin, static_cast<size_t>(n));
            return p + n;
        }
        if (n > k) {
            std::memcpy(p, begin, static_cast<size_t>(n - k));
            p += n - k;
            *p++ = '.';
            std::memcpy(p, begin + (n - k), static_cast<size_t>(k));
            return p + k;
        }
        *p++ = '0';
        *p++ = '.';
        std::memset(p, '0', static_cast<size_t>(k - n));
        p += k - n;
        std::memcpy(p, begin, static_cast<size_t>(n));
        return p + n;
    }
    return nullptr;
}

}  // namespace

char* write_double_text(char* p, double v) {
    if (char* end = write_short_decimal(p, v)) return end;
    return std::to_chars(p, p + kMaxDoubleText, v).ptr;
}

size_t plain_ascii_prefix(std::string_view s) { return first_special_or_non_ascii(s); }

void append_json_string(std::string& out, std::string_view s) {
    size_t i = first_special_or_non_ascii(s);
    out.reserve(out.size() + s.size() + 2);
    out += '"';
    if (i == s.size()) {  // plain ASCII, nothing to escape: the common case
        out.append(s);
    } else if (is_valid_utf8(s.substr(i))) {
        append_escaped_from(out, s, i);  // s[0, i) is plain: copied in the first run
    } else {
        out.pop_back();
        append_json_string_lossy(out, s);
        return;
    }
    out += '"';
}

void append_json_string_lossy(std::string& out, std::string_view s) {
    out += '"';
    size_t i = 0;
    while (i < s.size()) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            if (needs_escape(c))
                append_escaped_byte(out, c);
            else
                out += static_cast<char>(c);
            ++i;
            continue;
        }
        size_t n = utf8_sequence_length(s, i);
        if (n == 0) {
            out += "\xef\xbf\xbd";
            ++i;
        } else {
            out.append(s.data() + i, n);
            i += n;
        }
    }
    out += '"';
}

void append_json_int(std::string& out, int64_t v) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

void append_json_uint(std::string& out, uint64_t v) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

void append_json_double(std::string& out, double v) {
    if (!std::isfinite(v)) {
        out += "null";
        return;
    }
    char buf[kMaxDoubleText];
    out.append(buf, write_double_text(buf, v));
}

void append_json_float(std::string& out, float v) {
    if (!std::isfinite(v)) {
        out += "null";
        return;
    }
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

bool is_valid_utf8(std::string_view s) {
    size_t i = 0;
    while (i < s.size()) {
        if (static_cast<unsigned char>(s[i]) < 0x80) {
            ++i;
            continue;
        }
        size_t n = utf8_sequence_length(s, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

}  // namespace cdc

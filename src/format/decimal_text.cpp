#include "format/decimal_text.h"

#include <cstdint>

#include "common/digits.h"

namespace cdc::format {
namespace {

constexpr unsigned kDigitsPerGroup = 9;
constexpr unsigned kMaxPrecision = 65;
static_assert(kMaxDecimalText >= kMaxPrecision + 5);  // quotes, sign, '0', '.'
constexpr uint8_t kDig2Bytes[kDigitsPerGroup + 1] = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};
constexpr uint64_t kPow10[kDigitsPerGroup + 2] = {
    1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000, 10000000000};

constexpr unsigned kMaxGroups = 16;  // at most 8 integer and 8 fraction groups

// Reads the groups front to back, undoing the sign-bit flip and the inversion of negatives.
class GroupReader {
public:
    explicit GroupReader(std::string_view b) : b_(b) {
        negative_ = (static_cast<uint8_t>(b[0]) & 0x80) == 0;
    }

    // The next group, of `nbytes`, into *v; false when it is not below `limit`.
    bool next(size_t nbytes, uint64_t limit, uint32_t* v) {
        uint64_t x = 0;
        for (size_t k = 0; k < nbytes; ++k) {
            auto byte = static_cast<uint8_t>(b_[pos_ + k]);
            if (pos_ + k == 0) byte ^= 0x80;
            x = (x << 8) | byte;
        }
        if (negative_) x ^= (uint64_t{1} << (8 * nbytes)) - 1;
        pos_ += nbytes;
        if (x >= limit) return false;
        nonzero_ |= x != 0;
        *v = static_cast<uint32_t>(x);
        return true;
    }

    bool negative() const { return negative_ && nonzero_; }

private:
    std::string_view b_;
    size_t pos_ = 0;
    bool negative_ = false;
    bool nonzero_ = false;
};

// v (below 10^9) without leading zeros.
char* put_group_trimmed(char* p, uint32_t v) {
    unsigned width = 1;
    while (width < kDigitsPerGroup && v >= kPow10[width]) ++width;
    return put_fixed_digits(p, v, width);
}

}  // namespace

// The groups are all read (and checked) first, then written: the integer part from its first
// non-zero group, so no digit is written only to be skipped as a leading zero (a DECIMAL(12,2)
// holding 1.50 has 8 of them), and nothing is written for bytes that fail the check.
char* write_decimal_text(std::string_view binary, unsigned precision, unsigned scale, char* out,
                         bool quoted) {
    if (precision == 0 || precision > kMaxPrecision || scale > precision) return nullptr;
    unsigned intg = precision - scale;
    unsigned intg_full = intg / kDigitsPerGroup, intg_part = intg % kDigitsPerGroup;
    unsigned frac_full = scale / kDigitsPerGroup, frac_part = scale % kDigitsPerGroup;
    size_t size = intg_full * 4 + kDig2Bytes[intg_part] + frac_full * 4 + kDig2Bytes[frac_part];
    if (binary.size() != size) return nullptr;

    // The leading group may hold one extra digit (as MySQL's bin2decimal allows), hence + 1.
    uint32_t groups[kMaxGroups];
    unsigned n = 0;
    GroupReader g(binary);
    if (intg_part != 0 && !g.next(kDig2Bytes[intg_part], kPow10[intg_part + 1], &groups[n++])) {
        return nullptr;
    }
    for (unsigned i = 0; i < intg_full + frac_full; ++i) {
        if (!g.next(4, kPow10[kDigitsPerGroup], &groups[n++])) return nullptr;
    }
    if (frac_part != 0 && !g.next(kDig2Bytes[frac_part], kPow10[frac_part], &groups[n++])) {
        return nullptr;
    }
    unsigned int_groups = (intg_part != 0 ? 1 : 0) + intg_full;

    char* p = out;
    if (quoted) *p++ = '"';
    if (g.negative()) *p++ = '-';
    unsigned k = 0;
    while (k < int_groups && groups[k] == 0) ++k;
    if (k == int_groups) {
        *p++ = '0';
    } else {
        p = put_group_trimmed(p, groups[k]);
        for (++k; k < int_groups; ++k) p = put_fixed_digits(p, groups[k], kDigitsPerGroup);
    }
    if (scale != 0) {
        *p++ = '.';
        for (k = int_groups; k < int_groups + frac_full; ++k) {
            p = put_fixed_digits(p, groups[k], kDigitsPerGroup);
        }
        if (frac_part != 0) p = put_fixed_digits(p, groups[k], frac_part);
    }
    if (quoted) *p++ = '"';
    return p;
}

bool append_decimal_text(std::string_view binary, unsigned precision, unsigned scale,
                         std::string& out, bool quoted) {
    char text[kMaxDecimalText];
    char* end = write_decimal_text(binary, precision, scale, text, quoted);
    if (end == nullptr) return false;
    out.append(text, end);
    return true;
}

std::string_view strip_decimal_zerofill(std::string_view text) {
    // ZEROFILL implies UNSIGNED: a padded text has no sign. Keep the last digit before the point.
    size_t zeros = 0;
    while (zeros + 1 < text.size() && text[zeros] == '0' && text[zeros + 1] >= '0' &&
           text[zeros + 1] <= '9') {
        ++zeros;
    }
    return text.substr(zeros);
}

}  // namespace cdc::format

#include "format/decimal_text.h"

#include <cstdint>
#include <cstring>

#include "format/digits.h"

namespace cdc::format {
namespace {

constexpr unsigned kDigitsPerGroup = 9;
constexpr unsigned kMaxPrecision = 65;
static_assert(kMaxDecimalText >= kMaxPrecision + 5);  // quotes, sign, '0', '.'
constexpr uint8_t kDig2Bytes[kDigitsPerGroup + 1] = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};
constexpr uint64_t kPow10[kDigitsPerGroup + 2] = {
    1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000, 10000000000};

// Reads the groups front to back, undoing the sign-bit flip and the inversion of negatives,
// and writes each as fixed-width decimal digits.
class DigitWriter {
public:
    DigitWriter(std::string_view b, char* digits) : b_(b), digits_(digits) {
        negative_ = (static_cast<uint8_t>(b[0]) & 0x80) == 0;
    }

    // Writes the group of `nbytes` holding up to `ndigits` digits (value < limit).
    bool group(size_t nbytes, unsigned ndigits, uint64_t limit) {
        uint64_t v = 0;
        for (size_t k = 0; k < nbytes; ++k) {
            auto byte = static_cast<uint8_t>(b_[pos_ + k]);
            if (pos_ + k == 0) byte ^= 0x80;
            v = (v << 8) | byte;
        }
        if (negative_) v ^= (uint64_t{1} << (8 * nbytes)) - 1;
        pos_ += nbytes;
        if (v >= limit) return false;
        nonzero_ |= v != 0;
        put_fixed_digits(digits_ + len_, v, ndigits);
        len_ += ndigits;
        return true;
    }

    size_t length() const { return len_; }
    bool negative() const { return negative_ && nonzero_; }

private:
    std::string_view b_;
    char* digits_;
    size_t pos_ = 0;
    size_t len_ = 0;
    bool negative_ = false;
    bool nonzero_ = false;
};

}  // namespace

char* write_decimal_text(std::string_view binary, unsigned precision, unsigned scale, char* out,
                         bool quoted) {
    if (precision == 0 || precision > kMaxPrecision || scale > precision) return nullptr;
    unsigned intg = precision - scale;
    unsigned intg_full = intg / kDigitsPerGroup, intg_part = intg % kDigitsPerGroup;
    unsigned frac_full = scale / kDigitsPerGroup, frac_part = scale % kDigitsPerGroup;
    size_t size = intg_full * 4 + kDig2Bytes[intg_part] + frac_full * 4 + kDig2Bytes[frac_part];
    if (binary.size() != size) return nullptr;

    // Integer digits then fraction digits; the leading group may hold one extra digit (as
    // MySQL's bin2decimal allows), hence + 1.
    char digits[kMaxPrecision + 1];
    DigitWriter w(binary, digits);
    if (intg_part != 0 && !w.group(kDig2Bytes[intg_part], intg_part + 1, kPow10[intg_part + 1])) {
        return nullptr;
    }
    for (unsigned i = 0; i < intg_full + frac_full; ++i) {
        if (!w.group(4, kDigitsPerGroup, kPow10[kDigitsPerGroup])) return nullptr;
    }
    if (frac_part != 0 && !w.group(kDig2Bytes[frac_part], frac_part, kPow10[frac_part])) {
        return nullptr;
    }

    size_t int_len = w.length() - scale;
    size_t skip = 0;
    while (skip + 1 < int_len && digits[skip] == '0') ++skip;

    char* text = out;
    size_t n = 0;
    if (quoted) text[n++] = '"';
    if (w.negative()) text[n++] = '-';
    if (int_len == 0) {
        text[n++] = '0';
    } else {
        std::memcpy(text + n, digits + skip, int_len - skip);
        n += int_len - skip;
    }
    if (scale != 0) {
        text[n++] = '.';
        std::memcpy(text + n, digits + int_len, scale);
        n += scale;
    }
    if (quoted) text[n++] = '"';
    return text + n;
}

bool append_decimal_text(std::string_view binary, unsigned precision, unsigned scale,
                         std::string& out, bool quoted) {
    char text[kMaxDecimalText];
    char* end = write_decimal_text(binary, precision, scale, text, quoted);
    if (end == nullptr) return false;
    out.append(text, end);
    return true;
}

}  // namespace cdc::format

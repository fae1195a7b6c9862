#include "format/debezium_decimal.h"

#include <array>
#include <charconv>

namespace cdc::format {
namespace {

// The magnitude in little-endian 32-bit limbs: 12 of them hold 115 decimal digits.
constexpr size_t kLimbs = kMaxUnscaledBytes / 4;
using Limbs = std::array<uint32_t, kLimbs>;

// limbs = limbs * 10 + digit; false on overflow.
bool push_digit(Limbs& limbs, unsigned digit) {
    uint64_t carry = digit;
    for (uint32_t& limb : limbs) {
        uint64_t v = uint64_t{limb} * 10 + carry;
        limb = static_cast<uint32_t>(v);
        carry = v >> 32;
    }
    return carry == 0 && (limbs[kLimbs - 1] & 0x80000000U) == 0;
}

// Up to 18 digits fit an int64: the common DECIMAL, without the limb arithmetic.
size_t small_unscaled_bytes(int64_t v, uint8_t (&out)[kMaxUnscaledBytes]) {
    uint8_t all[8];
    auto u = static_cast<uint64_t>(v);
    for (int k = 7; k >= 0; --k) {
        all[k] = static_cast<uint8_t>(u);
        u >>= 8;
    }
    size_t start = 0;
    while (start + 1 < 8 && ((all[start] == 0x00 && (all[start + 1] & 0x80) == 0) ||
                             (all[start] == 0xFF && (all[start + 1] & 0x80) != 0))) {
        ++start;
    }
    for (size_t k = start; k < 8; ++k) out[k - start] = all[k];
    return 8 - start;
}

// The fast path of decimal_unscaled_bytes; 0 when the text is not a plain decimal of at most
// 18 digits (at `scale`).
size_t small_decimal(std::string_view text, unsigned scale, uint8_t (&out)[kMaxUnscaledBytes]) {
    size_t i = 0;
    bool negative = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
    int64_t v = 0;
    unsigned digits = 0;  // significant digits in v: at most 18, so v * 10 + 9 never overflows
    auto push = [&](int digit) {
        if (digits == 18) return false;
        v = v * 10 + digit;
        if (v != 0) ++digits;
        return true;
    };
    bool any = false;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
        if (!push(text[i] - '0')) return 0;
        any = true;
    }
    unsigned fraction = 0;
    if (i < text.size() && text[i] == '.') {
        for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
            any = true;
            if (fraction == scale) continue;
            if (!push(text[i] - '0')) return 0;
            ++fraction;
        }
    }
    if (!any || i != text.size()) return 0;
    for (; fraction < scale; ++fraction) {
        if (!push(0)) return 0;
    }
    return small_unscaled_bytes(negative ? -v : v, out);
}

}  // namespace

size_t decimal_unscaled_bytes(std::string_view text, unsigned scale,
                              uint8_t (&out)[kMaxUnscaledBytes]) {
    if (size_t n = small_decimal(text, scale, out)) return n;
    size_t i = 0;
    bool negative = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
    Limbs limbs{};
    bool any_digit = false;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
        if (!push_digit(limbs, static_cast<unsigned>(text[i] - '0'))) return 0;
        any_digit = true;
    }
    unsigned fraction = 0;
    if (i < text.size() && text[i] == '.') {
        for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
            any_digit = true;
            if (fraction == scale) continue;  // more digits than the scale: cut off
            if (!push_digit(limbs, static_cast<unsigned>(text[i] - '0'))) return 0;
            ++fraction;
        }
    }
    if (!any_digit || i != text.size()) return 0;
    for (; fraction < scale; ++fraction) {
        if (!push_digit(limbs, 0)) return 0;
    }
    bool zero = true;
    for (uint32_t limb : limbs) zero = zero && limb == 0;
    if (negative && !zero) {
        // Two's complement over the whole width: invert and add one.
        uint64_t carry = 1;
        for (uint32_t& limb : limbs) {
            uint64_t v = uint64_t{static_cast<uint32_t>(~limb)} + carry;
            limb = static_cast<uint32_t>(v);
            carry = v >> 32;
        }
    }
    uint8_t all[kMaxUnscaledBytes];
    for (size_t k = 0; k < kLimbs; ++k) {
        uint32_t limb = limbs[kLimbs - 1 - k];
        all[4 * k] = static_cast<uint8_t>(limb >> 24);
        all[4 * k + 1] = static_cast<uint8_t>(limb >> 16);
        all[4 * k + 2] = static_cast<uint8_t>(limb >> 8);
        all[4 * k + 3] = static_cast<uint8_t>(limb);
    }
    // Drop leading bytes that only repeat the sign: BigInteger.toByteArray's minimal form.
    size_t start = 0;
    while (start + 1 < kMaxUnscaledBytes &&
           ((all[start] == 0x00 && (all[start + 1] & 0x80) == 0) ||
            (all[start] == 0xFF && (all[start + 1] & 0x80) != 0))) {
        ++start;
    }
    size_t n = kMaxUnscaledBytes - start;
    for (size_t k = 0; k < n; ++k) out[k] = all[start + k];
    return n;
}

bool decimal_to_double(std::string_view text, double& out) {
    if (!text.empty() && text.front() == '+') text.remove_prefix(1);
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace cdc::format

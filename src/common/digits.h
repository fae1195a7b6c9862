// Fixed-width decimal digit output for the text writers (DECIMAL groups, dates, times):
// two digits per division through a 200-byte table, written through a raw pointer.
#pragma once

#include <cstdint>
#include <cstring>

namespace cdc {

struct DigitPairs {
    char text[200];
    constexpr DigitPairs() : text() {
        for (int i = 0; i < 100; ++i) {
            text[2 * i] = static_cast<char>('0' + i / 10);
            text[2 * i + 1] = static_cast<char>('0' + i % 10);
        }
    }
};

inline constexpr DigitPairs kDigitPairs{};

// Writes v % 100 as exactly two digits and returns the end.
inline char* put_two_digits(char* p, uint32_t v) {
    std::memcpy(p, kDigitPairs.text + 2 * (v % 100), 2);
    return p + 2;
}

// Writes v as exactly `width` digits (v must fit; higher digits are dropped) and returns
// the end. Digits are produced from the right, two at a time.
inline char* put_fixed_digits(char* p, uint64_t v, unsigned width) {
    char* end = p + width;
    char* q = end;
    while (q - p >= 2) {
        q -= 2;
        std::memcpy(q, kDigitPairs.text + 2 * (v % 100), 2);
        v /= 100;
    }
    if (q != p) *p = static_cast<char>('0' + v % 10);
    return end;
}

}  // namespace cdc

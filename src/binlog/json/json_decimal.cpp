#include "binlog/json/json_decimal.h"

#include <array>
#include <charconv>

namespace cdc::binlog::json {
namespace {

constexpr int kDigitsPerWord = 9;
constexpr std::array<size_t, 10> kDigitBytes = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};
constexpr std::array<uint32_t, 10> kPowers10 = {1,      10,      100,      1000,      10000,
                                                100000, 1000000, 10000000, 100000000, 1000000000};

// A big-endian cursor over the sign-normalised bytes.
struct GroupReader {
    const uint8_t* p;
    // Reads a group of `digits` digits; false if its value has more digits than that.
    bool read(int digits, uint32_t& value) {
        const size_t n = kDigitBytes[static_cast<size_t>(digits)];
        value = 0;
        for (size_t i = 0; i < n; ++i) value = (value << 8) | *p++;
        return value < kPowers10[static_cast<size_t>(digits)];
    }
};

// Appends `value` as exactly `digits` digits, zero-padded.
void append_padded(std::string& out, uint32_t value, int digits) {
    char buf[kDigitsPerWord];
    for (int i = digits - 1; i >= 0; --i) {
        buf[i] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
    out.append(buf, static_cast<size_t>(digits));
}

void append_plain(std::string& out, uint32_t value) {
    char buf[16];
    auto r = std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, r.ptr);
}

// Integer digits: leading zero groups skipped, the first non-zero group unpadded.
struct IntegerDigits {
    std::string& out;
    bool started = false;
    void add(uint32_t value, int digits) {
        if (started)
            append_padded(out, value, digits);
        else if (value != 0)
            append_plain(out, value);
        started = started || value != 0;
    }
};

// The digits of a validated-size decimal; false on a group out of range.
bool append_digits(std::string& out, const uint8_t* bytes, int precision, int scale,
                   bool& nonzero) {
    const int intg = precision - scale;
    GroupReader reader{bytes};
    IntegerDigits integer{out};
    uint32_t value = 0;
    nonzero = false;
    if (intg % kDigitsPerWord != 0) {
        if (!reader.read(intg % kDigitsPerWord, value)) return false;
        integer.add(value, intg % kDigitsPerWord);
    }
    for (int i = 0; i < intg / kDigitsPerWord; ++i) {
        if (!reader.read(kDigitsPerWord, value)) return false;
        integer.add(value, kDigitsPerWord);
    }
    nonzero = integer.started;
    if (!integer.started) out += '0';
    if (scale > 0) out += '.';
    for (int i = 0; i < scale / kDigitsPerWord; ++i) {
        if (!reader.read(kDigitsPerWord, value)) return false;
        append_padded(out, value, kDigitsPerWord);
        nonzero = nonzero || value != 0;
    }
    if (scale % kDigitsPerWord != 0) {
        if (!reader.read(scale % kDigitsPerWord, value)) return false;
        append_padded(out, value, scale % kDigitsPerWord);
        nonzero = nonzero || value != 0;
    }
    return true;
}

}  // namespace

size_t binary_decimal_size(int precision, int scale) {
    if (precision < 1 || precision > 65 || scale < 0 || scale > 30 || scale > precision) return 0;
    const int intg = precision - scale;
    return static_cast<size_t>(intg / kDigitsPerWord) * 4 +
           kDigitBytes[static_cast<size_t>(intg % kDigitsPerWord)] +
           static_cast<size_t>(scale / kDigitsPerWord) * 4 +
           kDigitBytes[static_cast<size_t>(scale % kDigitsPerWord)];
}

bool append_binary_decimal(std::string& out, Bytes bin, int precision, int scale) {
    const size_t size = binary_decimal_size(precision, scale);
    if (size == 0 || bin.size() != size) return false;

    std::array<uint8_t, 40> buf{};  // DECIMAL(65, 30) takes 30 bytes
    const uint8_t mask = (bin[0] & 0x80) ? 0x00 : 0xff;
    for (size_t i = 0; i < size; ++i) buf[i] = bin[i] ^ mask;
    buf[0] ^= 0x80;

    const size_t mark = out.size();
    out += '-';
    bool nonzero = false;
    if (!append_digits(out, buf.data(), precision, scale, nonzero)) {
        out.resize(mark);
        return false;
    }
    // A negative zero can only come from corrupt bytes; print it as MySQL prints zero.
    if (mask == 0 || !nonzero) out.erase(mark, 1);
    return true;
}

}  // namespace cdc::binlog::json

#include "model/collation.h"

#include <array>

namespace cdc::model {
namespace {

struct CollationRange {
    uint16_t first;
    uint16_t last;
    std::string_view charset;
};

// MySQL's ids (INFORMATION_SCHEMA.COLLATIONS of 5.7/8.0; MariaDB shares 1..247). Ranges group
// runs of one character set; gaps are ids no server defines.
constexpr CollationRange kRanges[] = {
    {1, 1, "big5"},        {2, 2, "latin2"},      {3, 3, "dec8"},        {4, 4, "cp850"},
    {5, 5, "latin1"},      {6, 6, "hp8"},         {7, 7, "koi8r"},       {8, 8, "latin1"},
    {9, 9, "latin2"},      {10, 10, "swe7"},      {11, 11, "ascii"},     {12, 12, "ujis"},
    {13, 13, "sjis"},      {14, 14, "cp1251"},    {15, 15, "latin1"},    {16, 16, "hebrew"},
    {18, 18, "tis620"},    {19, 19, "euckr"},     {20, 20, "latin7"},    {21, 21, "latin2"},
    {22, 22, "koi8u"},     {23, 23, "cp1251"},    {24, 24, "gb2312"},    {25, 25, "greek"},
    {26, 26, "cp1250"},    {27, 27, "latin2"},    {28, 28, "gbk"},       {29, 29, "cp1257"},
    {30, 30, "latin5"},    {31, 31, "latin1"},    {32, 32, "armscii8"},  {33, 33, "utf8mb3"},
    {34, 34, "cp1250"},    {35, 35, "ucs2"},      {36, 36, "cp866"},     {37, 37, "keybcs2"},
    {38, 38, "macce"},     {39, 39, "macroman"},  {40, 40, "cp852"},     {41, 42, "latin7"},
    {43, 43, "macce"},     {44, 44, "cp1250"},    {45, 46, "utf8mb4"},   {47, 49, "latin1"},
    {50, 52, "cp1251"},    {53, 53, "macroman"},  {54, 55, "utf16"},     {56, 56, "utf16le"},
    {57, 57, "cp1256"},    {58, 59, "cp1257"},    {60, 61, "utf32"},     {62, 62, "utf16le"},
    {63, 63, "binary"},    {64, 64, "armscii8"},  {65, 65, "ascii"},     {66, 66, "cp1250"},
    {67, 67, "cp1256"},    {68, 68, "cp866"},     {69, 69, "dec8"},      {70, 70, "greek"},
    {71, 71, "hebrew"},    {72, 72, "hp8"},       {73, 73, "keybcs2"},   {74, 74, "koi8r"},
    {75, 75, "koi8u"},     {76, 76, "utf8mb3"},   {77, 77, "latin2"},    {78, 78, "latin5"},
    {79, 79, "latin7"},    {80, 80, "cp850"},     {81, 81, "cp852"},     {82, 82, "swe7"},
    {83, 83, "utf8mb3"},   {84, 84, "big5"},      {85, 85, "euckr"},     {86, 86, "gb2312"},
    {87, 87, "gbk"},       {88, 88, "sjis"},      {89, 89, "tis620"},    {90, 90, "ucs2"},
    {91, 91, "ujis"},      {92, 93, "geostd8"},   {94, 94, "latin1"},    {95, 96, "cp932"},
    {97, 98, "eucjpms"},   {99, 99, "cp1250"},    {101, 124, "utf16"},   {128, 151, "ucs2"},
    {159, 159, "ucs2"},    {160, 183, "utf32"},   {192, 215, "utf8mb3"}, {223, 223, "utf8mb3"},
    {224, 247, "utf8mb4"},
};

constexpr uint16_t kMariaPage2First = 0x200;   // MariaDB's ids 512..767, 32 per charset
constexpr uint16_t kMariaNoPadOffset = 0x400;  // MariaDB's NO PAD variant = base id + 1024
constexpr uint16_t kMariaUca1400First = 2048;  // MariaDB 10.10+: 1cccttttttPST in binary
constexpr uint16_t kMariaUca1400Last = 4095;

std::string_view classic_charset(uint16_t id) {
    if (id >= 248 && id <= 250) return "gb18030";
    if (id >= 255 && id <= 323) return "utf8mb4";  // MySQL 8.0 utf8mb4_*_0900_*
    for (const auto& r : kRanges) {
        if (id < r.first) return {};
        if (id <= r.last) return r.charset;
    }
    return {};
}

std::string_view maria_page2_charset(uint16_t id) {
    // Blocks of 32 from 0x200: 8-bit, reserved, utf8mb3, utf8mb4, ucs2, utf16, utf16le, utf32.
    constexpr std::array<std::string_view, 8> kBlocks{
        "", "", "utf8mb3", "utf8mb4", "ucs2", "utf16", "utf16le", "utf32"};
    return kBlocks[(id - kMariaPage2First) / 32];
}

std::string_view uca1400_charset(uint16_t id) {
    constexpr std::array<std::string_view, 8> kCharsets{
        "utf8mb3", "utf8mb4", "ucs2", "utf16", "utf32", "", "", ""};
    return kCharsets[(id >> 8) & 0x7];
}

}  // namespace

std::string_view charset_of_collation(uint16_t id) {
    if (id == 0) return {};
    if (id < kMariaPage2First) return classic_charset(id);
    if (id < kMariaNoPadOffset) return id < 0x300 ? maria_page2_charset(id) : std::string_view{};
    if (id < kMariaUca1400First) {
        return charset_of_collation(static_cast<uint16_t>(id - kMariaNoPadOffset));
    }
    if (id <= kMariaUca1400Last) return uca1400_charset(id);
    return {};
}

}  // namespace cdc::model

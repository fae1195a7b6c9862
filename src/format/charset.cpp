#include "format/charset.h"

#include <iconv.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "common/json_writer.h"
#include "format/base64.h"
#include "format/charset_overrides.h"
#include "model/collation.h"

namespace cdc::format {
namespace {

// How text of one collation becomes UTF-8; values >= kFirstIconv index kIconvNames.
enum Encoding : uint8_t { kUtf8 = 0, kLatin1 = 1, kBinary = 2, kFirstIconv = 3 };

struct IconvName {
    std::string_view charset;  // MySQL's name
    const char* iconv;         // glibc's name
};

// MySQL charsets and the glibc converter closest to the server's table: keybcs2 (glibc has none)
// is ISO-8859-1 plus a table for its upper half, geostd8 GEORGIAN-PS (both used to fall back to
// the UTF-8 path: every non-ASCII letter became U+FFFD). The glibc converter is the closest to the
// server's table (every character compared, see charset_overrides.cpp): sjis is CP932 (glibc's
// SJIS turns ASCII '\' and '~' into U+00A5 and U+203E), ujis EUC-JP-MS, euckr CP949 (the
// server's euckr holds the UHC extension), tis620 ISO-8859-11 (C1 controls); the characters
// where even these differ are in charset_overrides.
constexpr std::array<IconvName, 36> kIconvNames{{
    {"big5", "BIG5"},
    {"dec8", "DEC-MCS"},
    {"cp850", "CP850"},
    {"hp8", "HP-ROMAN8"},
    {"koi8r", "KOI8-R"},
    {"latin2", "ISO-8859-2"},
    {"swe7", "ISO646-SE"},
    {"ujis", "EUC-JP-MS"},
    {"sjis", "CP932"},
    {"hebrew", "ISO-8859-8"},
    {"tis620", "ISO-8859-11"},
    {"euckr", "CP949"},
    {"koi8u", "KOI8-U"},
    {"gb2312", "EUC-CN"},
    {"greek", "ISO-8859-7"},
    {"cp1250", "CP1250"},
    {"gbk", "GBK"},
    {"latin5", "ISO-8859-9"},
    {"armscii8", "ARMSCII-8"},
    {"ucs2", "UCS-2BE"},
    {"cp866", "CP866"},
    {"macce", "MAC-CENTRALEUROPE"},
    {"macroman", "MACINTOSH"},
    {"cp852", "CP852"},
    {"latin7", "ISO-8859-13"},
    {"cp1251", "CP1251"},
    {"utf16", "UTF-16BE"},
    {"utf16le", "UTF-16LE"},
    {"cp1256", "CP1256"},
    {"cp1257", "CP1257"},
    {"utf32", "UTF-32BE"},
    {"cp932", "CP932"},
    {"eucjpms", "EUC-JP-MS"},
    {"gb18030", "GB18030"},
    {"keybcs2", "ISO-8859-1"},
    {"geostd8", "GEORGIAN-PS"},
}};

constexpr size_t kCollationTableSize = 4096;  // every id MySQL or MariaDB assigns is below

Encoding classify(std::string_view charset) {
    if (charset == "latin1") return kLatin1;
    if (charset == "binary") return kBinary;
    for (size_t i = 0; i < kIconvNames.size(); ++i) {
        if (kIconvNames[i].charset == charset) return static_cast<Encoding>(kFirstIconv + i);
    }
    return kUtf8;  // utf8mb4, utf8mb3, ascii, unknown
}

Encoding encoding_of(uint16_t collation) {
    static const auto table = [] {
        std::array<Encoding, kCollationTableSize> t{};
        for (size_t id = 0; id < t.size(); ++id) {
            t[id] = classify(model::charset_of_collation(static_cast<uint16_t>(id)));
        }
        return t;
    }();
    return collation < kCollationTableSize ? table[collation] : kUtf8;
}

void append_utf8_json(std::string_view s, std::string& out) { append_json_text(out, s); }

// The conversion buffers are kept per thread for their capacity; one a huge value grew is
// released, so it does not stay resident after the row (docs/MEMORY.md).
void release_if_huge(std::string& buf) {
    constexpr size_t kKeepCapacity = size_t{16} << 20;
    if (buf.capacity() > kKeepCapacity) std::string().swap(buf);
}

// MySQL's latin1 (ctype-latin1.cc): cp1252, with its five holes mapped to C1 controls.
constexpr uint16_t kLatin1High[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

void append_latin1_json(std::string_view s, std::string& out) {
    bool ascii = true;
    for (char c : s) ascii &= static_cast<unsigned char>(c) < 0x80;
    if (ascii) {
        append_utf8_json(s, out);
        return;
    }
    thread_local std::string utf8;
    utf8.clear();
    for (char ch : s) {
        auto c = static_cast<unsigned char>(ch);
        uint32_t cp = c < 0x80 || c >= 0xA0 ? c : kLatin1High[c - 0x80];
        if (cp < 0x80) {
            utf8 += static_cast<char>(cp);
        } else if (cp < 0x800) {
            utf8 += static_cast<char>(0xC0 | (cp >> 6));
            utf8 += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            utf8 += static_cast<char>(0xE0 | (cp >> 12));
            utf8 += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            utf8 += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }
    append_json_string(out, utf8);
    release_if_huge(utf8);
}

constexpr char kReplacement[] = "\xEF\xBF\xBD";  // U+FFFD in UTF-8

// One converter per charset, opened on first use, closed when the thread ends. iconv_t is not
// thread-safe, hence per thread.
class IconvCache {
public:
    IconvCache() = default;
    IconvCache(const IconvCache&) = delete;
    IconvCache& operator=(const IconvCache&) = delete;
    ~IconvCache() {
        for (iconv_t cd : cds_) {
            if (cd != nullptr && cd != failed()) iconv_close(cd);
        }
    }

    // nullptr when glibc cannot convert this charset.
    iconv_t get(size_t slot) {
        iconv_t& cd = cds_[slot];
        if (cd == nullptr) cd = iconv_open("UTF-8", kIconvNames[slot].iconv);
        return cd == failed() ? nullptr : cd;
    }

private:
    static iconv_t failed() { return reinterpret_cast<iconv_t>(-1); }
    std::array<iconv_t, kIconvNames.size()> cds_{};
};

// Appends `in` converted to UTF-8 to buf at `written` (buf only grows); invalid or truncated
// sequences become U+FFFD. Returns the new end.
size_t iconv_append(iconv_t cd, std::string_view in, std::string& buf, size_t written) {
    iconv(cd, nullptr, nullptr, nullptr, nullptr);  // reset shift state
    // 2 output bytes per input byte cover most text (Cyrillic in cp1251, CJK in a 2-byte
    // charset: 1.5); E2BIG grows it for the rest. resize() writes every byte it adds.
    if (buf.size() < written + in.size() * 2 + 16) buf.resize(written + in.size() * 2 + 16);
    char* src = const_cast<char*>(in.data());  // iconv's signature; it does not write
    size_t src_left = in.size();
    while (src_left > 0) {
        char* dst = buf.data() + written;
        size_t dst_left = buf.size() - written;
        size_t rc = iconv(cd, &src, &src_left, &dst, &dst_left);
        written = static_cast<size_t>(dst - buf.data());
        if (rc != static_cast<size_t>(-1)) break;
        int err = errno;
        if (err == E2BIG || buf.size() - written < sizeof kReplacement) {
            buf.resize(buf.size() * 2);
            if (err == E2BIG) continue;
        }
        buf.replace(written, sizeof kReplacement - 1, kReplacement, sizeof kReplacement - 1);
        written += sizeof kReplacement - 1;
        if (err != EILSEQ) break;  // EINVAL: an incomplete sequence ends the input
        ++src;
        --src_left;
    }
    return written;
}

size_t append_code_point(uint32_t cp, std::string& buf, size_t written) {
    char u[4];
    size_t n = 0;
    if (cp < 0x80) {
        u[n++] = static_cast<char>(cp);
    } else if (cp < 0x800) {
        u[n++] = static_cast<char>(0xC0 | (cp >> 6));
        u[n++] = static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        u[n++] = static_cast<char>(0xE0 | (cp >> 12));
        u[n++] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        u[n++] = static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        u[n++] = static_cast<char>(0xF0 | (cp >> 18));
        u[n++] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        u[n++] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        u[n++] = static_cast<char>(0x80 | (cp & 0x3F));
    }
    if (buf.size() < written + n) buf.resize(written + n + 16);
    std::memcpy(buf.data() + written, u, n);
    return written + n;
}

// Converts `in` to UTF-8 in `buf` (reused, only grows); the characters of charset_overrides
// get the server's code point, the text between them goes through iconv. Returns false when
// the charset has no converter.
bool convert_with_iconv(size_t slot, std::string_view in, std::string& buf,
                        std::string_view& utf8) {
    thread_local IconvCache cache;
    iconv_t cd = cache.get(slot);
    if (cd == nullptr) return false;
    std::string_view charset = kIconvNames[slot].charset;
    std::span<const CharOverride> overrides = charset_overrides(charset);
    size_t written = 0;
    if (overrides.empty()) {
        written = iconv_append(cd, in, buf, 0);
    } else {
        CharShape shape = char_shape(charset);
        size_t segment = 0;
        for (size_t i = 0; i < in.size();) {
            size_t n = char_length(shape, static_cast<unsigned char>(in[i]));
            if (n > in.size() - i) break;  // a truncated last character: iconv's U+FFFD
            uint32_t code = 0;
            for (size_t k = 0; k < n; ++k) code = code << 8 | static_cast<unsigned char>(in[i + k]);
            if (auto cp = override_for(overrides, code)) {
                written = iconv_append(cd, in.substr(segment, i - segment), buf, written);
                written = append_code_point(*cp, buf, written);
                segment = i + n;
            }
            i += n;
        }
        written = iconv_append(cd, in.substr(segment), buf, written);
    }
    utf8 = std::string_view(buf.data(), written);
    return true;
}

}  // namespace

char* write_plain_text_json(std::string_view bytes, uint16_t collation, char* p) {
    Encoding e = encoding_of(collation);
    if (e != kUtf8 && e != kLatin1) return nullptr;
    if (plain_ascii_prefix(bytes) != bytes.size()) return nullptr;
    *p++ = '"';
    std::memcpy(p, bytes.data(), bytes.size());
    p += bytes.size();
    *p++ = '"';
    return p;
}

void append_text_json(std::string_view bytes, uint16_t collation, std::string& out) {
    Encoding e = encoding_of(collation);
    switch (e) {
        case kUtf8: append_utf8_json(bytes, out); return;
        case kLatin1: append_latin1_json(bytes, out); return;
        case kBinary:
            out += '"';
            append_base64(bytes, out);
            out += '"';
            return;
        default: break;
    }
    thread_local std::string buf;
    std::string_view utf8;
    if (convert_with_iconv(e - kFirstIconv, bytes, buf, utf8)) {
        append_json_string(out, utf8);
        release_if_huge(buf);
    } else {
        append_utf8_json(bytes, out);
    }
}

}  // namespace cdc::format

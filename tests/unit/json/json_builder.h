// A small encoder of MySQL binary JSON for tests: builds documents node by node, in the
// small or large container formats, so every node type can be tested by hand.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace cdc::test {

struct JVal {
    uint8_t type = 0x04;
    std::vector<uint8_t> bytes;  // the value's encoding, without its type byte
};

inline void put_le(std::vector<uint8_t>& out, uint64_t v, size_t n) {
    for (size_t i = 0; i < n; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

inline void put_varlen(std::vector<uint8_t>& out, uint64_t n) {
    do {
        uint8_t b = n & 0x7f;
        n >>= 7;
        if (n != 0) b |= 0x80;
        out.push_back(b);
    } while (n != 0);
}

inline JVal jlit(uint8_t v) { return {0x04, {v}}; }
inline JVal jnull() { return jlit(0); }
inline JVal jbool(bool b) { return jlit(b ? 1 : 2); }
inline JVal jint(uint8_t type, uint64_t v, size_t n) {
    JVal j{type, {}};
    put_le(j.bytes, v, n);
    return j;
}
inline JVal jint16(int16_t v) { return jint(0x05, static_cast<uint16_t>(v), 2); }
inline JVal juint16(uint16_t v) { return jint(0x06, v, 2); }
inline JVal jint32(int32_t v) { return jint(0x07, static_cast<uint32_t>(v), 4); }
inline JVal juint32(uint32_t v) { return jint(0x08, v, 4); }
inline JVal jint64(int64_t v) { return jint(0x09, static_cast<uint64_t>(v), 8); }
inline JVal juint64(uint64_t v) { return jint(0x0a, v, 8); }
inline JVal jdouble(double d) {
    uint64_t v;
    std::memcpy(&v, &d, 8);
    return jint(0x0b, v, 8);
}
inline JVal jstr(const std::string& s) {
    JVal j{0x0c, {}};
    put_varlen(j.bytes, s.size());
    j.bytes.insert(j.bytes.end(), s.begin(), s.end());
    return j;
}
inline JVal jopaque(uint8_t field_type, const std::vector<uint8_t>& data) {
    JVal j{0x0f, {field_type}};
    put_varlen(j.bytes, data.size());
    j.bytes.insert(j.bytes.end(), data.begin(), data.end());
    return j;
}

inline bool inlined(uint8_t type, bool large) {
    return type == 0x04 || type == 0x05 || type == 0x06 ||
           (large && (type == 0x07 || type == 0x08));
}

inline JVal jcontainer(bool object, const std::vector<std::pair<std::string, JVal>>& members,
                       bool large) {
    const size_t osz = large ? 4 : 2;
    const size_t n = members.size();
    size_t header = 2 * osz + n * (1 + osz) + (object ? n * (osz + 2) : 0);
    std::vector<uint8_t> keys, values, entries, key_entries;
    size_t pos = header;
    for (const auto& [k, v] : members) pos += object ? k.size() : 0;
    size_t key_pos = header;
    for (const auto& [k, v] : members) {
        if (object) {
            put_le(key_entries, key_pos, osz);
            put_le(key_entries, k.size(), 2);
            keys.insert(keys.end(), k.begin(), k.end());
            key_pos += k.size();
        }
        entries.push_back(v.type);
        if (inlined(v.type, large)) {
            std::vector<uint8_t> inl = v.bytes;
            inl.resize(osz, 0);
            entries.insert(entries.end(), inl.begin(), inl.end());
        } else {
            put_le(entries, pos + values.size(), osz);
            values.insert(values.end(), v.bytes.begin(), v.bytes.end());
        }
    }
    JVal j{static_cast<uint8_t>((object ? 0x00 : 0x02) + (large ? 1 : 0)), {}};
    put_le(j.bytes, n, osz);
    put_le(j.bytes, pos + values.size(), osz);
    for (auto* part : {&key_entries, &entries, &keys, &values}) {
        j.bytes.insert(j.bytes.end(), part->begin(), part->end());
    }
    return j;
}

inline JVal jobject(const std::vector<std::pair<std::string, JVal>>& members, bool large = false) {
    return jcontainer(true, members, large);
}
inline JVal jarray(const std::vector<JVal>& elems, bool large = false) {
    std::vector<std::pair<std::string, JVal>> m;
    for (const auto& e : elems) m.emplace_back(std::string(), e);
    return jcontainer(false, m, large);
}

inline std::vector<uint8_t> jdoc(const JVal& v) {
    std::vector<uint8_t> out{v.type};
    out.insert(out.end(), v.bytes.begin(), v.bytes.end());
    return out;
}

inline std::vector<uint8_t> from_hex(const std::string& hex) {
    std::vector<uint8_t> out;
    for (size_t i = 0; i + 1 < hex.size(); i += 2) {
        out.push_back(static_cast<uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    }
    return out;
}

}  // namespace cdc::test

#include "sink/kafka/kafka_partitioner.h"

#include <cassert>

namespace cdc::sink {

int32_t kafka_murmur2(std::string_view bytes) {
    // Unsigned arithmetic gives Java's wrap-around int semantics without undefined behaviour.
    constexpr uint32_t kSeed = 0x9747b28cU;
    constexpr uint32_t kM = 0x5bd1e995U;
    constexpr int kR = 24;
    const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
    const size_t length = bytes.size();
    uint32_t h = kSeed ^ static_cast<uint32_t>(length);
    const size_t blocks = length / 4;
    for (size_t i = 0; i < blocks; ++i) {
        const unsigned char* p = data + i * 4;
        uint32_t k = static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
                     (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
        k *= kM;
        k ^= k >> kR;
        k *= kM;
        h *= kM;
        h ^= k;
    }
    const unsigned char* tail = data + blocks * 4;
    switch (length % 4) {
        case 3: h ^= static_cast<uint32_t>(tail[2]) << 16; [[fallthrough]];
        case 2: h ^= static_cast<uint32_t>(tail[1]) << 8; [[fallthrough]];
        case 1:
            h ^= static_cast<uint32_t>(tail[0]);
            h *= kM;
            break;
        default: break;
    }
    h ^= h >> 13;
    h *= kM;
    h ^= h >> 15;
    return static_cast<int32_t>(h);
}

int32_t partition_for_key(std::string_view key, int32_t partition_count) {
    assert(partition_count > 0);
    auto positive = static_cast<uint32_t>(kafka_murmur2(key)) & 0x7fffffffU;
    return static_cast<int32_t>(positive % static_cast<uint32_t>(partition_count));
}

}  // namespace cdc::sink

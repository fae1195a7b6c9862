// Deterministic partitioning for KafkaSink: the same key always goes to the same partition (for
// a given partition count), whatever the client library or its version. Exactly-once on restart
// depends on it: a replayed change must land in the partition whose last message is compared
// with it. The hash is Kafka's murmur2 (the Java client's default partitioner), so a Java
// producer with the same key agrees with us.
#pragma once

#include <cstdint>
#include <string_view>

namespace cdc::sink {

// Kafka's murmur2 of the bytes, as a signed 32-bit value (Java's `Utils.murmur2`).
int32_t kafka_murmur2(std::string_view bytes);

// The partition for a key: (murmur2(key) & 0x7fffffff) % partition_count. partition_count > 0.
int32_t partition_for_key(std::string_view key, int32_t partition_count);

}  // namespace cdc::sink

// OutputShape: which OUTPUT_FORMAT and key scheme (KAFKA_MESSAGE_KEY) wrote a message, read
// off its key and value.
//
// The resume scan learns it for the newest message of each partition: when a run crashed
// after delivering changes its checkpoint does not cover, the replay recognises them only if
// it sends them under the same keys (the same partitions) and parts. The state file records
// the shape too, but not when the output was written by the original connector or an older
// mysql-cdc, nor when the crashed run switched the shape and never saved a checkpoint.
//
//   infer_output_shape(R"({"table":"shop.orders","key":[2]})", R"({"kind":"insert",...})")
//   // {format "seed", key "primary_key"}
#pragma once

#include <string>
#include <string_view>

namespace cdc::sink {

struct OutputShape {
    std::string format;  // "seed" | "debezium"; "" when the value does not tell (a tombstone)
    std::string key;     // "primary_key" | "bare_primary_key" | "table"; "" when the key does not
                         // tell (null, a truncate's or a schema change's key)
    friend bool operator==(const OutputShape&, const OutputShape&) = default;
};

// A null key or value is passed as nullptr data (empty views are empty keys or values).
OutputShape infer_output_shape(std::string_view key, std::string_view value);

}  // namespace cdc::sink

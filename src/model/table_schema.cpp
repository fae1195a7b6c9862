#include "model/table_schema.h"

#include <atomic>

namespace cdc::model {

uint64_t next_schema_generation() {
    // Every schema in the process gets its own generation, whichever module built it.
    static std::atomic<uint64_t> counter{0};
    return ++counter;
}

}  // namespace cdc::model

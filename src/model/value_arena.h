// ValueArena: stable storage for bytes that a decoded Value must point at but that are not in
// the event itself (charset-free JSON text, a JSON document with a partial update applied, ...).
//
// Memory is kept in blocks that never move, so views stay valid until reset(). reset() keeps
// the first block for reuse, so a row decoder that resets per row allocates nothing in steady
// state.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

namespace cdc::model {

class ValueArena {
public:
    explicit ValueArena(size_t block_size = 16 * 1024) : block_size_(block_size) {}
    ValueArena(ValueArena&&) = default;
    ValueArena& operator=(ValueArena&&) = default;
    ValueArena(const ValueArena&) = delete;
    ValueArena& operator=(const ValueArena&) = delete;

    // Copies s into the arena and returns a view of the copy.
    std::string_view store(std::string_view s);
    // Reserves n bytes to be written by the caller.
    char* allocate(size_t n);
    void reset();

private:
    struct Block {
        std::unique_ptr<char[]> data;
        size_t size;
    };
    std::vector<Block> blocks_;
    size_t block_size_;
    size_t used_in_last_ = 0;
};

}  // namespace cdc::model

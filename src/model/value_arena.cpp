#include "model/value_arena.h"

#include <algorithm>
#include <cstring>

namespace cdc::model {

char* ValueArena::allocate(size_t n) {
    if (blocks_.empty() || blocks_.back().size - used_in_last_ < n) {
        size_t size = std::max(block_size_, n);
        blocks_.push_back(Block{std::make_unique<char[]>(size), size});
        used_in_last_ = 0;
    }
    char* p = blocks_.back().data.get() + used_in_last_;
    used_in_last_ += n;
    return p;
}

std::string_view ValueArena::store(std::string_view s) {
    if (s.empty()) return {};
    char* p = allocate(s.size());
    std::memcpy(p, s.data(), s.size());
    return {p, s.size()};
}

void ValueArena::reset() {
    if (blocks_.size() > 1) {
        // Keep one block of the normal size; drop oversized ones so a single huge value does
        // not pin memory forever.
        auto keep = std::find_if(blocks_.begin(), blocks_.end(),
                                 [&](const Block& b) { return b.size == block_size_; });
        if (keep != blocks_.end()) {
            Block b = std::move(*keep);
            blocks_.clear();
            blocks_.push_back(std::move(b));
        } else {
            blocks_.clear();
        }
    } else if (!blocks_.empty() && blocks_.back().size != block_size_) {
        blocks_.clear();
    }
    used_in_last_ = 0;
}

}  // namespace cdc::model

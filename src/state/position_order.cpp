#include "state/position_order.h"

#include <algorithm>
#include <cctype>

namespace cdc::state {
namespace {

struct SplitName {
    std::string base;
    std::string number;  // digits without leading zeros ("" for 0)
};

std::optional<SplitName> split(const std::string& file) {
    size_t dot = file.rfind('.');
    if (dot == std::string::npos || dot + 1 == file.size()) return std::nullopt;
    std::string digits = file.substr(dot + 1);
    if (!std::all_of(digits.begin(), digits.end(),
                     [](unsigned char c) { return std::isdigit(c) != 0; })) {
        return std::nullopt;
    }
    size_t first = digits.find_first_not_of('0');
    return SplitName{file.substr(0, dot),
                     first == std::string::npos ? std::string() : digits.substr(first)};
}

}  // namespace

std::optional<std::strong_ordering> compare_files(const std::string& a, const std::string& b) {
    if (a == b) return std::strong_ordering::equal;
    auto sa = split(a);
    auto sb = split(b);
    if (!sa || !sb || sa->base != sb->base) return std::nullopt;
    if (sa->number.size() != sb->number.size()) return sa->number.size() <=> sb->number.size();
    return sa->number.compare(sb->number) <=> 0;
}

std::optional<std::strong_ordering> compare_positions(const model::BinlogPosition& a,
                                                      const model::BinlogPosition& b) {
    auto files = compare_files(a.file, b.file);
    if (!files) return std::nullopt;
    if (*files != std::strong_ordering::equal) return files;
    return a.pos <=> b.pos;
}

}  // namespace cdc::state

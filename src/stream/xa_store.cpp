#include "stream/xa_store.h"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace cdc::stream {
namespace {

// Splits "mysql-bin.000012" into ("mysql-bin", "12"); an empty number when the name has no
// numeric extension.
std::pair<std::string_view, std::string_view> split_name(std::string_view name) {
    size_t dot = name.rfind('.');
    if (dot == std::string_view::npos || dot + 1 == name.size()) return {name, {}};
    std::string_view digits = name.substr(dot + 1);
    if (!std::all_of(digits.begin(), digits.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })) {
        return {name, {}};
    }
    size_t first = digits.find_first_not_of('0');
    digits = first == std::string_view::npos ? std::string_view("0") : digits.substr(first);
    return {name.substr(0, dot), digits};
}

}  // namespace

bool position_before(const model::BinlogPosition& a, const model::BinlogPosition& b) {
    if (a.file != b.file) {
        auto [base_a, num_a] = split_name(a.file);
        auto [base_b, num_b] = split_name(b.file);
        if (base_a != base_b || num_a.empty() || num_b.empty()) return a.file < b.file;
        if (num_a.size() != num_b.size()) return num_a.size() < num_b.size();
        return num_a < num_b;
    }
    return a.pos < b.pos;
}

}  // namespace cdc::stream

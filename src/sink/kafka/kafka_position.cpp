#include "sink/kafka/kafka_position.h"

#include <charconv>

#include "common/parse_number.h"

namespace cdc::sink {
namespace {

struct SplitName {
    std::string_view base;
    std::string_view digits;  // without leading zeros; empty when the suffix is not a number
    bool numeric = false;
};

SplitName split_name(std::string_view name) {
    SplitName s;
    size_t dot = name.rfind('.');
    if (dot == std::string_view::npos || dot + 1 == name.size()) {
        s.base = name;
        return s;
    }
    std::string_view suffix = name.substr(dot + 1);
    for (char c : suffix) {
        if (c < '0' || c > '9') {
            s.base = name;
            return s;
        }
    }
    s.base = name.substr(0, dot);
    size_t nz = suffix.find_first_not_of('0');
    s.digits = nz == std::string_view::npos ? std::string_view{} : suffix.substr(nz);
    s.numeric = true;
    return s;
}

std::strong_ordering compare_views(std::string_view a, std::string_view b) {
    int c = a.compare(b);
    if (c < 0) return std::strong_ordering::less;
    if (c > 0) return std::strong_ordering::greater;
    return std::strong_ordering::equal;
}

// The value of a header as a view, or nullopt when the message does not have it.
std::optional<std::string_view> header(const rd_kafka_headers_t* headers, const char* name) {
    const void* value = nullptr;
    size_t size = 0;
    if (rd_kafka_header_get_last(headers, name, &value, &size) != RD_KAFKA_RESP_ERR_NO_ERROR) {
        return std::nullopt;
    }
    if (value == nullptr) return std::string_view{};
    return std::string_view(static_cast<const char*>(value), size);
}

}  // namespace

std::string ChangePosition::to_string() const {
    return file + ":" + std::to_string(pos) + (snapshot ? " snapshot row " : " row ") +
           std::to_string(row);
}

std::strong_ordering compare_binlog_files(std::string_view a, std::string_view b) {
    SplitName sa = split_name(a);
    SplitName sb = split_name(b);
    if (sa.numeric && sb.numeric) {
        // Numbers of any length: more digits is larger, equal lengths compare as text.
        if (sa.digits.size() != sb.digits.size()) return sa.digits.size() <=> sb.digits.size();
        auto c = compare_views(sa.digits, sb.digits);
        if (c != 0) return c;
        return compare_views(sa.base, sb.base);
    }
    return compare_views(a, b);
}

std::strong_ordering compare_position(std::string_view file, uint64_t pos, uint64_t row,
                                      const ChangePosition& b, bool snapshot) {
    if (file != b.file) {
        auto c = compare_binlog_files(file, b.file);
        if (c != 0) return c;
    }
    if (pos != b.pos) return pos <=> b.pos;
    if (snapshot != b.snapshot) {
        return snapshot ? std::strong_ordering::less : std::strong_ordering::greater;
    }
    return row <=> b.row;
}

std::strong_ordering operator<=>(const ChangePosition& a, const ChangePosition& b) {
    return compare_position(a.file, a.pos, a.row, b, a.snapshot);
}

DecimalText::DecimalText(uint64_t v) {
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    (void)ec;  // 24 bytes hold any uint64_t
    len = static_cast<size_t>(end - buf);
}

Result<std::optional<ChangePosition>> position_from_headers(const rd_kafka_headers_t* headers) {
    if (headers == nullptr) return std::optional<ChangePosition>{};
    auto file = header(headers, kHeaderFile);
    auto pos = header(headers, kHeaderPos);
    auto row = header(headers, kHeaderRow);
    if (!file && !pos && !row) return std::optional<ChangePosition>{};
    ChangePosition p;
    if (!file || file->empty() || !pos || !row || !parse_number(*pos, p.pos) ||
        !parse_number(*row, p.row)) {
        return make_error(Errc::Malformed,
                          std::string("message has unreadable position headers (") + kHeaderFile +
                              "=" + std::string(file.value_or("<none>")) + ", " + kHeaderPos + "=" +
                              std::string(pos.value_or("<none>")) + ", " + kHeaderRow + "=" +
                              std::string(row.value_or("<none>")) + ")");
    }
    p.file = std::string(*file);
    auto snapshot = header(headers, kHeaderSnapshot);
    p.snapshot = snapshot && *snapshot == "true";
    return std::optional<ChangePosition>{std::move(p)};
}

}  // namespace cdc::sink

#include "sink/kafka/kafka_position.h"

#include <charconv>

#include "common/parse_number.h"
#include "sink/kafka/kafka_position_header.h"

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
           std::to_string(row) + (part != 0 ? " part " + std::to_string(part) : "");
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
                                      const ChangePosition& b, bool snapshot, uint32_t part) {
    if (file != b.file) {
        auto c = compare_binlog_files(file, b.file);
        if (c != 0) return c;
    }
    if (pos != b.pos) return pos <=> b.pos;
    if (snapshot != b.snapshot) {
        return snapshot ? std::strong_ordering::less : std::strong_ordering::greater;
    }
    if (row != b.row) return row <=> b.row;
    return part <=> b.part;
}

std::strong_ordering operator<=>(const ChangePosition& a, const ChangePosition& b) {
    return compare_position(a.file, a.pos, a.row, b, a.snapshot, a.part);
}

std::optional<bool> replayed_not_newer(const ReplayedChange& c, const ChangePosition& newest) {
    const bool same_server = c.server_id == newest.server_id;
    const bool unknown_server = c.server_id == 0 || newest.server_id == 0;
    const bool same_domain =
        c.has_gtid_seq && newest.has_gtid_seq && c.gtid_domain == newest.gtid_domain;
    if (same_server || (unknown_server && !same_domain)) {
        return compare_position(c.file, c.pos, c.row, newest, false, c.part) <= 0;
    }
    // Another server's binlog: only a domain's sequence numbers are common to both.
    if (newest.snapshot) return false;  // every streamed change follows the snapshot's rows
    if (!same_domain) return std::nullopt;
    if (c.gtid_seq != newest.gtid_seq) return c.gtid_seq < newest.gtid_seq;
    if (c.row != newest.row) return c.row < newest.row;
    return c.part <= newest.part;
}

DecimalText::DecimalText(uint64_t v) {
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    (void)ec;  // 24 bytes hold any uint64_t
    len = static_cast<size_t>(end - buf);
}

void set_position_gtid(ChangePosition& p, std::string_view gtid) {
    // A MariaDB GTID (domain-server-seq); a MySQL GTID is not ordered here.
    auto one = model::MariaGtidState::parse(gtid);
    if (one && one->domains().size() == 1) {
        p.has_gtid_seq = true;
        p.gtid_domain = one->domains()[0].domain;
        p.gtid_seq = one->domains()[0].seq;
    } else if (!one) {
        p.mysql_gtid = std::string(gtid);
    }
}

Result<std::optional<ChangePosition>> position_from_headers(const rd_kafka_headers_t* headers) {
    if (headers == nullptr) return std::optional<ChangePosition>{};
    if (auto packed = header(headers, kHeaderPosition)) {
        auto p = parse_position_header(*packed);
        if (!p) return p.error();
        return std::optional<ChangePosition>{std::move(*p)};
    }
    // The multi-header form of versions before the packed header: still read, so a topic
    // written by one resumes exactly once after an upgrade.
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
    if (auto part = header(headers, kHeaderPart)) {
        uint64_t n = 0;
        if (!parse_number(*part, n) || n > UINT32_MAX) {
            return make_error(Errc::Malformed, std::string("message has an unreadable ") +
                                                   kHeaderPart + " header (" + std::string(*part) +
                                                   ")");
        }
        p.part = static_cast<uint32_t>(n);
    }
    if (auto server = header(headers, kHeaderServerId)) {
        uint64_t id = 0;
        if (!parse_number(*server, id) || id > UINT32_MAX) {
            return make_error(Errc::Malformed, std::string("message has an unreadable ") +
                                                   kHeaderServerId + " header (" +
                                                   std::string(*server) + ")");
        }
        p.server_id = static_cast<uint32_t>(id);
    }
    if (auto gtid = header(headers, kHeaderGtid)) set_position_gtid(p, *gtid);
    return std::optional<ChangePosition>{std::move(p)};
}

}  // namespace cdc::sink

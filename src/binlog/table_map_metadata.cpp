// TABLE_MAP optional metadata: type-length-value fields (1-byte type, packed length), one
// small parser per field. Lists that cover a subset of the columns (charsets, labels,
// signedness, ...) follow the column order restricted to that subset; which columns belong to
// each subset follows MySQL's / MariaDB's Table_map_log_event exactly.
#include <functional>

#include "binlog/table_map.h"

namespace cdc::binlog {

namespace {

using model::ColumnDef;
using model::ColumnType;
using model::TableSchema;

enum class OptionalField : uint8_t {
    SIGNEDNESS = 1,
    DEFAULT_CHARSET = 2,
    COLUMN_CHARSET = 3,
    COLUMN_NAME = 4,
    SET_STR_VALUE = 5,
    ENUM_STR_VALUE = 6,
    GEOMETRY_TYPE = 7,
    SIMPLE_PRIMARY_KEY = 8,
    PRIMARY_KEY_WITH_PREFIX = 9,
    ENUM_AND_SET_DEFAULT_CHARSET = 10,
    ENUM_AND_SET_COLUMN_CHARSET = 11,
    COLUMN_VISIBILITY = 12,
    VECTOR_DIMENSIONALITY = 13,
};

using ColumnFilter = std::function<bool(const ColumnDef&)>;

std::vector<ColumnDef*> select(TableSchema& s, const ColumnFilter& keep) {
    std::vector<ColumnDef*> out;
    for (ColumnDef& c : s.columns) {
        if (keep(c)) out.push_back(&c);
    }
    return out;
}

Status count_mismatch(const EventContext& ctx, std::string_view field, size_t got, size_t want) {
    return ctx.error(Errc::Malformed, std::string(field) + " has " + std::to_string(got) +
                                          " entries for " + std::to_string(want) + " columns");
}

// Bits, most significant first, one per selected column.
Status parse_bits(const EventContext& ctx, ByteReader& f, std::vector<ColumnDef*> cols,
                  const std::function<void(ColumnDef&, bool)>& set) {
    Bytes bits = f.rest();
    if (bits.size() != (cols.size() + 7) / 8) {
        return count_mismatch(ctx, "a bitmap field", bits.size() * 8, cols.size());
    }
    for (size_t i = 0; i < cols.size(); ++i) set(*cols[i], (bits[i / 8] & (0x80u >> (i % 8))) != 0);
    return {};
}

Status parse_default_charset(const EventContext& ctx, ByteReader& f, std::vector<ColumnDef*> cols) {
    auto fallback = static_cast<uint16_t>(f.read_packed_int());
    for (ColumnDef* c : cols) c->collation = fallback;
    while (f.ok() && !f.empty()) {
        uint64_t index = f.read_packed_int();
        auto collation = static_cast<uint16_t>(f.read_packed_int());
        if (f.ok() && index >= cols.size()) {
            return ctx.error(Errc::Malformed, "charset for column " + std::to_string(index) +
                                                  " of " + std::to_string(cols.size()));
        }
        if (f.ok()) cols[index]->collation = collation;
    }
    return {};
}

Status parse_column_charset(const EventContext& ctx, ByteReader& f, std::vector<ColumnDef*> cols) {
    size_t i = 0;
    for (; f.ok() && !f.empty(); ++i) {
        auto collation = static_cast<uint16_t>(f.read_packed_int());
        if (i < cols.size()) cols[i]->collation = collation;
    }
    if (f.ok() && i != cols.size()) return count_mismatch(ctx, "COLUMN_CHARSET", i, cols.size());
    return {};
}

Status parse_column_names(const EventContext& ctx, ByteReader& f, TableSchema& s) {
    size_t i = 0;
    for (; f.ok() && !f.empty(); ++i) {
        std::string_view name = f.read_packed_str();
        if (i < s.columns.size()) s.columns[i].name = std::string(name);
    }
    if (f.ok() && i != s.columns.size())
        return count_mismatch(ctx, "COLUMN_NAME", i, s.columns.size());
    s.has_column_names = true;
    return {};
}

Status parse_labels(const EventContext& ctx, ByteReader& f, std::vector<ColumnDef*> cols,
                    bool set) {
    size_t i = 0;
    for (; f.ok() && !f.empty(); ++i) {
        uint64_t count = f.read_packed_int();
        std::vector<std::string> labels;
        for (uint64_t k = 0; k < count && f.ok(); ++k) labels.emplace_back(f.read_packed_str());
        if (i < cols.size()) (set ? cols[i]->set_labels : cols[i]->enum_labels) = std::move(labels);
    }
    if (f.ok() && i != cols.size()) {
        return count_mismatch(ctx, set ? "SET_STR_VALUE" : "ENUM_STR_VALUE", i, cols.size());
    }
    return {};
}

// A packed integer per selected column.
Status parse_numbers(const EventContext& ctx, ByteReader& f, std::vector<ColumnDef*> cols,
                     std::string_view field, uint32_t ColumnDef::*member) {
    size_t i = 0;
    for (; f.ok() && !f.empty(); ++i) {
        auto v = static_cast<uint32_t>(f.read_packed_int());
        if (i < cols.size()) cols[i]->*member = v;
    }
    if (f.ok() && i != cols.size()) return count_mismatch(ctx, field, i, cols.size());
    return {};
}

Status parse_primary_key(const EventContext& ctx, ByteReader& f, TableSchema& s, bool prefixes) {
    while (f.ok() && !f.empty()) {
        uint64_t index = f.read_packed_int();
        if (prefixes) (void)f.read_packed_int();  // prefix length: the key is still the column
        if (f.ok() && index >= s.columns.size()) {
            return ctx.error(Errc::Malformed, "primary key column " + std::to_string(index) +
                                                  " of " + std::to_string(s.columns.size()));
        }
        if (f.ok()) s.primary_key.push_back(static_cast<uint32_t>(index));
    }
    return {};
}

// MySQL 8.0 releases whose writer used is_numeric_type (8.0.20 does) gave YEAR no bit: such a
// bitmap is one that fits the count without YEAR and not the count with it. When both counts need
// the same number of bytes the current writers' rule (YEAR has a bit) is the only one to follow.
Status parse_signedness(const EventContext& ctx, ByteReader& f, TableSchema& s) {
    auto set = [](ColumnDef& c, bool b) { c.is_unsigned = b; };
    std::vector<ColumnDef*> cols =
        select(s, [](const ColumnDef& c) { return has_signedness_bit(c.type); });
    size_t bytes = f.remaining();
    if (!ctx.fde.is_mariadb && bytes != (cols.size() + 7) / 8) {
        std::vector<ColumnDef*> without_year = select(s, [](const ColumnDef& c) {
            return c.type != ColumnType::Year && has_signedness_bit(c.type);
        });
        if (bytes == (without_year.size() + 7) / 8) return parse_bits(ctx, f, without_year, set);
    }
    return parse_bits(ctx, f, cols, set);
}

bool is_enum_or_set(const ColumnDef& c) {
    return c.type == ColumnType::Enum || c.type == ColumnType::Set;
}

Status parse_field(const EventContext& ctx, OptionalField type, ByteReader& f, TableSchema& s) {
    bool mariadb = ctx.fde.is_mariadb;
    auto character = [mariadb](const ColumnDef& c) { return is_character_column(c.type, mariadb); };
    auto of_type = [](ColumnType t) { return [t](const ColumnDef& c) { return c.type == t; }; };
    switch (type) {
        case OptionalField::SIGNEDNESS: return parse_signedness(ctx, f, s);
        case OptionalField::DEFAULT_CHARSET:
            return parse_default_charset(ctx, f, select(s, character));
        case OptionalField::COLUMN_CHARSET:
            return parse_column_charset(ctx, f, select(s, character));
        case OptionalField::COLUMN_NAME: return parse_column_names(ctx, f, s);
        case OptionalField::SET_STR_VALUE:
            return parse_labels(ctx, f, select(s, of_type(ColumnType::Set)), true);
        case OptionalField::ENUM_STR_VALUE:
            return parse_labels(ctx, f, select(s, of_type(ColumnType::Enum)), false);
        case OptionalField::GEOMETRY_TYPE:
            return parse_numbers(ctx, f, select(s, of_type(ColumnType::Geometry)), "GEOMETRY_TYPE",
                                 &ColumnDef::geometry_type);
        case OptionalField::SIMPLE_PRIMARY_KEY: return parse_primary_key(ctx, f, s, false);
        case OptionalField::PRIMARY_KEY_WITH_PREFIX: return parse_primary_key(ctx, f, s, true);
        case OptionalField::ENUM_AND_SET_DEFAULT_CHARSET:
            return parse_default_charset(ctx, f, select(s, is_enum_or_set));
        case OptionalField::ENUM_AND_SET_COLUMN_CHARSET:
            return parse_column_charset(ctx, f, select(s, is_enum_or_set));
        case OptionalField::COLUMN_VISIBILITY:
            return parse_bits(ctx, f, select(s, [](const ColumnDef&) { return true; }),
                              [](ColumnDef& c, bool b) { c.visible = b; });
        case OptionalField::VECTOR_DIMENSIONALITY:
            return parse_numbers(ctx, f, select(s, of_type(ColumnType::Vector)),
                                 "VECTOR_DIMENSIONALITY", &ColumnDef::vector_dimensions);
    }
    return {};  // a field added by a newer server: skipped
}

}  // namespace

bool is_character_column(ColumnType type, bool mariadb) {
    switch (type) {
        case ColumnType::String:
        case ColumnType::VarString:
        case ColumnType::VarChar:
        case ColumnType::Blob:
        case ColumnType::TinyBlob:
        case ColumnType::MediumBlob:
        case ColumnType::LongBlob: return true;
        case ColumnType::Geometry: return mariadb;
        case ColumnType::Vector: return !mariadb;
        default: return false;
    }
}

bool has_signedness_bit(ColumnType type) {
    switch (type) {
        case ColumnType::Year:
        case ColumnType::Decimal:
        case ColumnType::Tiny:
        case ColumnType::Short:
        case ColumnType::Int24:
        case ColumnType::Long:
        case ColumnType::LongLong:
        case ColumnType::NewDecimal:
        case ColumnType::Float:
        case ColumnType::Double: return true;
        default: return false;
    }
}

Status apply_optional_metadata(const EventContext& ctx, Bytes block, uint64_t block_offset,
                               TableSchema& schema) {
    ByteReader r(block, block_offset);
    while (r.ok() && !r.empty()) {
        auto type = static_cast<OptionalField>(r.read_u8());
        uint64_t length = r.read_packed_int();
        if (r.ok() && length > r.remaining()) {
            return ctx.error(Errc::Truncated, "optional metadata field " +
                                                  std::to_string(static_cast<int>(type)) + " of " +
                                                  std::to_string(length) + " bytes, " +
                                                  std::to_string(r.remaining()) + " left");
        }
        ByteReader field = r.sub_reader(static_cast<size_t>(length));
        if (!r.ok()) break;
        Status st = parse_field(ctx, type, field, schema);
        if (!st) return st;
        if (!field.ok()) return ctx.error(field);
    }
    if (!r.ok()) return ctx.error(r);
    return {};
}

}  // namespace cdc::binlog

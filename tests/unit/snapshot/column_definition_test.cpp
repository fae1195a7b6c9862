// information_schema.COLUMNS rows to the ColumnDef the binlog's TABLE_MAP gives the same column
// (binlog_row_metadata=FULL), which the Debezium format renders by.
#include "snapshot/column_definition.h"

#include <gtest/gtest.h>

namespace cdc::snapshot {
namespace {

using model::ColumnType;

InformationSchemaColumn info(std::string data_type, std::string column_type) {
    InformationSchemaColumn c;
    c.name = "c";
    c.data_type = std::move(data_type);
    c.column_type = std::move(column_type);
    return c;
}

TEST(ColumnDefinition, IntegersWithSignedness) {
    auto def = column_definition(info("int", "int(10) unsigned"));
    EXPECT_EQ(def.type, ColumnType::Long);
    EXPECT_TRUE(def.is_unsigned);
    EXPECT_EQ(def.name, "c");
    EXPECT_EQ(column_definition(info("tinyint", "tinyint(1)")).type, ColumnType::Tiny);
    EXPECT_FALSE(column_definition(info("tinyint", "tinyint(1)")).is_unsigned);
    EXPECT_EQ(column_definition(info("smallint", "smallint")).type, ColumnType::Short);
    EXPECT_EQ(column_definition(info("mediumint", "mediumint")).type, ColumnType::Int24);
    auto big = column_definition(info("bigint", "BIGINT UNSIGNED ZEROFILL"));
    EXPECT_EQ(big.type, ColumnType::LongLong);
    EXPECT_TRUE(big.is_unsigned);
}

TEST(ColumnDefinition, NullabilityFromIsNullable) {
    auto c = info("int", "int");
    c.nullable = false;
    EXPECT_FALSE(column_definition(c).nullable);
    c.nullable = true;
    EXPECT_TRUE(column_definition(c).nullable);
}

TEST(ColumnDefinition, NumericAndTemporalParameters) {
    auto d = info("decimal", "decimal(10,2)");
    d.precision = 10;
    d.scale = 2;
    auto dec = column_definition(d);
    EXPECT_EQ(dec.type, ColumnType::NewDecimal);
    EXPECT_EQ(dec.precision, 10);
    EXPECT_EQ(dec.scale, 2);
    auto b = info("bit", "bit(12)");
    b.precision = 12;
    EXPECT_EQ(column_definition(b).type, ColumnType::Bit);
    EXPECT_EQ(column_definition(b).bits, 12);
    auto dt = info("datetime", "datetime(3)");
    dt.fsp = 3;
    EXPECT_EQ(column_definition(dt).type, ColumnType::DateTime2);
    EXPECT_EQ(column_definition(dt).fsp, 3);
    auto ts = info("timestamp", "timestamp(6)");
    ts.fsp = 6;
    EXPECT_EQ(column_definition(ts).type, ColumnType::Timestamp2);
    EXPECT_EQ(column_definition(ts).fsp, 6);
    EXPECT_EQ(column_definition(info("time", "time")).type, ColumnType::Time2);
    EXPECT_EQ(column_definition(info("date", "date")).type, ColumnType::Date);
    EXPECT_EQ(column_definition(info("year", "year(4)")).type, ColumnType::Year);
    EXPECT_EQ(column_definition(info("float", "float")).type, ColumnType::Float);
    EXPECT_EQ(column_definition(info("double", "double")).type, ColumnType::Double);
}

TEST(ColumnDefinition, StringsAndBinaryStrings) {
    auto v = info("varchar", "varchar(10)");
    v.octet_length = 40;
    v.collation = 45;
    auto vc = column_definition(v);
    EXPECT_EQ(vc.type, ColumnType::VarChar);
    EXPECT_EQ(vc.max_length, 40u);
    EXPECT_EQ(vc.collation, 45);
    EXPECT_EQ(column_definition(info("char", "char(3)")).type, ColumnType::String);
    auto bin = column_definition(info("binary", "binary(4)"));
    EXPECT_EQ(bin.type, ColumnType::String);
    EXPECT_EQ(bin.collation, model::kBinaryCollation);
    EXPECT_EQ(column_definition(info("varbinary", "varbinary(4)")).collation,
              model::kBinaryCollation);
    EXPECT_EQ(column_definition(info("longblob", "longblob")).type, ColumnType::Blob);
    EXPECT_EQ(column_definition(info("longblob", "longblob")).collation, model::kBinaryCollation);
    EXPECT_EQ(column_definition(info("text", "text")).type, ColumnType::Blob);
    EXPECT_NE(column_definition(info("text", "text")).collation, model::kBinaryCollation);
    EXPECT_EQ(column_definition(info("json", "json")).type, ColumnType::Json);
    EXPECT_EQ(column_definition(info("point", "point")).type, ColumnType::Geometry);
    EXPECT_EQ(column_definition(info("point", "point")).geometry_type, 1u);
    EXPECT_EQ(column_definition(info("geometry", "geometry")).geometry_type, 0u);
    EXPECT_EQ(column_definition(info("geomcollection", "geomcollection")).geometry_type, 7u);
}

TEST(ColumnDefinition, EnumAndSetLabels) {
    auto e = column_definition(info("enum", "enum('Small','it''s','a,b','back\\\\slash')"));
    EXPECT_EQ(e.type, ColumnType::Enum);
    EXPECT_EQ(e.enum_labels, (std::vector<std::string>{"Small", "it's", "a,b", "back\\slash"}));
    EXPECT_FALSE(e.is_unsigned);
    auto s = column_definition(info("set", "set('x','unsigned')"));
    EXPECT_EQ(s.type, ColumnType::Set);
    EXPECT_EQ(s.set_labels, (std::vector<std::string>{"x", "unsigned"}));
    EXPECT_FALSE(s.is_unsigned);
    EXPECT_TRUE(enum_labels("enum()").empty());
}

}  // namespace
}  // namespace cdc::snapshot

#include "config/value_parsers.h"

#include <gtest/gtest.h>

namespace cdc::config {
namespace {

TEST(ConfigParseBool, AcceptsTheUsualSpellingsInAnyCase) {
    for (const char* t : {"true", "TRUE", "True", "1", "yes", "YES", "on", "On", " true "}) {
        EXPECT_EQ(parse_bool(t), true) << t;
    }
    for (const char* f : {"false", "FALSE", "0", "no", "No", "off", "OFF"}) {
        EXPECT_EQ(parse_bool(f), false) << f;
    }
    for (const char* bad : {"", "2", "y", "n", "tru", "enabled", "-1", "truee"}) {
        EXPECT_EQ(parse_bool(bad), std::nullopt) << bad;
    }
}

NumberResult num(std::int64_t v) { return v; }
NumberResult problem(NumberProblem p) { return p; }

TEST(ConfigParseInteger, AcceptsDecimalDigitsWithinBounds) {
    EXPECT_EQ(parse_integer("3306", 1, 65535), num(3306));
    EXPECT_EQ(parse_integer(" 1 ", 1, 65535), num(1));
    EXPECT_EQ(parse_integer("65535", 1, 65535), num(65535));
    EXPECT_EQ(parse_integer("0007", 1, 10), num(7));
    EXPECT_EQ(parse_integer("4294967295", 1, 4294967295), num(4294967295));
}

TEST(ConfigParseInteger, NamesTheProblem) {
    for (const char* bad : {"", "abc", "12abc", "1.5", "+5", "0x10", "1 2", "-", "1e3"}) {
        EXPECT_EQ(parse_integer(bad, 0, 100), problem(NumberProblem::NotANumber)) << bad;
    }
    EXPECT_EQ(parse_integer("0", 1, 100), problem(NumberProblem::OutOfRange));
    EXPECT_EQ(parse_integer("101", 1, 100), problem(NumberProblem::OutOfRange));
    EXPECT_EQ(parse_integer("-1", 0, 100), problem(NumberProblem::OutOfRange));
    EXPECT_EQ(parse_integer("99999999999999999999999", 0, 100),
              problem(NumberProblem::OutOfRange));
}

TEST(ConfigParseSize, AcceptsBinarySuffixes) {
    const std::int64_t max = 1LL << 30;
    EXPECT_EQ(parse_size("8388608", 1024, max), num(8388608));
    EXPECT_EQ(parse_size("8MiB", 1024, max), num(8 << 20));
    EXPECT_EQ(parse_size("8 mib", 1024, max), num(8 << 20));
    EXPECT_EQ(parse_size("64KiB", 1024, max), num(64 << 10));
    EXPECT_EQ(parse_size("1GiB", 1024, max), num(max));
    EXPECT_EQ(parse_size("2GiB", 1024, max), problem(NumberProblem::OutOfRange));
    EXPECT_EQ(parse_size("1000", 1024, max), problem(NumberProblem::OutOfRange));
    EXPECT_EQ(parse_size("8MB", 1024, max), problem(NumberProblem::NotANumber));
    EXPECT_EQ(parse_size("MiB", 1024, max), problem(NumberProblem::NotANumber));
    EXPECT_EQ(parse_size("1.5MiB", 1024, max), problem(NumberProblem::NotANumber));
    EXPECT_EQ(parse_size("99999999999999999999GiB", 1024, max),
              problem(NumberProblem::OutOfRange));
}

TEST(ConfigParseChoice, IsCaseInsensitive) {
    EXPECT_EQ(parse_choice("file", "stdout|file|kafka"), 1u);
    EXPECT_EQ(parse_choice("KAFKA", "stdout|file|kafka"), 2u);
    EXPECT_EQ(parse_choice(" stdout ", "stdout|file|kafka"), 0u);
    EXPECT_EQ(parse_choice("kafk", "stdout|file|kafka"), std::nullopt);
    EXPECT_EQ(parse_choice("stdout|file", "stdout|file|kafka"), std::nullopt);
}

TEST(ConfigParseChoice, ChoiceAtIndex) {
    EXPECT_EQ(choice_at("stdout|file|kafka", 0), "stdout");
    EXPECT_EQ(choice_at("stdout|file|kafka", 1), "file");
    EXPECT_EQ(choice_at("stdout|file|kafka", 2), "kafka");
    EXPECT_EQ(choice_at("stdout|file|kafka", 3), "?");
    EXPECT_EQ(choice_at("one", 0), "one");
}

TEST(ConfigSplitList, TrimsItemsAndKeepsEmptyOnes) {
    EXPECT_EQ(split_list("a"), (std::vector<std::string>{"a"}));
    EXPECT_EQ(split_list(" a , b.c ,d"), (std::vector<std::string>{"a", "b.c", "d"}));
    EXPECT_EQ(split_list("a,,b"), (std::vector<std::string>{"a", "", "b"}));
    EXPECT_EQ(split_list("a,"), (std::vector<std::string>{"a", ""}));
}

TEST(ConfigParseTableItem, TableOrSchemaDotTable) {
    EXPECT_EQ(std::get<model::TableId>(parse_table_item("orders")), (model::TableId{"", "orders"}));
    EXPECT_EQ(std::get<model::TableId>(parse_table_item("shop.orders")),
              (model::TableId{"shop", "orders"}));
    EXPECT_EQ(std::get<std::string>(parse_table_item(".orders")), "has an empty schema name");
    EXPECT_EQ(std::get<std::string>(parse_table_item("shop.")), "has an empty table name");
    EXPECT_EQ(std::get<std::string>(parse_table_item("a.b.c")), "has more than one dot");
}

TEST(ConfigTopicNames, FollowKafkaRules) {
    EXPECT_TRUE(is_valid_topic_name("cdc-changes_1.v2"));
    EXPECT_FALSE(is_valid_topic_name(""));
    EXPECT_FALSE(is_valid_topic_name("has space"));
    EXPECT_FALSE(is_valid_topic_name(".."));
    EXPECT_FALSE(is_valid_topic_name(std::string(250, 'a')));
    EXPECT_TRUE(is_valid_topic_name(std::string(249, 'a')));
}

TEST(ConfigTopicTemplate, OnlySchemaAndTablePlaceholders) {
    EXPECT_EQ(topic_template_problem("cdc.{schema}.{table}"), "");
    EXPECT_EQ(topic_template_problem("{table}"), "");
    EXPECT_EQ(topic_template_problem("cdc.{db}"), "has an unknown placeholder {db}");
    EXPECT_EQ(topic_template_problem("cdc.{schema"), "has an unclosed {");
    EXPECT_EQ(topic_template_problem("cdc}"), "has a } without {");
    EXPECT_EQ(topic_template_problem("cdc {table}"), "has a character not allowed in topic names");
    EXPECT_EQ(topic_template_problem("cdc"), "has no {schema} or {table} placeholder");
}

}  // namespace
}  // namespace cdc::config

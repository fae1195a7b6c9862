// check_output_switch: a change of OUTPUT_FORMAT or of the key scheme is allowed at a
// checkpoint, refused while the output holds changes newer than it (docs/STATE.md).
#include <gtest/gtest.h>

#include "app/record_options.h"
#include "config/config_loader.h"

namespace cdc::app {
namespace {

TEST(OutputSwitch, SameShapeOrFirstRunSaysNothing) {
    auto same = check_output_switch("seed", "primary_key", "seed", "primary_key", "row 3");
    ASSERT_TRUE(same.ok());
    EXPECT_EQ(*same, "");
    auto first = check_output_switch("", "", "debezium", "table", std::nullopt);
    ASSERT_TRUE(first.ok());
    EXPECT_EQ(*first, "");
}

TEST(OutputSwitch, AtTheCheckpointItIsAllowedAndSaid) {
    auto line =
        check_output_switch("seed", "bare_primary_key", "seed", "primary_key", std::nullopt);
    ASSERT_TRUE(line.ok());
    EXPECT_NE(line->find("bare_primary_key"), std::string::npos) << *line;
    EXPECT_NE(line->find("primary_key at the checkpoint"), std::string::npos) << *line;
}

TEST(OutputSwitch, WithChangesAfterTheCheckpointItIsRefusedNamingBoth) {
    for (auto [format, key] :
         {std::pair{"debezium", "bare_primary_key"}, std::pair{"seed", "table"}}) {
        auto refused = check_output_switch("seed", "bare_primary_key", format, key,
                                           std::string("mysql-bin.000002:400 row 3"));
        ASSERT_FALSE(refused.ok()) << format << " " << key;
        const std::string& m = refused.error().message;
        EXPECT_NE(m.find("OUTPUT_FORMAT=seed with the key scheme bare_primary_key"),
                  std::string::npos)
            << m;
        EXPECT_NE(m.find(std::string("OUTPUT_FORMAT=") + format + " with the key scheme " + key),
                  std::string::npos)
            << m;
        EXPECT_NE(m.find("SIGTERM"), std::string::npos) << m;
    }
}

TEST(RecordOptions, FromTheConfiguration) {
    config::EnvMap env{{"MYSQL_HOST", "db"},
                       {"MYSQL_USER", "cdc"},
                       {"MYSQL_TABLE", "shop.orders"},
                       {"KAFKA_BROKERS", "k:9092"},
                       {"output", "t"},
                       {"KAFKA_TOMBSTONES", "true"},
                       {"OUTPUT_FORMAT", "debezium"},
                       {"DEBEZIUM_DECIMAL_HANDLING", "double"}};
    auto c = config::load_config(env);
    ASSERT_TRUE(c.ok()) << c.error().message;
    stream::RecordOptions o = record_options(*c);
    EXPECT_EQ(o.format, stream::OutputFormat::Debezium);
    EXPECT_EQ(o.key, stream::MessageKey::PrimaryKey);
    EXPECT_TRUE(o.key_with_table);
    EXPECT_TRUE(o.tombstones);
    EXPECT_EQ(o.debezium.decimal, format::DecimalHandling::Double);
    EXPECT_EQ(stream::key_scheme_name(o), "primary_key");
    // Tombstones go to Kafka only.
    env.erase("KAFKA_BROKERS");
    env["OUTPUT_SINK"] = "stdout";
    auto s = config::load_config(env);
    ASSERT_TRUE(s.ok()) << s.error().message;
    EXPECT_FALSE(record_options(*s).tombstones);
}

// The messages after the checkpoint decide where they tell their shape: a seed state file
// (no shape: read as bare keys) over a topic this shape wrote is no switch; one the other
// shape wrote is refused whatever the state says.
TEST(OutputSwitch, TheMessagesAfterTheCheckpointDecide) {
    const std::optional<std::string> after = "topic t partition 0 holds mysql-bin.000002:400";
    std::vector<sink::OutputShape> same{{"seed", "primary_key"}, {"", ""}};
    auto ok = check_output_switch("seed", "bare_primary_key", "seed", "primary_key", after, same);
    ASSERT_TRUE(ok.ok()) << ok.error().message;
    std::vector<sink::OutputShape> other{{"seed", "primary_key"}, {"seed", "bare_primary_key"}};
    auto refused = check_output_switch("seed", "primary_key", "seed", "primary_key", after, other);
    ASSERT_FALSE(refused.ok());
    EXPECT_NE(refused.error().message.find("key scheme bare_primary_key"), std::string::npos)
        << refused.error().message;
    std::vector<sink::OutputShape> debezium{{"debezium", ""}};
    EXPECT_FALSE(check_output_switch("seed", "table", "seed", "table", after, debezium).ok());
    // Messages that tell nothing (tombstones, schema changes): the saved shape decides.
    std::vector<sink::OutputShape> silent{{"", ""}};
    EXPECT_FALSE(
        check_output_switch("seed", "bare_primary_key", "seed", "table", after, silent).ok());
}

TEST(OutputShape, ReadOffKeysAndValues) {
    using sink::infer_output_shape;
    using sink::OutputShape;
    EXPECT_EQ(infer_output_shape(R"({"table":"shop.orders","key":[2]})", R"({"kind":"insert"})"),
              (OutputShape{"seed", "primary_key"}));
    EXPECT_EQ(infer_output_shape("[2]", R"({"kind":"delete"})"),
              (OutputShape{"seed", "bare_primary_key"}));
    EXPECT_EQ(infer_output_shape("shop.orders", R"({"kind":"insert"})"),
              (OutputShape{"seed", "table"}));
    EXPECT_EQ(infer_output_shape(R"({"id":2})", R"({"before":null,"after":{"id":2}})"),
              (OutputShape{"debezium", "bare_primary_key"}));
    EXPECT_EQ(infer_output_shape(R"({"id":2,"__dbz__physicalTableIdentifier":"m.shop.orders"})",
                                 R"({"schema":{},"payload":{}})"),
              (OutputShape{"debezium", "primary_key"}));
    EXPECT_EQ(infer_output_shape("[2]", ""), (OutputShape{"", "bare_primary_key"}));  // tombstone
    EXPECT_EQ(infer_output_shape("", ""), (OutputShape{"", ""}));
    EXPECT_EQ(infer_output_shape("[]", R"({"kind":"truncate"})"), (OutputShape{"seed", ""}));
    EXPECT_EQ(infer_output_shape(R"("shop.orders")", R"({"kind":"ddl"})"),
              (OutputShape{"seed", ""}));
}

}  // namespace
}  // namespace cdc::app

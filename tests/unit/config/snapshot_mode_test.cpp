// SNAPSHOT_MODE and the seed's INITIAL_SNAPSHOT (docs/SNAPSHOT.md): SNAPSHOT_MODE wins when given,
// INITIAL_SNAPSHOT decides otherwise, and the two given in disagreement are one config error.
#include <gtest/gtest.h>

#include "config/config_loader.h"
#include "test_env.h"

namespace cdc::config {
namespace {

using testing::minimal_env;
using testing::with;

Result<Config> load(std::initializer_list<std::pair<const char*, const char*>> settings) {
    auto env = minimal_env();
    for (const auto& [name, value] : settings) env = with(env, name, value);
    return load_config(env);
}

TEST(SnapshotMode, DefaultIsNever) {
    Result<Config> c = load({});
    ASSERT_TRUE(c.ok()) << c.error().message;
    EXPECT_EQ(c->snapshot_mode, SnapshotMode::Never);
    EXPECT_FALSE(c->initial_snapshot);
    EXPECT_NE(c->redacted_summary().find("SNAPSHOT_MODE=never"), std::string::npos);
}

TEST(SnapshotMode, InitialSnapshotAloneDecides) {
    Result<Config> on = load({{"INITIAL_SNAPSHOT", "true"}});
    ASSERT_TRUE(on.ok()) << on.error().message;
    EXPECT_EQ(on->snapshot_mode, SnapshotMode::Initial);
    EXPECT_TRUE(on->initial_snapshot);
    Result<Config> off = load({{"INITIAL_SNAPSHOT", "false"}});
    ASSERT_TRUE(off.ok()) << off.error().message;
    EXPECT_EQ(off->snapshot_mode, SnapshotMode::Never);
    EXPECT_FALSE(off->initial_snapshot);
}

TEST(SnapshotMode, EachModeAlone) {
    for (auto [text, mode, snapshots] :
         {std::tuple{"initial", SnapshotMode::Initial, true},
          std::tuple{"never", SnapshotMode::Never, false},
          std::tuple{"WHEN_NEEDED", SnapshotMode::WhenNeeded, true}}) {
        Result<Config> c = load({{"SNAPSHOT_MODE", text}});
        ASSERT_TRUE(c.ok()) << text << ": " << c.error().message;
        EXPECT_EQ(c->snapshot_mode, mode) << text;
        EXPECT_EQ(c->initial_snapshot, snapshots) << text;
    }
}

TEST(SnapshotMode, AgreeingInitialSnapshotIsAccepted) {
    for (auto [mode, initial] : {std::pair{"initial", "true"}, std::pair{"when_needed", "yes"},
                                 std::pair{"never", "false"}}) {
        Result<Config> c = load({{"SNAPSHOT_MODE", mode}, {"INITIAL_SNAPSHOT", initial}});
        EXPECT_TRUE(c.ok()) << mode << "/" << initial << ": " << c.error().message;
    }
}

TEST(SnapshotMode, ConflictIsOneClearError) {
    for (auto [mode, initial] : {std::pair{"initial", "false"}, std::pair{"when_needed", "false"},
                                 std::pair{"never", "true"}}) {
        Result<Config> c = load({{"SNAPSHOT_MODE", mode}, {"INITIAL_SNAPSHOT", initial}});
        ASSERT_FALSE(c.ok()) << mode << "/" << initial;
        const std::string& m = c.error().message;
        EXPECT_EQ(m.find('\n'), std::string::npos) << m;
        EXPECT_NE(m.find(std::string("SNAPSHOT_MODE=") + mode), std::string::npos) << m;
        EXPECT_NE(m.find("INITIAL_SNAPSHOT="), std::string::npos) << m;
        EXPECT_NE(m.find("disagree"), std::string::npos) << m;
    }
}

TEST(SnapshotMode, UnknownModeIsRefused) {
    Result<Config> c = load({{"SNAPSHOT_MODE", "always"}});
    ASSERT_FALSE(c.ok());
    EXPECT_NE(c.error().message.find("initial, never, when_needed"), std::string::npos)
        << c.error().message;
}

TEST(EmitSchemaChanges, OffByDefaultOnWhenAsked) {
    Result<Config> off = load({});
    ASSERT_TRUE(off.ok()) << off.error().message;
    EXPECT_FALSE(off->emit_schema_changes);
    Result<Config> on = load({{"EMIT_SCHEMA_CHANGES", "true"}});
    ASSERT_TRUE(on.ok()) << on.error().message;
    EXPECT_TRUE(on->emit_schema_changes);
}

}  // namespace
}  // namespace cdc::config

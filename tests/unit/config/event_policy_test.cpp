// STATEMENT_EVENTS and INCIDENT_EVENTS (docs/EVENTS.md): stop by default, warn only when asked.
#include <gtest/gtest.h>

#include "config/config_loader.h"
#include "test_env.h"

namespace cdc::config {
namespace {

using testing::minimal_env;
using testing::with;

TEST(EventPolicy, DefaultIsToStop) {
    Result<Config> c = load_config(minimal_env());
    ASSERT_TRUE(c.ok()) << c.error().message;
    EXPECT_EQ(c->statement_events, EventPolicy::Fail);
    EXPECT_EQ(c->incident_events, EventPolicy::Fail);
    EXPECT_NE(c->redacted_summary().find("STATEMENT_EVENTS=fail"), std::string::npos);
}

TEST(EventPolicy, WarnIsAccepted) {
    Result<Config> c = load_config(
        with(with(minimal_env(), "STATEMENT_EVENTS", "warn"), "INCIDENT_EVENTS", "WARN"));
    ASSERT_TRUE(c.ok()) << c.error().message;
    EXPECT_EQ(c->statement_events, EventPolicy::Warn);
    EXPECT_EQ(c->incident_events, EventPolicy::Warn);
}

TEST(EventPolicy, OtherValuesAreRefused) {
    Result<Config> c = load_config(with(minimal_env(), "STATEMENT_EVENTS", "skip"));
    ASSERT_FALSE(c.ok());
    EXPECT_NE(c.error().message.find("STATEMENT_EVENTS"), std::string::npos);
    EXPECT_NE(c.error().message.find("fail, warn"), std::string::npos) << c.error().message;
}

}  // namespace
}  // namespace cdc::config

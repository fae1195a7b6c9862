// Failover by GTID: may the daemon continue on this server (pure part).
#include "mysql/gtid_failover.h"

#include <gtest/gtest.h>

namespace cdc::mysql {
namespace {

model::MariaGtidState state(const char* text) { return *model::MariaGtidState::parse(text); }

TEST(GtidFailover, AServerHoldingTheStateMayContinueWhateverItsServerIds) {
    EXPECT_EQ(judge_history(state("0-1-10"), state("0-2-15"), false), HistoryVerdict::Holds);
    EXPECT_EQ(judge_history(state("0-1-10"), state("0-1-10"), true), HistoryVerdict::Holds);
}

TEST(GtidFailover, BehindIsLaggingOnAReplicaAndMissingOtherwise) {
    EXPECT_EQ(judge_history(state("0-1-10"), state("0-1-8"), true), HistoryVerdict::Lagging);
    EXPECT_EQ(judge_history(state("0-1-10"), state("0-1-8"), false), HistoryVerdict::Missing);
    EXPECT_EQ(judge_history(state("0-1-10,1-1-2"), state("0-1-10"), false),
              HistoryVerdict::Missing);
}

TEST(GtidFailover, MessagesNameTheHostTheStateAndWhatIsMissing) {
    std::string m = missing_message("db2:3306", state("0-1-110"), "0-1-100");
    EXPECT_NE(m.find("db2:3306"), std::string::npos) << m;
    EXPECT_NE(m.find("0-1-110 (server at 0-1-100)"), std::string::npos) << m;
    EXPECT_NE(m.find("Refusing"), std::string::npos) << m;
    std::string l = lagging_message("db2:3306", state("0-1-110"), "0-1-100");
    EXPECT_NE(l.find("waiting"), std::string::npos) << l;
    EXPECT_NE(missing_transactions(state("0-1-3,4-1-1"), state("0-1-3")).find("domain 4"),
              std::string::npos);
    std::string d = diverged_message("db2:3306", "0-1-110", "GTID 0-1-110 not in binlog");
    EXPECT_NE(d.find("0-1-110"), std::string::npos);
    EXPECT_NE(d.find("server said: GTID 0-1-110 not in binlog"), std::string::npos);
}

TEST(GtidFailover, MySqlSetsJudgeTheSameWay) {
    const std::string a = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    auto saved = *model::GtidSet::parse(a + ":1-120");
    auto ahead = *model::GtidSet::parse(a + ":1-130,b9b88c66-0755-11f1-9899-4a9da94c4d71:1-3");
    auto behind = *model::GtidSet::parse(a + ":1-118");
    EXPECT_EQ(judge_history(saved, ahead, false), HistoryVerdict::Holds);
    EXPECT_EQ(judge_history(saved, behind, true), HistoryVerdict::Lagging);
    EXPECT_EQ(judge_history(saved, behind, false), HistoryVerdict::Missing);
    // A hole (a transaction the server skipped) is missing too, not only a shorter tail.
    auto holed = *model::GtidSet::parse(a + ":1-99:101-140");
    EXPECT_EQ(judge_history(saved, holed, false), HistoryVerdict::Missing);
    std::string m = missing_message("db2:3306", saved, behind);
    EXPECT_NE(m.find("db2:3306"), std::string::npos) << m;
    EXPECT_NE(m.find(a + ":119-120"), std::string::npos) << m;
    std::string l = lagging_message("db2:3306", saved, holed);
    EXPECT_NE(l.find(a + ":100"), std::string::npos) << l;
}

}  // namespace
}  // namespace cdc::mysql

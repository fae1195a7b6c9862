#include "state/state_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "state/state_dir_lock.h"
#include "state/state_names.h"

namespace cdc::state {
namespace {

namespace fs = std::filesystem;

class TempDir {
public:
    TempDir() {
        path_ = fs::temp_directory_path() /
                ("cdc-state-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
        fs::create_directories(path_);
    }
    ~TempDir() { fs::remove_all(path_); }
    std::string file(const std::string& name) const { return (path_ / name).string(); }
    std::string str() const { return path_.string(); }

private:
    static inline int counter_ = 0;
    fs::path path_;
};

void write(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

TEST(StateFile, SeedNameForOneTable) {
    EXPECT_EQ(single_table_file_name({"shop", "orders"}), "binlog_position_shop_orders.json");
}

TEST(StateFile, MissingFileIsAFirstRun) {
    TempDir dir;
    auto cp = StateFile(dir.file("nope.json")).load();
    ASSERT_TRUE(cp.ok()) << cp.error().message;
    EXPECT_FALSE(cp->has_value());
}

TEST(StateFile, ReadsTheOriginalConnectorsFormat) {
    TempDir dir;
    std::string path = dir.file("binlog_position_db_t.json");
    write(path, R"({"log_file": "mysql-bin.000123", "log_pos": 45678, "timestamp": 1704067200.0,
                    "readable_time": "2024-01-01 12:00:00 UTC"})");
    auto cp = StateFile(path).load();
    ASSERT_TRUE(cp.ok()) << cp.error().message;
    ASSERT_TRUE(cp->has_value());
    EXPECT_EQ((*cp)->position.file, "mysql-bin.000123");
    EXPECT_EQ((*cp)->position.pos, 45678u);
    EXPECT_EQ((*cp)->skip_rows, 0u);
    EXPECT_FALSE((*cp)->output_file_length.has_value());
}

TEST(StateFile, SaveThenLoadRoundTripsEveryField) {
    TempDir dir;
    StateFile f(dir.file("s.json"));
    model::Checkpoint cp;
    cp.position = {"mysql-bin.000007", 1234};
    cp.skip_rows = 17;
    cp.gtid = "0-1-99";
    cp.gtid_state = "0-1-98,1-2-5";
    cp.server_id = 7;
    cp.output_file_length = 4096;
    cp.snapshot_json = R"({"done":false,"last_key":[5]})";
    ASSERT_TRUE(f.save(cp).ok());
    auto back = f.load();
    ASSERT_TRUE(back.ok()) << back.error().message;
    ASSERT_TRUE(back->has_value());
    EXPECT_EQ(**back, cp);
    EXPECT_FALSE(fs::exists(dir.file("s.json.tmp")));
}

TEST(StateFile, SavedFileKeepsTheSeedFields) {
    model::Checkpoint cp;
    cp.position = {"mysql-bin.000001", 4};
    std::string text = state_json(cp, 1704067200.0);
    EXPECT_NE(text.find(R"("log_file": "mysql-bin.000001")"), std::string::npos) << text;
    EXPECT_NE(text.find(R"("log_pos": 4)"), std::string::npos) << text;
    EXPECT_NE(text.find(R"("readable_time": "2024-01-01 00:00:00 UTC")"), std::string::npos)
        << text;
    EXPECT_NE(text.find(R"("timestamp": 1704067200.0)"), std::string::npos) << text;
}

TEST(StateFile, GtidStateAndServerIdAreAddedAfterTheSeedFields) {
    model::Checkpoint cp;
    cp.position = {"mysql-bin.000001", 4};
    std::string plain = state_json(cp, 1704067200.0);
    EXPECT_EQ(plain.find("gtid_state"), std::string::npos) << plain;  // none without GTIDs
    EXPECT_EQ(plain.find("server_id"), std::string::npos) << plain;
    cp.gtid_state = "0-1-42";
    cp.server_id = 2;
    std::string text = state_json(cp, 1704067200.0);
    EXPECT_NE(text.find(R"("gtid_state": "0-1-42")"), std::string::npos) << text;
    EXPECT_NE(text.find(R"("server_id": 2)"), std::string::npos) << text;
    EXPECT_LT(text.find("readable_time"), text.find("gtid_state")) << text;
    auto back = parse_state_json(text, "s.json");
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(back->gtid_state, "0-1-42");
    EXPECT_EQ(back->server_id, 2u);
    // An older file (no gtid_state) loads with it empty: file/pos resume, filled from then on.
    auto old =
        parse_state_json(R"({"log_file": "f.000001", "log_pos": 4, "gtid": "0-1-3"})", "old.json");
    ASSERT_TRUE(old.ok());
    EXPECT_EQ(old->gtid_state, "");
    EXPECT_EQ(old->server_id, 0u);
}

TEST(StateFile, CorruptFilesAreErrorsNotAFreshStart) {
    TempDir dir;
    const char* bad[] = {"",
                         "{",
                         "[]",
                         R"({"log_pos": 4})",
                         R"({"log_file": "f", "log_pos": -1})",
                         R"({"log_file": "f", "log_pos": 4, "skip_rows": "x"})",
                         R"({"log_file": "f", "log_pos": 4, "gtid_state": 5})",
                         R"({"log_file": "f", "log_pos": 4, "server_id": -2})"};
    for (const char* text : bad) {
        std::string path = dir.file("bad.json");
        write(path, text);
        auto cp = StateFile(path).load();
        ASSERT_FALSE(cp.ok()) << text;
        EXPECT_EQ(cp.error().code, Errc::DataLoss) << text;
        EXPECT_NE(cp.error().message.find(path), std::string::npos) << cp.error().message;
    }
}

TEST(StateDirLock, SecondHolderIsRefusedWithTheOwnersPid) {
    TempDir dir;
    auto first = StateDirLock::acquire(dir.str());
    ASSERT_TRUE(first.ok()) << first.error().message;
    // flock locks belong to the open file description: a second open in the same process
    // conflicts just as another process would.
    auto second = StateDirLock::acquire(dir.str());
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.error().code, Errc::FailedPrecondition);
    EXPECT_NE(second.error().message.find(std::to_string(::getpid())), std::string::npos)
        << second.error().message;
}

TEST(StateDirLock, ReleasedWhenDropped) {
    TempDir dir;
    {
        auto first = StateDirLock::acquire(dir.str());
        ASSERT_TRUE(first.ok());
    }
    auto again = StateDirLock::acquire(dir.str());
    EXPECT_TRUE(again.ok());
}

}  // namespace
}  // namespace cdc::state

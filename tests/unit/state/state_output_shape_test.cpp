// The state file's "output_format" and "message_key" (docs/STATE.md): saved with every
// checkpoint, read back, and for a file saved before they existed the legacy shape.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "state/state_file.h"
#include "state/state_store.h"

namespace cdc::state {
namespace {

namespace fs = std::filesystem;

class Dir {
public:
    Dir() {
        path_ = fs::temp_directory_path() /
                ("cdc-shape-test-" + std::to_string(::getpid()) + "-" + std::to_string(n_++));
        fs::create_directories(path_);
    }
    ~Dir() { fs::remove_all(path_); }
    std::string str() const { return path_.string(); }

private:
    static inline int n_ = 0;
    fs::path path_;
};

TEST(StateOutputShape, RoundTripsThroughTheFile) {
    StateRecord record;
    record.checkpoint.position = {"mysql-bin.000002", 400};
    record.output_format = "debezium";
    record.message_key = "table";
    std::string text = state_json(record, 1.0);
    EXPECT_NE(text.find(R"("output_format": "debezium")"), std::string::npos) << text;
    auto back = parse_state_record(text, "x.json");
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(back->output_format, "debezium");
    EXPECT_EQ(back->message_key, "table");
}

TEST(StateOutputShape, NotAStringIsCorrupt) {
    auto back = parse_state_record(
        R"({"log_file": "mysql-bin.000002", "log_pos": 4, "message_key": 3})", "x.json");
    ASSERT_FALSE(back.ok());
    EXPECT_NE(back.error().message.find("message_key"), std::string::npos);
}

TEST(StateOutputShape, AnOlderFileMeansTheSeedFormatWithTheBareKey) {
    Dir dir;
    std::ofstream(dir.str() + "/binlog_position_d_a.json")
        << R"({"log_file": "mysql-bin.000002", "log_pos": 400, "timestamp": 1.0})";
    StateStore store(dir.str(), {{"d", "a"}});
    auto plan = store.load();
    ASSERT_TRUE(plan.ok()) << plan.error().message;
    EXPECT_EQ(plan->output_format, "seed");
    EXPECT_EQ(plan->message_key, "bare_primary_key");
}

TEST(StateOutputShape, FirstRunHasNone) {
    Dir dir;
    StateStore store(dir.str(), {{"d", "a"}});
    auto plan = store.load();
    ASSERT_TRUE(plan.ok()) << plan.error().message;
    EXPECT_EQ(plan->output_format, "");
    EXPECT_EQ(plan->message_key, "");
}

TEST(StateOutputShape, SavedByTheStoreAndReadByTheNext) {
    Dir dir;
    {
        StateStore store(dir.str(), {{"d", "a"}});
        store.set_output("debezium", "primary_key");
        ASSERT_TRUE(store.load().ok());
        store.include_all();
        model::Checkpoint cp;
        cp.position = {"mysql-bin.000002", 900};
        ASSERT_TRUE(store.save(cp).ok());
    }
    StateStore next(dir.str(), {{"d", "a"}});
    auto plan = next.load();
    ASSERT_TRUE(plan.ok()) << plan.error().message;
    EXPECT_EQ(plan->output_format, "debezium");
    EXPECT_EQ(plan->message_key, "primary_key");
}

}  // namespace
}  // namespace cdc::state

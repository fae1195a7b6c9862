#include "state/state_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

namespace cdc::state {
namespace {

namespace fs = std::filesystem;

class Dir {
public:
    Dir() {
        path_ = fs::temp_directory_path() /
                ("cdc-store-test-" + std::to_string(::getpid()) + "-" + std::to_string(n_++));
        fs::create_directories(path_);
    }
    ~Dir() { fs::remove_all(path_); }
    std::string str() const { return path_.string(); }
    void write(const std::string& name, const std::string& text) const {
        std::ofstream(path_ / name) << text;
    }
    bool exists(const std::string& name) const { return fs::exists(path_ / name); }

private:
    static inline int n_ = 0;
    fs::path path_;
};

std::string seed(uint64_t pos, double ts = 1.0) {
    return R"({"log_file": "mysql-bin.000002", "log_pos": )" + std::to_string(pos) +
           R"(, "timestamp": )" + std::to_string(ts) + "}";
}

TEST(StateStore, NothingSavedIsAFirstRun) {
    Dir dir;
    dir.write("unrelated.txt", "x");
    fs::create_directories(dir.str() + "/xa-prepared");
    StateStore store(dir.str(), {{"d", "a"}, {"d", "b"}});
    auto plan = store.load();
    ASSERT_TRUE(plan.ok()) << plan.error().message;
    EXPECT_TRUE(plan->checkpoint.position.empty());
    EXPECT_EQ(plan->added, (std::vector<model::TableId>{{"d", "a"}, {"d", "b"}}));
}

TEST(StateStore, EarliestOfTwoSeedFilesWithAStartForTheLater) {
    Dir dir;
    dir.write("binlog_position_d_a.json", seed(900));
    dir.write("binlog_position_d_b.json", seed(400));
    StateStore store(dir.str(), {{"d", "a"}, {"d", "b"}});
    auto plan = store.load();
    ASSERT_TRUE(plan.ok()) << plan.error().message;
    EXPECT_EQ(plan->checkpoint.position.to_string(), "mysql-bin.000002:400");
    ASSERT_EQ(plan->starts.size(), 1u);
    EXPECT_EQ(plan->starts[0].tables, (std::vector<model::TableId>{{"d", "a"}}));
    EXPECT_EQ(plan->starts[0].position.pos, 900u);
    EXPECT_TRUE(plan->added.empty());
}

TEST(StateStore, ReordersAndAddsAroundAnOlderJoinedFile) {
    Dir dir;
    dir.write("binlog_position_d_a+b.json", seed(700));
    StateStore store(dir.str(), {{"d", "c"}, {"d", "b"}, {"d", "a"}});
    auto plan = store.load();
    ASSERT_TRUE(plan.ok()) << plan.error().message;
    EXPECT_EQ(plan->checkpoint.position.pos, 700u);
    EXPECT_TRUE(plan->starts.empty());
    EXPECT_EQ(plan->added, (std::vector<model::TableId>{{"d", "c"}}));
    store.include(plan->added);
    model::Checkpoint cp = plan->checkpoint;
    cp.position.pos = 800;
    ASSERT_TRUE(store.save(cp).ok());
    EXPECT_TRUE(dir.exists("binlog_position__tables.json"));
    EXPECT_TRUE(dir.exists("binlog_position_d_a+b.json.superseded"));
    EXPECT_FALSE(dir.exists("binlog_position_d_a+b.json"));
    StateStore again(dir.str(), {{"d", "a"}, {"d", "b"}, {"d", "c"}});
    auto next = again.load();
    ASSERT_TRUE(next.ok()) << next.error().message;
    EXPECT_EQ(next->checkpoint.position.pos, 800u);
    EXPECT_TRUE(next->added.empty());
}

// Only a position saved by one run watching exactly the configured tables lets a sink trust
// the row indexes of what it delivered after it (Pipeline::run, Sink::delivered_after).
TEST(StateStore, SameTablesOnlyForOneFileWithExactlyTheseTables) {
    Dir dir;
    dir.write("binlog_position_d_a+b.json", seed(700));
    auto same = [&](std::vector<model::TableId> tables) {
        StateStore store(dir.str(), std::move(tables));
        auto plan = store.load();
        EXPECT_TRUE(plan.ok()) << plan.error().message;
        return plan.ok() && plan->same_tables;
    };
    EXPECT_TRUE(same({{"d", "b"}, {"d", "a"}}));               // reordered: the same set
    EXPECT_FALSE(same({{"d", "a"}}));                          // b removed
    EXPECT_FALSE(same({{"d", "a"}, {"d", "b"}, {"d", "c"}}));  // c added
    dir.write("binlog_position_d_c.json", seed(700));
    EXPECT_FALSE(same({{"d", "a"}, {"d", "b"}, {"d", "c"}}));  // two files
}

TEST(StateStore, ConflictingFilesAreAnErrorNamingBoth) {
    Dir dir;
    dir.write("binlog_position_d_a.json", seed(900));
    dir.write("binlog_position_d_a+b.json", seed(400));
    StateStore store(dir.str(), {{"d", "a"}, {"d", "b"}});
    auto plan = store.load();
    ASSERT_FALSE(plan.ok());
    EXPECT_NE(plan.error().message.find("binlog_position_d_a.json"), std::string::npos);
    EXPECT_NE(plan.error().message.find("binlog_position_d_a+b.json"), std::string::npos);
}

TEST(StateStore, AReplacedFileDoesNotCountAfterACrashBeforeItsRename) {
    Dir dir;
    dir.write("binlog_position_d_a.json", seed(400, 1.0));
    dir.write("binlog_position__tables.json",
              R"({"log_file": "mysql-bin.000002", "log_pos": 950, "timestamp": 2.0,
                  "tables": ["d.a", "d.b"], "replaces": ["binlog_position_d_a.json"]})");
    StateStore store(dir.str(), {{"d", "a"}, {"d", "b"}});
    auto plan = store.load();
    ASSERT_TRUE(plan.ok()) << plan.error().message;
    EXPECT_EQ(plan->checkpoint.position.pos, 950u);
}

TEST(StateStore, StartsAreDroppedOncePassed) {
    Dir dir;
    dir.write("binlog_position_d_a.json", seed(900));
    dir.write("binlog_position_d_b.json", seed(400));
    StateStore store(dir.str(), {{"d", "a"}, {"d", "b"}});
    auto plan = store.load();
    ASSERT_TRUE(plan.ok());
    model::Checkpoint cp = plan->checkpoint;
    cp.position.pos = 900;
    ASSERT_TRUE(store.save(cp).ok());
    EXPECT_EQ(store.starts().size(), 1u);  // not past it yet: a replay starts at 900
    cp.position.pos = 901;
    ASSERT_TRUE(store.save(cp).ok());
    EXPECT_TRUE(store.starts().empty());
}

// A schema name may hold a dot (MYSQL_SCHEMA): its tables' "schema.table" texts in the file
// read back as the same tables (model::TableId::from_qualified splits at the last dot).
TEST(StateStore, ASchemaWithADotRoundTripsThroughTheFile) {
    Dir dir;
    dir.write("binlog_position_my.db_a.json", seed(900));
    dir.write("binlog_position_my.db_b.json", seed(400));
    const std::vector<model::TableId> tables{{"my.db", "a"}, {"my.db", "b"}};
    StateStore store(dir.str(), tables);
    auto plan = store.load();
    ASSERT_TRUE(plan.ok()) << plan.error().message;
    ASSERT_EQ(plan->starts.size(), 1u);
    EXPECT_EQ(plan->starts[0].tables, (std::vector<model::TableId>{{"my.db", "a"}}));
    ASSERT_TRUE(store.save(plan->checkpoint).ok());
    std::ifstream in(dir.str() + "/binlog_position__tables.json");
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find(R"("my.db.a")"), std::string::npos) << text;
    StateStore again(dir.str(), tables);
    auto next = again.load();
    ASSERT_TRUE(next.ok()) << next.error().message;
    EXPECT_TRUE(next->added.empty());
    ASSERT_EQ(next->starts.size(), 1u);
    EXPECT_EQ(next->starts[0].tables, (std::vector<model::TableId>{{"my.db", "a"}}));
    EXPECT_EQ(next->starts[0].position.pos, 900u);
}

TEST(StateStore, DifferentBinlogBasenamesAreNotGuessed) {
    Dir dir;
    dir.write("binlog_position_d_a.json", seed(900));
    dir.write("binlog_position_d_b.json", R"({"log_file": "other-bin.000001", "log_pos": 4})");
    StateStore store(dir.str(), {{"d", "a"}, {"d", "b"}});
    EXPECT_FALSE(store.load().ok());
}

TEST(StateStore, ATableJoiningWhileStreamingIsSavedWithItsStart) {
    Dir dir;
    StateStore store(dir.str(), {{"d", "a"}});
    ASSERT_TRUE(store.load().ok());
    store.include_all();
    model::Checkpoint cp;
    cp.position = {"mysql-bin.000002", 100};
    ASSERT_TRUE(store.save(cp).ok());
    ASSERT_TRUE(dir.exists("binlog_position_d_a.json"));
    store.add_table({"d", "b"}, {"mysql-bin.000002", 300});
    EXPECT_TRUE(store.changed());
    ASSERT_TRUE(store.save(cp).ok());
    // Two tables: the several-tables file takes over from the one-table file.
    EXPECT_TRUE(dir.exists("binlog_position__tables.json"));
    EXPECT_FALSE(dir.exists("binlog_position_d_a.json"));
    EXPECT_EQ(store.path(), dir.str() + "/binlog_position__tables.json");

    // A restart with both tables (a pattern resolved to them) resumes b from where it joined.
    StateStore again(dir.str(), {{"d", "b"}, {"d", "a"}});
    auto plan = again.load();
    ASSERT_TRUE(plan.ok()) << plan.error().message;
    EXPECT_TRUE(plan->added.empty());
    EXPECT_TRUE(plan->same_tables);
    EXPECT_EQ(plan->checkpoint.position, (model::BinlogPosition{"mysql-bin.000002", 100}));
    ASSERT_EQ(plan->starts.size(), 1u);
    EXPECT_EQ(plan->starts[0].tables, (std::vector<model::TableId>{{"d", "b"}}));
    EXPECT_EQ(plan->starts[0].position, (model::BinlogPosition{"mysql-bin.000002", 300}));

    // Once a checkpoint passes the start, it holds nothing back.
    cp.position = {"mysql-bin.000002", 500};
    ASSERT_TRUE(again.save(cp).ok());
    StateStore third(dir.str(), {{"d", "a"}, {"d", "b"}});
    auto plan3 = third.load();
    ASSERT_TRUE(plan3.ok());
    EXPECT_TRUE(plan3->starts.empty());

    // A restart without b (no longer matching): a alone resumes, b's entry is dropped.
    StateStore fewer(dir.str(), {{"d", "a"}});
    auto plan4 = fewer.load();
    ASSERT_TRUE(plan4.ok()) << plan4.error().message;
    EXPECT_EQ(plan4->checkpoint.position, (model::BinlogPosition{"mysql-bin.000002", 500}));
    EXPECT_FALSE(plan4->same_tables);
}

model::TableSelection patterns(const char* include) {
    model::TableSelection s;
    s.include.push_back(std::get<model::TablePattern>(model::parse_table_pattern(include)));
    return s;
}

TEST(StateStore, ATableTheSavedRunsPatternsSelectIsJoinableNotAdded) {
    Dir dir;
    StateStore store(dir.str(), {{"d", "a"}, {"d", "b"}});
    store.set_patterns(patterns("d.%"));
    ASSERT_TRUE(store.load().ok());
    store.include_all();
    model::Checkpoint cp;
    cp.position = {"mysql-bin.000002", 100};
    ASSERT_TRUE(store.save(cp).ok());

    // d.c was created after the checkpoint: the same patterns would have joined it.
    StateStore same(dir.str(), {{"d", "a"}, {"d", "b"}, {"d", "c"}});
    same.set_patterns(patterns("d.%"));
    auto plan = same.load();
    ASSERT_TRUE(plan.ok()) << plan.error().message;
    EXPECT_TRUE(plan->added.empty());
    EXPECT_EQ(plan->joinable, (std::vector<model::TableId>{{"d", "c"}}));
    EXPECT_TRUE(plan->same_tables);

    // Other patterns: the saved run did not watch it, a table set change as before.
    StateStore other(dir.str(), {{"d", "a"}, {"d", "b"}, {"d", "c"}});
    other.set_patterns(patterns("d.*"));  // canonical d.% as well: the same
    ASSERT_TRUE(other.load().ok());
    EXPECT_TRUE(other.load()->joinable.size() == 1);
    StateStore changed(dir.str(), {{"d", "a"}, {"d", "b"}, {"d", "c"}});
    changed.set_patterns(patterns("/d\\..*/"));
    auto plan2 = changed.load();
    ASSERT_TRUE(plan2.ok());
    EXPECT_EQ(plan2->added, (std::vector<model::TableId>{{"d", "c"}}));
    EXPECT_TRUE(plan2->joinable.empty());
    EXPECT_FALSE(plan2->same_tables);
}

}  // namespace
}  // namespace cdc::state

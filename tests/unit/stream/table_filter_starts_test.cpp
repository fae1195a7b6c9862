#include <gtest/gtest.h>

#include "stream/change_extractor.h"

namespace cdc::stream {
namespace {

TableFilter filter_with_start(uint64_t pos, uint64_t skip_rows) {
    TableFilter f;
    f.add({"d", "a"});
    f.add({"d", "b"});
    f.set_starts({{{{"d", "b"}}, {"mysql-bin.000002", pos}, skip_rows}}, "mysql-bin.000001");
    return f;
}

TEST(TableFilterStarts, TablesWithoutAStartAreNotHeldBack) {
    TableFilter f = filter_with_start(500, 0);
    EXPECT_EQ(f.start_of({"d", "a"}), -1);
    EXPECT_EQ(f.start_of({"d", "b"}), 0);
}

TEST(TableFilterStarts, ChangesBeforeTheStartAreNotEmitted) {
    TableFilter f = filter_with_start(500, 0);
    EXPECT_FALSE(f.admit(0, 900));  // an earlier file
    f.on_rotate("mysql-bin.000002");
    EXPECT_FALSE(f.admit(0, 499));
    EXPECT_TRUE(f.admit(0, 500));
    EXPECT_TRUE(f.admit(0, 600));
}

TEST(TableFilterStarts, SkipRowsCountFromTheStart) {
    TableFilter f = filter_with_start(500, 2);
    f.on_rotate("mysql-bin.000002");
    EXPECT_FALSE(f.admit(0, 300));
    EXPECT_FALSE(f.admit(0, 560));  // delivered before
    EXPECT_FALSE(f.admit(0, 560));
    EXPECT_TRUE(f.admit(0, 560));
    f.on_rotate("mysql-bin.000003");
    EXPECT_TRUE(f.admit(0, 4));
}

}  // namespace
}  // namespace cdc::stream

#include "common/log_fields.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace cdc {
namespace {

std::string current_json() {
    std::string out;
    LogFields::append_current_json(out);
    return out;
}

TEST(LogFields, NoScopeNoFields) { EXPECT_EQ(current_json(), ""); }

TEST(LogFields, EachKindOfValue) {
    std::string file = "mysql-bin.000002";
    LogFields f{{"file", file}, {"signed", int64_t{-3}}, {"unsigned", uint32_t{7}},
                {"real", 0.25}, {"yes", true},           {"name", "a\"b"}};
    EXPECT_EQ(
        current_json(),
        R"(,"file":"mysql-bin.000002","signed":-3,"unsigned":7,"real":0.25,"yes":true,"name":"a\"b")");
}

TEST(LogFields, MoreThanTheMaximumAreLeftOut) {
    LogFields many{{"a", 1}, {"b", 2}, {"c", 3},  {"d", 4},  {"e", 5},  {"f", 6}, {"g", 7},
                   {"h", 8}, {"i", 9}, {"j", 10}, {"k", 11}, {"l", 12}, {"m", 13}};
    EXPECT_EQ(current_json(),
              R"(,"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9,"j":10,"k":11,"l":12)");
}

TEST(LogFields, ScopesEndInOrder) {
    {
        LogFields outer{{"a", 1}};
        {
            LogFields inner{{"b", 2}, {"a", 3}};
            EXPECT_EQ(current_json(), R"(,"b":2,"a":3)");
        }
        EXPECT_EQ(current_json(), R"(,"a":1)");
    }
    EXPECT_EQ(current_json(), "");
}

}  // namespace
}  // namespace cdc

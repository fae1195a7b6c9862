// LOG_FORMAT=json: every line one valid JSON object, the message escaped, the thread's
// LogFields as top-level keys with numbers as numbers.
#include "app/logging.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/log_fields.h"

namespace cdc::app {
namespace {

class JsonLines : public ::testing::Test {
protected:
    JsonLines() : sink_(std::make_shared<spdlog::sinks::ostream_sink_st>(out_)) {
        logger_ = std::make_shared<spdlog::logger>("test", sink_);
        logger_->set_formatter(make_json_line_formatter());
        logger_->set_level(spdlog::level::trace);
    }

    std::vector<nlohmann::json> lines() {
        std::vector<nlohmann::json> parsed;
        std::istringstream in(out_.str());
        for (std::string line; std::getline(in, line);) {
            auto j = nlohmann::json::parse(line, nullptr, false);
            EXPECT_FALSE(j.is_discarded()) << "not JSON: " << line;
            EXPECT_TRUE(j.is_object()) << line;
            parsed.push_back(std::move(j));
        }
        return parsed;
    }

    std::ostringstream out_;
    std::shared_ptr<spdlog::sinks::ostream_sink_st> sink_;
    std::shared_ptr<spdlog::logger> logger_;
};

TEST_F(JsonLines, MessageOnlyWithoutFields) {
    logger_->info("streaming from {} (skip_rows={})", "mysql-bin.000001:4", 0);
    auto l = lines();
    ASSERT_EQ(l.size(), 1u);
    EXPECT_EQ(l[0]["level"], "info");
    EXPECT_EQ(l[0]["msg"], "streaming from mysql-bin.000001:4 (skip_rows=0)");
    EXPECT_TRUE(l[0]["time"].is_string());
    EXPECT_EQ(l[0].size(), 3u);
}

TEST_F(JsonLines, FieldsAreTopLevelKeysWithNumbersAsNumbers) {
    std::string file = "mysql-bin.000003";
    {
        LogFields fields{{"binlog_file", file},
                         {"binlog_pos", uint64_t{18446744073709551615ull}},
                         {"skip_rows", 0},
                         {"delta", int64_t{-5}},
                         {"changes_per_second", 1234.5},
                         {"exact", true}};
        logger_->warn("progress");
    }
    logger_->info("after the scope");
    auto l = lines();
    ASSERT_EQ(l.size(), 2u);
    EXPECT_EQ(l[0]["binlog_file"], "mysql-bin.000003");
    ASSERT_TRUE(l[0]["binlog_pos"].is_number_unsigned());
    EXPECT_EQ(l[0]["binlog_pos"].get<uint64_t>(), 18446744073709551615ull);
    EXPECT_EQ(l[0]["skip_rows"], 0);
    EXPECT_EQ(l[0]["delta"], -5);
    ASSERT_TRUE(l[0]["changes_per_second"].is_number_float());
    EXPECT_DOUBLE_EQ(l[0]["changes_per_second"].get<double>(), 1234.5);
    EXPECT_EQ(l[0]["exact"], true);
    EXPECT_EQ(l[1].size(), 3u) << l[1].dump();  // the fields ended with their scope
}

TEST_F(JsonLines, EscapesMessageAndTextFields) {
    std::string nasty = "quote \" backslash \\ newline \n tab \t bell \x07 bad \xff utf8 é";
    {
        LogFields fields{{"error", nasty}};
        logger_->error("{}", nasty);
    }
    std::string text = out_.str();
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << text;  // one line
    auto l = lines();
    ASSERT_EQ(l.size(), 1u);
    std::string want = "quote \" backslash \\ newline \n tab \t bell \x07 bad \xef\xbf\xbd utf8 é";
    EXPECT_EQ(l[0]["msg"], want);
    EXPECT_EQ(l[0]["error"], want);
}

TEST_F(JsonLines, NotFiniteNumbersAreNull) {
    {
        LogFields fields{{"rate", std::numeric_limits<double>::quiet_NaN()},
                         {"lag", std::numeric_limits<double>::infinity()}};
        logger_->info("x");
    }
    auto l = lines();
    ASSERT_EQ(l.size(), 1u);
    EXPECT_TRUE(l[0]["rate"].is_null());
    EXPECT_TRUE(l[0]["lag"].is_null());
}

TEST_F(JsonLines, NestedScopesAddUpAndTheInnerValueWins) {
    LogFields outer{{"binlog_file", "a.000001"}, {"table", "d.outer"}};
    {
        LogFields inner{{"table", "d.inner"}, {"rows", 7u}};
        logger_->info("inner");
    }
    logger_->info("outer");
    auto l = lines();
    ASSERT_EQ(l.size(), 2u);
    EXPECT_EQ(l[0]["table"], "d.inner");
    EXPECT_EQ(l[0]["rows"], 7);
    EXPECT_EQ(l[0]["binlog_file"], "a.000001");
    EXPECT_EQ(l[1]["table"], "d.outer");
    EXPECT_FALSE(l[1].contains("rows"));
    // A repeated key would make the object ambiguous: each name once in the text.
    std::string text = out_.str();
    std::string first = text.substr(0, text.find('\n'));
    EXPECT_EQ(first.find("\"table\""), first.rfind("\"table\"")) << first;
}

TEST_F(JsonLines, FieldsOfAnotherThreadDoNotLeak) {
    LogFields mine{{"binlog_pos", 4u}};
    std::thread other([&] { logger_->info("from another thread"); });
    other.join();
    auto l = lines();
    ASSERT_EQ(l.size(), 1u);
    EXPECT_FALSE(l[0].contains("binlog_pos")) << l[0].dump();
}

}  // namespace
}  // namespace cdc::app

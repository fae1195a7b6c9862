#include "config/config_doc.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/settings.h"

namespace cdc::config {
namespace {

// CDC_TEST_DATA_DIR is <repo>/tests/data (set by tests/CMakeLists.txt for every unit test).
std::filesystem::path committed_doc() {
    return std::filesystem::path(CDC_TEST_DATA_DIR).parent_path().parent_path() / "docs" /
           "CONFIGURATION.md";
}

TEST(ConfigDoc, CommittedFileIsCurrent) {
    const std::filesystem::path path = committed_doc();
    const std::string generated = configuration_markdown();
    // CDC_REGENERATE_DOCS=1 rewrites the file instead of comparing, for when settings change.
    if (const char* regen = std::getenv("CDC_REGENERATE_DOCS");
        regen && std::string(regen) == "1") {
        std::ofstream(path, std::ios::binary) << generated;
    }
    std::ifstream in(path, std::ios::binary);
    std::stringstream committed;
    committed << in.rdbuf();
    EXPECT_TRUE(committed.str() == generated)
        << path << " is out of date with src/config/settings.cpp. Regenerate it with\n"
        << "  CDC_REGENERATE_DOCS=1 ctest -R ConfigDoc.CommittedFileIsCurrent\n"
        << "or\n  mysql-cdc --print-config-doc > docs/CONFIGURATION.md";
}

TEST(ConfigDoc, DocumentsEverySettingWithFlagAndDefault) {
    const std::string doc = configuration_markdown();
    for (const SettingSpec& s : all_settings()) {
        std::string row = "| `" + std::string(s.env) + "`";
        EXPECT_NE(doc.find(row), std::string::npos) << s.env;
        EXPECT_NE(doc.find("`--" + std::string(s.flag) + "`"), std::string::npos) << s.flag;
    }
    EXPECT_NE(doc.find("| `MYSQL_PORT` | `--mysql-port` | `3306` | an integer from 1 to 65535 |"),
              std::string::npos);
    EXPECT_NE(doc.find("| `MYSQL_HOST` | `--mysql-host` | required |"), std::string::npos);
    EXPECT_NE(doc.find("`KAFKA_BROKERS` (or `Quix__Broker__Address`)"), std::string::npos);
}

TEST(ConfigDoc, ManPageHasAnEntryPerSettingInRoff) {
    const std::string page = configuration_man_page("1.2.3");
    EXPECT_EQ(page.find(".TH MYSQL\\-CDC 1 \"\" \"mysql\\-cdc 1.2.3\""), page.find(".TH"));
    for (const SettingSpec& s : all_settings()) {
        std::string env;
        for (char c : s.env) env += c == '-' ? std::string("\\-") : std::string(1, c);
        EXPECT_NE(page.find(".TP\n.B " + env + "\n"), std::string::npos) << s.env;
    }
    // Code spans are bold, not backticks; no line starts a request by accident.
    EXPECT_EQ(page.find('`'), std::string::npos);
    EXPECT_NE(page.find("the topic in \\fBoutput\\fR"), std::string::npos);
    EXPECT_NE(page.find("Accepted: an integer from 1 to 65535. Default: \\fB3306\\fR."),
              std::string::npos);
}

TEST(ConfigDoc, EnvironmentExampleListsEverySettingCommentedOut) {
    const std::string text = environment_example();
    for (const SettingSpec& s : all_settings()) {
        const std::string line = "\n#" + std::string(s.env) + "=";
        size_t at = text.find(line);
        ASSERT_NE(at, std::string::npos) << s.env;
        EXPECT_EQ(text.find(line, at + 1), std::string::npos) << s.env << " twice";
        size_t end = text.find('\n', at + 1);
        std::string value = text.substr(at + line.size(), end - at - line.size());
        EXPECT_EQ(value, s.default_kind == DefaultKind::Literal ? std::string(s.default_text) : "")
            << s.env;
    }
    EXPECT_NE(text.find("\n#MYSQL_PORT=3306\n"), std::string::npos);
    // Only comments and blank lines: nothing is set until the operator sets it.
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        if (end > start) {
            EXPECT_EQ(text[start], '#') << text.substr(start, end - start);
        }
        start = end + 1;
    }
}

}  // namespace
}  // namespace cdc::config

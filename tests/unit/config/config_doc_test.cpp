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
    if (const char* regen = std::getenv("CDC_REGENERATE_DOCS"); regen && std::string(regen) == "1") {
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

}  // namespace
}  // namespace cdc::config

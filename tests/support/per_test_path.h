// Test helper: a file name under the temp directory that no other test (nor another process
// running the same test) uses, for tests that write real files.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <string_view>

namespace cdc::test {

// <temp dir>/<prefix><pid>-<current test's name>
inline std::string per_test_path(std::string_view prefix) {
    return (std::filesystem::temp_directory_path() /
            (std::string(prefix) + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
        .string();
}

}  // namespace cdc::test

// Test helper: a fixture for tests that write a real file. path_ names a file under the temp
// directory that no other test (nor another process running the same test) uses; it is
// removed before and after each test.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <string_view>

namespace cdc::test {

class ScratchFileTest : public ::testing::Test {
protected:
    // path_ is <temp dir>/<prefix><pid>-<current test's name>.
    explicit ScratchFileTest(std::string_view prefix) : prefix_(prefix) {}
    void SetUp() override {
        path_ = (std::filesystem::temp_directory_path() /
                 (prefix_ + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name()))
                    .string();
        std::filesystem::remove(path_);
    }
    void TearDown() override { std::filesystem::remove(path_); }

    std::string path_;

private:
    std::string prefix_;
};

}  // namespace cdc::test

// Test helper: a file's bytes as a string, for tests that compare what a sink wrote.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

namespace cdc::test {

// The whole file ("" when it does not exist).
inline std::string file_contents(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace cdc::test

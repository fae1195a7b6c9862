// Runs a libFuzzer target without libFuzzer: LLVMFuzzerTestOneInput over every file named on
// the command line or found (recursively) in the directories named there. Normal builds use
// it to replay the seed corpus and past findings as a test, with any compiler.
//
//   replay_json_binary fuzz/corpus/json_binary crash-1234
//
// Exits non-zero when an argument does not exist or no input was found, so a wrong corpus
// path cannot make the test pass vacuously. A finding shows up as a crash or sanitizer report.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

bool run_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "replay: cannot read %s\n", path.c_str());
        return false;
    }
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
    // An exactly-sized heap copy, so ASan sees reads one past the end.
    std::vector<uint8_t> exact(bytes.begin(), bytes.end());
    LLVMFuzzerTestOneInput(exact.empty() ? nullptr : exact.data(), exact.size());
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    namespace fs = std::filesystem;
    size_t inputs = 0;
    for (int i = 1; i < argc; ++i) {
        const fs::path arg(argv[i]);
        std::error_code ec;
        if (fs::is_directory(arg, ec)) {
            std::vector<fs::path> files;
            for (const auto& entry : fs::recursive_directory_iterator(arg)) {
                if (entry.is_regular_file()) files.push_back(entry.path());
            }
            std::sort(files.begin(), files.end());  // a stable order makes failures repeatable
            for (const auto& f : files) inputs += run_file(f) ? 1 : 0;
        } else if (fs::is_regular_file(arg, ec)) {
            inputs += run_file(arg) ? 1 : 0;
        } else {
            std::fprintf(stderr, "replay: no such file or directory: %s\n", argv[i]);
            return 2;
        }
    }
    if (inputs == 0) {
        std::fprintf(stderr, "replay: no inputs (usage: %s DIR_OR_FILE...)\n", argv[0]);
        return 2;
    }
    std::printf("replay: %zu inputs ran without a crash\n", inputs);
    return 0;
}

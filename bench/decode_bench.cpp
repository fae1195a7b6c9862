// Decode throughput over real binlog files: decode-only and decode+JSON, on one core.
//
//   decode_bench [--repeat N] FILE...
//
// Files are read into memory first, so the figures are the decoder's, not the disk's. Each
// pass runs the same ChangeExtractor the daemon and `mysql-cdc decode` use.
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "format/change_json.h"
#include "stream/change_extractor.h"

namespace {

using Clock = std::chrono::steady_clock;

// CPU time of this process: on a shared machine wall time also counts other processes.
double cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

struct File {
    std::string path;
    std::vector<uint8_t> bytes;
};

class CountingConsumer final : public cdc::stream::ChangeConsumer {
public:
    explicit CountingConsumer(bool render) : render_(render) { json_.reserve(1 << 20); }
    cdc::Status on_change(const cdc::model::ChangeEvent& change, uint64_t, uint32_t) override {
        ++rows_;
        if (render_) {
            cdc::format::append_change_json(change, json_);
            json_ += '\n';
            if (json_.size() > (1 << 20)) {
                json_bytes_ += json_.size();
                json_.clear();
            }
        }
        return {};
    }
    uint64_t rows() const { return rows_; }
    uint64_t json_bytes() const { return json_bytes_ + json_.size(); }

private:
    bool render_;
    uint64_t rows_ = 0;
    uint64_t json_bytes_ = 0;
    std::string json_;
};

// Walks the events of an in-memory binlog file (magic, then events back to back).
bool run_file(const File& f, cdc::stream::ChangeExtractor& ex, CountingConsumer& consumer) {
    size_t pos = 4;
    while (pos + 19 <= f.bytes.size()) {
        const uint8_t* h = f.bytes.data() + pos;
        uint32_t size = h[9] | h[10] << 8 | h[11] << 16 | static_cast<uint32_t>(h[12]) << 24;
        if (size < 19 || pos + size > f.bytes.size()) break;
        cdc::Status st = ex.feed(cdc::Bytes(h, size), pos, consumer);
        if (!st) {
            std::fprintf(stderr, "%s: %s\n", f.path.c_str(), st.error().message.c_str());
            return false;
        }
        pos += size;
    }
    return true;
}

bool run_pass(const std::vector<File>& files, bool render, const char* label, uint64_t bytes) {
    CountingConsumer consumer(render);
    cdc::stream::ChangeExtractor ex({}, {});
    auto t0 = Clock::now();
    double c0 = cpu_seconds();
    for (const File& f : files) {
        if (!run_file(f, ex, consumer)) return false;
    }
    double wall = std::chrono::duration<double>(Clock::now() - t0).count();
    double secs = cpu_seconds() - c0;
    std::printf("%-12s rows=%llu  wall %.3f s  cpu %.3f s  %.0f rows/cpu-s  %.1f MB/cpu-s binlog",
                label, static_cast<unsigned long long>(consumer.rows()), wall, secs,
                consumer.rows() / secs, bytes / secs / 1e6);
    if (render) std::printf("  %.1f MB/s JSON", consumer.json_bytes() / secs / 1e6);
    std::printf("\n");
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    int repeat = 3;
    std::vector<File> files;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--repeat" && i + 1 < argc) {
            repeat = std::atoi(argv[++i]);
            continue;
        }
        std::ifstream in(arg, std::ios::binary);
        if (!in) {
            std::fprintf(stderr, "cannot open %s\n", arg.c_str());
            return 2;
        }
        files.push_back({arg, std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {})});
    }
    if (files.empty()) {
        std::fprintf(stderr, "usage: decode_bench [--repeat N] BINLOG_FILE...\n");
        return 2;
    }
    uint64_t bytes = 0;
    for (const File& f : files) bytes += f.bytes.size();
    std::printf("binlog bytes: %llu in %zu file(s)\n", static_cast<unsigned long long>(bytes),
                files.size());
    for (int r = 0; r < repeat; ++r) {
        if (!run_pass(files, false, "decode-only", bytes)) return 1;
        if (!run_pass(files, true, "decode+JSON", bytes)) return 1;
    }
    return 0;
}

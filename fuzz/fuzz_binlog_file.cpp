// Fuzz target: BinlogFileReader (how `mysql-cdc decode` splits a file into events) and the
// decoder over what it hands out. The input is the whole file, magic included; it is put in a
// memfd and opened by its /proc path, so the reader's size checks against the file's real
// size run as they do on disk. A size a header claims must never be allocated unchecked:
// libFuzzer's -rss_limit_mb (2048) catches that when fuzzing, and the replay build aborts past
// 1 GiB of peak RSS so that replaying the corpus in a normal build catches it too (seed_claim_4g).
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "binlog/decoder.h"
#include "stream/binlog_file_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const int fd = ::memfd_create("fuzz_binlog_file", 0);
    if (fd < 0) return 0;
    if (::write(fd, data, size) != static_cast<ssize_t>(size)) {
        ::close(fd);
        return 0;
    }
    {
        auto reader = cdc::stream::BinlogFileReader::open("/proc/self/fd/" + std::to_string(fd));
        if (reader) {
            cdc::binlog::DecoderOptions options;
            options.verify_checksums = false;  // so mutated events get past the checksum
            options.skip_unknown_events = true;
            cdc::binlog::BinlogDecoder decoder(options);
            for (int n = 0; n < 10000; ++n) {
                auto ev = reader->next();
                if (!ev || !ev->has_value()) break;
                (void)decoder.decode((*ev)->bytes, (*ev)->offset);
            }
        }
    }
    ::close(fd);
#ifdef CDC_FUZZ_REPLAY  // under libFuzzer, -rss_limit_mb and -malloc_limit_mb do this
    rusage usage{};
    if (::getrusage(RUSAGE_SELF, &usage) == 0 && usage.ru_maxrss > (1L << 20)) {  // KiB
        std::fprintf(stderr, "fuzz_binlog_file: peak RSS %ld KiB: a claimed size was allocated\n",
                     usage.ru_maxrss);
        std::abort();
    }
#endif
    return 0;
}

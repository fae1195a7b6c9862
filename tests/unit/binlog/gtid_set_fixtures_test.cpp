// model::GtidSet against real servers' bytes: every PREVIOUS_GTIDS event of the fixtures is
// MySQL's own encoding of a GTID set (Gtid_set::encode), the same encoding COM_BINLOG_DUMP_GTID
// carries; and a file's PREVIOUS_GTIDS plus the GTIDs in it is the next file's PREVIOUS_GTIDS,
// which is how the daemon tracks what it delivered.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "binlog/decoder.h"
#include "binlog_file.h"
#include "model/gtid_set.h"

namespace cdc::binlog {
namespace {

constexpr size_t kHeaderSize = 19;

struct FileGtids {
    std::string previous;          // PREVIOUS_GTIDS text
    std::string previous_body;     // its body bytes, checksum included if any
    std::vector<GtidEvent> gtids;  // the file's GTID events, in order
    bool has_previous = false;
};

FileGtids read_gtids(const std::string& path) {
    FileGtids out;
    test::BinlogFile file = test::read_binlog_file(path);
    BinlogDecoder dec;
    for (const auto& raw : file.events) {
        Result<Event> ev = dec.decode(raw.bytes, raw.offset);
        if (!ev.ok()) break;
        if (auto* p = std::get_if<PreviousGtidsEvent>(&ev->body)) {
            out.has_previous = true;
            out.previous = p->gtid_set;
            out.previous_body.assign(reinterpret_cast<const char*>(raw.bytes.data()) + kHeaderSize,
                                     raw.bytes.size() - kHeaderSize);
        } else if (auto* g = std::get_if<GtidEvent>(&ev->body)) {
            if (!g->anonymous) out.gtids.push_back(*g);
        }
    }
    return out;
}

std::vector<std::string> fixture_files() {
    std::vector<std::string> files;
    for (const auto& e : std::filesystem::recursive_directory_iterator(CDC_FIXTURES_DIR)) {
        if (!e.is_regular_file()) continue;
        std::string name = e.path().filename().string();
        if (name.find(".txt") != std::string::npos || name.find(".md") != std::string::npos ||
            name.find(".json") != std::string::npos || name.ends_with(".gz")) {
            continue;
        }
        files.push_back(e.path().string());
    }
    std::sort(files.begin(), files.end());
    return files;
}

TEST(GtidSetFixtures, EncodesEveryPreviousGtidsAsTheServerDid) {
    size_t checked = 0, nonempty = 0, tagged = 0;
    for (const std::string& path : fixture_files()) {
        FileGtids f = read_gtids(path);
        if (!f.has_previous) continue;
        auto set = model::GtidSet::parse(f.previous);
        ASSERT_TRUE(set.ok()) << path << ": " << set.error().message;
        EXPECT_EQ(set->to_string(), f.previous) << path;
        std::string encoded = set->encode();
        ASSERT_LE(encoded.size(), f.previous_body.size()) << path;
        EXPECT_EQ(encoded, f.previous_body.substr(0, encoded.size())) << path;
        size_t rest = f.previous_body.size() - encoded.size();
        EXPECT_TRUE(rest == 0 || rest == 4) << path << ": " << rest << " bytes left (checksum?)";
        ++checked;
        if (!set->empty()) ++nonempty;
        for (const auto& s : set->sources()) tagged += s.tag.empty() ? 0 : 1;
    }
    EXPECT_GE(checked, 10u);
    EXPECT_GE(nonempty, 3u);
    EXPECT_GE(tagged, 1u);
}

// Consecutive files of one server: PREVIOUS_GTIDS(n) + GTIDs of file n = PREVIOUS_GTIDS(n+1).
TEST(GtidSetFixtures, TracksTheNextFilesPreviousGtids) {
    std::map<std::string, std::vector<std::string>> by_dir;
    for (const std::string& path : fixture_files()) {
        by_dir[std::filesystem::path(path).parent_path().string()].push_back(path);
    }
    size_t pairs = 0;
    for (const auto& [dir, files] : by_dir) {
        for (size_t i = 0; i + 1 < files.size(); ++i) {
            FileGtids a = read_gtids(files[i]);
            FileGtids b = read_gtids(files[i + 1]);
            if (!a.has_previous || !b.has_previous || a.gtids.empty()) continue;
            auto set = model::GtidSet::parse(a.previous);
            ASSERT_TRUE(set.ok());
            for (const GtidEvent& g : a.gtids) {
                EXPECT_FALSE(set->contains(g.sid, g.tag, g.gno)) << g.to_string() << " twice";
                set->add(g.sid, g.tag, g.gno);
            }
            if (set->to_string() != b.previous) continue;  // not consecutive (a gap in the files)
            ++pairs;
        }
    }
    EXPECT_GE(pairs, 1u);
}

}  // namespace
}  // namespace cdc::binlog

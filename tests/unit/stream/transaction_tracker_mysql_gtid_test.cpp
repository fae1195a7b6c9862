// TransactionTracker's MySQL GTID set, on real servers' binlogs: started from a file's
// PREVIOUS_GTIDS (the set executed before it), the checkpoint after the file's last event holds
// exactly the next file's PREVIOUS_GTIDS; inside a transaction it leaves that transaction out;
// after a resume by GTID, a first transaction the set already holds is reported.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "binlog/decoder.h"
#include "model/gtid_set.h"
#include "stream/transaction_tracker.h"
#include "unit/binlog/binlog_file.h"

namespace cdc::stream {
namespace {

struct Decoded {
    std::vector<binlog::Event> events;
    std::string previous;  // PREVIOUS_GTIDS ("" is the empty set: a server's first file)
    bool has_previous = false;
};

Decoded decode(const std::string& path) {
    Decoded out;
    auto file = std::make_shared<test::BinlogFile>(test::read_binlog_file(path));
    static std::vector<std::shared_ptr<test::BinlogFile>> keep;  // events view into the bytes
    keep.push_back(file);
    binlog::BinlogDecoder dec;
    for (const auto& raw : file->events) {
        auto ev = dec.decode(raw.bytes, raw.offset);
        if (!ev) break;
        if (auto* p = std::get_if<binlog::PreviousGtidsEvent>(&ev->body)) {
            out.previous = p->gtid_set;
            out.has_previous = true;
        }
        out.events.push_back(std::move(*ev));
    }
    return out;
}

// Pairs of consecutive fixture files of one MySQL server with GTIDs: (file, the next one).
std::vector<std::pair<std::string, std::string>> gtid_file_pairs() {
    std::map<std::string, std::vector<std::string>> by_dir;
    for (const auto& e : std::filesystem::recursive_directory_iterator(CDC_FIXTURES_DIR)) {
        std::string name = e.path().filename().string();
        if (!e.is_regular_file() || name.find(".txt") != std::string::npos ||
            name.find(".md") != std::string::npos || name.ends_with(".gz")) {
            continue;
        }
        by_dir[e.path().parent_path().string()].push_back(e.path().string());
    }
    std::vector<std::pair<std::string, std::string>> pairs;
    for (auto& [dir, files] : by_dir) {
        std::sort(files.begin(), files.end());
        for (size_t i = 0; i + 1 < files.size(); ++i) {
            Decoded a = decode(files[i]);
            Decoded b = decode(files[i + 1]);
            bool has_gtids = std::any_of(a.events.begin(), a.events.end(), [](const auto& ev) {
                auto* g = std::get_if<binlog::GtidEvent>(&ev.body);
                return g != nullptr && !g->anonymous;
            });
            if (!has_gtids || !a.has_previous || !b.has_previous) continue;
            // Consecutive files of one server: the first's set and GTIDs make the next's set
            // (the fixtures also hold files of different servers side by side).
            auto set = model::GtidSet::parse(a.previous);
            if (!set) continue;
            for (const auto& ev : a.events) {
                auto* g = std::get_if<binlog::GtidEvent>(&ev.body);
                if (g != nullptr && !g->anonymous) set->add(g->sid, g->tag, g->gno);
            }
            if (set->to_string() == b.previous) pairs.emplace_back(files[i], files[i + 1]);
        }
    }
    return pairs;
}

model::Checkpoint at_start(const std::string& path, std::string state) {
    model::Checkpoint cp;
    cp.position = {std::filesystem::path(path).filename().string(), 4};
    cp.gtid_state = std::move(state);
    return cp;
}

TEST(TransactionTrackerMySqlGtid, FollowsAFileOntoTheNextFilesPreviousGtids) {
    auto pairs = gtid_file_pairs();
    ASSERT_FALSE(pairs.empty());
    for (const auto& [first, next] : pairs) {
        Decoded a = decode(first);
        Decoded b = decode(next);
        TransactionTracker t;
        t.reset(at_start(first, a.previous));
        if (a.previous.empty()) t.track_mysql_gtids_from_empty();  // the server's first file
        bool saw_inside = false;
        for (const auto& ev : a.events) {
            t.on_event(ev, true);
            t.finish_event(ev.header);
            auto* g = std::get_if<binlog::GtidEvent>(&ev.body);
            if (g != nullptr && !g->anonymous && t.in_transaction()) {
                // The transaction just begun is not in the checkpoint's set yet.
                saw_inside = true;
                auto set = model::GtidSet::parse(t.checkpoint().gtid_state);
                ASSERT_TRUE(set.ok());
                EXPECT_FALSE(set->contains(g->sid, g->tag, g->gno)) << first;
            }
        }
        EXPECT_TRUE(saw_inside) << first;
        EXPECT_FALSE(t.in_transaction()) << first;
        EXPECT_EQ(t.checkpoint().gtid_state, b.previous) << first << " -> " << next;
    }
}

TEST(TransactionTrackerMySqlGtid, WithoutAKnownSetNothingIsTracked) {
    auto pairs = gtid_file_pairs();
    ASSERT_FALSE(pairs.empty());
    Decoded a = decode(pairs.front().first);
    TransactionTracker t;
    t.reset(at_start(pairs.front().first, ""));  // a MySQL start without its gtid_executed
    for (const auto& ev : a.events) {
        t.on_event(ev, true);
        t.finish_event(ev.header);
    }
    EXPECT_EQ(t.checkpoint().gtid_state, "");
}

TEST(TransactionTrackerMySqlGtid, AFirstTransactionTheSetHoldsIsReported) {
    auto pairs = gtid_file_pairs();
    ASSERT_FALSE(pairs.empty());
    const std::string& path = pairs.front().first;
    Decoded a = decode(path);
    // The set of the next file's start: it holds every transaction of this file, so a server
    // that starts with one of them does not continue the saved history.
    TransactionTracker t;
    t.reset(at_start(path, decode(pairs.front().second).previous));
    t.expect_after_state();
    for (const auto& ev : a.events) {
        t.on_event(ev, true);
        t.finish_event(ev.header);
        if (!t.unexpected_start().empty()) break;
    }
    EXPECT_NE(t.unexpected_start().find("already holds"), std::string::npos)
        << t.unexpected_start();
    // The set that does not hold it yet: no complaint.
    TransactionTracker fine;
    fine.reset(at_start(path, a.previous));
    fine.expect_after_state();
    for (const auto& ev : a.events) {
        fine.on_event(ev, true);
        fine.finish_event(ev.header);
    }
    EXPECT_EQ(fine.unexpected_start(), "");
}

}  // namespace
}  // namespace cdc::stream

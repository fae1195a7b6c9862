// XaGate with both stores: an XA transaction's changes come out at its XA COMMIT, in commit
// order, never for XA ROLLBACK; and, with XaFileStore, exactly once across a crash at any
// event or inside the emission of a committed group, with any older checkpoint saved.
//
// MariaDB: a real 10.11 binlog (tests/data/xa/make_xa_binlogs.py wrote it). MySQL: hand-built
// events in MySQL 8's XA layout (XA START/END queries, XA_PREPARE, one-phase commits), as no
// MySQL server runs here.
#include "stream/xa_gate.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include "stream/transaction_tracker.h"
#include "stream/xa_file_store.h"
#include "stream/xa_memory_store.h"
#include "unit/binlog/binlog_file.h"
#include "unit/binlog/event_builder.h"

namespace cdc::stream {
namespace {

namespace fs = std::filesystem;
using test::EventBuilder;

struct Ev {
    std::string file;
    uint64_t offset = 0;
    std::vector<uint8_t> bytes;
};

std::vector<Ev> mariadb_events() {
    std::vector<Ev> out;
    for (int n : {1, 2}) {
        std::string name = "mariadb-10.11-xa.00000" + std::to_string(n);
        test::BinlogFile f = test::read_binlog_file(std::string(CDC_TEST_DATA_DIR) + "/xa/" + name);
        EXPECT_EQ(f.split_error, "") << name;
        for (const auto& e : f.events) {
            out.push_back(Ev{"mysql-bin.00000" + std::to_string(n), e.offset,
                             std::vector<uint8_t>(e.bytes.begin(), e.bytes.end())});
        }
    }
    return out;
}
const std::vector<int64_t> kMariaCommitted = {1, 2, 20, 40, 10, 11, 3, 50};

// MySQL 8: `s`.`t` (id INT, name VARCHAR(40), extra INT), table id 7; no checksums.
class MysqlStream {
public:
    MysqlStream() { add(fde()); }
    std::vector<Ev> events;

    void ordinary(int64_t id) {
        gtid();
        add(query("BEGIN"), 2);
        add(table_map(), 19);
        add(write_rows(id), 30);
        add(EventBuilder().le(99, 8), 16);
    }
    void xa(const std::string& xid, int64_t id, bool one_phase) {
        gtid();
        add(query("XA START " + serialized(xid)), 2);
        add(table_map(), 19);
        add(write_rows(id), 30);
        add(query("XA END " + serialized(xid)), 2);
        add(EventBuilder().u8(one_phase ? 1 : 0).le(1, 4).le(xid.size(), 4).le(0, 4).str(xid), 38);
    }
    void resolve(const std::string& word, const std::string& xid) {
        gtid();
        add(query("XA " + word + " " + serialized(xid)), 2);
    }

private:
    static std::string serialized(const std::string& xid) {
        static constexpr char kHex[] = "0123456789ABCDEF";
        std::string hex;
        for (char c : xid) {
            hex += kHex[static_cast<uint8_t>(c) >> 4];
            hex += kHex[c & 0x0f];
        }
        return "X'" + hex + "',X'',1";
    }
    static std::vector<uint8_t> fde() { return test::make_fde("8.0.31", 0); }
    static EventBuilder query(const std::string& sql) {
        EventBuilder b;
        b.le(1, 4).le(0, 4).u8(1).le(0, 2).le(0, 2).str("s").u8(0).str(sql);
        return b;
    }
    static EventBuilder table_map() {
        EventBuilder b;
        b.le(7, 6)
            .le(1, 2)
            .u8(1)
            .str("s")
            .u8(0)
            .u8(1)
            .str("t")
            .u8(0)
            .packed(3)
            .u8(3)
            .u8(15)
            .u8(3)
            .packed(2)
            .le(40, 2)
            .u8(0x06);
        return b;
    }
    static EventBuilder write_rows(int64_t id) {
        EventBuilder b;
        b.le(7, 6).le(1, 2).le(2, 2).packed(3).u8(0x07).u8(0x06).le(static_cast<uint64_t>(id), 4);
        return b;
    }
    void gtid() {
        EventBuilder b;
        b.u8(0).zeros(15).u8(1).le(++gno_, 8).u8(2).le(0, 8).le(0, 8);
        add(b, 33);
    }
    void add(std::vector<uint8_t> bytes) {
        events.push_back(Ev{"binlog.000001", next_, std::move(bytes)});
        next_ += events.back().bytes.size();
    }
    void add(const EventBuilder& b, uint8_t type) {
        auto end = static_cast<uint32_t>(next_ + 19 + b.size());
        add(b.event(type, false, 0, end));
    }

    uint64_t next_ = 4;
    uint64_t gno_ = 0;
};

// The daemon's view: a TransactionTracker, changes delivered unless already delivered.
class Recorder final : public ChangeConsumer {
public:
    TransactionTracker tracker;
    std::vector<int64_t> ids;
    bool track_events = true;

    Status on_event(const binlog::Event& event, bool top_level) override {
        if (track_events) tracker.on_event(event, top_level);
        return {};
    }
    Status on_change(const model::ChangeEvent& change, uint64_t, uint32_t) override {
        if (!tracker.take_row()) return {};
        const model::RowImage* image = change.after != nullptr ? change.after : change.before;
        ids.push_back(image->values.at(0).i);
        return {};
    }
};

struct Session {
    std::optional<std::string> fresh_start;
    std::vector<std::string> warnings;
    // Called after each event and inside an emission; false: the process dies here.
    std::function<bool()> at_point = [] { return true; };
};

// Streams `events` from `from` as the daemon does: the server first sends the file's
// FORMAT_DESCRIPTION, then the events from the position. False when at_point crashed it.
Result<bool> stream(const std::vector<Ev>& events, PreparedXaStore& store, Recorder& rec,
                    const model::Checkpoint& from, Session& run) {
    rec.tracker.reset(from);
    // The hand-built MySQL events carry no column names (as before MySQL 8.0.1).
    const RowRequirements requirements{.full_images = true, .column_names = false, .hint = ""};
    ChangeExtractor extractor(binlog::DecoderOptions{}, TableFilter{});
    extractor.require(requirements);
    XaGate::Options options;
    options.requirements = requirements;
    options.fresh_start = run.fresh_start;
    options.missing_prepare_hint = "(hint)";
    options.warn = [&](const std::string& w) { run.warnings.push_back(w); };
    bool crashed = false;
    options.between_events = [&]() -> Status {
        if (run.at_point()) return {};
        crashed = true;
        return make_error(Errc::Unavailable, "crash");
    };
    XaGate gate(rec, store, options);
    auto feed = [&](const Ev& e) -> Status {
        Status st = extractor.feed(e.bytes, e.offset, gate);
        if (st) st = gate.after_event(e.bytes, e.file, e.offset);
        return st;
    };
    size_t start = events.size();
    for (size_t i = 0; i < events.size(); ++i) {
        if (events[i].file == from.position.file && events[i].offset == 4) {
            rec.track_events = false;
            Status st = feed(events[i]);
            rec.track_events = true;
            if (!st) return st.error();
        }
        if (events[i].file == from.position.file && events[i].offset == from.position.pos) {
            start = i;
            break;
        }
    }
    const Ev& last = events.back();
    bool at_end =
        from.position == model::BinlogPosition{last.file, last.offset + last.bytes.size()};
    if (start == events.size() && !at_end) {
        return make_error(Errc::Internal, "no event at " + from.position.to_string());
    }
    for (size_t i = start; i < events.size(); ++i) {
        Status st = feed(events[i]);
        if (crashed) return false;
        if (!st) return st.error();
        auto header = binlog::parse_event_header(events[i].bytes, events[i].offset);
        if (!header) return header.error();
        rec.tracker.finish_event(*header);
        if (!run.at_point()) return false;
    }
    return true;
}

model::Checkpoint start_of(const std::vector<Ev>& events) {
    model::Checkpoint cp;
    cp.position = {events.front().file, 4};
    return cp;
}

class TempDir {
public:
    TempDir() {
        // tmpfs when there is one: the crash tests open thousands of stores, and fsync there
        // costs nothing.
        fs::path base =
            fs::is_directory("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
        std::string templ = (base / "xa-gate-test-XXXXXX").string();
        path_ = ::mkdtemp(templ.data());
    }
    ~TempDir() { fs::remove_all(path_); }
    std::string path() const { return path_; }

private:
    std::string path_;
};

std::unique_ptr<XaFileStore> open_store(const std::string& dir) {
    auto store = XaFileStore::open(dir);
    EXPECT_TRUE(store.ok()) << store.error().message;
    return store.ok() ? std::move(*store) : nullptr;
}

// Every crash point (after an event, or between the events of a committed group being
// emitted), with the checkpoint saved at that point or a few points before, or never: the
// restarted daemon keeps what the checkpoint covers (the file sink truncates to it, Kafka
// drops what it already has) and resumes from it. The output must be `expected` each time.
void check_crashes(const std::vector<Ev>& events, const std::vector<int64_t>& expected) {
    size_t points = 0;
    {
        TempDir dir;
        auto store = open_store(dir.path());
        Recorder rec;
        Session run;
        run.at_point = [&] { return ++points, true; };
        auto done = stream(events, *store, rec, start_of(events), run);
        ASSERT_TRUE(done.ok()) << done.error().message;
        ASSERT_EQ(rec.ids, expected);
    }
    for (size_t crash = 0; crash < points; ++crash) {
        for (long back : {-1L, 0L, 1L, 2L, 5L}) {
            if (back >= 0 && static_cast<size_t>(back) > crash) continue;
            SCOPED_TRACE(
                "crash at point " + std::to_string(crash) + ", checkpoint " +
                (back < 0 ? std::string("never saved") : std::to_string(back) + " points before"));
            TempDir dir;
            model::Checkpoint saved = start_of(events);
            size_t delivered = 0;
            Recorder rec;
            {
                auto store = open_store(dir.path());
                Session run;
                size_t point = 0;
                run.at_point = [&] {
                    if (back >= 0 && point == crash - static_cast<size_t>(back)) {
                        saved = rec.tracker.checkpoint();
                        delivered = rec.ids.size();
                        EXPECT_TRUE(store->sync().ok());
                        EXPECT_TRUE(store->checkpoint_saved(saved.position).ok());
                    }
                    return point++ != crash;
                };
                auto done = stream(events, *store, rec, saved, run);
                ASSERT_TRUE(done.ok()) << done.error().message;
                ASSERT_FALSE(*done);
            }
            rec.ids.resize(delivered);
            auto store = open_store(dir.path());
            ASSERT_TRUE(store->checkpoint_saved(saved.position).ok());
            Recorder again;
            again.ids = rec.ids;
            Session run;
            auto done = stream(events, *store, again, saved, run);
            ASSERT_TRUE(done.ok()) << done.error().message;
            ASSERT_TRUE(*done);
            ASSERT_EQ(again.ids, expected);
        }
    }
}

TEST(XaGate, MariaDbCommittedXaComesOutAtItsCommitAndRolledBackNever) {
    auto events = mariadb_events();
    XaMemoryStore store;
    Recorder rec;
    Session run;
    auto done = stream(events, store, rec, start_of(events), run);
    ASSERT_TRUE(done.ok()) << done.error().message;
    EXPECT_EQ(rec.ids, kMariaCommitted);
    auto waiting = store.unresolved();
    ASSERT_EQ(waiting.size(), 1u);
    EXPECT_EQ(waiting[0].xid.to_string(), "X'65',X'',1");
    EXPECT_TRUE(run.warnings.empty());
}

TEST(XaGate, MariaDbExactlyOnceAcrossCrashesWithTheFileStore) {
    check_crashes(mariadb_events(), kMariaCommitted);
}

TEST(XaGate, MysqlTwoPhaseOnePhaseAndRollback) {
    MysqlStream s;
    s.ordinary(1);
    s.xa("a", 10, false);
    s.xa("b", 20, true);  // XA COMMIT 'b' ONE PHASE: committed at its XA_PREPARE
    s.xa("c", 30, false);
    s.ordinary(2);
    s.resolve("ROLLBACK", "c");
    s.resolve("COMMIT", "a");
    s.xa("a", 11, false);  // the XID again, once its transaction is over
    s.resolve("COMMIT", "a");
    s.xa("d", 40, false);  // never resolved
    const std::vector<int64_t> expected = {1, 20, 2, 10, 11};
    XaMemoryStore store;
    Recorder rec;
    Session run;
    auto done = stream(s.events, store, rec, start_of(s.events), run);
    ASSERT_TRUE(done.ok()) << done.error().message;
    EXPECT_EQ(rec.ids, expected);
    ASSERT_EQ(store.unresolved().size(), 1u);
    check_crashes(s.events, expected);
}

TEST(XaGate, CheckpointsInsideAnXaPrepareGroupPointAtItsStart) {
    MysqlStream s;
    s.xa("a", 10, false);
    XaMemoryStore store;
    Recorder rec;
    Session run;
    std::vector<model::Checkpoint> seen;
    run.at_point = [&] { return seen.push_back(rec.tracker.checkpoint()), true; };
    ASSERT_TRUE(stream(s.events, store, rec, start_of(s.events), run).ok());
    // FDE, then GTID .. XA_PREPARE (events 1-6): inside, the group's start with nothing
    // delivered; after it, its end.
    ASSERT_EQ(seen.size(), 7u);
    for (size_t i = 1; i < 6; ++i) {
        EXPECT_EQ(seen[i].position.pos, s.events[1].offset) << i;
        EXPECT_EQ(seen[i].skip_rows, 0u) << i;
    }
    EXPECT_EQ(seen[6].position.pos, s.events[6].offset + s.events[6].bytes.size());
}

TEST(XaGate, UnknownPrepareWarnsAfterAFreshStartAndStopsOtherwise) {
    auto events = mariadb_events();
    // Start after XA PREPARE 'a' (the third group after the CREATE TABLE): its commit in the
    // second file finds nothing kept.
    model::Checkpoint from;
    for (const Ev& e : events) {
        auto h = binlog::parse_event_header(e.bytes, e.offset);
        ASSERT_TRUE(h.ok());
        if (h->type == 38) {  // the first XA_PREPARE: 'a'
            from.position = {e.file, h->log_pos};
            break;
        }
    }
    {
        XaMemoryStore store;
        Recorder rec;
        Session run;
        run.fresh_start = "the test's start";
        auto done = stream(events, store, rec, from, run);
        ASSERT_TRUE(done.ok()) << done.error().message;
        EXPECT_EQ(rec.ids, (std::vector<int64_t>{2, 20, 40, 3, 50}));
        ASSERT_EQ(run.warnings.size(), 1u);
        EXPECT_NE(run.warnings[0].find("XA COMMIT X'61',X'',1 ending at mysql-bin.000002:"),
                  std::string::npos)
            << run.warnings[0];
        EXPECT_NE(run.warnings[0].find("the test's start"), std::string::npos);
    }
    XaMemoryStore store;
    Recorder rec;
    Session run;
    auto done = stream(events, store, rec, from, run);
    ASSERT_FALSE(done.ok());
    EXPECT_EQ(done.error().code, Errc::DataLoss);
    EXPECT_NE(done.error().message.find("XA COMMIT X'61',X'',1 ending at mysql-bin.000002:"),
              std::string::npos)
        << done.error().message;
    EXPECT_NE(done.error().message.find("(hint)"), std::string::npos);
    EXPECT_EQ(rec.ids, (std::vector<int64_t>{2, 20, 40}));
}

TEST(XaFileStore, KeptGroupsSurviveReopeningAndGoOnceACheckpointPassesTheirResolution) {
    TempDir dir;
    binlog::Xid xid{1, "g", "b"};
    auto fde = test::make_fde("10.11.6-MariaDB-log", 0);
    auto prepare = EventBuilder().u8(0).le(1, 4).le(1, 4).le(1, 4).str("gb").event(38);
    {
        auto store = open_store(dir.path() + "/xa");
        ASSERT_TRUE(store->begin_capture({"mysql-bin.000007", 1234}, fde).ok());
        ASSERT_TRUE(store->capture(prepare).ok());
        ASSERT_TRUE(store->keep_capture(xid).ok());
        // An unfinished capture is dropped on reopening.
        ASSERT_TRUE(store->begin_capture({"mysql-bin.000007", 2000}, fde).ok());
    }
    auto store = open_store(dir.path() + "/xa");
    ASSERT_EQ(store->unresolved().size(), 1u);
    EXPECT_FALSE(fs::exists(dir.path() + "/xa/capture.tmp"));
    auto found = store->find(xid, {"mysql-bin.000010", 4});
    ASSERT_TRUE(found.ok() && found->has_value());
    EXPECT_EQ((*found)->prepared_at, (model::BinlogPosition{"mysql-bin.000007", 1234}));
    EXPECT_FALSE(store->find(xid, {"mysql-bin.000007", 1000})->has_value());
    EXPECT_FALSE(store->find(binlog::Xid{1, "g", ""}, {"mysql-bin.000010", 4})->has_value());
    std::vector<size_t> sizes;
    ASSERT_TRUE(store
                    ->read(**found,
                           [&](Bytes e, uint64_t) {
                               sizes.push_back(e.size());
                               return Status{};
                           })
                    .ok());
    EXPECT_EQ(sizes, (std::vector<size_t>{fde.size(), prepare.size()}));
    ASSERT_TRUE(store->resolve(**found, {"mysql-bin.000010", 500}).ok());
    ASSERT_TRUE(store->checkpoint_saved({"mysql-bin.000010", 400}).ok());
    store = open_store(dir.path() + "/xa");  // the resolution is in the file's name
    EXPECT_TRUE(store->unresolved().empty());
    ASSERT_TRUE(store->find(xid, {"mysql-bin.000010", 500})->has_value());
    ASSERT_TRUE(store->checkpoint_saved({"mysql-bin.000010", 500}).ok());
    EXPECT_FALSE(store->find(xid, {"mysql-bin.000010", 500})->has_value());
    EXPECT_TRUE(fs::is_empty(dir.path() + "/xa"));
}

TEST(XaFileStore, AnUnreadableGroupIsDroppedOnlyWhenTheStreamReadsItAgain) {
    TempDir dir;
    {
        std::ofstream cut(dir.path() + "/prepared@mysql-bin.000002@500.binlog", std::ios::binary);
        cut << "\xfe"
               "bin";  // a power loss before sync(): the rename survived, the data not
    }
    auto before = XaFileStore::open(dir.path(), {"mysql-bin.000002", 600});
    ASSERT_FALSE(before.ok());  // a checkpoint passed it: it was synced, so this is damage
    EXPECT_NE(before.error().message.find("cannot be read"), std::string::npos);
    auto after = XaFileStore::open(dir.path(), {"mysql-bin.000002", 500});
    ASSERT_TRUE(after.ok()) << after.error().message;
    EXPECT_TRUE((*after)->unresolved().empty());
    EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(XaFileStore, RecordsTheFirstFreshStartOnly) {
    TempDir dir;
    {
        auto store = open_store(dir.path());
        EXPECT_FALSE(store->fresh_start().has_value());
        ASSERT_TRUE(store->record_fresh_start({"mysql-bin.000003", 1234}).ok());
        ASSERT_TRUE(store->record_fresh_start({"mysql-bin.000004", 4}).ok());
    }
    auto store = open_store(dir.path());
    EXPECT_EQ(store->fresh_start(), (model::BinlogPosition{"mysql-bin.000003", 1234}));
}

TEST(XaStore, PositionsInBinlogOrder) {
    EXPECT_TRUE(position_before({"mysql-bin.000009", 900}, {"mysql-bin.000010", 4}));
    EXPECT_TRUE(position_before({"mysql-bin.999999", 900}, {"mysql-bin.1000000", 4}));
    EXPECT_FALSE(position_before({"mysql-bin.1000000", 4}, {"mysql-bin.999999", 900}));
    EXPECT_TRUE(position_before({"b.000001", 4}, {"b.000001", 5}));
    EXPECT_FALSE(position_before({"b.000001", 5}, {"b.000001", 5}));
}

}  // namespace
}  // namespace cdc::stream

// XaFileStore: the daemon's PreparedXaStore, a directory of small binlog files
// ({STATE_DIR}/xa-prepared/), so prepared XA transactions survive restarts and crashes.
//
//   prepared@<file>@<pos>.binlog            the group of an XA PREPARE that starts at file:pos
//   resolved@<file>@<pos>@<file2>@<pos2>.binlog   the same once its XA COMMIT/ROLLBACK, ending
//                                           at file2:pos2, was read; deleted once a checkpoint
//                                           at or past file2:pos2 is saved
//   capture.tmp                             the group being read (dropped at open)
//   fresh-start                             "file:pos" where the daemon first began without a
//                                           saved position (see XaGate: an XA COMMIT of a
//                                           transaction prepared before it only warns)
//
// Each kept file is a binlog file of its own: the magic, the FORMAT_DESCRIPTION in force when
// the group was read, then the group's events exactly as the server sent them (GTID .. the
// XA_PREPARE event), so `mariadb-binlog` reads it as it is. Characters of a binlog file name
// other than [A-Za-z0-9._-] (none in practice) are written %XX in these names.
//
// Durability: keep_capture() writes the file and renames it into place; sync() fsyncs the
// groups kept since the last sync() and the directory (one syncfs when there are many). The
// pipeline calls sync() before it saves any checkpoint, so no checkpoint past an XA PREPARE is
// saved before its group is on disk, and none past an XA COMMIT before its resolution's name.
// (A process crash loses nothing written: only a power loss needs the sync.) A deletion that a
// crash loses is redone when the next run saves its first checkpoint. Not thread-safe: the
// pipeline's thread only.
#pragma once

#include <cstdio>
#include <memory>
#include <string>

#include "stream/xa_store.h"

namespace cdc::stream {

class XaFileStore final : public PreparedXaStore {
public:
    // Opens `dir` (created if missing) and reads which groups it keeps. `resume`: the saved
    // checkpoint's position (empty if none); a kept group that cannot be read (cut by a power
    // loss before sync()) is dropped when it starts at or after it, as it will be read again.
    static Result<std::unique_ptr<XaFileStore>> open(std::string dir,
                                                     const model::BinlogPosition& resume = {});
    ~XaFileStore() override;
    XaFileStore(const XaFileStore&) = delete;
    XaFileStore& operator=(const XaFileStore&) = delete;

    // The daemon starts reading at `start` without a saved position (the server's current
    // position, or where a new snapshot's stream starts). The first one is kept for good.
    Status record_fresh_start(const model::BinlogPosition& start);
    const std::optional<model::BinlogPosition>& fresh_start() const { return fresh_start_; }
    const std::string& dir() const { return dir_; }
    // Makes the groups kept and resolved so far durable. Before saving a checkpoint.
    Status sync();

    Status begin_capture(const model::BinlogPosition& start, Bytes fde) override;
    Status capture(Bytes event) override;
    Status keep_capture(const binlog::Xid& xid) override;
    Status read_capture(const EventSink& sink) override;
    Status drop_capture() override;

    Result<std::optional<PreparedXa>> find(const binlog::Xid& xid,
                                           const model::BinlogPosition& at) override;
    Status read(const PreparedXa& group, const EventSink& sink) override;
    Status resolve(const PreparedXa& group, const model::BinlogPosition& at) override;
    Status checkpoint_saved(const model::BinlogPosition& position) override;
    std::vector<PreparedXa> unresolved() const override;

private:
    struct Kept {
        PreparedXa info;
        std::string name;  // file name in dir_
    };
    explicit XaFileStore(std::string dir) : dir_(std::move(dir)) {}
    Status load(const model::BinlogPosition& resume);
    std::string path(const std::string& name) const { return dir_ + "/" + name; }
    Status write_capture(Bytes bytes);
    Status close_capture();
    const Kept* kept(uint64_t id) const;

    std::string dir_;
    std::vector<Kept> kept_;  // in the order they were prepared
    std::optional<model::BinlogPosition> fresh_start_;
    std::vector<uint64_t> unsynced_;  // ids of groups kept since the last sync()
    bool dir_changed_ = false;
    std::FILE* capture_ = nullptr;
    model::BinlogPosition capture_start_;
    uint64_t next_id_ = 1;
};

}  // namespace cdc::stream

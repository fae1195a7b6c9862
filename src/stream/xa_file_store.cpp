#include "stream/xa_file_store.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "stream/binlog_file_reader.h"
#include "stream/xa_kept_files.h"

namespace cdc::stream {
namespace {

using xa_files::io_error;
using xa_files::kBinlogMagic;

constexpr char kCaptureName[] = "capture.tmp";
constexpr char kFreshStartName[] = "fresh-start";
// sync(): more new groups than this are made durable by one syncfs.
constexpr size_t kFsyncEachUpTo = 16;

Status fsync_dir(const std::string& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return io_error("cannot open", dir);
    int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) return io_error("cannot fsync", dir);
    return {};
}

// Hands each event of the binlog file at `path` to `sink`; an error of the sink's gets
// `context` in front.
Status read_events(const std::string& path, const PreparedXaStore::EventSink& sink,
                   const std::string& context) {
    auto reader = BinlogFileReader::open(path);
    if (!reader) return reader.error();
    while (true) {
        auto ev = reader->next();
        if (!ev) return ev.error();
        if (!ev->has_value()) return {};
        Status st = sink((*ev)->bytes, (*ev)->offset);
        if (!st) return st.error().with_context(context);
    }
}

}  // namespace

Result<std::unique_ptr<XaFileStore>> XaFileStore::open(std::string dir,
                                                       const model::BinlogPosition& resume) {
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
        return make_error(Errc::FailedPrecondition,
                          "cannot create " + dir + ": " + std::strerror(errno));
    }
    std::unique_ptr<XaFileStore> store(new XaFileStore(std::move(dir)));
    Status st = store->load(resume);
    if (!st) return st.error();
    return store;
}

XaFileStore::~XaFileStore() {
    if (capture_ != nullptr) std::fclose(capture_);
}

Status XaFileStore::load(const model::BinlogPosition& resume) {
    (void)::unlink(path(kCaptureName).c_str());  // an unfinished group: read again on resume
    DIR* d = ::opendir(dir_.c_str());
    if (d == nullptr) return io_error("cannot list", dir_);
    std::vector<std::string> names;
    while (dirent* e = ::readdir(d)) names.emplace_back(e->d_name);
    ::closedir(d);
    std::sort(names.begin(), names.end());
    for (const std::string& name : names) {
        if (name == "." || name == "..") continue;
        if (name == kFreshStartName) {
            std::FILE* f = std::fopen(path(name).c_str(), "rb");
            if (f == nullptr) return io_error("cannot open", path(name));
            char buf[512] = {};
            size_t n = std::fread(buf, 1, sizeof buf - 1, f);
            std::fclose(f);
            std::string text(buf, n);
            while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
            size_t colon = text.rfind(':');
            if (colon == std::string::npos) {
                return make_error(Errc::Malformed, path(name) + ": expected file:position");
            }
            fresh_start_ = model::BinlogPosition{
                text.substr(0, colon), std::strtoull(text.c_str() + colon + 1, nullptr, 10)};
            continue;
        }
        auto info = xa_files::parse_name(name);
        if (!info) continue;  // not ours: left alone
        auto xid = xa_files::read_xid(path(name));
        if (!xid && !resume.empty() && !position_before(info->prepared_at, resume)) {
            // Not synced before a power loss, and not needed: no checkpoint passed its XA
            // PREPARE, so the stream reads the group again.
            (void)::unlink(path(name).c_str());
            continue;
        }
        if (!xid) {
            return xid.error().with_context("a prepared XA transaction kept in " + dir_ +
                                            " cannot be read: ");
        }
        info->xid = std::move(*xid);
        info->id = next_id_++;
        kept_.push_back(Kept{std::move(*info), name});
    }
    std::sort(kept_.begin(), kept_.end(), [](const Kept& a, const Kept& b) {
        return position_before(a.info.prepared_at, b.info.prepared_at);
    });
    return {};
}

Status XaFileStore::record_fresh_start(const model::BinlogPosition& start) {
    if (fresh_start_) return {};
    std::string tmp = path(std::string(kFreshStartName) + ".tmp");
    std::string text = start.to_string() + "\n";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return io_error("cannot create", tmp);
    bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
              ::fsync(fd) == 0;
    ::close(fd);
    if (!ok || ::rename(tmp.c_str(), path(kFreshStartName).c_str()) != 0) {
        return io_error("cannot write", path(kFreshStartName));
    }
    Status st = fsync_dir(dir_);
    if (!st) return st;
    fresh_start_ = start;
    return {};
}

Status XaFileStore::write_capture(Bytes bytes) {
    if (capture_ == nullptr) return make_error(Errc::Internal, "XA capture without begin_capture");
    if (std::fwrite(bytes.data(), 1, bytes.size(), capture_) != bytes.size()) {
        return io_error("cannot write", path(kCaptureName));
    }
    return {};
}

Status XaFileStore::close_capture() {
    if (capture_ == nullptr) return {};
    int rc = std::fclose(capture_);
    capture_ = nullptr;
    if (rc != 0) return io_error("cannot write", path(kCaptureName));
    return {};
}

Status XaFileStore::begin_capture(const model::BinlogPosition& start, Bytes fde) {
    (void)close_capture();
    capture_ = std::fopen(path(kCaptureName).c_str(), "w+be");
    if (capture_ == nullptr) return io_error("cannot create", path(kCaptureName));
    capture_start_ = start;
    Status st = write_capture(Bytes(kBinlogMagic, 4));
    if (!st) return st;
    return write_capture(fde);
}

Status XaFileStore::capture(Bytes event) { return write_capture(event); }

Status XaFileStore::keep_capture(const binlog::Xid& xid) {
    if (capture_ == nullptr) return make_error(Errc::Internal, "XA capture without begin_capture");
    Status st = close_capture();
    if (!st) return st;
    std::string name = xa_files::prepared_name(capture_start_);
    if (::rename(path(kCaptureName).c_str(), path(name).c_str()) != 0) {
        return io_error("cannot rename " + path(kCaptureName) + " to", path(name));
    }
    dir_changed_ = true;
    // The same group read again (a resume before the checkpoint passed it) replaces the one
    // kept before; if that one was resolved, its resolution is read again too.
    for (auto it = kept_.begin(); it != kept_.end();) {
        if (it->info.prepared_at != capture_start_) {
            ++it;
            continue;
        }
        if (it->name != name) (void)::unlink(path(it->name).c_str());
        it = kept_.erase(it);
    }
    Kept k{PreparedXa{next_id_++, xid, capture_start_, std::nullopt}, name};
    unsynced_.push_back(k.info.id);
    auto at = std::find_if(kept_.begin(), kept_.end(), [&](const Kept& other) {
        return position_before(capture_start_, other.info.prepared_at);
    });
    kept_.insert(at, std::move(k));
    return {};
}

Status XaFileStore::read_capture(const EventSink& sink) {
    if (capture_ == nullptr) return make_error(Errc::Internal, "XA capture without begin_capture");
    if (std::fflush(capture_) != 0) return io_error("cannot write", path(kCaptureName));
    return read_events(path(kCaptureName), sink, "");
}

Status XaFileStore::drop_capture() {
    Status st = close_capture();
    (void)::unlink(path(kCaptureName).c_str());
    return st;
}

const XaFileStore::Kept* XaFileStore::kept(uint64_t id) const {
    for (const Kept& k : kept_) {
        if (k.info.id == id) return &k;
    }
    return nullptr;
}

Result<std::optional<PreparedXa>> XaFileStore::find(const binlog::Xid& xid,
                                                    const model::BinlogPosition& at) {
    const Kept* best = nullptr;
    for (const Kept& k : kept_) {
        if (k.info.xid == xid && position_before(k.info.prepared_at, at)) best = &k;
    }
    if (best == nullptr) return std::optional<PreparedXa>{};
    return std::optional<PreparedXa>(best->info);
}

Status XaFileStore::read(const PreparedXa& group, const EventSink& sink) {
    const Kept* k = kept(group.id);
    if (k == nullptr) return make_error(Errc::Internal, "XA group not kept");
    return read_events(path(k->name), sink, path(k->name) + ": ");
}

Status XaFileStore::resolve(const PreparedXa& group, const model::BinlogPosition& at) {
    auto it = std::find_if(kept_.begin(), kept_.end(),
                           [&](const Kept& k) { return k.info.id == group.id; });
    if (it == kept_.end()) return make_error(Errc::Internal, "XA group not kept");
    if (it->info.resolved_at == at) return {};  // a replay of the same XA COMMIT/ROLLBACK
    if (it->info.resolved_at) {
        return make_error(Errc::DataLoss, "the XA transaction " + it->info.xid.to_string() +
                                              " prepared at " + it->info.prepared_at.to_string() +
                                              " was committed or rolled back at " +
                                              it->info.resolved_at->to_string() +
                                              " already; another XA " +
                                              "COMMIT/ROLLBACK of it ends at " + at.to_string() +
                                              " (was the binlog history reset?)");
    }
    std::string name = xa_files::resolved_name(it->info.prepared_at, at);
    if (::rename(path(it->name).c_str(), path(name).c_str()) != 0) {
        return io_error("cannot rename " + path(it->name) + " to", path(name));
    }
    dir_changed_ = true;
    it->name = std::move(name);
    it->info.resolved_at = at;
    return {};
}

Status XaFileStore::sync() {
    if (unsynced_.size() > kFsyncEachUpTo) {
        // Many groups since the last checkpoint (a busy XA workload): one syncfs, not an
        // fsync each.
        int fd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) return io_error("cannot open", dir_);
        int rc = ::syncfs(fd);
        ::close(fd);
        if (rc != 0) return io_error("cannot sync the file system of", dir_);
    } else {
        for (uint64_t id : unsynced_) {
            const Kept* k = kept(id);
            if (k == nullptr) continue;  // resolved and deleted already
            int fd = ::open(path(k->name).c_str(), O_RDONLY | O_CLOEXEC);
            if (fd < 0) return io_error("cannot open", path(k->name));
            int rc = ::fsync(fd);
            ::close(fd);
            if (rc != 0) return io_error("cannot fsync", path(k->name));
        }
        if (dir_changed_) {
            Status st = fsync_dir(dir_);
            if (!st) return st;
        }
    }
    unsynced_.clear();
    dir_changed_ = false;
    return {};
}

Status XaFileStore::checkpoint_saved(const model::BinlogPosition& position) {
    for (auto it = kept_.begin(); it != kept_.end();) {
        if (!it->info.resolved_at || position_before(position, *it->info.resolved_at)) {
            ++it;
            continue;
        }
        if (::unlink(path(it->name).c_str()) != 0 && errno != ENOENT) {
            return io_error("cannot remove", path(it->name));
        }
        it = kept_.erase(it);
    }
    return {};
}

std::vector<PreparedXa> XaFileStore::unresolved() const {
    std::vector<PreparedXa> out;
    for (const Kept& k : kept_) {
        if (!k.info.resolved_at) out.push_back(k.info);
    }
    return out;
}

}  // namespace cdc::stream

#include "state/state_store.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>

#include "state/position_order.h"
#include "state/state_names.h"

namespace cdc::state {
namespace {

namespace fs = std::filesystem;
using model::TableId;

struct Candidate {
    std::string name;  // file name in the directory
    StateRecord record;
    std::vector<TableId> covers;  // wanted tables it holds a position for
    std::vector<TableId> held;    // every table it holds a position for
};

// Where one table resumes according to one file.
struct TablePosition {
    const Candidate* from = nullptr;
    int start = -1;  // index into from->record.starts, or -1: the file's own checkpoint
    model::BinlogPosition position;
    uint64_t skip_rows = 0;
};

template <typename T>
bool contains(const std::vector<T>& v, const T& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

std::vector<std::string> canonical_texts(const std::vector<model::TablePattern>& patterns) {
    std::vector<std::string> texts;
    for (const model::TablePattern& p : patterns) texts.push_back(p.canonical());
    return texts;
}

bool is_position_file_name(const std::string& n) {
    const std::string prefix = "binlog_position_";
    const std::string suffix = ".json";
    return n.size() > prefix.size() + suffix.size() && n.compare(0, prefix.size(), prefix) == 0 &&
           n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0;
}

TablePosition position_in(const Candidate& c, const TableId& table) {
    const StateRecord& r = c.record;
    for (size_t i = 0; i < r.starts.size(); ++i) {
        if (contains(r.starts[i].tables, table)) {
            return {&c, static_cast<int>(i), r.starts[i].position, r.starts[i].skip_rows};
        }
    }
    return {&c, -1, r.checkpoint.position, r.checkpoint.skip_rows};
}

std::string describe(const TablePosition& p) {
    return p.position.to_string() +
           (p.skip_rows ? " skip_rows=" + std::to_string(p.skip_rows) : std::string());
}

Error conflict(const std::string& table, const TablePosition& a, const TablePosition& b,
               const std::string& dir) {
    return make_error(Errc::FailedPrecondition,
                      "state files " + a.from->name + " (" + describe(a) + ") and " + b.from->name +
                          " (" + describe(b) + ") in " + dir + " both hold a position for " +
                          table +
                          ": move the one that should not be resumed from out of the state "
                          "directory (keep the newer one unless it is known to be wrong)");
}

}  // namespace

StateStore::StateStore(std::string dir, std::vector<TableId> tables)
    : dir_(std::move(dir)),
      tables_(std::move(tables)),
      file_(dir_ + "/" +
            (tables_.size() == 1 ? single_table_file_name(tables_[0])
                                 : std::string(kMultiTableFileName))) {}

Result<ResumePlan> StateStore::load() {
    const std::vector<TableId>& wanted = tables_;
    std::vector<std::string> schemas;
    for (const TableId& t : tables_) {
        if (!contains(schemas, t.schema)) schemas.push_back(t.schema);
    }
    // Longer schema names first: "d_x_t" is table t of d_x before table x_t of d.
    std::sort(schemas.begin(), schemas.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });

    std::vector<Candidate> candidates;
    std::error_code ec;
    if (fs::is_directory(dir_, ec)) {
        std::vector<std::string> names;
        for (const auto& entry : fs::directory_iterator(dir_, ec)) {
            if (!entry.is_regular_file(ec)) continue;
            std::string name = entry.path().filename().string();
            if (is_position_file_name(name)) names.push_back(name);
        }
        if (ec) {
            return make_error(Errc::FailedPrecondition,
                              "cannot list the state directory " + dir_ + ": " + ec.message());
        }
        std::sort(names.begin(), names.end());
        for (const std::string& name : names) {
            std::vector<TableId> by_name = parse_legacy_name(name, schemas, wanted);
            // This layout's files say in "tables" what they hold; a legacy name is read only
            // when it names a configured table.
            const bool own = name == kMultiTableFileName || name.find("%%") != std::string::npos ||
                             file_.path() == dir_ + "/" + name;
            if (by_name.empty() && !own) continue;
            auto record = StateFile(dir_ + "/" + name).load_record();
            if (!record) return record.error();
            if (!record->has_value()) continue;
            Candidate c{name, std::move(**record), {}, {}};
            c.held = c.record.lists_tables ? c.record.tables : by_name;
            for (const TableId& t : c.held) {
                if (contains(wanted, t)) c.covers.push_back(t);
            }
            if (!c.covers.empty() || !c.record.replaces.empty()) candidates.push_back(std::move(c));
        }
    }
    // A file that a newer one took over from does not count (a crash before its rename).
    std::vector<std::string> replaced;
    for (const Candidate& c : candidates) {
        for (const std::string& r : c.record.replaces) {
            for (const Candidate& o : candidates) {
                if (o.name == r && o.record.timestamp <= c.record.timestamp) replaced.push_back(r);
            }
        }
    }

    ResumePlan plan;
    // By "schema.table": the order in which ties of the earliest position are broken.
    std::map<std::string, TablePosition> found;
    for (const TableId& id : wanted) {
        const std::string t = id.qualified();
        for (const Candidate& c : candidates) {
            if (contains(replaced, c.name) || !contains(c.covers, id)) continue;
            TablePosition p = position_in(c, id);
            auto it = found.find(t);
            if (it == found.end()) {
                found.emplace(t, p);
                continue;
            }
            if (it->second.position != p.position || it->second.skip_rows != p.skip_rows) {
                return conflict(t, it->second, p, dir_);
            }
        }
        if (!found.count(t)) plan.added.push_back(id);
    }
    known_.clear();
    starts_.clear();
    replaces_.clear();
    for (const Candidate& c : candidates) {
        if (contains(replaced, c.name) || c.covers.empty()) continue;
        plan.sources.push_back(c.name);
        if (dir_ + "/" + c.name != file_.path()) replaces_.push_back(c.name);
    }
    for (const std::string& r : replaced) {
        if (!contains(replaces_, r)) replaces_.push_back(r);
    }
    // Tables the saved run would have joined by itself (ResumePlan::joinable): every file read
    // was saved with the same patterns as now.
    const std::vector<std::string> includes = canonical_texts(patterns_.include);
    const std::vector<std::string> excludes = canonical_texts(patterns_.exclude);
    bool same_patterns = !includes.empty() && !plan.sources.empty();
    for (const Candidate& c : candidates) {
        if (!contains(plan.sources, c.name)) continue;
        same_patterns = same_patterns && c.record.table_patterns == includes &&
                        c.record.table_excludes == excludes;
    }
    if (same_patterns) {
        std::erase_if(plan.added, [&](const TableId& t) {
            if (patterns_.selects(t) == nullptr) return false;
            plan.joinable.push_back(t);
            return true;
        });
    }
    // The same tables as the one run that saved the position: no table added or removed, and
    // no second file. Only then does the sink's record of what it delivered after the
    // checkpoint count the same changes as this run will (see ResumePlan::same_tables).
    for (const Candidate& c : candidates) {
        if (plan.added.empty() && plan.sources.size() == 1 && c.name == plan.sources.front()) {
            plan.same_tables = c.held.size() + plan.joinable.size() == wanted.size() &&
                               std::all_of(c.held.begin(), c.held.end(), [&](const auto& t) {
                                   return contains(wanted, t) && !contains(plan.joinable, t);
                               });
        }
    }
    if (found.empty()) return plan;

    // The earliest position of all: the stream starts there.
    const TablePosition* earliest = nullptr;
    for (const auto& [table, p] : found) {
        if (earliest == nullptr) {
            earliest = &p;
            continue;
        }
        auto order = compare_positions(p.position, earliest->position);
        if (!order) {
            return make_error(Errc::FailedPrecondition,
                              "cannot tell which of the saved positions " + p.position.to_string() +
                                  " (" + table + ", " + p.from->name + ") and " +
                                  earliest->position.to_string() + " (" + earliest->from->name +
                                  ") is earlier: the binlog file names differ; keep the state "
                                  "files of one server only");
        }
        if (*order == std::strong_ordering::less ||
            (*order == std::strong_ordering::equal && p.skip_rows < earliest->skip_rows)) {
            earliest = &p;
        }
    }
    bool all_same = plan.added.empty();
    for (const auto& [table, p] : found) {
        all_same = all_same && p.position == earliest->position &&
                   p.skip_rows == earliest->skip_rows && p.from == earliest->from &&
                   p.start == earliest->start;
    }
    const StateRecord& base = earliest->from->record;
    plan.checkpoint.position = earliest->position;
    plan.checkpoint.skip_rows = all_same ? earliest->skip_rows : 0;
    if (earliest->start < 0) {
        plan.checkpoint.gtid = base.checkpoint.gtid;
        plan.checkpoint.gtid_state = base.checkpoint.gtid_state;
    }
    plan.checkpoint.server_id = base.checkpoint.server_id;
    // The output file's length: from the file written last (it covers the earlier runs).
    const Candidate* newest = nullptr;
    for (const auto& [table, p] : found) {
        if (newest == nullptr || p.from->record.timestamp > newest->record.timestamp) {
            newest = p.from;
        }
    }
    plan.checkpoint.output_file_length = newest->record.checkpoint.output_file_length;
    // The output's shape: the file written last wrote the newest messages.
    plan.output_format =
        newest->record.output_format.empty() ? kLegacyOutputFormat : newest->record.output_format;
    plan.message_key =
        newest->record.message_key.empty() ? kLegacyMessageKey : newest->record.message_key;
    // The snapshot record: an unfinished one wins (it must be resumed).
    for (const auto& [table, p] : found) {
        const std::string& snap = p.from->record.checkpoint.snapshot_json;
        if (snap.empty()) continue;
        bool running = snap.find("\"running\"") != std::string::npos;
        if (plan.checkpoint.snapshot_json.empty() || running) plan.checkpoint.snapshot_json = snap;
    }

    // Tables whose own position is not the stream's: one start per file and position.
    for (const TableId& id : tables_) {
        const std::string t = id.qualified();
        auto it = found.find(t);
        if (it == found.end()) continue;
        known_.push_back(id);
        const TablePosition& p = it->second;
        plan.notes.push_back(t + ": resuming from " + describe(p) + " (" + p.from->name + ")");
        if (all_same || (p.position == plan.checkpoint.position && p.skip_rows == 0)) continue;
        auto same = std::find_if(starts_.begin(), starts_.end(), [&](const TableStart& s) {
            return s.position == p.position && s.skip_rows == p.skip_rows &&
                   found.at(s.tables.front().qualified()).from == p.from &&
                   found.at(s.tables.front().qualified()).start == p.start;
        });
        if (same != starts_.end()) {
            same->tables.push_back(id);
        } else {
            starts_.push_back({{id}, p.position, p.skip_rows});
        }
    }
    plan.starts = starts_;
    changed_ = true;  // saved in this layout at the first checkpoint, even if nothing moved
    return plan;
}

void StateStore::include(const std::vector<TableId>& tables, const model::BinlogPosition& start) {
    for (const TableId& t : tables) {
        if (!contains(known_, t)) known_.push_back(t);
    }
    if (!start.empty() && !tables.empty()) starts_.push_back({tables, start, 0});
    changed_ = true;
}

void StateStore::add_table(const TableId& table, const model::BinlogPosition& start) {
    if (!contains(tables_, table)) tables_.push_back(table);
    include({table}, start);
    if (tables_.size() != 2) return;
    const std::string single = single_table_file_name(tables_.front());
    if (file_.path() != dir_ + "/" + single) return;
    // The one-table file named only the first table; the new file takes over from it.
    file_ = StateFile(dir_ + "/" + kMultiTableFileName);
    if (!contains(replaces_, single)) replaces_.push_back(single);
}

void StateStore::include_all() {
    known_.clear();
    known_ = tables_;
    starts_.clear();
    changed_ = true;
}

Status StateStore::save(const model::Checkpoint& checkpoint) {
    // A start the checkpoint is past no longer holds anything back: a replay begins after it.
    std::erase_if(starts_, [&](const TableStart& s) {
        auto order = compare_positions(checkpoint.position, s.position);
        return order && *order == std::strong_ordering::greater;
    });
    StateRecord record;
    record.checkpoint = checkpoint;
    record.lists_tables = true;
    for (const TableId& t : tables_) {
        if (contains(known_, t)) record.tables.push_back(t);
    }
    record.starts = starts_;
    record.replaces = replaces_;
    record.table_patterns = canonical_texts(patterns_.include);
    record.table_excludes = canonical_texts(patterns_.exclude);
    record.output_format = output_format_;
    record.message_key = message_key_;
    Status st = file_.save(record);
    if (!st) return st;
    changed_ = false;
    // StateFile::save renamed them away; forget them once none is left.
    std::erase_if(replaces_, [&](const std::string& name) {
        std::error_code ec;
        return !fs::exists(dir_ + "/" + name, ec);
    });
    return {};
}

}  // namespace cdc::state

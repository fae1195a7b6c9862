#include "state/state_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace cdc::state {
namespace {

using json = nlohmann::ordered_json;

constexpr const char* kFormatTag = "mysql-cdc/1";

Error corrupt(const std::string& path, const std::string& why) {
    return make_error(Errc::DataLoss,
                      "state file " + path + " is corrupt (" + why +
                          "): restore it from a backup, or delete it to start from the server's "
                          "current position (changes made since the last run are then lost)");
}

std::string utc_text(double seconds) {
    std::time_t t = static_cast<std::time_t>(seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
    return buf;
}

Status write_all(int fd, const std::string& data, const std::string& path) {
    size_t done = 0;
    while (done < data.size()) {
        ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            return make_error(Errc::Unavailable,
                              "cannot write " + path + ": " + std::strerror(errno));
        }
        done += static_cast<size_t>(n);
    }
    return {};
}

std::string dir_of(const std::string& path) {
    size_t slash = path.rfind('/');
    return slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
}

}  // namespace

namespace {

Status parse_checkpoint(const json& j, const std::string& path, model::Checkpoint& cp) {
    auto file = j.find("log_file");
    auto pos = j.find("log_pos");
    if (file == j.end() || !file->is_string() || file->get<std::string>().empty()) {
        return corrupt(path, "no \"log_file\" string");
    }
    if (pos == j.end() || !pos->is_number_unsigned()) {
        return corrupt(path, "no non-negative integer \"log_pos\"");
    }
    cp.position.file = file->get<std::string>();
    cp.position.pos = pos->get<uint64_t>();
    if (auto it = j.find("skip_rows"); it != j.end()) {
        if (!it->is_number_unsigned()) return corrupt(path, "\"skip_rows\" is not an integer");
        cp.skip_rows = it->get<uint64_t>();
    }
    if (auto it = j.find("gtid"); it != j.end()) {
        if (!it->is_string()) return corrupt(path, "\"gtid\" is not a string");
        cp.gtid = it->get<std::string>();
    }
    if (auto it = j.find("gtid_state"); it != j.end()) {
        if (!it->is_string()) return corrupt(path, "\"gtid_state\" is not a string");
        cp.gtid_state = it->get<std::string>();
    }
    if (auto it = j.find("server_id"); it != j.end()) {
        if (!it->is_number_unsigned() || it->get<uint64_t>() > UINT32_MAX) {
            return corrupt(path, "\"server_id\" is not a server id");
        }
        cp.server_id = static_cast<uint32_t>(it->get<uint64_t>());
    }
    if (auto it = j.find("output_file_length"); it != j.end() && !it->is_null()) {
        if (!it->is_number_unsigned()) {
            return corrupt(path, "\"output_file_length\" is not an integer");
        }
        cp.output_file_length = it->get<uint64_t>();
    }
    if (auto it = j.find("snapshot"); it != j.end() && !it->is_null()) {
        cp.snapshot_json = it->dump();
    }
    return {};
}

Result<std::vector<std::string>> string_list(const json& j, const char* field,
                                             const std::string& path) {
    std::vector<std::string> out;
    if (!j.is_array()) return corrupt(path, std::string("\"") + field + "\" is not a list");
    for (const auto& item : j) {
        if (!item.is_string()) {
            return corrupt(path, std::string("\"") + field + "\" holds a non-string");
        }
        out.push_back(item.get<std::string>());
    }
    return out;
}

// A list of "schema.table" texts (model::TableId::from_qualified reads them back).
Result<std::vector<model::TableId>> table_list(const json& j, const char* field,
                                               const std::string& path) {
    auto list = string_list(j, field, path);
    if (!list) return list.error();
    std::vector<model::TableId> out;
    for (const std::string& text : *list) out.push_back(model::TableId::from_qualified(text));
    return out;
}

json table_texts(const std::vector<model::TableId>& tables) {
    json out = json::array();
    for (const model::TableId& t : tables) out.push_back(t.qualified());
    return out;
}

Status parse_starts(const json& j, const std::string& path, std::vector<TableStart>& starts) {
    if (!j.is_array()) return corrupt(path, "\"table_starts\" is not a list");
    for (const auto& sj : j) {
        if (!sj.is_object()) return corrupt(path, "a \"table_starts\" entry is not an object");
        TableStart start;
        auto tables = sj.find("tables");
        if (tables == sj.end()) return corrupt(path, "a \"table_starts\" entry without tables");
        auto list = table_list(*tables, "tables", path);
        if (!list) return list.error();
        start.tables = std::move(*list);
        auto file = sj.find("log_file");
        auto pos = sj.find("log_pos");
        if (file == sj.end() || !file->is_string() || pos == sj.end() ||
            !pos->is_number_unsigned()) {
            return corrupt(path, "a \"table_starts\" entry without log_file and log_pos");
        }
        start.position = {file->get<std::string>(), pos->get<uint64_t>()};
        if (auto skip = sj.find("skip_rows"); skip != sj.end()) {
            if (!skip->is_number_unsigned()) return corrupt(path, "a start's skip_rows");
            start.skip_rows = skip->get<uint64_t>();
        }
        starts.push_back(std::move(start));
    }
    return {};
}

}  // namespace

Result<StateRecord> parse_state_record(const std::string& text, const std::string& path) {
    json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return corrupt(path, "not valid JSON");
    if (!j.is_object()) return corrupt(path, "not a JSON object");
    StateRecord record;
    Status st = parse_checkpoint(j, path, record.checkpoint);
    if (!st) return st.error();
    if (auto it = j.find("timestamp"); it != j.end() && it->is_number()) {
        record.timestamp = it->get<double>();
    }
    if (auto it = j.find("tables"); it != j.end()) {
        auto list = table_list(*it, "tables", path);
        if (!list) return list.error();
        record.lists_tables = true;
        record.tables = std::move(*list);
    }
    if (auto it = j.find("table_starts"); it != j.end()) {
        st = parse_starts(*it, path, record.starts);
        if (!st) return st.error();
    }
    if (auto it = j.find("replaces"); it != j.end()) {
        auto list = string_list(*it, "replaces", path);
        if (!list) return list.error();
        record.replaces = std::move(*list);
    }
    for (auto [key, field] : {std::pair{"output_format", &record.output_format},
                              std::pair{"message_key", &record.message_key}}) {
        if (auto it = j.find(key); it != j.end()) {
            if (!it->is_string())
                return corrupt(path, std::string("\"") + key + "\" is not a string");
            *field = it->get<std::string>();
        }
    }
    for (auto [key, field] : {std::pair{"table_patterns", &record.table_patterns},
                              std::pair{"table_excludes", &record.table_excludes}}) {
        if (auto it = j.find(key); it != j.end()) {
            auto list = string_list(*it, key, path);
            if (!list) return list.error();
            *field = std::move(*list);
        }
    }
    return record;
}

Result<model::Checkpoint> parse_state_json(const std::string& text, const std::string& path) {
    auto record = parse_state_record(text, path);
    if (!record) return record.error();
    return std::move(record->checkpoint);
}

std::string state_json(const model::Checkpoint& cp, double now_seconds) {
    StateRecord record;
    record.checkpoint = cp;
    return state_json(record, now_seconds);
}

std::string state_json(const StateRecord& record, double now_seconds) {
    const model::Checkpoint& cp = record.checkpoint;
    // Seed fields first, in the seed's order, so the file reads like the original's.
    json j = json::object();
    j["log_file"] = cp.position.file;
    j["log_pos"] = cp.position.pos;
    j["timestamp"] = now_seconds;
    j["readable_time"] = utc_text(now_seconds);
    j["skip_rows"] = cp.skip_rows;
    if (!cp.gtid.empty()) j["gtid"] = cp.gtid;
    if (!cp.gtid_state.empty()) j["gtid_state"] = cp.gtid_state;
    if (cp.server_id != 0) j["server_id"] = cp.server_id;
    if (cp.output_file_length) j["output_file_length"] = *cp.output_file_length;
    if (!cp.snapshot_json.empty()) {
        json snap = json::parse(cp.snapshot_json, nullptr, false);
        if (!snap.is_discarded()) j["snapshot"] = std::move(snap);
    }
    if (record.lists_tables) j["tables"] = table_texts(record.tables);
    if (!record.starts.empty()) {
        json starts = json::array();
        for (const TableStart& s : record.starts) {
            json sj = json::object();
            sj["tables"] = table_texts(s.tables);
            sj["log_file"] = s.position.file;
            sj["log_pos"] = s.position.pos;
            sj["skip_rows"] = s.skip_rows;
            starts.push_back(std::move(sj));
        }
        j["table_starts"] = std::move(starts);
    }
    if (!record.replaces.empty()) j["replaces"] = record.replaces;
    if (!record.table_patterns.empty()) j["table_patterns"] = record.table_patterns;
    if (!record.table_excludes.empty()) j["table_excludes"] = record.table_excludes;
    if (!record.output_format.empty()) j["output_format"] = record.output_format;
    if (!record.message_key.empty()) j["message_key"] = record.message_key;
    j["format"] = kFormatTag;
    return j.dump(2) + "\n";
}

Result<std::optional<model::Checkpoint>> StateFile::load() const {
    auto record = load_record();
    if (!record) return record.error();
    if (!record->has_value()) return std::optional<model::Checkpoint>{};
    return std::optional<model::Checkpoint>(std::move((*record)->checkpoint));
}

Result<std::optional<StateRecord>> StateFile::load_record() const {
    std::error_code ec;
    if (!std::filesystem::exists(path_, ec) && !ec) return std::optional<StateRecord>{};
    std::ifstream in(path_, std::ios::binary);
    if (!in) {
        return make_error(Errc::FailedPrecondition,
                          "cannot read state file " + path_ + ": " + std::strerror(errno));
    }
    std::stringstream ss;
    ss << in.rdbuf();
    auto record = parse_state_record(ss.str(), path_);
    if (!record) return record.error();
    return std::optional<StateRecord>(std::move(*record));
}

Status StateFile::save(const model::Checkpoint& checkpoint) const {
    StateRecord record;
    record.checkpoint = checkpoint;
    return save(record);
}

Status StateFile::save(const StateRecord& record) const {
    double now =
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    std::string text = state_json(record, now);
    std::string tmp = path_ + ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        return make_error(Errc::FailedPrecondition,
                          "cannot write state file " + tmp + ": " + std::strerror(errno) +
                              " (check Quix__State__Dir and its permissions)");
    }
    Status st = write_all(fd, text, tmp);
    if (st && ::fsync(fd) != 0) {
        st = make_error(Errc::Unavailable, "fsync " + tmp + ": " + std::strerror(errno));
    }
    ::close(fd);
    if (!st) return st;
    if (::rename(tmp.c_str(), path_.c_str()) != 0) {
        return make_error(Errc::Unavailable,
                          "cannot rename " + tmp + " to " + path_ + ": " + std::strerror(errno));
    }
    // Right after the new file is in place (no moment when a reader sees both, in practice),
    // the files it took over from are renamed away; the record's "replaces" covers a crash
    // in between.
    for (const std::string& name : record.replaces) {
        std::string from = dir_of(path_) + "/" + name;
        if (from != path_) (void)::rename(from.c_str(), (from + ".superseded").c_str());
    }
    int dfd = ::open(dir_of(path_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
    return {};
}

}  // namespace cdc::state

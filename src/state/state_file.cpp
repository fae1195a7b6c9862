#include "state/state_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <ctime>
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

std::string StateFile::file_name(const std::string& schema, const std::string& tables_joined) {
    return "binlog_position_" + schema + "_" + tables_joined + ".json";
}

Result<model::Checkpoint> parse_state_json(const std::string& text, const std::string& path) {
    json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return corrupt(path, "not valid JSON");
    if (!j.is_object()) return corrupt(path, "not a JSON object");
    model::Checkpoint cp;
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
    if (auto it = j.find("output_file_length"); it != j.end() && !it->is_null()) {
        if (!it->is_number_unsigned()) {
            return corrupt(path, "\"output_file_length\" is not an integer");
        }
        cp.output_file_length = it->get<uint64_t>();
    }
    if (auto it = j.find("snapshot"); it != j.end() && !it->is_null()) {
        cp.snapshot_json = it->dump();
    }
    return cp;
}

std::string state_json(const model::Checkpoint& cp, double now_seconds) {
    // Seed fields first, in the seed's order, so the file reads like the original's.
    json j = json::object();
    j["log_file"] = cp.position.file;
    j["log_pos"] = cp.position.pos;
    j["timestamp"] = now_seconds;
    j["readable_time"] = utc_text(now_seconds);
    j["skip_rows"] = cp.skip_rows;
    if (!cp.gtid.empty()) j["gtid"] = cp.gtid;
    if (cp.output_file_length) j["output_file_length"] = *cp.output_file_length;
    if (!cp.snapshot_json.empty()) {
        json snap = json::parse(cp.snapshot_json, nullptr, false);
        if (!snap.is_discarded()) j["snapshot"] = std::move(snap);
    }
    j["format"] = kFormatTag;
    return j.dump(2) + "\n";
}

Result<std::optional<model::Checkpoint>> StateFile::load() const {
    std::error_code ec;
    if (!std::filesystem::exists(path_, ec) && !ec) return std::optional<model::Checkpoint>{};
    std::ifstream in(path_, std::ios::binary);
    if (!in) {
        return make_error(Errc::FailedPrecondition,
                          "cannot read state file " + path_ + ": " + std::strerror(errno));
    }
    std::stringstream ss;
    ss << in.rdbuf();
    auto cp = parse_state_json(ss.str(), path_);
    if (!cp) return cp.error();
    return std::optional<model::Checkpoint>(std::move(*cp));
}

Status StateFile::save(const model::Checkpoint& checkpoint) const {
    double now = std::chrono::duration<double>(
                     std::chrono::system_clock::now().time_since_epoch()).count();
    std::string text = state_json(checkpoint, now);
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
    int dfd = ::open(dir_of(path_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
    return {};
}

}  // namespace cdc::state

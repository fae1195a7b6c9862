#include "app/control_request.h"

#include <algorithm>

namespace cdc::app {
namespace {

std::vector<std::string_view> words(std::string_view line) {
    std::vector<std::string_view> out;
    size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
        size_t start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
        if (i > start) out.push_back(line.substr(start, i - start));
    }
    return out;
}

Error bad(std::string message) { return make_error(Errc::InvalidArgument, std::move(message)); }

}  // namespace

Result<ControlRequest> parse_control_request(std::string_view line) {
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
    auto w = words(line);
    if (w.empty() || w[0] != "snapshot") {
        return bad("unknown request '" + std::string(line.substr(0, 80)) +
                   "': this daemon takes 'snapshot [--wait] SCHEMA.TABLE ...'");
    }
    ControlRequest request;
    for (size_t i = 1; i < w.size(); ++i) {
        if (w[i] == "--wait") {
            request.wait = true;
            continue;
        }
        const size_t dot = w[i].find('.');
        // MYSQL_TABLE's form: one dot between a non-empty schema and table.
        if (w[i].front() == '-' || dot == std::string_view::npos || dot == 0 ||
            dot + 1 == w[i].size() || w[i].find('.', dot + 1) != std::string_view::npos) {
            return bad("'" + std::string(w[i]) + "' is not a table: give SCHEMA.TABLE");
        }
        model::TableId t{std::string(w[i].substr(0, dot)), std::string(w[i].substr(dot + 1))};
        if (std::find(request.tables.begin(), request.tables.end(), t) == request.tables.end()) {
            request.tables.push_back(std::move(t));
        }
    }
    if (request.tables.empty()) return bad("no table given: snapshot SCHEMA.TABLE ...");
    return request;
}

std::string control_request_line(const ControlRequest& request) {
    std::string line = "snapshot";
    if (request.wait) line += " --wait";
    for (const auto& t : request.tables) line += " " + t.qualified();
    return line;
}

std::string control_socket_path(const std::string& state_dir) {
    std::string dir = state_dir.empty() ? "." : state_dir;
    if (dir.back() != '/') dir += '/';
    return dir + kControlSocketName;
}

}  // namespace cdc::app

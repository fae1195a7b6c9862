#include "snapshot/snapshot_state.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "common/hex.h"

namespace cdc::snapshot {
namespace {

using json = nlohmann::ordered_json;

Error bad(const std::string& why) {
    return make_error(Errc::DataLoss,
                      "the state file's \"snapshot\" record is unreadable (" + why +
                          "): restore the file, or set FORCE_SNAPSHOT=true to take the snapshot "
                          "again");
}

json key_json(const KeyValue& v) {
    json j = json::object();
    switch (v.kind) {
        case KeyValue::Kind::Number: j["n"] = v.text; break;
        case KeyValue::Kind::Quoted: j["q"] = v.text; break;
        case KeyValue::Kind::Binary: j["b"] = to_hex(v.text); break;
        case KeyValue::Kind::Text:
            j["s"] = to_hex(v.text);
            j["cs"] = v.charset;
            break;
    }
    return j;
}

bool parse_key(const json& j, KeyValue& v) {
    if (!j.is_object()) return false;
    auto text = [&](const char* name, std::string& out) {
        auto it = j.find(name);
        if (it == j.end() || !it->is_string()) return false;
        out = it->get<std::string>();
        return true;
    };
    std::string hex;
    if (text("n", v.text)) {
        v.kind = KeyValue::Kind::Number;
        return true;
    }
    if (text("q", v.text)) {
        v.kind = KeyValue::Kind::Quoted;
        return true;
    }
    if (text("b", hex)) {
        v.kind = KeyValue::Kind::Binary;
        return from_hex(hex, v.text);
    }
    if (text("s", hex) && text("cs", v.charset)) {
        v.kind = KeyValue::Kind::Text;
        return from_hex(hex, v.text);
    }
    return false;
}

bool all_of(std::string_view s, bool (*ok)(char)) {
    return !s.empty() && std::all_of(s.begin(), s.end(), ok);
}

}  // namespace

uint64_t SnapshotState::rows() const {
    uint64_t n = 0;
    for (const auto& t : tables) n += t.rows;
    return n;
}

std::string snapshot_state_json(const SnapshotState& s) {
    json j = json::object();
    j["status"] = s.done ? "done" : "running";
    json start = json::object();
    start["log_file"] = s.start.file;
    start["log_pos"] = s.start.pos;
    if (!s.start_gtid.empty()) start["gtid"] = s.start_gtid;
    j["start"] = std::move(start);
    j["consistency"] = s.exact ? "exact" : "at-least-once";
    j["resumed"] = s.resumed;
    if (s.done) j["completed_at"] = s.completed_at;
    json tables = json::array();
    for (const auto& t : s.tables) {
        json tj = json::object();
        tj["table"] = t.table.qualified();
        tj["done"] = t.done;
        tj["rows"] = t.rows;
        if (!t.last_key.empty()) {
            json key = json::array();
            for (const auto& v : t.last_key) key.push_back(key_json(v));
            tj["last_key"] = std::move(key);
        }
        tables.push_back(std::move(tj));
    }
    j["tables"] = std::move(tables);
    return j.dump();
}

Result<SnapshotState> parse_snapshot_state(const std::string& text) {
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return bad("not a JSON object");
    SnapshotState s;
    auto status = j.find("status");
    if (status == j.end() || !status->is_string()) return bad("no \"status\"");
    if (*status == "done") {
        s.done = true;
    } else if (*status != "running") {
        return bad("unknown status " + status->dump());
    }
    auto start = j.find("start");
    if (start == j.end() || !start->is_object()) return bad("no \"start\" position");
    auto file = start->find("log_file");
    auto pos = start->find("log_pos");
    if (file == start->end() || !file->is_string() || pos == start->end() ||
        !pos->is_number_unsigned()) {
        return bad("\"start\" needs log_file and log_pos");
    }
    s.start.file = file->get<std::string>();
    s.start.pos = pos->get<uint64_t>();
    if (auto g = start->find("gtid"); g != start->end() && g->is_string()) {
        s.start_gtid = g->get<std::string>();
    }
    if (auto c = j.find("consistency"); c != j.end() && c->is_string()) {
        s.exact = *c == "exact";
    }
    if (auto r = j.find("resumed"); r != j.end() && r->is_number_unsigned()) {
        s.resumed = r->get<uint64_t>();
    }
    if (auto c = j.find("completed_at"); c != j.end() && c->is_number()) {
        s.completed_at = c->get<double>();
    }
    auto tables = j.find("tables");
    if (tables == j.end() || !tables->is_array()) return bad("no \"tables\" list");
    for (const auto& tj : *tables) {
        TableProgress t;
        if (!tj.is_object() || !tj.contains("table") || !tj["table"].is_string()) {
            return bad("a table entry without a name");
        }
        const std::string name = tj["table"].get<std::string>();
        t.table = model::TableId::from_qualified(name);
        t.done = tj.value("done", false);
        if (auto r = tj.find("rows"); r != tj.end() && r->is_number_unsigned()) {
            t.rows = r->get<uint64_t>();
        }
        if (auto k = tj.find("last_key"); k != tj.end()) {
            if (!k->is_array()) return bad("\"last_key\" of " + name + " is not a list");
            for (const auto& kj : *k) {
                KeyValue v;
                if (!parse_key(kj, v)) return bad("unreadable \"last_key\" of " + name);
                t.last_key.push_back(std::move(v));
            }
        }
        s.tables.push_back(std::move(t));
    }
    return s;
}

Result<std::string> key_literal(const KeyValue& v) {
    auto bad_key = [&](const char* what) {
        return make_error(Errc::DataLoss, std::string("snapshot key value is not ") + what +
                                              ": \"" + v.text.substr(0, 40) + "\"");
    };
    switch (v.kind) {
        case KeyValue::Kind::Number:
            if (!all_of(v.text, [](char c) {
                    return (c >= '0' && c <= '9') || c == '-' || c == '.' || c == 'e' || c == 'E' ||
                           c == '+';
                })) {
                return bad_key("a number");
            }
            return v.text;
        case KeyValue::Kind::Quoted:
            // Dates, times and floats: digits and a few separators only.
            if (!all_of(v.text, [](char c) {
                    return (c >= '0' && c <= '9') || c == '-' || c == ':' || c == ' ' || c == '.' ||
                           c == 'e' || c == 'E' || c == '+';
                })) {
                return bad_key("a date, time or number");
            }
            return "'" + v.text + "'";
        case KeyValue::Kind::Binary:
            return v.text.empty() ? std::string("''") : "X'" + to_hex(v.text) + "'";
        case KeyValue::Kind::Text:
            if (!all_of(v.charset, [](char c) {
                    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
                })) {
                return bad_key("in a known character set");
            }
            // An introducer keeps the bytes as they are, in the column's own character set.
            return "_" + v.charset +
                   (v.text.empty() ? std::string(" ''") : " X'" + to_hex(v.text) + "'");
    }
    return make_error(Errc::Internal, "unknown key kind");
}

}  // namespace cdc::snapshot

#include "binlog/json/json_diff.h"

#include <algorithm>
#include <vector>

#include "binlog/json/json_dom.h"
#include "binlog/json/json_path.h"

namespace cdc::binlog {
namespace {

using json::JsonNode;
using json::PathLeg;

// Json_diff's operation byte (MySQL sql/json_diff.h, enum_json_diff_operation).
enum class DiffOp : uint8_t { Replace = 0, Insert = 1, Remove = 2 };

const char* op_name(DiffOp op) {
    switch (op) {
        case DiffOp::Replace: return "REPLACE";
        case DiffOp::Insert: return "INSERT";
        case DiffOp::Remove: return "REMOVE";
    }
    return "?";
}

// MySQL's seek_exact_path: follows member and array-cell legs without auto-wrapping.
JsonNode* seek(JsonNode* node, const std::vector<PathLeg>& legs, size_t count) {
    for (size_t i = 0; i < count && node != nullptr; ++i) {
        const PathLeg& leg = legs[i];
        if (node->kind == JsonNode::Kind::Array && leg.kind == PathLeg::Kind::ArrayCell) {
            auto idx = json::resolve_array_index(leg, node->elements.size());
            node = idx.within_bounds ? &node->elements[idx.position] : nullptr;
        } else if (node->kind == JsonNode::Kind::Object && leg.kind == PathLeg::Kind::Member) {
            node = json::find_member(*node, leg.member);
        } else {
            node = nullptr;
        }
    }
    return node;
}

// Applies one diff as MySQL's apply_json_diff does; false when MySQL would reject it.
bool apply(JsonNode& doc, DiffOp op, const std::vector<PathLeg>& legs, JsonNode value) {
    if (op == DiffOp::Replace) {
        JsonNode* target = seek(&doc, legs, legs.size());
        if (target == nullptr) return false;
        *target = std::move(value);
        return true;
    }
    JsonNode* parent = seek(&doc, legs, legs.size() - 1);
    if (parent == nullptr) return false;
    const PathLeg& last = legs.back();
    if (parent->kind == JsonNode::Kind::Object && last.kind == PathLeg::Kind::Member) {
        auto& members = parent->members;
        auto it = std::find_if(members.begin(), members.end(),
                               [&](const json::JsonMember& m) { return m.key == last.member; });
        if (op == DiffOp::Remove) {
            if (it == members.end()) return false;
            members.erase(it);
            return true;
        }
        if (it != members.end()) return false;  // INSERT never overwrites
        auto pos = std::find_if(members.begin(), members.end(), [&](const json::JsonMember& m) {
            return json::json_key_less(last.member, m.key);
        });
        members.insert(pos, json::JsonMember{last.member, std::move(value)});
        return true;
    }
    if (parent->kind == JsonNode::Kind::Array && last.kind == PathLeg::Kind::ArrayCell) {
        auto& elements = parent->elements;
        auto idx = json::resolve_array_index(last, elements.size());
        if (op == DiffOp::Remove) {
            if (!idx.within_bounds) return false;
            elements.erase(elements.begin() + static_cast<ptrdiff_t>(idx.position));
            return true;
        }
        elements.insert(elements.begin() + static_cast<ptrdiff_t>(idx.position), std::move(value));
        return true;
    }
    return false;
}

// Reads and applies one diff (Json_diff::write_binary's layout): operation byte, packed path
// length, path text, and for REPLACE/INSERT a packed value length and the binary value.
Status apply_next(ByteReader& r, JsonNode& doc, size_t n) {
    const uint8_t op_byte = r.read_u8();
    const std::string_view path_text = r.read_str(r.read_packed_int());
    if (!r.ok()) return r.error();
    if (op_byte > static_cast<uint8_t>(DiffOp::Remove)) {
        return make_error(Errc::Malformed,
                          "JSON diff: unknown operation " + std::to_string(op_byte));
    }
    const auto op = static_cast<DiffOp>(op_byte);
    auto legs = json::parse_json_path(path_text);
    if (!legs) return legs.error();
    // MySQL never logs a diff on the whole document; it writes the full value instead.
    if (legs->empty()) return make_error(Errc::Malformed, "JSON diff on the root path '$'");
    JsonNode value;
    if (op != DiffOp::Remove) {
        Bytes bytes = r.read_bytes(r.read_packed_int());
        if (!r.ok()) return r.error();
        auto parsed = json::parse_json_dom(bytes);
        if (!parsed) return parsed.error();
        value = std::move(*parsed);
    }
    if (!apply(doc, op, *legs, std::move(value))) {
        // MySQL's replica stops here too (ER_COULD_NOT_APPLY_JSON_DIFF): the before image is
        // not the document the server changed, so any after image we made up would be wrong.
        return make_error(Errc::DataLoss, "JSON diff " + std::to_string(n) + " (" + op_name(op) +
                                              " " + std::string(path_text) +
                                              ") does not apply to the before image");
    }
    return {};
}

}  // namespace

Status apply_json_diffs(Bytes before, Bytes diffs, std::string& out) {
    auto doc = json::parse_json_dom(before);
    if (!doc) return doc.error().with_context("JSON diff before image: ");
    ByteReader r(diffs);
    for (size_t n = 1; !r.empty(); ++n) {
        if (auto st = apply_next(r, *doc, n); !st) return st;
    }
    return json::append_json_dom(*doc, out);
}

}  // namespace cdc::binlog

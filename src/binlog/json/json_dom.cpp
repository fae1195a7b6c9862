#include "binlog/json/json_dom.h"

#include <algorithm>

#include "common/json_writer.h"

namespace cdc::binlog::json {
namespace {

constexpr uint8_t kNullLiteralByte[] = {kNullLiteral};

Error too_deep() {
    return malformed("nested deeper than " + std::to_string(kMaxDepth) + " levels");
}

class DomBuilder {
public:
    explicit DomBuilder(size_t input_size) : nodes_left_(input_size + 1) {}

    Status build(uint8_t type, Bytes data, int depth, JsonNode& node) {
        if (nodes_left_-- == 0) return malformed("more values than bytes (overlapping values?)");
        if (!is_container(type)) {
            // Render once into a scratch string only to validate; the node keeps the bytes.
            scratch_.clear();
            if (auto st = append_scalar(type, data, scratch_); !st) return st;
            node.kind = JsonNode::Kind::Scalar;
            node.scalar_type = type;
            node.scalar = data;
            return {};
        }
        if (depth >= kMaxDepth) return too_deep();
        ContainerView view;
        if (auto st = view.parse(type, data); !st) return st;
        node.kind = view.is_object() ? JsonNode::Kind::Object : JsonNode::Kind::Array;
        return view.is_object() ? object(view, depth + 1, node) : array(view, depth + 1, node);
    }

private:
    Status array(const ContainerView& view, int depth, JsonNode& node) {
        node.elements.resize(view.count());
        for (uint32_t i = 0; i < view.count(); ++i) {
            uint8_t type = 0;
            Bytes data;
            if (auto st = view.element(i, type, data); !st) return st;
            if (auto st = build(type, data, depth, node.elements[i]); !st) return st;
        }
        return {};
    }

    Status object(const ContainerView& view, int depth, JsonNode& node) {
        node.members.resize(view.count());
        for (uint32_t i = 0; i < view.count(); ++i) {
            auto key = view.key(i);
            if (!key) return key.error();
            node.members[i].key.assign(*key);
            uint8_t type = 0;
            Bytes data;
            if (auto st = view.element(i, type, data); !st) return st;
            if (auto st = build(type, data, depth, node.members[i].value); !st) return st;
        }
        return {};
    }

    size_t nodes_left_;
    std::string scratch_;
};

Status append_node(const JsonNode& node, int depth, std::string& out) {
    switch (node.kind) {
        case JsonNode::Kind::Scalar: return append_scalar(node.scalar_type, node.scalar, out);
        case JsonNode::Kind::Array:
            if (depth >= kMaxDepth) return too_deep();
            out += '[';
            for (size_t i = 0; i < node.elements.size(); ++i) {
                if (i > 0) out += ", ";
                if (auto st = append_node(node.elements[i], depth + 1, out); !st) return st;
            }
            out += ']';
            return {};
        case JsonNode::Kind::Object:
            if (depth >= kMaxDepth) return too_deep();
            out += '{';
            for (size_t i = 0; i < node.members.size(); ++i) {
                if (i > 0) out += ", ";
                append_json_string_lossy(out, node.members[i].key);
                out += ": ";
                if (auto st = append_node(node.members[i].value, depth + 1, out); !st) return st;
            }
            out += '}';
            return {};
    }
    return make_error(Errc::Internal, "JSON DOM: unknown node kind");
}

}  // namespace

Result<JsonNode> parse_json_dom(Bytes binary) {
    JsonNode root;
    if (binary.empty()) {
        root.scalar = Bytes(kNullLiteralByte);
        return root;
    }
    DomBuilder builder(binary.size());
    if (auto st = builder.build(binary[0], binary.subspan(1), 0, root); !st) return st.error();
    return root;
}

Status append_json_dom(const JsonNode& node, std::string& out) {
    const size_t mark = out.size();
    Status st = append_node(node, 0, out);
    if (!st) out.resize(mark);
    return st;
}

bool json_key_less(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return a.size() < b.size();
    return a < b;
}

JsonNode* find_member(JsonNode& object, std::string_view key) {
    for (auto& m : object.members) {
        if (m.key == key) return &m.value;
    }
    return nullptr;
}

}  // namespace cdc::binlog::json

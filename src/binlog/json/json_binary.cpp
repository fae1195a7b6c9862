#include "binlog/json/json_binary.h"

#include "binlog/json/json_scalar.h"
#include "common/json_writer.h"

namespace cdc::binlog {
namespace {

using json::ContainerView;

// Renders straight from the binary form: no DOM, no allocation besides `out`'s growth.
// Separators follow MySQL's JSON text ("{"a": 1, "b": [1, 2]}"), which is what the text
// protocol shows for a JSON column.
class TextRenderer {
public:
    TextRenderer(std::string& out, size_t input_size)
        : out_(out), budget_(input_size, out.size()) {}

    Status value(uint8_t type, Bytes data, int depth) {
        if (!json::is_container(type)) return json::append_scalar(type, data, out_);
        if (depth >= json::kMaxDepth) {
            return make_error(Errc::Malformed, "binary JSON: nested deeper than " +
                                                   std::to_string(json::kMaxDepth) + " levels");
        }
        ContainerView view;
        if (auto st = view.parse(type, data); !st) return st;
        return view.is_object() ? object(view, depth + 1) : array(view, depth + 1);
    }

private:
    Status array(const ContainerView& view, int depth) {
        out_ += '[';
        for (uint32_t i = 0; i < view.count(); ++i) {
            if (i > 0) out_ += ", ";
            if (auto st = element(view, i, depth); !st) return st;
        }
        out_ += ']';
        return {};
    }

    Status object(const ContainerView& view, int depth) {
        out_ += '{';
        for (uint32_t i = 0; i < view.count(); ++i) {
            if (i > 0) out_ += ", ";
            auto key = view.key(i);
            if (!key) return key.error();
            append_json_string_lossy(out_, *key);
            out_ += ": ";
            if (auto st = element(view, i, depth); !st) return st;
        }
        out_ += '}';
        return {};
    }

    Status element(const ContainerView& view, uint32_t i, int depth) {
        uint8_t type = 0;
        Bytes data;
        if (auto st = view.element(i, type, data); !st) return st;
        if (auto st = value(type, data, depth); !st) return st;
        if (budget_.exceeded(out_)) {
            return json::malformed("text far larger than the binary (overlapping values?)");
        }
        return {};
    }

    std::string& out_;
    json::RenderBudget budget_;
};

}  // namespace

Status json_binary_to_text(Bytes binary, std::string& out) {
    // MySQL reads an empty value (a NULL stored into a NOT NULL column without strict mode)
    // as the JSON null literal.
    if (binary.empty()) {
        out += "null";
        return {};
    }
    const size_t mark = out.size();
    TextRenderer renderer(out, binary.size());
    Status st = renderer.value(binary[0], binary.subspan(1), 0);
    if (!st) out.resize(mark);
    return st;
}

}  // namespace cdc::binlog

#include "common/log_fields.h"

#include <cstring>

#include "common/json_writer.h"

namespace cdc {
namespace {

thread_local const LogFields* innermost = nullptr;

// Whether a scope inside `from` (up to but not including `stop`) already has `name`.
bool named_inside(const LogFields* from, const LogFields* stop, const char* name) {
    for (const LogFields* s = from; s != stop; s = s->outer()) {
        for (size_t i = 0; i < s->size(); ++i) {
            if (std::strcmp((*s)[i].name, name) == 0) return true;
        }
    }
    return false;
}

}  // namespace

void LogValue::append_json(std::string& out) const {
    switch (kind_) {
        case Kind::Text: append_json_string_lossy(out, text_); return;
        case Kind::Int: append_json_int(out, int_); return;
        case Kind::UInt: append_json_uint(out, uint_); return;
        case Kind::Real: append_json_double(out, real_); return;
        case Kind::Bool: out += bool_ ? "true" : "false"; return;
    }
}

LogFields::LogFields(std::initializer_list<LogField> fields) : outer_(innermost) {
    for (const LogField& f : fields) {
        if (size_ == kMax) break;
        fields_[size_++] = f;
    }
    innermost = this;
}

LogFields::~LogFields() { innermost = outer_; }

const LogFields* LogFields::current() { return innermost; }

void LogFields::append_current_json(std::string& out) {
    for (const LogFields* s = innermost; s != nullptr; s = s->outer()) {
        for (size_t i = 0; i < s->size_; ++i) {
            const LogField& f = s->fields_[i];
            // Within a scope too: the first of two equal names wins.
            bool earlier_here = false;
            for (size_t j = 0; j < i && !earlier_here; ++j) {
                earlier_here = std::strcmp(s->fields_[j].name, f.name) == 0;
            }
            if (earlier_here || named_inside(innermost, s, f.name)) continue;
            out += ',';
            append_json_string_lossy(out, f.name);
            out += ':';
            f.value.append_json(out);
        }
    }
}

}  // namespace cdc

// Named values for the log lines written while a LogFields is alive on this thread: with
// LOG_FORMAT=json each becomes a top-level key of the line, numbers as JSON numbers, so an
// operator's tooling reads a position or a rate without parsing the message. Text lines stay
// as they are (the message says the same in words).
//
//   {
//       LogFields fields{{"table", name}, {"rows", rows}};
//       spdlog::info("snapshot of {}: done, {} rows", name, rows);
//   }
//
// The logger formats each line on the thread that logs it (app/logging.cpp), so the formatter
// reads this thread's fields. Scopes nest (an inner one adds to the outer's; a name in both
// is written once, with the inner value). Values are views: what they point to must outlive
// the scope. No allocation: the fields are copied into the scope object.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace cdc {

class LogValue {
public:
    enum class Kind : uint8_t { Text, Int, UInt, Real, Bool };

    LogValue() : LogValue(std::string_view{}) {}
    LogValue(std::string_view v) : kind_(Kind::Text), text_(v) {}
    LogValue(const char* v) : LogValue(std::string_view(v)) {}
    LogValue(const std::string& v) : LogValue(std::string_view(v)) {}
    template <std::signed_integral T>
    LogValue(T v) : kind_(Kind::Int), int_(v) {}
    template <std::unsigned_integral T>
    requires(!std::same_as<T, bool>) LogValue(T v) : kind_(Kind::UInt), uint_(v) {}
    LogValue(double v) : kind_(Kind::Real), real_(v) {}
    LogValue(bool v) : kind_(Kind::Bool), bool_(v) {}

    Kind kind() const { return kind_; }
    std::string_view text() const { return text_; }
    int64_t int_value() const { return int_; }
    uint64_t uint_value() const { return uint_; }
    double real() const { return real_; }
    bool boolean() const { return bool_; }

    // The value as JSON: a quoted string, a number (null when not finite), true or false.
    void append_json(std::string& out) const;

private:
    Kind kind_;
    std::string_view text_;
    union {
        int64_t int_ = 0;
        uint64_t uint_;
        double real_;
        bool bool_;
    };
};

struct LogField {
    const char* name = "";  // a JSON key: letters, digits and '_' (not time, level or msg)
    LogValue value;
};

class LogFields {
public:
    static constexpr size_t kMax = 12;

    // Fields past kMax are left out.
    LogFields(std::initializer_list<LogField> fields);
    ~LogFields();
    LogFields(const LogFields&) = delete;
    LogFields& operator=(const LogFields&) = delete;

    // The innermost scope alive on this thread, or nullptr.
    static const LogFields* current();
    const LogFields* outer() const { return outer_; }
    size_t size() const { return size_; }
    const LogField& operator[](size_t i) const { return fields_[i]; }

    // `,"name":value` for every field of this thread's scopes (innermost value per name).
    static void append_current_json(std::string& out);

private:
    std::array<LogField, kMax> fields_;
    size_t size_ = 0;
    const LogFields* outer_;
};

}  // namespace cdc

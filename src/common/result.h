// Result<T>: a value or an Error, for every fallible operation in mysql-cdc.
//
//   Result<TableSchema> r = parse_table_map(body);
//   if (!r) return r.error();          // propagate
//   use(*r);
//
// The Errc category tells the caller what to do with the error (see ../shared/STYLE.md):
// retry (Unavailable), ask a person (FailedPrecondition, InvalidArgument), or stop without
// skipping anything (DataLoss, Truncated, Malformed).
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace cdc {

enum class Errc {
    Truncated,           // bytes end before the structure does
    Malformed,           // bytes are present but make no sense
    ChecksumMismatch,    // an event's CRC32 does not match its bytes
    Unsupported,         // a valid format we do not (yet) handle
    Unavailable,         // a transient condition: retry with backoff
    FailedPrecondition,  // a setting a person must change
    InvalidArgument,     // bad configuration or command-line input
    DataLoss,            // continuing would lose or repeat data: stop
    Internal,            // a bug in mysql-cdc
};

const char* errc_name(Errc code);

struct Error {
    Errc code;
    std::string message;

    // Prefixes context ("event at 1234: ") so the outermost message names where it happened.
    Error with_context(const std::string& context) const { return Error{code, context + message}; }
};

inline Error make_error(Errc code, std::string message) { return Error{code, std::move(message)}; }

template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT(google-explicit-constructor)
    Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT(google-explicit-constructor)

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { assert(ok()); return std::get<0>(v_); }
    const T& value() const& { assert(ok()); return std::get<0>(v_); }
    T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T&& operator*() && { return std::move(*this).value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const Error& error() const { assert(!ok()); return std::get<1>(v_); }

private:
    std::variant<T, Error> v_;
};

// Result<void>: success or an Error.
template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT(google-explicit-constructor)

    bool ok() const { return ok_; }
    explicit operator bool() const { return ok_; }
    const Error& error() const { assert(!ok_); return error_; }

private:
    Error error_{Errc::Internal, {}};
    bool ok_ = true;
};

using Status = Result<void>;

}  // namespace cdc

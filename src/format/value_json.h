// Rendering one Value as JSON, per the value contract in DESIGN.md ("Value rendering").
//
// Integers/YEAR/BIT: numbers; FLOAT/DOUBLE: shortest round-trip numbers; DECIMAL: string with
// exactly the column's scale; Text: UTF-8 string converted from the column's charset;
// Bytes: base64 string; JsonText: embedded; temporal: MySQL's text forms (TIMESTAMP in UTC);
// ENUM: label; SET: comma-joined labels; VECTOR: array of numbers; NULL: null.
#pragma once

#include <string>

#include "model/value.h"

namespace cdc::format {

// Appends the JSON for v. v.kind must not be Absent.
void append_value_json(const model::Value& v, std::string& out);

// Room write_bounded_value_json may use.
inline constexpr size_t kMaxBoundedValueJson = 80;
// For the kinds whose JSON has a small bound (numbers, DECIMAL, DATETIME, TIMESTAMP, NULL):
// writes the same text as append_value_json at p and returns its end. Returns nullptr, writing
// nothing, for every other kind. Lets a caller batch a row's values into one append.
char* write_bounded_value_json(const model::Value& v, char* p);
// For Text and ENUM values whose JSON is their bytes between quotes (see
// write_plain_text_json) and fits in `room` bytes: writes the same text as append_value_json
// at p and returns its end. Returns nullptr, writing nothing, otherwise.
char* write_plain_value_json(const model::Value& v, char* p, size_t room);

}  // namespace cdc::format

// Parsers for the text of one setting value. They return what was wrong, not a full message:
// the caller (config_builder.cpp) knows the variable, the flag and what is accepted, and whether
// the value may be echoed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "config/config.h"

namespace cdc::config {

std::string_view trim(std::string_view s);
std::string to_lower(std::string_view s);

// true/false, 1/0, yes/no, on/off, case-insensitive; nullopt for anything else.
std::optional<bool> parse_bool(std::string_view text);

// Why an integer or size did not parse; nullopt-like success is the value itself.
enum class NumberProblem { NotANumber, OutOfRange };
using NumberResult = std::variant<std::int64_t, NumberProblem>;

// A decimal integer (no sign, no spaces inside) within [min, max].
NumberResult parse_integer(std::string_view text, std::int64_t min, std::int64_t max);

// A byte count: digits, optionally followed by KiB, MiB or GiB (case-insensitive, an optional
// space before the suffix), within [min, max].
NumberResult parse_size(std::string_view text, std::int64_t min, std::int64_t max);

// The index of `text` in `choices` ("a|b|c"), compared case-insensitively.
std::optional<std::size_t> parse_choice(std::string_view text, std::string_view choices);
// The choice at `index` of `choices` ("a|b|c"); "?" past the last.
std::string_view choice_at(std::string_view choices, std::size_t index);

// Splits a comma-separated list and trims each item; empty items are kept (as "") so the
// caller can reject them.
std::vector<std::string> split_list(std::string_view text);

// One MYSQL_TABLE item: "table" (schema left empty) or "schema.table". Returns the problem
// text on failure, e.g. "has an empty schema name".
std::variant<model::TableId, std::string> parse_table_item(std::string_view item);

// A Kafka topic name: 1-249 characters of a-z A-Z 0-9 . _ -
bool is_valid_topic_name(std::string_view name);

// Checks KAFKA_TOPIC_TEMPLATE: only {schema} and {table} placeholders, balanced braces, other
// characters legal in a topic name. Returns the problem text, or "" when valid.
std::string topic_template_problem(std::string_view templ);

}  // namespace cdc::config

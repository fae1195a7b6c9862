// The order of binlog positions: which of two saved positions is earlier.
//
// Binlog files are named {basename}.{NNNNNN}; the server numbers them in order, so a file is
// earlier than another of the same basename when its number is smaller (the number may grow
// past six digits, so it is compared as a number, not as text). Positions in different
// basenames cannot be ordered: compare_positions() says so (nullopt) and the caller refuses
// to guess.
#pragma once

#include <compare>
#include <optional>
#include <string>

#include "model/position.h"

namespace cdc::state {

// nullopt when the files have different basenames (or no numeric extension).
std::optional<std::strong_ordering> compare_files(const std::string& a, const std::string& b);
std::optional<std::strong_ordering> compare_positions(const model::BinlogPosition& a,
                                                      const model::BinlogPosition& b);

}  // namespace cdc::state

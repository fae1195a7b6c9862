// Collation ids (as MySQL and MariaDB write them in TABLE_MAP metadata and the protocol) to the
// name of their character set, for turning column bytes into UTF-8.
//
//   charset_of_collation(255) == "utf8mb4"   // utf8mb4_0900_ai_ci
//   charset_of_collation(8)   == "latin1"    // latin1_swedish_ci
//   charset_of_collation(63)  == "binary"
//   charset_of_collation(0)   == ""          // unknown
//
// Covers MySQL's ids 1..323 (incl. the 8.0 utf8mb4_*_0900_* ones) and MariaDB's extra ranges:
// 512..767 (page-2 collations), 1024+id (NO PAD variants) and 2048..4095 (UCA 14.0.0).
// utf8 (MySQL 5.x) is reported as "utf8mb3".
#pragma once

#include <cstdint>
#include <string_view>

namespace cdc::model {

// The character set of a collation id, or "" when the id is unknown.
std::string_view charset_of_collation(uint16_t id);

}  // namespace cdc::model

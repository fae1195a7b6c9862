// Translation of MySQL/MariaDB error numbers into cdc::Error, at the edge of the mysql module.
//
// The Errc says what the caller does next: Unavailable = reconnect with backoff (server down,
// connection lost or killed), FailedPrecondition = a person must fix a setting (credentials,
// privileges, TLS), DataLoss = the requested binlog position is gone (re-snapshot). Messages
// name the host:port and user the operator configured and never contain a password. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace cdc::mysql {

// Where the error happened: the same number means different things at connect time.
enum class ErrorStage { Connect, Query, Stream };

struct ErrorContext {
    std::string_view host;
    uint16_t port = 0;
    std::string_view user;
    std::string_view doing;  // "running SHOW BINARY LOGS", "reading the binlog stream", ...
};

// Server error numbers we act on (mysqld_error.h / errmsg.h values, kept by name).
inline constexpr unsigned kErConCount = 1040;  // too many connections
inline constexpr unsigned kErDbAccessDenied = 1044;
inline constexpr unsigned kErAccessDenied = 1045;
inline constexpr unsigned kErBadDb = 1049;
inline constexpr unsigned kErServerShutdown = 1053;
inline constexpr unsigned kErTableAccessDenied = 1142;
inline constexpr unsigned kErErrorWhenExecutingCommand = 1220;  // SHOW BINLOG EVENTS: bad offset
inline constexpr unsigned kErSpecificAccessDenied = 1227;
inline constexpr unsigned kErMasterFatalReadingBinlog = 1236;
inline constexpr unsigned kErNotSupportedAuthMode = 1251;
inline constexpr unsigned kErConnectionKilled = 1927;  // MariaDB
inline constexpr unsigned kCrConnectionError = 2002;
inline constexpr unsigned kCrConnHostError = 2003;
inline constexpr unsigned kCrUnknownHost = 2005;
inline constexpr unsigned kCrServerGoneError = 2006;
inline constexpr unsigned kCrServerLost = 2013;
inline constexpr unsigned kCrSslConnectionError = 2026;
inline constexpr unsigned kCrAuthPluginCannotLoad = 2059;
inline constexpr unsigned kCrServerLostExtended = 2055;

Error translate_error(unsigned code, std::string_view message, ErrorStage stage,
                      const ErrorContext& ctx);

// True when a 1236 message says the requested file/position is not (or no longer) there.
bool is_position_gone_message(std::string_view message);

// Replaces every occurrence of `secret` (4+ characters) in `text` by "***": a guard applied to
// library messages, never to our own text.
std::string redact(std::string text, std::string_view secret);

}  // namespace cdc::mysql

// Logging set-up: spdlog to stderr, as text or as one JSON object per line (LOG_FORMAT=json),
// at LOG_LEVEL. Call once at start; then use spdlog::info(...) etc. anywhere in app/, with a
// common/log_fields.h scope around lines whose values tooling reads (position, rates, table).
#pragma once

#include <spdlog/formatter.h>

#include <memory>

#include "config/config.h"

namespace cdc::app {

void setup_logging(config::LogLevel level, config::LogFormat format);

// LOG_FORMAT=json: {"time":"2024-01-01T12:00:00.123Z","level":"info","msg":"...",...} and
// the thread's LogFields as further keys, one object per line.
std::unique_ptr<spdlog::formatter> make_json_line_formatter();

}  // namespace cdc::app

#include "app/logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <ctime>

#include "common/json_writer.h"
#include "common/log_fields.h"

namespace cdc::app {
namespace {

// {"time":"2024-01-01T12:00:00.123Z","level":"info","msg":"...",<fields>}: the message is
// escaped, which a plain spdlog pattern would not do; the fields are the logging thread's
// LogFields (spdlog formats on the calling thread: the logger is synchronous).
class JsonLineFormatter final : public spdlog::formatter {
public:
    void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
        std::string line;
        line.reserve(msg.payload.size() + 80);
        auto since_epoch = msg.time.time_since_epoch();
        auto secs = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
        auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - secs);
        std::time_t t = secs.count();
        std::tm tm{};
        gmtime_r(&t, &tm);
        char stamp[40];
        size_t n = std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
        std::snprintf(stamp + n, sizeof stamp - n, ".%03dZ", static_cast<int>(millis.count()));
        line += "{\"time\":\"";
        line += stamp;
        line += "\",\"level\":\"";
        auto level = spdlog::level::to_string_view(msg.level);
        line.append(level.data(), level.size());
        line += "\",\"msg\":";
        append_json_string_lossy(line, std::string_view(msg.payload.data(), msg.payload.size()));
        LogFields::append_current_json(line);
        line += "}\n";
        dest.append(line.data(), line.data() + line.size());
    }
    std::unique_ptr<spdlog::formatter> clone() const override {
        return std::make_unique<JsonLineFormatter>();
    }
};

spdlog::level::level_enum to_spdlog(config::LogLevel level) {
    switch (level) {
        case config::LogLevel::Trace: return spdlog::level::trace;
        case config::LogLevel::Debug: return spdlog::level::debug;
        case config::LogLevel::Info: return spdlog::level::info;
        case config::LogLevel::Warn: return spdlog::level::warn;
        case config::LogLevel::Error: return spdlog::level::err;
    }
    return spdlog::level::info;
}

}  // namespace

std::unique_ptr<spdlog::formatter> make_json_line_formatter() {
    return std::make_unique<JsonLineFormatter>();
}

void setup_logging(config::LogLevel level, config::LogFormat format) {
    auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    auto logger = std::make_shared<spdlog::logger>("mysql-cdc", sink);
    if (format == config::LogFormat::Json) {
        logger->set_formatter(std::make_unique<JsonLineFormatter>());
    } else {
        logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%-5l%$ %v", spdlog::pattern_time_type::utc);
    }
    logger->set_level(to_spdlog(level));
    logger->flush_on(spdlog::level::trace);
    spdlog::set_default_logger(logger);
}

}  // namespace cdc::app

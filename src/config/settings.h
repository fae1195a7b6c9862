// The table of every setting mysql-cdc reads: environment name (the seed's names are a
// compatibility contract), CLI flag, type, default, bounds and description. The flags, the
// `--help` text, the validation messages and docs/CONFIGURATION.md are all generated from this
// one table, so they cannot drift apart.
//
//   for (const SettingSpec& s : all_settings()) std::puts(s.env.data());
//   const SettingSpec& port = setting(SettingId::MysqlPort);
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace cdc::config {

// Order is the order of the table (and of the docs); all_settings()[i].id == i.
enum class SettingId : std::size_t {
    MysqlHost,
    MysqlPort,
    MysqlUser,
    MysqlPassword,
    MysqlDatabase,
    MysqlSchema,
    MysqlTable,
    MysqlTableExclude,
    MysqlSnapshotHost,
    MysqlServerId,
    MysqlSslMode,
    MysqlSslCa,
    MysqlHeartbeatSeconds,
    MysqlConnectTimeoutSeconds,
    InitialSnapshot,
    SnapshotMode,
    SnapshotBatchSize,
    ForceSnapshot,
    StateDir,
    OutputSink,
    OutputFile,
    Output,
    FlushIntervalMs,
    FlushMaxChanges,
    FlushMaxBytes,
    EmitSchemaChanges,
    OutputFormat,
    DebeziumServerName,
    DebeziumSchemas,
    DebeziumDecimalHandling,
    DebeziumTransactionMetadata,
    KafkaBrokers,
    KafkaConfigFile,
    KafkaTopicTemplate,
    KafkaCompression,
    KafkaMessageKey,
    KafkaTombstones,
    SkipUnknownEvents,
    StatementEvents,
    IncidentEvents,
    LogLevel,
    LogFormat,
    MetricsPort,
    MetricsAddress,
    ReadyUnreachableSeconds,
};
inline constexpr std::size_t kSettingCount =
    static_cast<std::size_t>(SettingId::ReadyUnreachableSeconds) + 1;

enum class SettingType {
    String,        // free text (host names, topic names, ...)
    Secret,        // free text that is never printed, logged or echoed in an error
    Integer,       // decimal integer within [min, max]
    Size,          // bytes, optionally with a KiB/MiB/GiB suffix, within [min, max]
    Boolean,       // true/false, 1/0, yes/no, on/off (case-insensitive)
    Choice,        // one of `choices` (case-insensitive)
    Path,          // a file system path that need not exist yet
    ExistingFile,  // a path to a file that must exist when given
    TableList,     // comma-separated `table` or `schema.table` items, or patterns
};

enum class DefaultKind {
    None,     // no default: empty unless given (required settings say so in `required`)
    Literal,  // `default_text` is a value, parsed exactly like user input
    Derived,  // `default_text` describes how the value is derived from other settings
};

struct SettingSpec {
    SettingId id;
    std::string_view env;      // primary environment variable (seed spelling)
    std::string_view alt_env;  // fallback environment variable, read when `env` is unset; or ""
    std::string_view flag;     // long flag without the leading "--"
    SettingType type;
    DefaultKind default_kind;
    std::string_view default_text;
    std::string_view group;  // section in --help and the docs
    std::string_view description;
    std::string_view choices = {};  // Choice: values separated by '|', in the C++ enum's order
    std::int64_t min = 0;           // Integer and Size bounds, inclusive
    std::int64_t max = 0;
    bool required = false;  // the daemon cannot start without it

    bool secret() const { return type == SettingType::Secret; }
};

std::span<const SettingSpec> all_settings();
const SettingSpec& setting(SettingId id);

// What a valid value looks like, e.g. "an integer from 1 to 1000000" or "one of stdout, file,
// kafka"; used by error messages, --help and the docs alike.
std::string accepted_values(const SettingSpec& spec);

// The default as shown to people: the literal, the derivation, or "" when there is none.
std::string default_display(const SettingSpec& spec);

}  // namespace cdc::config

#include "app/record_options.h"

namespace cdc::app {

stream::RecordOptions record_options(const config::Config& config) {
    stream::RecordOptions options;
    options.format = config.output_format == config::OutputFormat::Debezium
                         ? stream::OutputFormat::Debezium
                         : stream::OutputFormat::Seed;
    switch (config.kafka_message_key) {
        case config::MessageKey::PrimaryKey: options.key = stream::MessageKey::PrimaryKey; break;
        case config::MessageKey::BarePrimaryKey:
            options.key = stream::MessageKey::BarePrimaryKey;
            break;
        case config::MessageKey::Table: options.key = stream::MessageKey::Table; break;
    }
    // Decided by the topic template, not by the tables watched now: a table joining later
    // (a MYSQL_TABLE pattern) must not change the keys of the others.
    options.key_with_table = config.topics_shared();
    options.tombstones = config.kafka_tombstones && config.output_sink == config::OutputSink::Kafka;
    options.debezium.server_name = config.debezium_server_name;
    options.debezium.schemas = config.debezium_schemas;
    options.debezium.transaction_metadata = config.debezium_transaction_metadata;
    switch (config.debezium_decimal) {
        case config::DecimalHandling::Precise:
            options.debezium.decimal = format::DecimalHandling::Precise;
            break;
        case config::DecimalHandling::String:
            options.debezium.decimal = format::DecimalHandling::String;
            break;
        case config::DecimalHandling::Double:
            options.debezium.decimal = format::DecimalHandling::Double;
            break;
    }
    return options;
}

Result<std::string> check_output_switch(std::string_view saved_format, std::string_view saved_key,
                                        std::string_view format, std::string_view key,
                                        const std::optional<std::string>& delivered_after,
                                        std::span<const sink::OutputShape> delivered_shapes) {
    if (delivered_after) {
        // The messages after the checkpoint say how they were written: a part that tells
        // must be this run's, and when some tell and all agree, the saved shape (maybe older
        // than them) does not matter.
        bool told = false;
        for (const sink::OutputShape& found : delivered_shapes) {
            bool other_format = !found.format.empty() && found.format != format;
            bool other_key = !found.key.empty() && found.key != key;
            if (other_format || other_key) {
                return make_error(
                    Errc::FailedPrecondition,
                    "the output holds changes written after the checkpoint (" + *delivered_after +
                        ") with OUTPUT_FORMAT=" + (found.format.empty() ? "?" : found.format) +
                        " and the key scheme " + (found.key.empty() ? "?" : found.key) +
                        ", and this run has OUTPUT_FORMAT=" + std::string(format) +
                        " with the key scheme " + std::string(key) +
                        ": a replay cannot recognise those changes under other keys or "
                        "messages. Start once with that run's OUTPUT_FORMAT and "
                        "KAFKA_MESSAGE_KEY and stop it with SIGTERM (its checkpoint then covers "
                        "them), then switch");
            }
            told = told || !found.format.empty() || !found.key.empty();
        }
        if (told) {
            if (saved_format.empty() || (saved_format == format && saved_key == key)) {
                return std::string();
            }
            return "the output switched from OUTPUT_FORMAT=" + std::string(saved_format) +
                   " with the key scheme " + std::string(saved_key) +
                   " to this run's shape before the checkpoint's changes were all written: "
                   "consumers see OUTPUT_FORMAT=" +
                   std::string(format) + " with the key scheme " + std::string(key) +
                   " from here on";
        }
    }
    if (saved_format.empty() || (saved_format == format && saved_key == key)) return std::string();
    std::string was = "OUTPUT_FORMAT=" + std::string(saved_format) + " with the key scheme " +
                      std::string(saved_key);
    std::string now =
        "OUTPUT_FORMAT=" + std::string(format) + " with the key scheme " + std::string(key);
    if (delivered_after) {
        return make_error(
            Errc::FailedPrecondition,
            "the output holds changes written after the checkpoint (" + *delivered_after +
                ") by a run with " + was + ", and this run has " + now +
                ": a replay cannot recognise those changes under other keys or messages. "
                "Start once with that run's OUTPUT_FORMAT and KAFKA_MESSAGE_KEY and stop it "
                "with SIGTERM (its checkpoint then covers them), then switch");
    }
    return "the output switches from " + was + " to " + now +
           " at the checkpoint: consumers see the new shape from here on";
}

}  // namespace cdc::app

#include "app/cli.h"

#include <CLI/CLI.hpp>
#include <cstdio>

#include "app/check_command.h"
#include "app/daemon.h"
#include "app/decode_command.h"
#include "app/logging.h"
#include "app/snapshot_command.h"
#include "config/config_doc.h"
#include "config/config_loader.h"

#ifndef MYSQL_CDC_VERSION
#define MYSQL_CDC_VERSION "0.0.0"
#endif

namespace cdc::app {
namespace {

// Each line of a (possibly multi-problem) configuration error, prefixed so it stands alone.
void print_error_lines(const std::string& message) {
    size_t start = 0;
    while (start <= message.size()) {
        size_t end = message.find('\n', start);
        if (end == std::string::npos) end = message.size();
        if (end > start) {
            std::fprintf(stderr, "mysql-cdc: %.*s\n", static_cast<int>(end - start),
                         message.data() + start);
        }
        start = end + 1;
    }
}

CLI::App* add_decode_command(CLI::App& app, DecodeOptions& decode, bool& no_checksum) {
    CLI::App* cmd = app.add_subcommand(
        "decode",
        "Decode binlog files to JSON lines on stdout, one per row change (seed format, "
        "or Debezium's envelope with --output-format debezium)");
    cmd->add_option("files", decode.files, "Binlog files, in order")
        ->required()
        ->check(CLI::ExistingFile);
    // One value per --table, so `--table a.b FILE` does not take FILE as a second table.
    cmd->add_option("--table", decode.tables,
                    "Only changes of SCHEMA.TABLE (or SCHEMA.*); repeatable")
        ->allow_extra_args(false);
    cmd->add_flag("--column-numbers", decode.column_numbers,
                  "Name columns @1, @2, ... as mysqlbinlog does, even when names are known");
    cmd->add_option_function<std::string>(
           "--output-format",
           [&decode](const std::string& v) { decode.debezium = v == "debezium"; },
           "seed (default): the seed events; debezium: Debezium's change-event envelope "
           "(OUTPUT_FORMAT, docs/OUTPUT.md), a primary-key change as a delete and a create")
        ->check(CLI::IsMember({"seed", "debezium"}));
    cmd->add_flag("--partial-images", decode.partial_images,
                  "Print rows whose images leave columns out (binlog_row_image MINIMAL or "
                  "NOBLOB) without those columns, instead of stopping at them");
    cmd->add_flag("--skip-unknown-events", decode.skip_unknown_events,
                  "Skip (and count) unknown events instead of stopping at them");
    cmd->add_flag("--no-verify-checksum", no_checksum, "Do not verify CRC32 checksums");
    cmd->add_option_function<std::string>(
           "--statement-events",
           [&decode](const std::string& v) { decode.warn_statements = v == "warn"; },
           "fail (default): stop at a change of a selected table logged as a statement; warn: "
           "skip it with a warning (docs/EVENTS.md)")
        ->check(CLI::IsMember({"fail", "warn"}));
    cmd->add_option_function<std::string>(
           "--incident-events",
           [&decode](const std::string& v) { decode.warn_incidents = v == "warn"; },
           "fail (default): stop at an INCIDENT event; warn: go on with a warning")
        ->check(CLI::IsMember({"fail", "warn"}));
    return cmd;
}

}  // namespace

int run_cli(int argc, char** argv) {
    const sigset_t stop_signals = block_stop_signals();  // before anything: see daemon.h
    CLI::App app{
        "mysql-cdc: streams every row change of MySQL/MariaDB tables as JSON, exactly once.\n"
        "Without a subcommand it runs the daemon, configured by the environment (and ./.env)\n"
        "like the original connector; every variable can also be given as a flag.",
        "mysql-cdc"};
    app.set_version_flag("--version", std::string("mysql-cdc ") + MYSQL_CDC_VERSION);
    app.require_subcommand(0, 1);
    bool print_doc = false;
    app.add_flag("--print-config-doc", print_doc,
                 "Print the configuration reference (docs/CONFIGURATION.md) and exit")
        ->group("");  // hidden: for regenerating the doc
    bool print_man = false;
    bool print_env = false;
    // Hidden too: the build makes the installed man page and example environment file with them.
    app.add_flag("--print-man-page", print_man, "Print the man page mysql-cdc(1) and exit")
        ->group("");
    app.add_flag("--print-env-example", print_env,
                 "Print an environment file with every setting commented out and exit")
        ->group("");
    config::ConfigLoader loader(app);

    CLI::App* check_cmd = app.add_subcommand(
        "check", "Check the server's settings and this user's privileges, and say what to fix");
    check_cmd->fallthrough();
    SnapshotCommandOptions snapshot;
    CLI::App* snapshot_cmd = app.add_subcommand(
        "snapshot",
        "Ask the running daemon (same STATE_DIR) to re-read tables while it streams: their rows "
        "are emitted as snapshot_insert, in order with the stream (docs/SNAPSHOT.md)");
    snapshot_cmd->fallthrough();
    snapshot_cmd->add_option("--table", snapshot.tables, "SCHEMA.TABLE to re-read; repeatable")
        ->required()
        ->allow_extra_args(false);
    snapshot_cmd->add_flag("--wait", snapshot.wait,
                           "Wait until the re-snapshot finished, not only until it was accepted");
    DecodeOptions decode;
    bool no_checksum = false;
    CLI::App* decode_cmd = add_decode_command(app, decode, no_checksum);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    if (print_doc) return config::print_configuration_markdown();
    if (print_man) return config::print_text(config::configuration_man_page(MYSQL_CDC_VERSION));
    if (print_env) return config::print_text(config::environment_example());
    if (decode_cmd->parsed()) {
        unblock_stop_signals(stop_signals);
        decode.verify_checksums = !no_checksum;
        return run_decode(decode);
    }

    config::NameSet from_dotenv;
    auto env = config::environment_from_process(".env", &from_dotenv);
    if (!env) {
        print_error_lines(env.error().message);
        return 2;
    }
    auto config = loader.load(*env, from_dotenv);
    if (!config) {
        print_error_lines(config.error().message);
        return 2;
    }
    setup_logging(config->log_level, config->log_format);
    if (snapshot_cmd->parsed()) {
        unblock_stop_signals(stop_signals);
        return run_snapshot_command(config->state_dir, snapshot);
    }
    if (check_cmd->parsed()) {
        unblock_stop_signals(stop_signals);
        return run_check(*config);
    }
    return run_daemon(*config);
}

}  // namespace cdc::app

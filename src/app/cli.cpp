#include "app/cli.h"

#include <CLI/CLI.hpp>
#include <cstdio>

#include "app/decode_command.h"

#ifndef MYSQL_CDC_VERSION
#define MYSQL_CDC_VERSION "0.0.0"
#endif

namespace cdc::app {

int run_cli(int argc, char** argv) {
    CLI::App app{"mysql-cdc: stream MySQL/MariaDB row changes to Kafka as JSON, exactly once",
                 "mysql-cdc"};
    app.set_version_flag("--version", std::string("mysql-cdc ") + MYSQL_CDC_VERSION);
    app.require_subcommand(0, 1);

    DecodeOptions decode;
    CLI::App* decode_cmd = app.add_subcommand(
        "decode", "Decode binlog files to seed-format JSON lines on stdout, one per row change");
    decode_cmd->add_option("files", decode.files, "Binlog files, in order")
        ->required()
        ->check(CLI::ExistingFile);
    decode_cmd->add_option("--table", decode.tables,
                           "Only changes of SCHEMA.TABLE (or SCHEMA.*); repeatable");
    decode_cmd->add_flag("--column-numbers", decode.column_numbers,
                         "Name columns @1, @2, ... as mysqlbinlog does, even when names are known");
    decode_cmd->add_flag("--skip-unknown-events", decode.skip_unknown_events,
                         "Skip (and count) unknown events instead of stopping at them");
    bool no_checksum = false;
    decode_cmd->add_flag("--no-verify-checksum", no_checksum, "Do not verify CRC32 checksums");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }

    if (decode_cmd->parsed()) {
        decode.verify_checksums = !no_checksum;
        return run_decode(decode);
    }
    std::fprintf(stderr,
                 "mysql-cdc: the streaming daemon is not available in this build yet; "
                 "use `mysql-cdc decode FILE...` (see --help)\n");
    return 2;
}

}  // namespace cdc::app

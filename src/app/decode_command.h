// `mysql-cdc decode FILE...`: binlog files to JSON lines on stdout (seed or Debezium format).
#pragma once

#include <string>
#include <vector>

namespace cdc::app {

struct DecodeOptions {
    std::vector<std::string> files;
    std::vector<std::string> tables;   // "schema.table" or "schema.*"; empty = all
    bool column_numbers = false;       // "@N" names, as mysqlbinlog prints them
    bool debezium = false;             // --output-format debezium (default seed)
    bool skip_unknown_events = false;  // count and skip unknown non-ignorable events
    bool warn_statements = false;      // --statement-events=warn (STATEMENT_EVENTS)
    bool warn_incidents = false;       // --incident-events=warn (INCIDENT_EVENTS)
    bool verify_checksums = true;
    // Print rows events whose images leave columns out (binlog_row_image MINIMAL/NOBLOB) as
    // they are, the missing columns absent; without it such an event is an error.
    bool partial_images = false;
};

// Returns the process exit code; errors are printed on stderr naming the file and offset.
int run_decode(const DecodeOptions& options);

}  // namespace cdc::app

// `mysql-cdc check`: everything the daemon's start would find wrong, found at once and printed
// as one line each (`ok    ...`, `warn  ...`, `FAIL  ...`) with what to do: the configuration's
// warnings (names that look like settings but are not), the MySQL connection and server checks
// (binlog settings, privileges, tables and their keys, server id), the state directory and
// saved position, and, when Kafka is configured, the producer settings, the brokers and the
// output topics (sink/kafka/kafka_preflight.h).
#pragma once

#include "config/config.h"

namespace cdc::app {

// Runs every check and prints what is fine and what to fix; exit 0 when none failed
// (warnings do not fail).
int run_check(const config::Config& config);

}  // namespace cdc::app

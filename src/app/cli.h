// The command line: `mysql-cdc` (daemon), `check`, `decode FILE...`, `--help`, `--version`.
#pragma once

namespace cdc::app {

int run_cli(int argc, char** argv);

}  // namespace cdc::app

// docs/CONFIGURATION.md, generated from the settings table (settings.h) so the reference can't
// drift from the code. A unit test (ConfigDoc.CommittedFileIsCurrent) fails when the committed
// file differs; regenerate it with `mysql-cdc --print-config-doc > docs/CONFIGURATION.md`.
#pragma once

#include <string>

namespace cdc::config {

std::string configuration_markdown();

// Writes configuration_markdown() to stdout; the exit code for `mysql-cdc --print-config-doc`.
int print_configuration_markdown();

}  // namespace cdc::config

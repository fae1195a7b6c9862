// docs/CONFIGURATION.md, the man page and the example environment file, generated from the
// settings table (settings.h) so the reference can't drift from the code. A unit test
// (ConfigDoc.CommittedFileIsCurrent) fails when the committed file differs; regenerate it with
// `mysql-cdc --print-config-doc > docs/CONFIGURATION.md`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cdc::config {

std::string configuration_markdown();

// The settings' groups in the order they first appear in the table: the sections of each output.
std::vector<std::string_view> setting_groups();

// Writes configuration_markdown() to stdout; the exit code for `mysql-cdc --print-config-doc`.
int print_configuration_markdown();

// The man page mysql-cdc(1) in roff (man macros), its ENVIRONMENT section from the same table;
// `mysql-cdc --print-man-page` writes it, the build installs it (cmake/Packaging.cmake).
std::string configuration_man_page(std::string_view version);

// An environment file with every setting commented out, its description, accepted values and
// default above it: the package's /etc/mysql-cdc/mysql-cdc.env (`--print-env-example`).
std::string environment_example();

// Writes `text` to stdout; 0, or 1 when stdout failed.
int print_text(const std::string& text);

}  // namespace cdc::config

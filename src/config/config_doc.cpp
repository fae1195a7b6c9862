#include "config/config_doc.h"

#include <cstdio>
#include <span>
#include <string_view>
#include <vector>

#include "config/settings.h"
#include "config/unknown_settings.h"

namespace cdc::config {
namespace {

constexpr std::string_view kIntro =
    R"(<!-- Generated from src/config/settings.cpp: do not edit. Regenerate with
     `mysql-cdc --print-config-doc > docs/CONFIGURATION.md` or
     `CDC_REGENERATE_DOCS=1 ctest -R ConfigDoc` (unit test ConfigDoc.CommittedFileIsCurrent). -->
# Configuration

mysql-cdc is configured like the Python connector it replaces: by environment variables with the
same names (`MYSQL_HOST`, `MYSQL_TABLE`, `output`, `Quix__State__Dir`, ...), so an existing
deployment runs unchanged. Every variable can also be given as a command-line flag, which is
handy for trying things out; `mysql-cdc --help` lists them.

Where a value comes from, highest priority first:

1. a command-line flag, e.g. `--mysql-host=db1` or `--initial-snapshot`;
2. the process environment;
3. a `.env` file in the working directory;
4. the default below.

An empty value (`MYSQL_PORT=`) counts as unset. Booleans accept `true/false`, `1/0`, `yes/no` and
`on/off` in any case; anything else is an error. Sizes are bytes, or a number with `KiB`, `MiB`
or `GiB`.

The `.env` file holds `KEY=VALUE` lines, optionally prefixed by `export `; blank lines and lines
starting with `#` are ignored. A value may be unquoted (surrounding spaces are dropped and ` #`
starts a comment), `'single-quoted'` (taken literally) or `"double-quoted"` (with `\n`, `\t`,
`\"` and `\\` escapes). `${NAME}` and `${NAME:-default}` in unquoted and double-quoted values are
replaced by the variable's value, looked up in the environment first and then in earlier lines.
A line that fits none of these stops the start with its file name and line number.

Every invalid value stops the start with one line per problem that names the variable (or the
flag it came from), the value (never for secrets) and what is accepted, for example
`SNAPSHOT_BATCH_SIZE=abc is not a number: expected an integer from 1 to 1000000
(flag --snapshot-batch-size)`. The configuration in effect is logged at start with the password
redacted.
)";

constexpr std::string_view kUnknownNames = R"(
Names that look like settings but are not get one warning each, at the daemon's start and as a
`warn` line of `mysql-cdc check`, naming the closest real setting; they do not stop the start:
`environment variable MYSQL_TABEL is not a setting of mysql-cdc: did you mean MYSQL_TABLE?`.
Names are case-sensitive (`OUTPUT` is not `output`, `mysql_host` is not `MYSQL_HOST`). Every key
of the `.env` file that is not a setting is reported. From the process environment, which also
holds other programs' variables, only names that look like ours are: a name within two typing
mistakes (letters added, removed, changed or swapped, ignoring case) of a setting's name, or
beginning (in any case) with )";

constexpr std::string_view kNotOurs =
    R"(; except these, which belong to the MySQL/MariaDB clients and
images, Kafka's scripts and systemd: )";

constexpr std::string_view kTablePatterns = R"(
## Table patterns

An item of `MYSQL_TABLE` or `MYSQL_TABLE_EXCLUDE` is an exact name or a pattern:

| Item | Means |
|---|---|
| `shop.orders`, `orders` | the table `orders` of `shop` (of `MYSQL_SCHEMA` without a schema); `_` is an ordinary character here |
| `shop.*` | every table of `shop` (`*` as a whole part: any name) |
| `shop.order\_%`, `tenant_%.orders` | SQL `LIKE` on each part that holds a `%` no backslash escapes: `%` any run of characters, `_` one character, `\` escapes the next one (`\_`, `\%`, `\.`); a part without `%` is an exact name |
| `/shop\.order_[0-9]+/` | a regular expression (ECMAScript) that must match the whole `schema.table`; it may not hold a comma (the list is split at commas) and never takes `MYSQL_SCHEMA` |

Patterns are resolved at start against the server's base tables (`information_schema.TABLES`,
views and the system schemas `mysql`, `information_schema`, `performance_schema` and `sys` left
out; the user sees only tables it has a privilege on), so the state, the server checks, the
snapshot and the Kafka topics get the concrete list; `mysql-cdc check` prints what each pattern
matched and the daemon logs it. A pattern that matches nothing is a warning: the tables may come
later. An exact name that does not exist is the error it always was. `MYSQL_TABLE_EXCLUDE` wins
over both: an excluded table is never captured.

A table created while the daemon runs that a pattern selects (and no exclusion) joins the
watched set at its first change: `table shop.order_d matches shop.order\_%: watching it from
mysql-bin.000003:1234` is logged, its changes are written from there on (all its rows are in the
binlog after its `CREATE TABLE`, `CREATE TABLE ... SELECT` included), and it is in the state
file at once, so a restart neither loses nor repeats them. A table that gets a matching name by
`RENAME TABLE` from a table that was not watched joins the same way, but its earlier rows were
never in the stream: the daemon warns (`... without a CREATE TABLE in the stream (renamed
in?) ...`); take a new snapshot if consumers need them. A table renamed from a watched name
continues under its new name. A table dropped, renamed away or no longer matching after a
restart simply stops; the others keep their positions (docs/STATE.md).

Names are compared byte for byte and case-sensitively, as the server stores them. With
`lower_case_table_names=1` (the default on Windows) the server stores and logs every name in
lower case: write patterns in lower case there. With `lower_case_table_names=2` (macOS) names
are stored as created, and the binlog carries them so.
)";

std::string escape_cell(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '|') out += '\\';
        out += c;
    }
    return out;
}

std::string code(std::string_view text) { return "`" + std::string(text) + "`"; }

std::string variable_cell(const SettingSpec& spec) {
    std::string cell = code(spec.env);
    if (!spec.alt_env.empty()) cell += " (or " + code(spec.alt_env) + ")";
    return cell;
}

std::string default_cell(const SettingSpec& spec) {
    if (spec.required) return "required";
    switch (spec.default_kind) {
        case DefaultKind::None: return "unset";
        case DefaultKind::Literal: return code(spec.default_text);
        case DefaultKind::Derived: return escape_cell(spec.default_text);
    }
    return "";
}

std::string table_row(const SettingSpec& spec) {
    std::string_view description = spec.description;
    return "| " + variable_cell(spec) + " | " + code("--" + std::string(spec.flag)) + " | " +
           default_cell(spec) + " | " + escape_cell(accepted_values(spec)) + " | " +
           escape_cell(description) + " |\n";
}

std::string code_list(std::span<const std::string_view> names) {
    std::string out;
    for (std::string_view name : names) out += (out.empty() ? "" : ", ") + code(name);
    return out;
}

}  // namespace

std::vector<std::string_view> setting_groups() {
    std::vector<std::string_view> groups;
    for (const SettingSpec& spec : all_settings()) {
        bool seen = false;
        for (std::string_view g : groups) seen = seen || g == spec.group;
        if (!seen) groups.push_back(spec.group);
    }
    return groups;
}

std::string configuration_markdown() {
    std::string doc(kIntro);
    doc += kUnknownNames;
    doc += code_list(our_prefixes());
    doc += kNotOurs;
    doc += code_list(not_our_names()) + ".\n";
    for (std::string_view group : setting_groups()) {
        doc += "\n## " + std::string(group) + "\n\n";
        doc += "| Variable | Flag | Default | Accepted | Description |\n";
        doc += "|---|---|---|---|---|\n";
        for (const SettingSpec& spec : all_settings()) {
            if (spec.group == group) doc += table_row(spec);
        }
    }
    doc += kTablePatterns;
    return doc;
}

int print_configuration_markdown() { return print_text(configuration_markdown()); }

int print_text(const std::string& text) {
    bool ok = std::fwrite(text.data(), 1, text.size(), stdout) == text.size();
    ok = std::fflush(stdout) == 0 && ok;
    return ok ? 0 : 1;
}

}  // namespace cdc::config

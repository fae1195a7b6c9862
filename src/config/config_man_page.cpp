// The man page mysql-cdc(1): fixed sections around an ENVIRONMENT section made from the settings
// table. tests/packaging/check_man_page.sh renders it with groff's warnings on.
#include <string>
#include <string_view>

#include "config/config_doc.h"
#include "config/settings.h"

namespace cdc::config {
namespace {

// Text as roff reads it: a backslash is an escape, a leading '.' or '\'' a request, and the
// descriptions' `code` spans become bold.
std::string roff_text(std::string_view text) {
    std::string out;
    bool in_code = false;
    for (char c : text) {
        if (c == '\\') {
            out += "\\e";
        } else if (c == '`') {
            out += in_code ? "\\fR" : "\\fB";
            in_code = !in_code;
        } else {
            out += c;
        }
    }
    if (in_code) out += "\\fR";
    if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out.insert(0, "\\&");
    return out;
}

// Names and flags: '-' is a minus sign here, so that they can be copied and searched for.
std::string roff_literal(std::string_view text) {
    std::string out;
    for (char c : text) out += c == '-' ? std::string("\\-") : std::string(1, c);
    return out;
}

std::string default_text(const SettingSpec& spec) {
    if (spec.required) return "Required.";
    switch (spec.default_kind) {
        case DefaultKind::None: return "Default: unset.";
        case DefaultKind::Literal:
            return "Default: \\fB" + roff_literal(spec.default_text) + "\\fR.";
        case DefaultKind::Derived: return "Default: " + roff_text(spec.default_text) + ".";
    }
    return "";
}

std::string setting_entry(const SettingSpec& spec) {
    std::string entry = ".TP\n.B " + roff_literal(spec.env) + "\n";
    if (!spec.alt_env.empty()) entry += "(or \\fB" + roff_literal(spec.alt_env) + "\\fR) ";
    entry += "flag \\fB\\-\\-" + roff_literal(spec.flag) + "\\fR\n.br\n";
    entry += roff_text(spec.description) + ".\n";
    entry += "Accepted: " + roff_text(accepted_values(spec)) + ". " + default_text(spec) + "\n";
    return entry;
}

constexpr std::string_view kHead = R"(.SH NAME
mysql\-cdc \- stream the row changes of MySQL/MariaDB tables as JSON, exactly once
.SH SYNOPSIS
.B mysql\-cdc
.RI [ options ]
.br
.B mysql\-cdc check
.RI [ options ]
.br
.B mysql\-cdc decode
.RB [ \-\-table
.IR schema.table ]
.RI [ options ]
.IR file ...
.SH DESCRIPTION
.B mysql\-cdc
connects to a MySQL or MariaDB server as a replica, reads its binary log and writes every
change of the watched tables as one JSON line: to Kafka (exactly once), to a file (exactly
once) or to standard output (at least once). It saves its position in the state directory
and resumes from it after a restart. With INITIAL_SNAPSHOT=true it first emits the tables'
existing rows.
.PP
It is configured by environment variables (below), a
.I .env
file in the working directory, or the equivalent command-line flags; a flag wins over the
environment, which wins over
.IR .env .
Run by systemd (the
.I mysql\-cdc.service
unit of the Debian package), it reads
.I /etc/mysql\-cdc/mysql\-cdc.env
and reports its state with sd_notify(3).
.SH COMMANDS
.TP
.B (none)
Run the daemon until SIGTERM or SIGINT, which make it flush, save its position and exit 0.
.TP
.B check
Check the server's settings, the user's privileges and the saved position, print what is fine
and what to fix, and exit 0 when everything passes.
.TP
.B decode
Decode binary log files to the same JSON lines on standard output;
.B mysql\-cdc decode \-\-help
lists its options.
.SH OPTIONS
.TP
.B \-\-help
Print every flag and exit.
.TP
.B \-\-version
Print the version and exit.
.PP
Every setting below is also a flag, e.g.
.BR \-\-mysql\-host=db1 .
.SH ENVIRONMENT
An empty value counts as unset. Booleans accept true/false, 1/0, yes/no and on/off; sizes are
bytes or a number with KiB, MiB or GiB.
)";

constexpr std::string_view kTail = R"(.SH FILES
.TP
.I /etc/mysql\-cdc/mysql\-cdc.env
The service's settings (EnvironmentFile= of the unit); every setting is listed there,
commented out.
.TP
.I /var/lib/mysql\-cdc
The service's state directory (StateDirectory= of the unit): the saved positions.
.TP
.I /usr/share/doc/mysql\-cdc
The documentation: configuration, output format, operations, packaging.
.SH EXIT STATUS
0 after a clean stop (or when every check passed), 1 on a fatal error (logged as one line),
2 for an invalid configuration.
.SH SEE ALSO
.BR systemctl (1),
.BR systemd.exec (5),
.BR sd_notify (3)
)";

}  // namespace

std::string configuration_man_page(std::string_view version) {
    std::string page =
        ".\\\" Generated from src/config/settings.cpp by mysql-cdc --print-man-page.\n";
    page +=
        ".TH MYSQL\\-CDC 1 \"\" \"mysql\\-cdc " + roff_literal(version) + "\" \"User Commands\"\n";
    page += kHead;
    for (std::string_view group : setting_groups()) {
        page += ".SS " + roff_text(group) + "\n";
        for (const SettingSpec& spec : all_settings()) {
            if (spec.group == group) page += setting_entry(spec);
        }
    }
    page += kTail;
    return page;
}

}  // namespace cdc::config

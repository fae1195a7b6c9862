#!/usr/bin/env bash
# The tree `cmake --install` makes (cmake/Packaging.cmake), checked file by file:
#   - exactly the expected files: binary, man page, docs, example env file, unit, /etc file;
#     nothing from tests/, bench/, fuzz/ or tools/;
#   - the man page renders with groff's warnings on (-ww) without a single warning, and names
#     every variable of docs/CONFIGURATION.md (itself checked against the settings table);
#   - the env file lists every variable commented out, is mode 0600, and with every default
#     uncommented is accepted by mysql-cdc's own parser (it fails later, at the connection);
#   - the unit passes `systemd-analyze verify` without any output, its ExecStart pointing at the
#     installed binary; so does the template unit, as an instance, which differs from the unit
#     only in the instance's env file and state directory.
# Usage: check_install_tree.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
build=$1
src=$2
work=$(mktemp -d /tmp/cdc-install-tree.XXXXXX)
trap 'rm -rf "$work"' EXIT
problems=0
fail() { echo "FAIL  $*"; problems=$((problems + 1)); }
ok() { echo "ok    $*"; }

root=$work/root
if ! cmake --install "$build" --prefix "$root/usr" >"$work/install.log" 2>&1; then
    cat "$work/install.log"
    fail "cmake --install"
    exit 1
fi

# 1. The files.
{
    echo etc/mysql-cdc/mysql-cdc.env
    echo usr/bin/mysql-cdc
    echo usr/lib/systemd/system/mysql-cdc.service
    echo usr/lib/systemd/system/mysql-cdc@.service
    echo usr/share/man/man1/mysql-cdc.1.gz
    for f in README.md PACKAGING.md mysql-cdc.env.example; do echo "usr/share/doc/mysql-cdc/$f"; done
    for f in "$src"/docs/*.md; do echo "usr/share/doc/mysql-cdc/$(basename "$f")"; done
} | sort >"$work/expected"
(cd "$root" && find . -type f -o -type l | sed 's|^\./||' | sort) >"$work/actual"
if diff -u "$work/expected" "$work/actual" >"$work/diff"; then
    ok "installed files: $(wc -l <"$work/actual") as expected"
else
    fail "installed files differ from the expected list:"; cat "$work/diff"
fi
cdc=$root/usr/bin/mysql-cdc
version=$("$cdc" --version) && ok "installed binary runs: $version" || fail "installed binary: --version failed"

# Every variable of the committed reference (| `NAME` (or `ALT`) | ...).
grep -o '^| `[A-Za-z_]*`' "$src/docs/CONFIGURATION.md" | sed 's/^| `//; s/`$//' >"$work/vars"
[[ $(wc -l <"$work/vars") -ge 20 ]] || fail "read only $(wc -l <"$work/vars") variables from docs/CONFIGURATION.md"

# 2. The man page.
page=$root/usr/share/man/man1/mysql-cdc.1.gz
if zcat "$page" | groff -man -Tutf8 -ww -z 2>"$work/groff.err" && [[ ! -s $work/groff.err ]]; then
    ok "man page: groff -man -ww renders it without warnings"
else
    fail "man page: groff warnings:"; cat "$work/groff.err"
fi
MANWIDTH=200 man -l "$page" 2>"$work/man.err" | col -b >"$work/man.txt"
[[ -s $work/man.err ]] && { fail "man -l:"; cat "$work/man.err"; }
missing=$(while read -r v; do grep -Eq "^ *$v( |\$)" "$work/man.txt" || echo "$v"; done <"$work/vars")
[[ -z $missing ]] && ok "man page: an entry for each of $(wc -l <"$work/vars") variables" \
    || fail "man page: no entry for: $missing"
grep -q "mysql-cdc ${version#mysql-cdc }" "$work/man.txt" && ok "man page: carries the version" \
    || fail "man page: no '${version}' in its footer"

# 3. The environment file.
env_file=$root/etc/mysql-cdc/mysql-cdc.env
[[ $(stat -c %a "$env_file") == 600 ]] && ok "env file: mode 0600" || fail "env file: mode $(stat -c %a "$env_file")"
cmp -s "$env_file" "$root/usr/share/doc/mysql-cdc/mysql-cdc.env.example" \
    || fail "env file and the doc's example differ"
"$cdc" --print-env-example | cmp -s - "$env_file" && ok "env file: what the installed binary generates" \
    || fail "env file: differs from \`mysql-cdc --print-env-example\`"
missing=$(while read -r v; do [[ $(grep -c "^#$v=" "$env_file") == 1 ]] || echo "$v"; done <"$work/vars")
[[ -z $missing ]] && ok "env file: each variable once, commented out" || fail "env file: not once as #NAME=: $missing"
grep -v '^#' "$env_file" | grep -q . && fail "env file: has lines that are not comments"
# Uncommented, with the required settings and a closed port: the settings parse (exit 2 would
# be a configuration error) and the run ends at the connection.
mkdir -p "$work/run"
sed -n 's/^#\([A-Za-z_]*=\)/\1/p' "$env_file" | grep -v -e '^MYSQL_HOST=' -e '^MYSQL_USER=' \
    -e '^MYSQL_TABLE=' >"$work/run/.env"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
(cd "$work/run" && env -i PATH=/usr/bin:/bin MYSQL_HOST=127.0.0.1 MYSQL_PORT="$port" MYSQL_USER=u \
    MYSQL_TABLE=d.t timeout 60 "$cdc" >"$work/run/out" 2>&1)
rc=$?
# (Exit 1 normally; a sanitizer build may end otherwise, but never with 0 or 2.)
if [[ $rc != 0 && $rc != 2 ]] && grep -q "127.0.0.1:$port" "$work/run/out"; then
    ok "env file: every default, uncommented, is accepted (the run fails at the connection)"
else
    fail "env file uncommented: exit $rc:"; tail -5 "$work/run/out"
fi

# 4. The unit: ExecStart is /usr/bin/mysql-cdc; verified with the installed binary in its place.
unit=$root/usr/lib/systemd/system/mysql-cdc.service
grep -qx 'ExecStart=/usr/bin/mysql-cdc' "$unit" || fail "unit: ExecStart is not /usr/bin/mysql-cdc"
grep -qx 'Type=notify' "$unit" || fail "unit: not Type=notify"
mkdir -p "$work/unit"
sed "s|^ExecStart=/usr/bin/mysql-cdc|ExecStart=$cdc|" "$unit" >"$work/unit/mysql-cdc.service"
if MANPATH=$root/usr/share/man SYSTEMD_LOG_LEVEL=info systemd-analyze verify \
        "$work/unit/mysql-cdc.service" >"$work/verify.out" 2>&1 && [[ ! -s $work/verify.out ]]; then
    ok "unit: systemd-analyze verify, no warnings"
else
    fail "unit: systemd-analyze verify:"; cat "$work/verify.out"
fi

# The template: the same unit but for the instance's env file and state directory; verified as
# an instance (mysql-cdc@test.service).
template=$root/usr/lib/systemd/system/mysql-cdc@.service
diff <(grep -v '^#' "$unit") <(grep -v '^#' "$template") | grep '^>' | sort >"$work/template.diff"
printf '%s\n' '> Description=mysql-cdc: MySQL/MariaDB row changes to Kafka as JSON, exactly once (instance %i)' \
    '> Environment=Quix__State__Dir=/var/lib/mysql-cdc/%i' '> EnvironmentFile=/etc/mysql-cdc/%i.env' \
    '> StateDirectory=mysql-cdc/%i' | sort >"$work/template.expected"
if cmp -s "$work/template.diff" "$work/template.expected"; then
    ok "template unit: differs from the unit in the instance's env file and state only"
else
    fail "template unit: other differences:"; diff "$work/template.expected" "$work/template.diff"
fi
sed "s|^ExecStart=/usr/bin/mysql-cdc|ExecStart=$cdc|" "$template" >"$work/unit/mysql-cdc@test.service"
if MANPATH=$root/usr/share/man systemd-analyze verify "$work/unit/mysql-cdc@test.service" \
        >"$work/verify.out" 2>&1 && [[ ! -s $work/verify.out ]]; then
    ok "template unit: systemd-analyze verify mysql-cdc@test.service, no warnings"
else
    fail "template unit: systemd-analyze verify:"; cat "$work/verify.out"
fi

if ((problems)); then
    echo "FAILED: $problems problem(s)"
    exit 1
fi
echo "OK: install tree"

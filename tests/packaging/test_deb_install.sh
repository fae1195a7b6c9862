#!/usr/bin/env bash
# Issue 13, acceptance 2: the .deb that cpack builds installs on a clean Debian 12 and runs.
#   1. cpack -G DEB into a temporary directory; dpkg-deb shows the files (binary, unit, man page,
#      docs, the conffile /etc/mysql-cdc/mysql-cdc.env), nothing under /usr/local, the fields,
#      and a Depends that names the package of every library `ldd` shows the binary needs.
#   2. A clean Debian 12 root (mmdebstrap --variant=apt, plus systemd and man-db to check the
#      unit there), cached as a tarball: $CDC_DEBIAN_ROOT_CACHE (default
#      ~/.cache/mysql-cdc/debian12-root.tar), made again when older than 7 days.
#   3. In a fresh copy: `apt-get install ./mysql-cdc_*.deb` resolves the dependencies from the
#      mirror; mysql-cdc --version prints the build's version; `systemd-analyze verify
#      mysql-cdc.service` (and mysql-cdc@test.service) has nothing to say (ExecStart, man page: all there); the conffile is
#      registered; `apt-get purge` removes every file.
# Needs root (chroot) and Debian's mirror. Usage: test_deb_install.sh BUILD_DIR
set -uo pipefail
build=$1
if [[ $(id -u) -ne 0 ]]; then
    echo "SKIPPED: needs root for mmdebstrap and chroot"
    exit 77
fi
work=$(mktemp -d /tmp/cdc-deb.XXXXXX)
trap 'rm -rf "$work"' EXIT
problems=0
t0=$SECONDS
fail() { echo "FAIL  $*"; problems=$((problems + 1)); }
ok() { echo "ok    $*"; }
finish() {
    if ((problems)); then echo "FAILED: $problems problem(s) ($((SECONDS - t0)) s)"; exit 1; fi
    echo "OK: the .deb installs and runs on a clean Debian 12 ($((SECONDS - t0)) s)"
    exit 0
}

# 1. The package.
version=$("$build/src/mysql-cdc" --version) || { fail "no built binary"; finish; }
version=${version#mysql-cdc }
if ! (cd "$build" && cpack -G DEB -B "$work/pkg" >"$work/cpack.log" 2>&1); then
    cat "$work/cpack.log"; fail "cpack -G DEB"; finish
fi
deb=$(ls "$work"/pkg/mysql-cdc_*.deb 2>/dev/null | head -1)
[[ -f $deb ]] || { fail "cpack made no mysql-cdc_*.deb"; ls "$work/pkg"; finish; }
ok "cpack: $(basename "$deb") ($(( $(stat -c %s "$deb") / 1024 )) KiB, $((SECONDS - t0)) s)"

dpkg-deb -c "$deb" | awk '{print $6}' >"$work/contents"
for f in ./usr/bin/mysql-cdc ./usr/lib/systemd/system/mysql-cdc.service \
         ./usr/lib/systemd/system/mysql-cdc@.service \
         ./usr/share/man/man1/mysql-cdc.1.gz ./usr/share/doc/mysql-cdc/README.md \
         ./usr/share/doc/mysql-cdc/CONFIGURATION.md ./usr/share/doc/mysql-cdc/PACKAGING.md \
         ./etc/mysql-cdc/mysql-cdc.env; do
    grep -qx -- "$f" "$work/contents" || fail "dpkg -c: no $f"
done
grep -q '^\./usr/local' "$work/contents" && fail "dpkg -c: files under /usr/local"
[[ $(grep -c '^\./usr/bin/.' "$work/contents") == 1 ]] || fail "dpkg -c: more than mysql-cdc in /usr/bin"
ok "dpkg -c: $(grep -vc '/$' "$work/contents") files"

field() { dpkg-deb -f "$deb" "$1"; }
[[ $(field Package) == mysql-cdc ]] || fail "Package: $(field Package)"
[[ $(field Version) == "$version" ]] || fail "Version: $(field Version), the binary says $version"
for f in Maintainer Description Section Homepage Architecture; do
    [[ -n $(field "$f") ]] || fail "no $f field"
done
depends=$(field Depends)
dep_names=$(tr ',|' '\n\n' <<<"$depends" | awk '{print $1}' | sort -u)
# The package of every library the binary links directly (its DT_NEEDED; the rest follows from
# their packages) must be named in Depends, by name or by a name it provides.
needed=$(objdump -p "$build/src/mysql-cdc" | awk '/NEEDED/{print $2}' | while read -r soname; do
    lib=$(ldd "$build/src/mysql-cdc" | awk -v n="$soname" '$1 == n {print $3}')
    [[ -n $lib ]] && { dpkg -S "$(readlink -f "$lib")" 2>/dev/null || dpkg -S "$lib"; }
done | cut -d: -f1 | sort -u)
for p in $needed; do
    names="$p $(dpkg-query -W -f='${Provides}' "$p" | tr ',' '\n' | awk '{print $1}')"
    found=0
    for n in $names; do grep -qxF -- "$n" <<<"$dep_names" && found=1; done
    ((found)) || fail "Depends lacks $p (a library of the binary): $depends"
done
for p in libmariadb3 librdkafka1 libsystemd0; do
    grep -qxF "$p" <<<"$dep_names" || fail "Depends lacks $p: $depends"
done
ok "Depends names the packages of the binary's $(wc -w <<<"$needed") libraries: $depends"
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles 2>/dev/null | grep -qx /etc/mysql-cdc/mysql-cdc.env \
    && ok "conffiles: /etc/mysql-cdc/mysql-cdc.env" || fail "conffiles: no /etc/mysql-cdc/mysql-cdc.env"

# 2. The clean root.
cache=${CDC_DEBIAN_ROOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mysql-cdc/debian12-root.tar}
if [[ ! -s $cache ]] || [[ -n $(find "$cache" -mtime +7) ]]; then
    mkdir -p "$(dirname "$cache")"
    t1=$SECONDS
    if ! mmdebstrap --variant=apt --include=systemd,man-db bookworm "$cache.tmp.tar" \
            >"$work/mmdebstrap.log" 2>&1; then
        tail -20 "$work/mmdebstrap.log"; rm -f "$cache.tmp.tar"; fail "mmdebstrap bookworm"; finish
    fi
    mv "$cache.tmp.tar" "$cache"
    ok "made the clean Debian 12 root $cache in $((SECONDS - t1)) s"
fi
root=$work/root
mkdir -p "$root"
tar -C "$root" -xf "$cache" || { fail "extracting $cache"; finish; }
cp /etc/resolv.conf "$root/etc/resolv.conf"
cp "$deb" "$root/tmp/"
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive "$@"; }
chroot "$root" dpkg-query -W mysql-cdc >/dev/null 2>&1 && fail "the clean root has mysql-cdc already"

# 3. Install, run, verify, purge.
t1=$SECONDS
if in_root sh -c "apt-get update -qq && apt-get install -y -q --no-install-recommends /tmp/$(basename "$deb")" \
        >"$work/apt.log" 2>&1; then
    ok "apt-get install ./$(basename "$deb") in the clean root ($((SECONDS - t1)) s)"
else
    tail -20 "$work/apt.log"; fail "apt-get install in the clean root"; finish
fi
got=$(in_root mysql-cdc --version 2>&1)
[[ $got == "mysql-cdc $version" ]] && ok "in the root: mysql-cdc --version: $got" \
    || fail "in the root: mysql-cdc --version: $got"
if in_root systemd-analyze verify mysql-cdc.service >"$work/verify.out" 2>&1 && [[ ! -s $work/verify.out ]]; then
    ok "in the root: systemd-analyze verify mysql-cdc.service, no warnings"
else
    fail "in the root: systemd-analyze verify:"; cat "$work/verify.out"
fi
if in_root systemd-analyze verify mysql-cdc@test.service >"$work/verify.out" 2>&1 && [[ ! -s $work/verify.out ]]; then
    ok "in the root: systemd-analyze verify mysql-cdc@test.service, no warnings"
else
    fail "in the root: systemd-analyze verify mysql-cdc@test.service:"; cat "$work/verify.out"
fi
in_root man -w mysql-cdc >/dev/null 2>&1 && ok "in the root: man -w mysql-cdc" || fail "in the root: no man page"
in_root dpkg-query -W -f='${Conffiles}\n' mysql-cdc | grep -q /etc/mysql-cdc/mysql-cdc.env \
    && ok "in the root: the env file is a conffile" || fail "in the root: the env file is no conffile"
[[ $(stat -c %a "$root/etc/mysql-cdc/mysql-cdc.env") == 600 ]] || fail "in the root: env file not mode 0600"
if in_root apt-get purge -y -q mysql-cdc >"$work/purge.log" 2>&1 && [[ ! -e $root/usr/bin/mysql-cdc ]] \
        && [[ ! -e $root/etc/mysql-cdc ]] && [[ ! -e $root/usr/lib/systemd/system/mysql-cdc.service ]] \
        && [[ ! -e $root/usr/lib/systemd/system/mysql-cdc@.service ]]; then
    ok "in the root: apt-get purge removes it all"
else
    tail -5 "$work/purge.log"; fail "in the root: purge left files"
fi
finish

#!/usr/bin/env bash
# Installs what mysql-cdc needs on Debian 12 (scripts/apt-packages.txt) and builds it.
#
#   scripts/setup.sh            install missing packages, then configure and build into build/
#   scripts/setup.sh --deps     install missing packages only
#
# Environment: BUILD_DIR (default build), CMAKE_ARGS (extra configure flags), JOBS (default 2).
# Installing needs root; a machine that already has every package needs nothing but a build.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mode=${1:-all}
case "$mode" in
  all|--deps) ;;
  *) echo "usage: scripts/setup.sh [--deps]" >&2; exit 2 ;;
esac

mapfile -t packages < <(grep -v -e '^#' -e '^[[:space:]]*$' "$root/scripts/apt-packages.txt")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "error: missing Debian packages: ${missing[*]}" >&2
    echo "       run this script as root (sudo scripts/setup.sh) or install them with apt-get." >&2
    exit 1
  fi
  echo "== installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Keep mariadb-server's postinst from starting a system server: tests start their own.
  made_policy=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    made_policy=1
    trap '[[ $made_policy == 1 ]] && rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt-get update </dev/null
  apt-get install -y --no-install-recommends "${missing[@]}" </dev/null
else
  echo "== all ${#packages[@]} Debian packages present"
fi

[[ $mode == --deps ]] && exit 0

build=${BUILD_DIR:-$root/build}
# shellcheck disable=SC2086  # CMAKE_ARGS is a list of flags
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo ${CMAKE_ARGS:-}
cmake --build "$build" -j "${JOBS:-2}"
echo "== built $build/src/mysql-cdc"

#!/bin/sh
# The randomized differential test (tests/integration/test_random_differential.py) with bigger
# parameters and a random seed, for exploring: stream, `decode` and snapshot against SELECT.
#
#   tools/random_differential.sh [BUILD_DIR] [--seed N] [--tables N] [--statements N] [--rounds N]
#                                [--compressed]
#
# Each round draws a new seed (printed first, with the command line that reruns it) unless
# --seed is given; a failing round keeps its files in BUILD_DIR/random_differential/ and the
# script stops with exit 1.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=$here/build
case "${1:-}" in -*|"") ;; *) build=$1; shift ;; esac
rounds=1
tables=10
statements=2000
seed=
compressed=
while [ $# -gt 0 ]; do
    case $1 in
        --seed) seed=$2; shift 2 ;;
        --tables) tables=$2; shift 2 ;;
        --statements) statements=$2; shift 2 ;;
        --rounds) rounds=$2; shift 2 ;;
        --compressed) compressed=--compressed; shift ;;
        *) echo "usage: $0 [BUILD_DIR] [--seed N] [--tables N] [--statements N] [--rounds N]" \
                "[--compressed]" >&2
           exit 2 ;;
    esac
done
bin=$build/src/mysql-cdc
[ -x "$bin" ] || bin=$(find "$build" -name mysql-cdc -type f -perm -u+x | head -n 1)
[ -n "$bin" ] && [ -x "$bin" ] || { echo "error: no mysql-cdc under $build; build first" >&2; exit 2; }
i=0
while [ "$i" -lt "$rounds" ]; do
    s=${seed:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
    if ! python3 "$here/tests/integration/test_random_differential.py" --mysql-cdc "$bin" \
            --seed "$s" --tables "$tables" --statements "$statements" $compressed \
            --artifacts "$build/random_differential"; then
        echo "round $((i + 1)): seed $s FAILED; files in $build/random_differential/random_differential_$s" >&2
        exit 1
    fi
    i=$((i + 1))
done

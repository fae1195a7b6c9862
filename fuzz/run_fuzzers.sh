#!/usr/bin/env bash
# Builds the libFuzzer targets with clang, AddressSanitizer and UndefinedBehaviorSanitizer, and
# runs each for SECONDS over its seed corpus. Exits non-zero if any target finds a crash, leak,
# timeout or sanitizer error; the input is saved under BUILD_DIR/findings/<target>/.
#
#   fuzz/run_fuzzers.sh [SECONDS=60] [BUILD_DIR=/tmp/mysql-cdc-fuzz] [TARGET...]
#
# With FUZZ_RUNS=N each target instead runs exactly N inputs from a fixed seed (still capped at
# SECONDS): the same source then explores the same inputs on every machine, so a CI result can
# be reproduced (and checked before submitting) instead of depending on how fast the machine is.
#
# New inputs go to BUILD_DIR/corpus/<target>/, not into the repository: copy the interesting
# ones (and every finding, once fixed) to fuzz/corpus/<target>/ so normal builds replay them.
set -euo pipefail

secs=${1:-60}
build=${2:-/tmp/mysql-cdc-fuzz}
shift $(( $# < 2 ? $# : 2 ))
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(json_binary json_diff event_decoder row_decoder binlog_file)
fi
src=$(cd "$(dirname "$0")/.." && pwd)
jobs=${JOBS:-2}

CC=clang CXX=clang++ cmake -S "$src" -B "$build" -DMYSQL_CDC_FUZZ=ON -DMYSQL_CDC_SANITIZE=ON \
  -DMYSQL_CDC_BENCH=OFF -DBUILD_TESTING=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$jobs" --target "${targets[@]/#/fuzz_}"

limit=(-max_total_time="$secs")
describe="${secs}s"
if [ -n "${FUZZ_RUNS:-}" ]; then
  limit+=(-runs="$FUZZ_RUNS" -seed=1)
  describe="$FUZZ_RUNS runs from seed 1 (at most ${secs}s)"
fi

failed=()
for t in "${targets[@]}"; do
  work="$build/corpus/$t"
  findings="$build/findings/$t"
  mkdir -p "$work" "$findings"
  rm -rf "$work" && mkdir -p "$work"  # start from the committed corpus only: reproducible
  echo "== fuzz_$t: $describe"
  if ! ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
       UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
       "$build/fuzz/fuzz_$t" "${limit[@]}" -timeout=10 -rss_limit_mb=2048 \
         -print_final_stats=1 -artifact_prefix="$findings/" "$work" "$src/fuzz/corpus/$t" \
         2>"$build/fuzz_$t.log"; then
    failed+=("$t")
    echo "!! fuzz_$t found a problem: $findings/ (log: $build/fuzz_$t.log)"
    grep -E "ERROR|SUMMARY|runtime error|Test unit written" "$build/fuzz_$t.log" | head -20 || true
  else
    grep -E "^stat::number_of_executed_units|^stat::new_units_added|cov: " "$build/fuzz_$t.log" \
      | tail -3 || true
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found problems in: ${failed[*]}"
  exit 1
fi
echo "fuzzing: no findings in ${targets[*]} ($describe each)"

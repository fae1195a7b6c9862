#!/usr/bin/env python3
"""The Kafka ceiling on this machine: kafka_bench (bench/kafka_bench.cpp) against the test broker.

    python3 bench/kafka_bench.py --build BUILD_DIR [--messages 500000] [--size 500] [--runs 3]
        [--headers 0,1,3,6] [--no-sink]

Builds kafka_bench from BUILD_DIR's cdc_sink libraries (bench/CMakeLists.txt does not know it),
then for each variant (plain: a bare idempotent librdkafka producer with --headers N headers per
message; sink: KafkaSink::write/flush) starts a fresh test broker with a 6-partition topic, runs
the variants interleaved --runs times and reports each run (messages/s, MB/s, CPU of the producer
and of the broker process) and per variant the median and range of the producer's CPU per
message and of messages/s. Numbers depend on the machine's load: run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "integration"))
from kafka_broker import KafkaBroker  # noqa: E402


def build(build_dir: Path) -> Path:
    out = build_dir / "bench" / "kafka_bench"
    out.parent.mkdir(parents=True, exist_ok=True)
    libs = [build_dir / "src" / f"libcdc_{m}.a" for m in ("sink", "model", "common")]
    subprocess.run(["g++", "-std=c++20", "-O2", "-I", str(ROOT / "src"),
                    str(ROOT / "bench" / "kafka_bench.cpp"), *map(str, libs), "-lrdkafka",
                    "-lspdlog", "-lfmt", "-o", str(out)], check=True)
    return out


def broker_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100.0  # utime + stime, in clock ticks


def run_one(bench: Path, broker: Path, mode: str, headers: int, args) -> str | None:
    with KafkaBroker(str(broker)) as kafka:
        kafka.create_topic("bench", 6)
        out = subprocess.run([str(bench), "--brokers", kafka.bootstrap, "--topic", "bench",
                              "--mode", mode, "--headers", str(headers),
                              "--messages", str(args.messages), "--size", str(args.size)],
                             capture_output=True, text=True)
        if out.returncode != 0:
            print(out.stderr[-2000:])
            return None
        return out.stdout.strip() + f" broker_cpu_s={broker_cpu(kafka.proc.pid):.2f}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", required=True, type=Path)
    ap.add_argument("--messages", type=int, default=500000)
    ap.add_argument("--size", type=int, default=500)
    ap.add_argument("--runs", type=int, default=3, help="runs of each variant, interleaved")
    ap.add_argument("--headers", default="0,3",
                    help="bare producer with these header counts (0-7, 1 = the packed "
                         "mysql-cdc.position), e.g. 0,1,3,6")
    ap.add_argument("--no-sink", action="store_true", help="skip the KafkaSink run")
    args = ap.parse_args()
    bench = build(args.build)
    broker = args.build / "tests" / "support" / "kafka_test_broker"
    variants = [("plain", int(h)) for h in args.headers.split(",")]
    if not args.no_sink:
        variants.append(("sink", 0))
    results: dict[tuple[str, int], list[tuple[float, float, str]]] = {v: [] for v in variants}
    for _ in range(args.runs):  # interleaved: this machine's speed drifts
        for mode, headers in variants:
            line = run_one(bench, broker, mode, headers, args)
            if line is None:
                return 1
            print(line, flush=True)
            rate = float(re.search(r"msgs_per_s=(\d+)", line).group(1))
            ns = float(re.search(r"cpu_ns_per_msg=(\d+)", line).group(1))
            results[(mode, headers)].append((ns, rate, line))
    print("summary (median, [min-max]):")
    for (mode, headers), runs in results.items():
        ns = sorted(r[0] for r in runs)
        rate = sorted(r[1] for r in runs)
        name = f"{mode} headers={headers}" if mode == "plain" else mode
        print(f"  {name:18s} producer CPU {statistics.median(ns):6.0f} ns/msg [{ns[0]:.0f}-"
              f"{ns[-1]:.0f}]   {statistics.median(rate):9,.0f} msg/s [{rate[0]:,.0f}-"
              f"{rate[-1]:,.0f}]", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""End-to-end throughput: a MariaDB holding the benchmark workload (1,000,000 inserts, 200,000
updates, 100,000 deletes of a 10-column table) streamed by the mysql-cdc daemon to the file sink.

    bench/e2e_file_bench.py --mysql-cdc build/src/mysql-cdc [--rows 1000000] [--repeat 3]
    bench/e2e_file_bench.py --mysql-cdc OLD --mysql-cdc NEW --repeat 6   # A/B, interleaved
    bench/e2e_file_bench.py --mysql-cdc BIN --metrics-ab --repeat 6      # METRICS_PORT off/on

Each of the --repeat runs starts the daemon from a seed-format state file pointing at the first binlog's start, so it
replays the whole workload over the replication protocol; it is stopped once its checkpoint
reaches the server's end position. Reports wall time, rows/s, CPU seconds (user+sys) and peak
RSS of the daemon, and checks the output has one line per row change. The daemon starts once
the server has finished its own clean-up after the workload (InnoDB purge and page flushing
otherwise take one of the two cores for a second or more). The wall time includes the wait for
the last checkpoint; the time at which the output file held every line (sampled every 20 ms)
is shown beside it.

With --metrics-ab the runs alternate between METRICS_PORT off and on (127.0.0.1, a free port)
while a scraper fetches /metrics every second, as Prometheus would; the end shows the daemon's
CPU per change of each (issue 13, acceptance 4: the endpoint costs under 2%).
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration"))
sys.path.insert(0, HERE)
from mariadb_server import MariaDB, free_port  # noqa: E402
from make_workload import (load_workload, process_usage, wait_until_idle,  # noqa: E402
                           write_seed_state)


class Scraper:
    """GETs /metrics every second on a thread of its own until stopped; counts the answers."""

    def __init__(self, port: int):
        self.url = f"http://127.0.0.1:{port}/metrics"
        self.done = threading.Event()
        self.scrapes = 0
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        while not self.done.wait(1.0):
            try:
                with urllib.request.urlopen(self.url, timeout=2) as r:
                    r.read()
                    self.scrapes += 1
            except OSError:
                pass

    def stop(self) -> int:
        self.done.set()
        self.thread.join()
        return self.scrapes


def run_once(binary: str, db, work: str, first_file: str, end: tuple[str, int],
             expected: int, metrics: bool = False) -> tuple[bool, float, int]:
    """One daemon run over the whole workload, from a fresh state dir and output file."""
    shutil.rmtree(work, ignore_errors=True)
    state_dir = os.path.join(work, "state")
    state_path = write_seed_state(state_dir, first_file)
    out = os.path.join(work, "out.jsonl")
    env = dict(os.environ, MYSQL_HOST=db.host, MYSQL_PORT=str(db.port),
               MYSQL_USER=db.user, MYSQL_PASSWORD=db.password, MYSQL_DATABASE="bench",
               MYSQL_TABLE="orders", Quix__State__Dir=state_dir, OUTPUT_SINK="file",
               OUTPUT_FILE=out, LOG_LEVEL="warn")
    port = free_port() if metrics else 0
    env.update(METRICS_PORT=str(port), METRICS_ADDRESS="127.0.0.1")
    quiet = wait_until_idle(db.proc.pid)
    server_cpu0, _ = process_usage(db.proc.pid)
    t0 = time.monotonic()
    proc = subprocess.Popen([binary], env=env)
    scraper = Scraper(port) if metrics else None
    sizes = []  # (seconds since start, output size): when was everything written
    while True:
        time.sleep(0.02)
        try:
            sizes.append((time.monotonic() - t0, os.path.getsize(out)))
        except OSError:
            pass
        if proc.poll() is not None:
            print(f"daemon exited early with {proc.returncode}", file=sys.stderr)
            return False, 0.0, 0
        try:
            with open(state_path) as f:
                st = json.load(f)
        except (OSError, ValueError):
            continue
        if st["log_file"] == end[0] and st["log_pos"] >= end[1]:
            break
    wall = time.monotonic() - t0
    cpu, peak_rss_kb = process_usage(proc.pid)
    server_cpu = process_usage(db.proc.pid)[0] - server_cpu0
    scrapes = scraper.stop() if scraper else 0
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)
    with open(out, "rb") as f:
        lines = sum(1 for _ in f)
    size = os.path.getsize(out)
    written = next(t for t, n in sizes + [(wall, size)] if n >= size)
    print(f"rows: {lines} (expected {expected}); the server was idle after {quiet:.1f} s")
    print(f"wall: {wall:.2f} s   rows/s: {lines / wall:,.0f}   output: {size / 1e6:.0f} MB")
    print(f"  of which: every line written after {written:.2f} s ({lines / written:,.0f} "
          f"rows/s), then {wall - written:.2f} s until the checkpoint covered it")
    print(f"daemon cpu: {cpu:.2f} s (user+sys), {lines / cpu:,.0f} rows per daemon CPU-second"
          f"   peak RSS: {peak_rss_kb / 1024:.1f} MB")
    print(f"server cpu while streaming: {server_cpu:.2f} s (mariadbd, all threads)   "
          f"load average: {os.getloadavg()[0]:.1f}", flush=True)
    if metrics:
        print(f"metrics endpoint on, {scrapes} scrapes of /metrics", flush=True)
    return lines == expected, cpu, lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mysql-cdc", required=True, action="append",
                    help="the binary; given several times, the runs take them in turn (A/B)")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3, help="daemon runs on the same server")
    ap.add_argument("--metrics-ab", action="store_true",
                    help="alternate METRICS_PORT off and on (scraped every second)")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="mysql-cdc-bench-")
    try:
        with MariaDB(name="e2e") as db:
            first_file = db.binlog_files()[0]
            inserts, updates, deletes = load_workload(db, args.rows)
            end_file, end_pos = db.sql("SHOW MASTER STATUS")[0][:2]
            expected = inserts + updates + deletes
            ok = True
            per_change: dict[str, list[float]] = {}
            for i in range(args.repeat):
                binary = args.mysql_cdc[i % len(args.mysql_cdc)]
                metrics = args.metrics_ab and i % 2 == 1
                print(f"run {i + 1} of {args.repeat}: {binary}"
                      f"{' METRICS_PORT on' if metrics else ''}")
                good, cpu, lines = run_once(binary, db, os.path.join(work, "run"), first_file,
                                            (end_file, int(end_pos)), expected, metrics)
                ok = good and ok
                if good:
                    key = f"{binary}{' metrics on' if metrics else ''}"
                    per_change.setdefault(key, []).append(cpu / lines * 1e9)
            for key, ns in per_change.items():
                print(f"{key}: daemon CPU per change {min(ns):.0f}-{max(ns):.0f} ns "
                      f"(median {sorted(ns)[len(ns) // 2]:.0f} ns, {len(ns)} runs)")
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

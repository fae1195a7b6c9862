#!/usr/bin/env python3
"""Issue 3: memory stays bounded whatever the transaction size. One transaction of 2,000,000
rows streams through the daemon (file sink) while its resident memory is sampled from /proc;
the peak must stay under a fixed bound, and the output must hold all 2,000,000 inserts.

    test_daemon_memory.py --mysql-cdc BUILD/src/mysql-cdc [--rows 2000000] [--bound-mb 64]

The bound is the issue's 64 MB: what the daemon holds is one event, one row and the sink's
buffer (FLUSH_MAX_BYTES, 8 MiB by default), never the transaction.
"""
import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from daemon_harness import Daemon, daemon_env, start_mariadb  # noqa: E402


def rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mysql-cdc", required=True)
    ap.add_argument("--rows", type=int, default=2_000_000)
    ap.add_argument("--bound-mb", type=float, default=64)
    args = ap.parse_args()
    t0 = time.monotonic()
    with start_mariadb("memory") as db, tempfile.TemporaryDirectory(prefix="daemon-memory-") as w:
        db.execute("CREATE DATABASE m; CREATE TABLE m.big (id BIGINT PRIMARY KEY, "
                   "v VARCHAR(64) NOT NULL, d DECIMAL(12,2), t DATETIME(6));")
        daemon = Daemon(args.mysql_cdc, daemon_env(db, w, "m", "big"), w)
        daemon.start()
        daemon.wait_for_state()
        peak = [0]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                if daemon.proc is not None:
                    peak[0] = max(peak[0], rss_kb(daemon.proc.pid))
                time.sleep(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        # One transaction: a single INSERT ... SELECT from the SEQUENCE engine.
        db.execute(f"INSERT INTO m.big SELECT seq, CONCAT('row-', seq), seq / 100, "
                   f"TIMESTAMP'2024-01-01 00:00:00' + INTERVAL seq SECOND "
                   f"FROM seq_1_to_{args.rows};", database="m", timeout=900)
        daemon.wait_caught_up(db, timeout=600)
        done.set()
        sampler.join()
        daemon.sigterm()
        with open(daemon.output_file, "rb") as f:
            lines = sum(1 for _ in f)
    peak_mb = peak[0] / 1024
    print(f"{args.rows} rows in one transaction: {lines} events written, peak RSS "
          f"{peak_mb:.1f} MB (bound {args.bound_mb:.0f} MB), {time.monotonic() - t0:.0f} s")
    failures = []
    if lines != args.rows:
        failures.append(f"expected {args.rows} events, the output has {lines}")
    if peak[0] == 0:
        failures.append("no RSS sample was taken")
    if peak_mb > args.bound_mb:
        failures.append(f"peak RSS {peak_mb:.1f} MB is over the {args.bound_mb:.0f} MB bound")
    for f in failures:
        print("FAIL: " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

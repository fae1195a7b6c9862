#!/usr/bin/env python3
"""Writes the benchmark workload's binlog: 1,000,000 inserts, 200,000 updates and 100,000
deletes of a 10-column table (BIGINT, INT, VARCHAR, DECIMAL, DATETIME(6), TIMESTAMP, DOUBLE,
TEXT, ENUM, TINYINT), from a throwaway MariaDB, saved with `mariadb-binlog --raw`.

    bench/make_workload.py OUT_DIR [--rows 1000000]

The rows are generated inside the server (the SEQUENCE engine), 10,000 per transaction, so the
binlog is what a real server writes for such a workload. Prints the saved file names.
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "integration"))
from mariadb_server import MariaDB  # noqa: E402

TABLE = """
CREATE TABLE bench.orders (
  id BIGINT PRIMARY KEY,
  qty INT NOT NULL,
  name VARCHAR(64) NOT NULL,
  price DECIMAL(12,2) NOT NULL,
  created DATETIME(6) NOT NULL,
  updated TIMESTAMP NULL,
  score DOUBLE,
  note TEXT,
  status ENUM('new','paid','shipped','done') NOT NULL,
  flag TINYINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
"""

BATCH = 10_000


def write_seed_state(state_dir: str, first_file: str) -> str:
    """A state file in the seed's format at the start of `first_file` (the daemon replays the
    whole binlog from there); returns its path."""
    os.makedirs(state_dir)
    path = os.path.join(state_dir, "binlog_position_bench_orders.json")
    with open(path, "w") as f:
        json.dump({"log_file": first_file, "log_pos": 4, "timestamp": time.time(),
                   "readable_time": ""}, f)
    return path


def process_usage(pid: int) -> tuple[float, int]:
    """(CPU seconds user+sys, peak RSS in kB) of a live process, from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    peak = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                peak = int(line.split()[1])
    return cpu, peak


def thread_usage(pid: int) -> dict[str, float]:
    """CPU seconds (user+sys) of a live process's threads, summed by thread name (the daemon
    names its own: cdc-snap-read, cdc-file-write, ...; the main thread has the program's)."""
    ticks = os.sysconf("SC_CLK_TCK")
    usage: dict[str, float] = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                text = f.read()
        except FileNotFoundError:
            continue  # ended meanwhile
        name = text[text.index("(") + 1:text.rindex(")")]
        fields = text.rsplit(")", 1)[1].split()
        usage[name] = usage.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / ticks
    return usage


def wait_until_idle(pid: int, timeout: float = 60.0) -> float:
    """Waits until a process (the server, after the workload: InnoDB purges and flushes for a
    while) uses under 5% of a core for two half-seconds in a row, so that a benchmark measures
    the daemon, not the server's clean-up competing for the same two cores. Returns the seconds
    waited."""
    t0 = time.monotonic()
    quiet = 0
    while quiet < 2 and time.monotonic() - t0 < timeout:
        before = process_usage(pid)[0]
        time.sleep(0.5)
        quiet = quiet + 1 if process_usage(pid)[0] - before < 0.025 else 0
    return time.monotonic() - t0


def insert_batch(first: int) -> str:
    return f"""INSERT INTO bench.orders
SELECT seq, seq % 1000, CONCAT('customer-', seq), seq / 100,
       TIMESTAMP'2024-01-01 00:00:00' + INTERVAL seq SECOND + INTERVAL (seq % 999999) MICROSECOND,
       FROM_UNIXTIME(1700000000 + seq), seq * 1.25, REPEAT('note ', seq % 20),
       1 + seq % 4, seq % 2
FROM seq_{first}_to_{first + BATCH - 1};"""


def load_workload(db, rows: int) -> tuple[int, int, int]:
    """Creates bench.orders on `db` and runs the workload; returns (inserts, updates, deletes)."""
    rows -= rows % BATCH
    updates, deletes = rows // 5, rows // 10
    db.execute("CREATE DATABASE bench; " + TABLE + ";")
    db.execute("\n".join(insert_batch(first) for first in range(1, rows + 1, BATCH)),
               database="bench", timeout=1800)
    db.execute("\n".join(
        f"UPDATE bench.orders SET qty = qty + 1, note = 'updated', updated = NOW() "
        f"WHERE id BETWEEN {first} AND {first + BATCH - 1};"
        for first in range(1, updates + 1, BATCH)), database="bench", timeout=1800)
    db.execute("\n".join(
        f"DELETE FROM bench.orders WHERE id BETWEEN {first} AND {first + BATCH - 1};"
        for first in range(rows - deletes + 1, rows + 1, BATCH)), database="bench",
        timeout=1800)
    return rows, updates, deletes


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir")
    ap.add_argument("--rows", type=int, default=1_000_000)
    args = ap.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)

    t0 = time.monotonic()
    with MariaDB(name="bench") as db:
        rows, updates, deletes = load_workload(db, args.rows)
        db.execute("FLUSH BINARY LOGS;")
        files = db.save_binlogs(args.out_dir)
    print(f"# {rows} inserts, {updates} updates, {deletes} deletes in "
          f"{time.monotonic() - t0:.1f} s", file=sys.stderr)
    for f in files:
        print(f)
    return 0


if __name__ == "__main__":
    sys.exit(main())

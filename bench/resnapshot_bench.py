#!/usr/bin/env python3
"""Re-snapshot speed against the initial snapshot's, on the same table and daemon (issue 14,
figure 6b).

    bench/resnapshot_bench.py --mysql-cdc build/src/mysql-cdc [--rows 200000] [--repeat 3]
                              [--batch 1000]

A throwaway MariaDB gets bench.orders (snapshot_bench.py's 10-column table) with --rows rows. The
daemon starts with INITIAL_SNAPSHOT=true, OUTPUT_SINK=file, SNAPSHOT_BATCH_SIZE=--batch; once its
initial snapshot is complete, `mysql-cdc snapshot --table bench.orders --wait` is run --repeat
times (the table is quiet: no writes). Reported: each one's time from its "starting" to its
"done" log line (millisecond stamps) and rows/s, plus the re-snapshot command's wall time. Not a test: best of
--repeat, on a machine whose speed varies from run to run.
"""
import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration"))
sys.path.insert(0, HERE)
from mariadb_server import MariaDB  # noqa: E402
from snapshot_bench import fill  # noqa: E402


STAMP = r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3})Z .*"


def stamps(log: str, what: str) -> list[float]:
    """The times (s since the epoch, ms precision) of the log lines matching `what`."""
    from datetime import datetime, timezone
    rx = re.compile(STAMP + what, re.M)
    with open(log, errors="replace") as f:
        return [datetime.strptime(m, "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=timezone.utc)
                .timestamp() for m in rx.findall(f.read())]


def wait_for(log: str, what: str, count: int, proc, timeout: float = 600) -> list[float]:
    deadline = time.monotonic() + timeout
    while True:
        hits = stamps(log, what)
        if len(hits) >= count:
            return hits
        if proc.poll() is not None:
            raise RuntimeError(f"daemon exited with {proc.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"no /{what}/ within {timeout} s")
        time.sleep(0.05)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mysql-cdc", required=True)
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--batch", type=int, default=1000, help="SNAPSHOT_BATCH_SIZE")
    args = ap.parse_args()
    cdc = os.path.abspath(args.mysql_cdc)
    work = tempfile.mkdtemp(prefix="mysql-cdc-resnapbench-")
    try:
        with MariaDB(name="resnapbench", extra_args=["--innodb-buffer-pool-size=1G"]) as db:
            fill(db, args.rows)
            log = os.path.join(work, "daemon.log")
            env = dict(os.environ, MYSQL_HOST=db.host, MYSQL_PORT=str(db.port),
                       MYSQL_USER=db.user, MYSQL_PASSWORD=db.password, MYSQL_DATABASE="bench",
                       MYSQL_TABLE="orders", Quix__State__Dir=os.path.join(work, "state"),
                       OUTPUT_SINK="file", OUTPUT_FILE=os.path.join(work, "out.jsonl"),
                       INITIAL_SNAPSHOT="true", SNAPSHOT_BATCH_SIZE=str(args.batch),
                       LOG_LEVEL="info")
            with open(log, "wb") as lf:
                proc = subprocess.Popen([cdc], env=env, cwd=work, stdout=subprocess.DEVNULL,
                                        stderr=lf)
            try:
                done = wait_for(log, r"snapshot of bench\.orders: done", 1, proc)[0]
                began = stamps(log, r"snapshot of bench\.orders: starting")[0]
                rows, secs = args.rows, done - began
                print(f"initial snapshot: {rows:,} rows in {secs:.3f} s = "
                      f"{rows / secs:,.0f} rows/s (batch {args.batch})", flush=True)
                best = None
                for i in range(args.repeat):
                    t0 = time.monotonic()
                    res = subprocess.run([cdc, "snapshot", "--table", "bench.orders", "--wait"],
                                         env=env, cwd=work, capture_output=True, text=True,
                                         timeout=600)
                    wall = time.monotonic() - t0
                    if res.returncode != 0:
                        raise RuntimeError(f"snapshot command: {res.stderr.strip()}")
                    if f"done: {rows} rows" not in res.stdout:
                        raise RuntimeError(f"snapshot command: {res.stdout.strip()}")
                    s = (wait_for(log, r"re-snapshot of bench\.orders: done", i + 1, proc)[i] -
                         stamps(log, r"re-snapshot of bench\.orders: starting")[i])
                    print(f"re-snapshot {i + 1}: {rows:,} rows in {s:.3f} s = {rows / s:,.0f} "
                          f"rows/s (command wall {wall:.3f} s)", flush=True)
                    best = s if best is None else min(best, s)
                print(f"best re-snapshot {rows / best:,.0f} rows/s against the initial "
                      f"snapshot's {rows / secs:,.0f} rows/s: {secs / best:.2f}x", flush=True)
            finally:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=60)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Initial-snapshot throughput: mysql-cdc's snapshot of a large table to the file sink, side by
side with `mariadb-dump --single-transaction` of the same table on the same server.

    bench/snapshot_bench.py --mysql-cdc build/src/mysql-cdc [--rows 5000000] [--repeat 2]
                            [--batch 1000]

A throwaway MariaDB gets bench.orders (the 10-column table of make_workload.py: BIGINT, INT,
VARCHAR, DECIMAL, DATETIME(6), TIMESTAMP, DOUBLE, TEXT, ENUM, TINYINT) filled with --rows rows
(not written to the binlog). Then, --repeat times, interleaved so both see the same machine:

  mariadb-dump   --single-transaction --quick bench orders > file (the tool people use for a
                 consistent copy; it writes multi-row INSERT statements)
  mysql-cdc      INITIAL_SNAPSHOT=true, OUTPUT_SINK=file, SNAPSHOT_BATCH_SIZE=--batch, from a fresh
                 state dir, until the log says "snapshot complete"; then SIGTERM

For each: wall time, rows/s, the client's CPU (user+sys) and peak RSS, mariadbd's CPU, output
size, and for mysql-cdc its CPU by thread. mysql-cdc's output is checked to hold one snapshot_insert line per row. Not a test: the
figures go in the issue notes (best of --repeat; this VM's speed varies from run to run).
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
from mariadb_server import MariaDB, find_tool  # noqa: E402
from make_workload import TABLE, process_usage, thread_usage, wait_until_idle  # noqa: E402

FILL_BATCH = 100_000


def fill(db, rows: int) -> None:
    db.execute("CREATE DATABASE bench; " + TABLE + ";")
    stmts = ["SET SESSION sql_log_bin = 0;"]
    for first in range(1, rows + 1, FILL_BATCH):
        last = min(rows, first + FILL_BATCH - 1)
        stmts.append(
            "INSERT INTO bench.orders SELECT seq, seq % 1000, CONCAT('customer-', seq), "
            "seq / 100, TIMESTAMP'2024-01-01 00:00:00' + INTERVAL seq SECOND + "
            "INTERVAL (seq % 999999) MICROSECOND, FROM_UNIXTIME(1700000000 + seq), seq * 1.25, "
            f"REPEAT('note ', seq % 20), 1 + seq % 4, seq % 2 FROM seq_{first}_to_{last};")
    db.execute("\n".join(stmts), database="bench", timeout=3600)
    db.execute("ANALYZE TABLE bench.orders;")


def run_dump(db, work: str) -> dict:
    out = os.path.join(work, "dump.sql")
    cmd = [find_tool("mariadb-dump"), "--no-defaults", "-h", db.host, "-P", str(db.port),
           "-u", db.user, f"-p{db.password}", "--single-transaction", "--quick",
           "--skip-lock-tables", "bench", "orders"]
    server0 = process_usage(db.proc.pid)[0]
    t0 = time.monotonic()
    with open(out, "wb") as f:
        proc = subprocess.Popen(cmd, stdout=f)
        # wait4: this one process's CPU time and peak RSS (RUSAGE_CHILDREN would mix in every
        # earlier child, mariadb-install-db's bootstrap server among them).
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"mariadb-dump exited with {proc.returncode}")
    cpu = usage.ru_utime + usage.ru_stime
    result = {"wall": wall, "cpu": cpu, "rss_mb": usage.ru_maxrss / 1024,
              "server_cpu": process_usage(db.proc.pid)[0] - server0,
              "bytes": os.path.getsize(out)}
    os.remove(out)
    return result


def run_snapshot(db, mysql_cdc: str, work: str, batch: int, rows: int, wrap: list[str]) -> dict:
    run_dir = tempfile.mkdtemp(dir=work)
    out = os.path.join(run_dir, "out.jsonl")
    log = os.path.join(run_dir, "daemon.log")
    env = dict(os.environ, MYSQL_HOST=db.host, MYSQL_PORT=str(db.port), MYSQL_USER=db.user,
               MYSQL_PASSWORD=db.password, MYSQL_DATABASE="bench", MYSQL_TABLE="orders",
               Quix__State__Dir=os.path.join(run_dir, "state"), OUTPUT_SINK="file",
               OUTPUT_FILE=out, INITIAL_SNAPSHOT="true", SNAPSHOT_BATCH_SIZE=str(batch),
               LOG_LEVEL="info")
    server0 = process_usage(db.proc.pid)[0]
    t0 = time.monotonic()
    with open(log, "wb") as lf:
        proc = subprocess.Popen([*wrap, mysql_cdc], env=env, stdout=subprocess.DEVNULL,
                                stderr=lf)
    try:
        done = re.compile(rb"snapshot complete")
        while True:
            time.sleep(0.05)
            if proc.poll() is not None:
                raise RuntimeError(f"daemon exited with {proc.returncode}:\n" +
                                   open(log, errors="replace").read()[-3000:])
            with open(log, "rb") as f:
                if done.search(f.read()):
                    break
        wall = time.monotonic() - t0
        cpu, peak_kb = process_usage(proc.pid)
        threads = thread_usage(proc.pid)
        server_cpu = process_usage(db.proc.pid)[0] - server0
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    with open(out, "rb") as f:
        lines = sum(1 for line in f if line.startswith(b'{"kind":"snapshot_insert"'))
    if lines != rows:
        raise RuntimeError(f"snapshot wrote {lines} snapshot_insert lines, expected {rows}")
    result = {"wall": wall, "cpu": cpu, "rss_mb": peak_kb / 1024, "server_cpu": server_cpu,
              "bytes": os.path.getsize(out), "threads": threads}
    shutil.rmtree(run_dir, ignore_errors=True)
    return result


def show(name: str, r: dict, rows: int) -> None:
    print(f"  {name:<28} wall {r['wall']:6.2f} s  {rows / r['wall']:>10,.0f} rows/s  "
          f"client cpu {r['cpu']:6.2f} s  peak RSS {r['rss_mb']:6.1f} MB  "
          f"mariadbd cpu {r['server_cpu']:6.2f} s  output {r['bytes'] / 1e6:6.0f} MB", flush=True)
    if r.get("threads"):
        busy = sorted(r["threads"].items(), key=lambda kv: -kv[1])
        print("  " + " " * 28 + " client cpu by thread: " +
              ", ".join(f"{name} {secs:.2f} s" for name, secs in busy if secs >= 0.01), flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mysql-cdc", required=True)
    ap.add_argument("--rows", type=int, default=5_000_000)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--batch", type=int, default=1000, help="SNAPSHOT_BATCH_SIZE")
    ap.add_argument("--wrap", default="", help="a command prefix for the daemon, for profiling "
                    "(e.g. 'perf record -e cpu-clock -g -o /tmp/snap.perf'); its figures are "
                    "then the wrapper's")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="mysql-cdc-snapbench-")
    try:
        with MariaDB(name="snapbench", extra_args=["--innodb-buffer-pool-size=2G"]) as db:
            t0 = time.monotonic()
            fill(db, args.rows)
            print(f"filled bench.orders with {args.rows:,} rows in {time.monotonic() - t0:.0f} s",
                  flush=True)
            best: dict[str, dict] = {}
            for i in range(args.repeat):
                for name, fn in (("mariadb-dump", lambda: run_dump(db, work)),
                                 (f"mysql-cdc (batch {args.batch})",
                                  lambda: run_snapshot(db, args.mysql_cdc, work, args.batch,
                                                       args.rows, args.wrap.split()))):
                    wait_until_idle(db.proc.pid)  # the fill's clean-up: the same for both
                    r = fn()
                    show(f"{name} #{i + 1}", r, args.rows)
                    if name not in best or r["wall"] < best[name]["wall"]:
                        best[name] = r
            print("best of each:")
            for name, r in best.items():
                show(name, r, args.rows)
            print(f"load average: {os.getloadavg()[0]:.1f}")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

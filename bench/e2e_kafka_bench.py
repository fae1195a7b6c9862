#!/usr/bin/env python3
"""End-to-end server -> Kafka (issues 4 and 15): the mysql-cdc daemon with OUTPUT_SINK=kafka
into the test broker (librdkafka's mock cluster, tests/support/kafka_test_broker).

    bench/e2e_kafka_bench.py --binary BUILD/src/mysql-cdc \
        --broker BUILD/tests/support/kafka_test_broker [--rows 1000000] [--rate 10000]
        [--seconds 30] [--skip-throughput] [--skip-latency] [--ceiling BUILD] [--env K=V]
    bench/e2e_kafka_bench.py --binary OLD --binary NEW --repeat 5 --broker ...   # A/B
    bench/e2e_kafka_bench.py --binary BIN --format seed,debezium --broker ...
    bench/e2e_kafka_bench.py --binary BIN --large-rows 20000 --skip-latency --broker ...

throughput  The benchmark workload (bench/make_workload.py: 1,000,000 inserts, 200,000 updates,
            100,000 deletes of a 10-column table, 10,000 rows per transaction; --large-rows N:
            N inserts of rows with a 10 KB TEXT, 100 per transaction) is written once; then for
            each of --repeat rounds, each --binary and each --format in turn (interleaved: this
            machine's speed drifts by up to 2x), a fresh test broker and 6-partition topic, and
            the daemon from a seed-format state file at the first binlog's start, stopped once its
            checkpoint (saved only after the broker acknowledged every change before it)
            reaches the server's end position. Per run: wall time, rows/s, the daemon's CPU
            (user+sys from /proc/PID/stat) per change -- the headline figure, as wall rates vary
            with the machine --, peak RSS (VmHWM) and the broker's CPU; the topic must hold one
            message per change (sum of the partitions' end offsets, read with kcat). At the end,
            per binary and format: medians and [min-max].
latency     Per binary and format, a fresh daemon tails a table bench.lat into its own
            6-partition topic while a paced
            writer inserts 100 rows every 10 ms (10,000 rows/s) for --seconds through one
            `mariadb` client session (autocommit: each INSERT is its own transaction). Each row
            carries ts_us = UNIX_TIMESTAMP(SYSDATE(6)), the server's wall clock while it executes
            the statement, i.e. just before its commit (same machine, same clock as this
            script). Three latencies per row, p50/p99/max:
              produce   message timestamp (kcat %T) - ts_us: the commit time the daemon sets as
                        CreateTime, so about 0 (MariaDB's commit time has whole seconds: negative
                        values down to -1 s); kept to show the timestamp is the commit's
              ack       the moment the daemon's state file first shows a checkpoint past the
                        row (file, pos, skip_rows against the position header; polled every
                        2 ms) - ts_us: the daemon saves a checkpoint only after the broker
                        acknowledged every change before it, so this is commit -> checkpoint
                        covering the change, the p99 issue 15 asks for
              consumer  the moment a kcat consumer (fetch.wait.max.ms=5) printed the message -
                        ts_us: commit -> readable by a consumer
            The first and last 2 s are left out (start-up, drain).
ceiling     With --ceiling BUILD, bench/kafka_bench.py --headers 0,1,6 (a bare librdkafka
            producer with 0, 1 and 6 headers per message, and KafkaSink alone): the broker's own
            ceiling on this machine, beside the daemon's figures.

--format F1,F2 sets OUTPUT_FORMAT per run (a binary that does not know the setting refuses to
start with anything but its default: use seed alone for such binaries). Numbers depend on the
machine's load; the test broker is a single in-process mock, not a Kafka cluster.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration"))
sys.path.insert(0, HERE)
from kafka_broker import KafkaBroker, _parse_headers  # noqa: E402
from mariadb_server import MariaDB  # noqa: E402
from make_workload import (load_workload, process_usage, wait_until_idle,  # noqa: E402
                           write_seed_state)


def daemon_env(db, state_dir, bootstrap, topic, table, flush_ms=None):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8",
           "MYSQL_HOST": db.host, "MYSQL_PORT": str(db.port), "MYSQL_USER": db.user,
           "MYSQL_PASSWORD": db.password, "MYSQL_DATABASE": "bench", "MYSQL_TABLE": table,
           "Quix__State__Dir": state_dir, "OUTPUT_SINK": "kafka", "KAFKA_BROKERS": bootstrap,
           "output": topic, "LOG_LEVEL": "warn"}
    if flush_ms:
        env["FLUSH_INTERVAL_MS"] = str(flush_ms)
    env.update(EXTRA_ENV)
    return env


EXTRA_ENV: dict[str, str] = {}


def read_state(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def topic_size(bootstrap: str, topic: str) -> int:
    """Messages in the topic: the last message of every partition (offset + 1), via kcat."""
    out = subprocess.run(["kcat", "-b", bootstrap, "-C", "-t", topic, "-o", "-1", "-e", "-q",
                          "-f", "%p %o\n"], capture_output=True, text=True, timeout=120)
    last = {}
    for line in out.stdout.split("\n"):
        if line.strip():
            p, o = line.split()
            last[int(p)] = max(last.get(int(p), -1), int(o))
    return sum(o + 1 for o in last.values())


LARGE_TABLE = ("CREATE TABLE bench.orders (id BIGINT PRIMARY KEY, qty INT NOT NULL, "
               "name VARCHAR(64) NOT NULL, note TEXT NOT NULL, flag TINYINT NOT NULL)")


def load_large_rows(db, rows: int) -> int:
    """rows inserts of about 10 KB each (a 10,000-byte TEXT), 100 per transaction."""
    db.execute("CREATE DATABASE bench; " + LARGE_TABLE + ";")
    batch = 100
    rows -= rows % batch
    db.execute("\n".join(
        f"INSERT INTO bench.orders SELECT seq, seq % 1000, CONCAT('customer-', seq), "
        f"REPEAT(CONCAT('note ', seq % 10), 1500), seq % 2 FROM seq_{first}_to_{first + batch - 1};"
        for first in range(1, rows + 1, batch)), database="bench", timeout=1800)
    return rows


def run_throughput(args, db, work: str, binary: str, fmt: str, first_file: str,
                   end: tuple[str, int], expected: int, n: int) -> dict | None:
    with KafkaBroker(args.broker) as kafka:
        kafka.create_topic("bench", 6)
        state_dir = os.path.join(work, f"state-tp-{n}")
        state_path = write_seed_state(state_dir, first_file)
        wait_until_idle(db.proc.pid)
        broker_cpu0, _ = process_usage(kafka.proc.pid)
        env = daemon_env(db, state_dir, kafka.bootstrap, "bench", "orders")
        if fmt != "seed":
            env["OUTPUT_FORMAT"] = fmt
        t0 = time.monotonic()
        proc = subprocess.Popen([binary], cwd=work, env=env)
        perf = None
        if args.perf:
            perf = subprocess.Popen(["perf", "record", "-q", "-e", "cpu-clock", "--call-graph",
                                     args.perf_call_graph, "-p", str(proc.pid), "-o",
                                     f"{args.perf}.{n}"])
        try:
            while True:
                time.sleep(0.02)
                if proc.poll() is not None:
                    print(f"daemon exited early with {proc.returncode}", file=sys.stderr)
                    return None
                st = read_state(state_path)
                if st and st["log_file"] == end[0] and st["log_pos"] >= end[1]:
                    break
            wall = time.monotonic() - t0
            cpu, peak_rss_kb = process_usage(proc.pid)
            broker_cpu = process_usage(kafka.proc.pid)[0] - broker_cpu0
        finally:
            if perf is not None:
                perf.send_signal(signal.SIGINT)
                perf.wait(timeout=60)
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=60)
        in_topic = topic_size(kafka.bootstrap, "bench")
    r = {"wall": wall, "rows_s": expected / wall, "cpu": cpu, "ns": cpu / expected * 1e9,
         "rss_mb": peak_rss_kb / 1024, "broker_cpu": broker_cpu, "ok": in_topic == expected}
    print(f"  {binary} {fmt}: "
          f"{in_topic} messages (expected {expected}), wall {wall:.2f} s, "
          f"{r['rows_s']:,.0f} rows/s, daemon cpu {cpu:.2f} s = {r['ns']:.0f} ns/change "
          f"({cpu / wall * 100:.0f}% of a core), peak RSS {r['rss_mb']:.1f} MB, broker cpu "
          f"{broker_cpu:.2f} s", flush=True)
    return r


def summarize(results: dict) -> None:
    print("summary: median [min-max] per binary and format")
    for (binary, fmt), runs in results.items():
        if not runs:
            continue
        line = [f"  {binary} {fmt} ({len(runs)} runs):"]
        for key, unit, spec in (("ns", "ns CPU/change", ",.0f"), ("rows_s", "rows/s", ",.0f"),
                                ("rss_mb", "MB peak RSS", ".1f"), ("wall", "s wall", ".2f")):
            v = sorted(r[key] for r in runs)
            line.append(f"{statistics.median(v):{spec}} {unit} [{v[0]:{spec}}-{v[-1]:{spec}}]")
        print("  ".join(line), flush=True)


def bench_throughput(args, work) -> int:
    results: dict[tuple[str, str], list[dict]] = {}
    rc = 0
    with MariaDB(name="e2e-kafka") as db:
        first_file = db.binlog_files()[0]
        t_load = time.monotonic()
        if args.large_rows:
            expected = load_large_rows(db, args.large_rows)
            print(f"workload written in {time.monotonic() - t_load:.0f} s: {expected} inserts "
                  f"of 10 KB rows", flush=True)
        else:
            inserts, updates, deletes = load_workload(db, args.rows)
            expected = inserts + updates + deletes
            print(f"workload written in {time.monotonic() - t_load:.0f} s: {inserts} inserts, "
                  f"{updates} updates, {deletes} deletes", flush=True)
        end_file, end_pos = db.sql("SHOW MASTER STATUS")[0][:2]
        quiet = wait_until_idle(db.proc.pid)
        print(f"server idle after the workload: waited {quiet:.1f} s", flush=True)
        n = 0
        for rnd in range(args.repeat):
            print(f"round {rnd + 1} of {args.repeat}", flush=True)
            for binary in args.binary:
                for fmt in args.formats:
                    n += 1
                    r = run_throughput(args, db, work, binary, fmt, first_file,
                                       (end_file, int(end_pos)), expected, n)
                    if r is None or not r["ok"]:
                        rc = 1
                    if r is not None:
                        results.setdefault((binary, fmt), []).append(r)
    summarize(results)
    return rc


def pct(values, q):
    v = sorted(values)
    return v[min(len(v) - 1, int(q * len(v)))] if v else float("nan")


def commit_us(v: dict) -> int:
    """The row's ts_us column in a seed event or a Debezium envelope (with or without schema)."""
    if "columnvalues" in v:
        return v["columnvalues"][1]
    payload = v.get("payload", v)
    return payload["after"]["ts_us"]


def bench_latency(args, work, binary: str, fmt: str) -> int:
    print(f"latency: {binary} {fmt}", flush=True)
    with MariaDB(name="e2e-kafka-lat") as db, KafkaBroker(args.broker) as kafka:
        db.execute("CREATE DATABASE bench; CREATE TABLE bench.lat (id BIGINT PRIMARY KEY, "
                   "ts_us BIGINT NOT NULL, pad VARCHAR(100) NOT NULL);")
        kafka.create_topic("lat", 6)
        state_dir = os.path.join(work, f"state-lat-{time.monotonic_ns()}")
        state_path = os.path.join(state_dir, "binlog_position_bench_lat.json")
        env = daemon_env(db, state_dir, kafka.bootstrap, "lat", "lat", args.flush_ms)
        if fmt != "seed":
            env["OUTPUT_FORMAT"] = fmt
        proc = subprocess.Popen([binary], cwd=work, env=env)
        try:
            deadline = time.monotonic() + 60
            while read_state(state_path) is None:
                if proc.poll() is not None or time.monotonic() > deadline:
                    print("the latency daemon did not start", file=sys.stderr)
                    return 1
                time.sleep(0.05)
            # The checkpoint timeline: (wall time, (file, pos, skip_rows)) on every change.
            checkpoints: list[tuple[float, tuple[str, int, int]]] = []
            stop = threading.Event()

            def poll_state():
                last = None
                while not stop.is_set():
                    st = read_state(state_path)
                    if st:
                        at = (st["log_file"], st["log_pos"], st.get("skip_rows", 0))
                        if at != last:
                            checkpoints.append((time.time(), at))
                            last = at
                    time.sleep(0.002)
            poller = threading.Thread(target=poll_state, daemon=True)
            poller.start()
            consumer = subprocess.Popen(
                ["kcat", "-b", kafka.bootstrap, "-C", "-t", "lat", "-o", "end", "-u", "-q",
                 "-X", "fetch.wait.max.ms=5", "-X", "fetch.error.backoff.ms=5",
                 "-f", "%T\t%h\t%s\n"], stdout=subprocess.PIPE, text=True, bufsize=1)
            received: list[tuple[float, str]] = []

            def read_consumer():
                for line in consumer.stdout:
                    received.append((time.time(), line))
            reader = threading.Thread(target=read_consumer, daemon=True)
            reader.start()
            time.sleep(2)  # the consumer is assigned and at the end
            writer = subprocess.Popen(db.client_args("bench"), stdin=subprocess.PIPE,
                                      stdout=subprocess.DEVNULL, text=True)
            per_tick, tick = args.rate // 100, 0.01
            t0 = time.monotonic()
            sent = behind = 0
            k = 0
            while time.monotonic() - t0 < args.seconds:
                due = t0 + k * tick
                now = time.monotonic()
                if due > now:
                    time.sleep(due - now)
                elif now - due > 0.05:
                    behind += 1
                writer.stdin.write(
                    f"INSERT INTO lat (id, ts_us, pad) SELECT seq + {sent}, "
                    f"CAST(UNIX_TIMESTAMP(SYSDATE(6)) * 1000000 AS SIGNED), "
                    f"REPEAT('p', 60) FROM seq_1_to_{per_tick};\n")
                writer.stdin.flush()
                sent += per_tick
                k += 1
            writer.stdin.close()
            writer.wait(timeout=120)
            wrote_for = time.monotonic() - t0
            deadline = time.monotonic() + 60
            while len(received) < sent and time.monotonic() < deadline:
                time.sleep(0.1)
            time.sleep(1)
            stop.set()
            consumer.terminate()
            consumer.wait(timeout=10)
            poller.join()
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=60)
    rows = []
    for recv_t, line in list(received):
        ts_ms, headers, value = line.rstrip("\n").split("\t", 2)
        v = json.loads(value)
        h = _parse_headers(headers)  # either header form
        rows.append((commit_us(v) / 1e6, int(ts_ms) / 1e3, recv_t,
                     (h["mysql-cdc.file"], int(h["mysql-cdc.pos"]), int(h["mysql-cdc.row"]))))
    first = min(r[0] for r in rows)
    last = max(r[0] for r in rows)
    window = [r for r in rows if first + 2 <= r[0] <= last - 2]
    # ack: the first checkpoint past the row: a checkpoint (file, pos, skip_rows) covers every
    # transaction starting before pos and the first skip_rows changes of the one at pos.
    ack, ci = [], 0
    covers = lambda cp, r: cp[:2] > r[:2] or (cp[:2] == r[:2] and cp[2] > r[2])
    for commit, _, _, pos in sorted(window, key=lambda r: r[3]):
        while ci < len(checkpoints) and not covers(checkpoints[ci][1], pos):
            ci += 1
        if ci < len(checkpoints):
            ack.append(checkpoints[ci][0] - commit)
    produce = [r[1] - r[0] for r in window]
    consumed = [r[2] - r[0] for r in window]
    gaps = [b[0] - a[0] for a, b in zip(checkpoints, checkpoints[1:])
            if first + 2 <= a[0] <= last - 2]
    print(f"checkpoints: {len(checkpoints)} saved, interval p50 {pct(gaps, .5) * 1e3:.0f} ms, "
          f"p99 {pct(gaps, .99) * 1e3:.0f} ms, max {max(gaps, default=0) * 1e3:.0f} ms")
    print(f"latency: {sent} rows written in {wrote_for:.1f} s ({sent / wrote_for:,.0f} rows/s, "
          f"{behind} ticks > 50 ms late), {len(rows)} received, {len(window)} in the window, "
          f"flush interval {args.flush_ms or 500} ms")
    for name, vals in (("commit -> produce (lower bound of ack)", produce),
                       ("commit -> checkpoint saved after ack", ack),
                       ("commit -> consumer receipt", consumed)):
        print(f"  {name:40s} p50 {pct(vals, .5) * 1e3:7.1f} ms   p99 {pct(vals, .99) * 1e3:7.1f}"
              f" ms   max {max(vals) * 1e3:7.1f} ms   (n={len(vals)})")
    return 0 if len(rows) == sent else 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", "--mysql-cdc", action="append", required=True,
                    help="a mysql-cdc binary; repeat for an interleaved A/B")
    ap.add_argument("--broker", required=True, help="the kafka_test_broker binary")
    ap.add_argument("--format", default="seed", help="OUTPUT_FORMAT values, e.g. seed,debezium")
    ap.add_argument("--repeat", type=int, default=1, help="throughput rounds")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--large-rows", type=int, default=0, metavar="N",
                    help="throughput workload of N inserts of 10 KB rows instead")
    ap.add_argument("--rate", type=int, default=10_000, help="latency: rows/s (x100)")
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--flush-ms", type=int, help="latency: FLUSH_INTERVAL_MS (default: the "
                    "daemon's, 500)")
    ap.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                    help="extra daemon setting (e.g. FLUSH_MAX_CHANGES=100000), repeatable")
    ap.add_argument("--skip-throughput", action="store_true")
    ap.add_argument("--skip-latency", action="store_true")
    ap.add_argument("--ceiling", metavar="BUILD", help="also run bench/kafka_bench.py --build")
    ap.add_argument("--perf", metavar="PREFIX", help="throughput: `perf record -g` each daemon "
                    "run into PREFIX.N (the profile's CPU shows in the figures)")
    ap.add_argument("--perf-call-graph", default="fp", help="perf's --call-graph: fp, or "
                    "dwarf,16384 to see through libc's and librdkafka's frames")
    args = ap.parse_args()
    args.binary = [os.path.abspath(b) for b in args.binary]
    args.formats = args.format.split(",")
    EXTRA_ENV.update(kv.split("=", 1) for kv in args.env)
    work = tempfile.mkdtemp(prefix="mysql-cdc-kbench-")
    rc = 0
    try:
        if not args.skip_throughput:
            rc |= bench_throughput(args, work)
        if not args.skip_latency:
            for binary in args.binary:
                for fmt in args.formats:
                    rc |= bench_latency(args, work, binary, fmt)
        if args.ceiling:
            rc |= subprocess.run([sys.executable, os.path.join(HERE, "kafka_bench.py"),
                                  "--build", args.ceiling, "--runs", "3",
                                  "--headers", "0,1,6"]).returncode
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return rc


if __name__ == "__main__":
    sys.exit(main())

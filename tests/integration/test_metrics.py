#!/usr/bin/env python3
"""Issue 13, acceptance 1: the HTTP endpoint on METRICS_PORT (/metrics, /healthz, /readyz)
against a real MariaDB, the daemon writing to the test Kafka broker, Debian's promtool and a
real Prometheus server.

  port      METRICS_PORT taken by another socket: the daemon exits non-zero with one error line
            naming METRICS_PORT
  promtool  /metrics while streaming (Kafka sink: its families present) passes
            `promtool check metrics`
  counters  random numbers (from the seed) of inserts, updates and deletes on three watched
            tables, and changes on an unwatched one: mysql_cdc_changes_total grows by exactly
            those numbers per table and kind, and nothing else moves
  prometheus a Prometheus server scraping every second returns, through /api/v1/query, the
            insert counter of each table equal to what the test inserted
  lag       the daemon SIGSTOPped while the server takes ~5 s of INSERT..SELECT from seq_1_to_N
            into a watched table, then SIGCONT: polled every 50 ms, the lag reaches >= 3 s and
            afterwards falls below 2 s (a lag stuck at 0 cannot pass; the load lasts 5 s of
            wall time whatever the machine's speed)
  file      an initial snapshot to the file sink: its row and chunk counters; /metrics passes
            promtool (and has no Kafka families)
  kafka     the broker down with changes pending: /readyz 503 naming Kafka (or the checkpoint
            that does not advance), 200 after it is back; /healthz 200 throughout
  readyz    MariaDB stopped: /readyz answers 503 naming the MySQL server within
            READY_UNREACHABLE_SECONDS (3) + slack, 200 again after it is back; /healthz 200
            throughout

    tests/integration/test_metrics.py --mysql-cdc BUILD/src/mysql-cdc \
        --broker BUILD/tests/support/kafka_test_broker [--seed N] [--keep]
"""

from __future__ import annotations

import json
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from daemon_harness import (Daemon, daemon_env, logged_errors, run_once,  # noqa: E402
                            start_mariadb, stopped_cleanly)
from kafka_broker import KafkaBroker  # noqa: E402
from mariadb_server import free_port  # noqa: E402
from script_frame import finish, pick_seed, require_files, script_arguments  # noqa: E402

TABLES = ["t1", "t2", "t3"]
KINDS = ["snapshot_insert", "insert", "update", "delete", "truncate"]
SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def get(url: str, timeout: float = 3) -> tuple[int, str]:
    """(status, body) of a GET; (0, reason) when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
    except (urllib.error.URLError, OSError) as e:
        return 0, str(e)


def parse(text: str) -> dict[tuple[str, frozenset], float]:
    """Samples of an exposition text: (name, labels) -> value."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        if m is None:
            raise AssertionError(f"unparsable sample line: {line!r}")
        labels = frozenset(LABEL.findall(m.group(3) or ""))
        out[(m.group(1), labels)] = float(m.group(4))
    return out


def changes(samples, table: str, kind: str) -> float:
    key = ("mysql_cdc_changes_total",
           frozenset({("schema", "d"), ("table", table), ("kind", kind)}))
    return samples.get(key, 0.0)


def value(samples, name: str) -> float | None:
    return samples.get((name, frozenset()))


class Endpoint:
    def __init__(self, port: int):
        self.base = f"http://127.0.0.1:{port}"

    def metrics(self) -> tuple[str, dict]:
        status, body = get(self.base + "/metrics")
        if status != 200:
            raise AssertionError(f"/metrics answered {status}: {body[:300]}")
        return body, parse(body)

    def wait(self, path: str, status: int, timeout: float, problems: list[str],
             also=None) -> str | None:
        """Polls `path` until it answers `status`; its body, or None (a problem) at timeout.
        `also` runs at every poll (the /healthz check)."""
        deadline = time.monotonic() + timeout
        last = (0, "")
        while time.monotonic() < deadline:
            last = get(self.base + path)
            if also is not None:
                also()
            if last[0] == status:
                return last[1]
            time.sleep(0.2)
        problems.append(f"{path} did not answer {status} within {timeout:.0f} s; last answer "
                        f"{last[0]} {last[1].strip()[:200]!r}")
        return None


def case_port(args, db, work: Path, problems: list[str]) -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    port = taken.getsockname()[1]
    env = daemon_env(db, work / "port", database="d", tables="t1", METRICS_PORT=str(port),
                     METRICS_ADDRESS="127.0.0.1")
    rc, out, err, _ = run_once(args.mysql_cdc, env, work / "port", timeout=30)
    taken.close()
    errors = [line for line in err.splitlines()
              if len(line.split(None, 2)) > 1 and line.split(None, 2)[1] in ("error", "critical")]
    if rc in (0, None):
        problems.append(f"port: METRICS_PORT={port} in use, the daemon's exit code is {rc}, "
                        f"want non-zero; stderr:\n{err[-1500:]}")
    elif len(errors) != 1 or "METRICS_PORT" not in errors[0]:
        problems.append(f"port: want one error line naming METRICS_PORT, got {errors}; "
                        f"stderr:\n{err[-1500:]}")
    else:
        print(f"  port: exit {rc}: {errors[0].strip()}", flush=True)


def promtool_check(text: str, problems: list[str], what: str) -> None:
    res = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True,
                         text=True, timeout=60)
    if res.returncode != 0:
        problems.append(f"promtool ({what}): exit {res.returncode}: "
                        f"{(res.stdout + res.stderr).strip()[:1500]}")
    else:
        print(f"  promtool check metrics ({what}): passed", flush=True)


def start_prometheus(work: Path, target_port: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    cfg = work / "prometheus.yml"
    cfg.write_text(f"""global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: mysql-cdc
    static_configs:
      - targets: ['127.0.0.1:{target_port}']
""")
    log = open(work / "prometheus.log", "wb")
    proc = subprocess.Popen(["prometheus", f"--config.file={cfg}",
                             f"--storage.tsdb.path={work / 'tsdb'}",
                             f"--web.listen-address=127.0.0.1:{port}"],
                            stdout=log, stderr=log, stdin=subprocess.DEVNULL)
    return proc, port


def prometheus_value(port: int, query: str) -> float | None:
    status, body = get(f"http://127.0.0.1:{port}/api/v1/query?" +
                       urllib.parse.urlencode({"query": query}))
    if status != 200:
        return None
    result = json.loads(body).get("data", {}).get("result", [])
    return float(result[0]["value"][1]) if len(result) == 1 else None


def make_changes(db, rng: random.Random) -> dict[tuple[str, str], int]:
    """Random numbers of inserts, updates and deletes per watched table, plus noise on the
    unwatched table; the exact changes each statement makes (one row each)."""
    want = {}
    script = []
    for t in TABLES:
        ins = rng.randint(20, 400)
        upd = rng.randint(1, ins)
        dele = rng.randint(1, ins - upd + 1)
        script.append(f"INSERT INTO d.{t} (v) SELECT seq FROM seq_1_to_{ins};")
        script.append(f"UPDATE d.{t} SET v = v + 1 ORDER BY id LIMIT {upd};")
        script.append(f"DELETE FROM d.{t} ORDER BY id DESC LIMIT {dele};")
        want[(t, "insert")], want[(t, "update")], want[(t, "delete")] = ins, upd, dele
    script.append("INSERT INTO d.unwatched (v) SELECT seq FROM seq_1_to_77;")
    db.execute("\n".join(script), database="d")
    return want


def case_counters(ep: Endpoint, db, rng, problems: list[str]) -> dict:
    _, before = ep.metrics()
    want = make_changes(db, rng)
    deadline = time.monotonic() + 60
    got = {}
    while time.monotonic() < deadline:
        _, now = ep.metrics()
        got = {(t, k): changes(now, t, k) - changes(before, t, k) for t in TABLES for k in KINDS}
        if all(got[key] >= n for key, n in want.items()):
            break
        time.sleep(0.2)
    time.sleep(1)  # anything more (wrong) would show by now
    _, now = ep.metrics()
    bad = []
    for t in TABLES:
        for k in KINDS:
            delta = changes(now, t, k) - changes(before, t, k)
            if delta != want.get((t, k), 0):
                bad.append(f"d.{t} {k}: +{delta:g}, want +{want.get((t, k), 0)}")
    if any(s[0] == "mysql_cdc_changes_total" and ("table", "unwatched") in s[1] for s in now):
        bad.append("the unwatched table d.unwatched has a changes counter")
    if bad:
        problems.append("counters: " + "; ".join(bad))
    else:
        print(f"  counters: every table and kind grew by exactly the changes made: "
              f"{sorted(want.items())}", flush=True)
    return want


def case_prometheus(work: Path, metrics_port: int, inserted: dict[str, int],
                    problems: list[str]) -> None:
    proc, port = start_prometheus(work, metrics_port)
    try:
        deadline = time.monotonic() + 90
        got = {}
        while time.monotonic() < deadline:
            got = {t: prometheus_value(port, f'mysql_cdc_changes_total{{schema="d",table="{t}",'
                                             f'kind="insert"}}') for t in inserted}
            if got == {t: float(n) for t, n in inserted.items()}:
                print(f"  prometheus: /api/v1/query returns the insert counters {got}",
                      flush=True)
                return
            time.sleep(0.5)
        log = (work / "prometheus.log").read_text(errors="replace")[-1500:]
        problems.append(f"prometheus: the API returned {got}, want {inserted}; log:\n{log}")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def case_lag(ep: Endpoint, d: Daemon, db, problems: list[str]) -> None:
    _, s = ep.metrics()
    if value(s, "mysql_cdc_replication_lag_seconds") != 0:
        problems.append(f"lag: {value(s, 'mysql_cdc_replication_lag_seconds')} s while idle "
                        f"and caught up, want 0")
    d.proc.send_signal(signal.SIGSTOP)
    rows, t0 = 0, time.monotonic()
    try:
        while time.monotonic() - t0 < 5:
            db.execute("INSERT INTO d.load (v) SELECT seq FROM seq_1_to_20000;", database="d")
            rows += 20000
    finally:
        d.proc.send_signal(signal.SIGCONT)
    resumed = time.monotonic()
    seen: list[tuple[float, float]] = []
    peak_at = None
    deadline = resumed + 180
    while time.monotonic() < deadline:
        _, s = ep.metrics()
        lag = value(s, "mysql_cdc_replication_lag_seconds")
        seen.append((round(time.monotonic() - resumed, 2), lag))
        if lag is not None and lag >= 3 and peak_at is None:
            peak_at = len(seen)
        if peak_at is not None and lag is not None and lag < 2:
            break
        time.sleep(0.05)
    peak = max((lag for _, lag in seen if lag is not None), default=None)
    if peak_at is None or seen[-1][1] is None or seen[-1][1] >= 2:
        problems.append(f"lag: after {rows} rows written during a 5 s SIGSTOP, the lag must reach "
                        f">= 3 s and then fall below 2 s; max {peak}; samples (s after SIGCONT, "
                        f"lag): {seen[:10]} ... {seen[-10:]}")
    else:
        print(f"  lag: {rows} rows during a {resumed - t0:.1f} s SIGSTOP; peak {peak:g} s, "
              f"below 2 s again {seen[-1][0]:.2f} s after SIGCONT ({len(seen)} scrapes)",
              flush=True)


def case_kafka_outage(ep: Endpoint, db, broker, problems: list[str]) -> None:
    """The broker down with changes pending: /readyz 503 naming Kafka (or the stuck
    checkpoint), 200 once the broker is back; /healthz 200 throughout."""
    health_failures = []

    def healthz() -> None:
        status, body = get(ep.base + "/healthz")
        if status != 200:
            health_failures.append(f"{status} {body.strip()[:100]}")

    broker.down()
    down = time.monotonic()
    try:
        db.execute("INSERT INTO d.t1 (v) SELECT seq FROM seq_1_to_100;", database="d")
        body = ep.wait("/readyz", 503, 3 + 30, problems, healthz)
        if body is not None:
            if "Kafka" not in body and "checkpoint not advanced" not in body:
                problems.append(f"kafka outage: the 503 body names neither Kafka nor the "
                                f"checkpoint: {body!r}")
            else:
                print(f"  kafka outage: 503 {time.monotonic() - down:.1f} s after the broker "
                      f"went down: {body.strip()}", flush=True)
    finally:
        broker.up()
    if ep.wait("/readyz", 200, 90, problems, healthz) is not None:
        print("  kafka outage: 200 again after the broker came back", flush=True)
    if health_failures:
        problems.append(f"healthz: not 200 during the Kafka outage: {health_failures[:5]}")


def case_readyz(ep: Endpoint, db, problems: list[str]) -> None:
    health_failures = []

    def healthz() -> None:
        status, body = get(ep.base + "/healthz")
        if status != 200:
            health_failures.append(f"{status} {body.strip()[:100]}")

    ep.wait("/readyz", 200, 30, problems, healthz)
    time.sleep(4)  # idle longer than READY_UNREACHABLE_SECONDS: nothing pending, still ready
    status, body = get(ep.base + "/readyz")
    if status != 200:
        problems.append(f"readyz: {status} {body.strip()!r} after 4 s idle, want 200")
    # The harness's own stop and start of mariadbd on the same port and datadir (as restart()).
    db.proc.terminate()
    db.proc.wait(timeout=60)
    stopped = time.monotonic()
    body = ep.wait("/readyz", 503, 3 + 20, problems, healthz)
    if body is not None:
        took = time.monotonic() - stopped
        if "MySQL" not in body:
            problems.append(f"readyz: the 503 body does not name the MySQL server: {body!r}")
        else:
            print(f"  readyz: 503 {took:.1f} s after MariaDB stopped: {body.strip()}",
                  flush=True)
    db._launch(db.port)
    db._wait_ready()
    if ep.wait("/readyz", 200, 90, problems, healthz) is not None:
        print("  readyz: 200 again after MariaDB came back", flush=True)
    if health_failures:
        problems.append(f"healthz: not 200 during the outage: {health_failures[:5]}")


def case_file_sink(args, db, work: Path, problems: list[str]) -> None:
    """An initial snapshot of d.t1 to the file sink, then a few inserts: the snapshot's
    counters equal the table's rows, and /metrics passes promtool (no Kafka families)."""
    rows = int(db.sql("SELECT COUNT(*) FROM d.t1")[0][0])
    port = free_port()
    env = daemon_env(db, work / "file", database="d", tables="t1", METRICS_PORT=str(port),
                     METRICS_ADDRESS="127.0.0.1", INITIAL_SNAPSHOT="true",
                     SNAPSHOT_BATCH_SIZE="50")
    d = Daemon(args.mysql_cdc, env, work / "file")
    d.start()
    ep = Endpoint(port)
    try:
        if ep.wait("/readyz", 200, 60, problems) is None:
            return
        db.execute("INSERT INTO d.t1 (v) SELECT seq FROM seq_1_to_5;", database="d")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and changes(ep.metrics()[1], "t1", "insert") < 5:
            time.sleep(0.1)
        text, samples = ep.metrics()
        table = frozenset({("schema", "d"), ("table", "t1")})
        snap = (changes(samples, "t1", "snapshot_insert"),
                samples.get(("mysql_cdc_snapshot_rows", table)),
                samples.get(("mysql_cdc_snapshot_chunks_total", table)))
        if snap[0] != rows or snap[1] != rows or not snap[2] or snap[2] < rows // 50:
            problems.append(f"snapshot: changes_total{{kind=snapshot_insert}}, snapshot_rows, "
                            f"snapshot_chunks_total = {snap}, want {rows}, {rows}, >= "
                            f"{rows // 50}")
        else:
            print(f"  snapshot: {rows} rows in {snap[2]:g} chunks counted", flush=True)
        if changes(samples, "t1", "insert") != 5:
            problems.append(f"file sink: {changes(samples, 't1', 'insert'):g} inserts counted, "
                            f"want 5")
        if "mysql_cdc_kafka_" in text:
            problems.append("file sink: /metrics shows Kafka families")
        promtool_check(text, problems, "file sink")
    finally:
        stopped_cleanly(d, problems, "file sink: SIGTERM")


def run(args, seed: int, work: Path, problems: list[str]) -> None:
    rng = random.Random(seed)
    with start_mariadb("metrics") as db, KafkaBroker(args.broker) as broker:
        db.execute("CREATE DATABASE d;" + "".join(
            f"CREATE TABLE d.{t} (id INT AUTO_INCREMENT PRIMARY KEY, v INT);"
            for t in TABLES + ["unwatched", "load"]))
        case_port(args, db, work, problems)
        port = free_port()
        env = daemon_env(db, work / "daemon", database="d", tables="t1,t2,t3,load",
                         OUTPUT_SINK="kafka", KAFKA_BROKERS=broker.bootstrap, output="cdc",
                         METRICS_PORT=str(port), METRICS_ADDRESS="127.0.0.1",
                         READY_UNREACHABLE_SECONDS="3", FLUSH_INTERVAL_MS="200")
        env.pop("OUTPUT_FILE")
        d = Daemon(args.mysql_cdc, env, work / "daemon")
        d.start()
        ep = Endpoint(port)
        try:
            if ep.wait("/readyz", 200, 60, problems) is None:
                problems.append(f"daemon log:\n{d.log_tail()}")
                return
            want = case_counters(ep, db, rng, problems)
            text, samples = ep.metrics()
            promtool_check(text, problems, "streaming into Kafka")
            missing = [n for n in ("mysql_cdc_kafka_queue_messages",
                                   "mysql_cdc_kafka_delivery_errors_total",
                                   "mysql_cdc_replication_lag_seconds",
                                   "mysql_cdc_checkpoint_age_seconds",
                                   "process_resident_memory_bytes")
                       if f"# TYPE {n} " not in text]
            if missing:
                problems.append(f"/metrics lacks the families {missing}")
            case_prometheus(work, port, {t: want[(t, "insert")] for t in TABLES}, problems)
            case_lag(ep, d, db, problems)
            case_kafka_outage(ep, db, broker, problems)
            case_readyz(ep, db, problems)
        finally:
            problems += logged_errors(d) if problems else []
            stopped_cleanly(d, problems)
        case_file_sink(args, db, work, problems)


def main() -> int:
    p = script_arguments(__doc__, "seed of the numbers of changes")
    p.add_argument("--broker", required=True)
    args = p.parse_args()
    if not require_files(mysql_cdc=args.mysql_cdc, broker=args.broker):
        return 2
    seed = pick_seed(args.seed)
    work, t0 = Path(tempfile.mkdtemp(prefix="metrics-")), time.monotonic()
    problems: list[str] = []
    run(args, seed, work, problems)
    return finish(problems, work, args.keep, t0, f" with seed {seed}")


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Issue 13, acceptance 3: Kafka message timestamps are the changes' commit times, and
LOG_FORMAT=json lines carry structured fields.

A real MariaDB 10.11, the test broker (librdkafka's mock cluster), the daemon with
OUTPUT_SINK=kafka, INITIAL_SNAPSHOT=true and LOG_FORMAT=json, and kcat as the independent
consumer (`%T`: the message timestamp, `%h`: the headers).

  snapshot   rows inserted before the daemon starts are read by the initial snapshot: each
             message's timestamp lies within the snapshot's run (from the daemon's start to its
             "snapshot complete" line); no message has a mysql-cdc.commit-ms header (versions
             before the packed mysql-cdc.position header wrote the timestamp there again)
  streamed   transactions committed at random past times, several sessions each with its own
             `SET timestamp` (a MariaDB session's clock, which the binlog events take): single
             statements, multi-statement transactions whose statements run at other times than
             their COMMIT, an XA transaction prepared at one time and committed at another (in
             between, other transactions), a TRUNCATE (one message per partition). The truth
             is the server's binlog, read independently: `mariadb-binlog` of the binlog files
             (copied over the replication protocol), its `#YYMMDD HH:MM:SS server id ... GTID
             d-s-n` lines. Every streamed message's timestamp must equal the commit time of the
             transaction its GTID (in the mysql-cdc.position header) names; every change is
             there once (message count). As a check of the
             test itself, each such time must be one the test set, the one of the transaction's
             COMMIT (XA: of its XA COMMIT, not of its XA PREPARE)
  json logs  every stderr line is a JSON object with time, level and msg and no error; the
             "streaming from" line carries binlog_file/binlog_pos/skip_rows; the progress line
             written at the stop carries changes (= the streamed changes), changes_per_second
             and the final position (= the state file's); "snapshot complete" carries rows and
             each table's "snapshot of ...: done" line its table and rows

    tests/integration/test_commit_times.py --mysql-cdc BUILD/src/mysql-cdc \
        --broker BUILD/tests/support/kafka_test_broker [--seed N] [--keep]
"""

from __future__ import annotations

import calendar
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from daemon_harness import Daemon, DaemonError, daemon_env, start_mariadb  # noqa: E402
from kafka_broker import KafkaBroker, KafkaBrokerError, Message, _parse_headers  # noqa: E402
from mariadb_server import MariaDBError, find_tool  # noqa: E402
from script_frame import finish, pick_seed, require_files, script_arguments  # noqa: E402

TOPIC = "cdc"
PARTITIONS = 3
SNAPSHOT_ROWS = {"t": 120, "u": 40}
DDL = ("CREATE DATABASE d; CREATE TABLE d.t (id INT PRIMARY KEY, v VARCHAR(40)); "
       "CREATE TABLE d.u (id INT PRIMARY KEY, n INT);")
HEADER_MS = "mysql-cdc.commit-ms"


class TestFailure(AssertionError):
    pass


def consume_with_timestamps(bootstrap: str, topic: str, timeout: float = 120) -> list[Message]:
    """Every message of the topic with its timestamp (kcat %T), headers and value."""
    kcat = shutil.which("kcat") or "kcat"
    fmt = "%p\x1f%o\x1f%T\x1f%k\x1f%s\x1f%h\x1e"
    out = subprocess.run([kcat, "-b", bootstrap, "-C", "-t", topic, "-e", "-q", "-o",
                          "beginning", "-f", fmt], capture_output=True, timeout=timeout)
    if out.returncode != 0:
        raise KafkaBrokerError(f"kcat failed ({out.returncode}): {out.stderr.decode()[-2000:]}")
    messages = []
    for record in out.stdout.decode().split("\x1e"):
        if not record.strip("\n"):
            continue
        part, offset, ts, key, value, headers = record.lstrip("\n").split("\x1f")
        messages.append(Message(int(part), int(offset), key, value, _parse_headers(headers),
                                int(ts)))
    return messages


GTID_LINE = re.compile(r"^#(\d{2})(\d{2})(\d{2})\s+(\d{1,2}):(\d{2}):(\d{2})\s+server id \d+"
                       r"\s+end_log_pos \d+.*\sGTID (\d+-\d+-\d+)")


def binlog_commit_times(db, dest: Path) -> dict[str, int]:
    """GTID -> the second its GTID event is stamped with (the commit's), from `mariadb-binlog`
    of the server's binlog files (read over the replication protocol), in UTC."""
    files = db.save_binlogs(dest)
    times: dict[str, int] = {}
    env = dict(os.environ, TZ="UTC")
    for f in files:
        out = subprocess.run([find_tool("mariadb-binlog"), "--no-defaults", str(f)],
                             capture_output=True, text=True, env=env, timeout=120)
        if out.returncode != 0:
            raise TestFailure(f"mariadb-binlog {f} failed: {out.stderr[-1000:]}")
        for line in out.stdout.splitlines():
            m = GTID_LINE.match(line)
            if m:
                yy, mo, dd, hh, mi, ss = (int(x) for x in m.groups()[:6])
                times[m.group(7)] = calendar.timegm((2000 + yy, mo, dd, hh, mi, ss))
    if not times:
        raise TestFailure(f"no GTID line in the mariadb-binlog output of {files}")
    return times


class Workload:
    """Transactions at known past times; what they change, counted per table."""

    def __init__(self, db, seed: int):
        self.db = db
        self.rng = random.Random(seed)
        self.used: set[int] = set()
        self.commit_times: list[int] = []   # the COMMIT time of every transaction
        self.other_times: set[int] = set()  # times of statements that are not the commit
        self.changes = 0                    # messages expected (a truncate: one per partition)
        self.written = 0                    # changes the daemon writes (a truncate: once)
        self.next_id = 10_000
        self.xa_prepare_time = self.xa_commit_time = 0

    def when(self) -> int:
        """A random second between 2001 and 2025 not used before."""
        while True:
            t = self.rng.randint(978_307_200, 1_767_225_599)
            if t not in self.used:
                self.used.add(t)
                return t

    def ids(self, n: int) -> list[int]:
        self.next_id += n
        return list(range(self.next_id - n, self.next_id))

    def single_statements(self, n: int) -> None:
        for _ in range(n):
            t, (i,) = self.when(), self.ids(1)
            table = self.rng.choice("tu")
            value = f"'v{i}'" if table == "t" else str(i)
            col = "v" if table == "t" else "n"
            self.db.execute(f"SET timestamp={t}; INSERT INTO d.{table} (id, {col}) "
                            f"VALUES ({i}, {value});")
            self.commit_times.append(t)
            self.changes += 1
            self.written += 1

    def multi_statement(self) -> None:
        t_begin, t_mid, t_commit = self.when(), self.when(), self.when()
        a = self.ids(self.rng.randint(1, 5))
        b = self.ids(self.rng.randint(1, 3))
        rows_t = ", ".join(f"({i}, 'm{i}')" for i in a)
        rows_u = ", ".join(f"({i}, {i})" for i in b)
        self.db.execute(
            f"SET timestamp={t_begin}; BEGIN; INSERT INTO d.t VALUES {rows_t}; "
            f"SET timestamp={t_mid}; UPDATE d.t SET v = CONCAT(v, '+') WHERE id = {a[0]}; "
            f"INSERT INTO d.u VALUES {rows_u}; DELETE FROM d.u WHERE id = {b[-1]}; "
            f"SET timestamp={t_commit}; COMMIT;")
        self.commit_times.append(t_commit)
        self.other_times.update((t_begin, t_mid))
        n = len(a) + 1 + len(b) + 1
        self.changes += n
        self.written += n

    def xa_prepare(self) -> None:
        self.xa_prepare_time = self.when()
        rows = self.ids(3)
        values = ", ".join(f"({i}, 'xa{i}')" for i in rows)
        # The session ends after XA PREPARE: the prepared transaction waits for its XA COMMIT.
        self.db.execute(f"SET timestamp={self.xa_prepare_time}; XA START 'ct1'; "
                        f"INSERT INTO d.t VALUES {values}; XA END 'ct1'; XA PREPARE 'ct1';")
        self.other_times.add(self.xa_prepare_time)
        self.changes += 3
        self.written += 3

    def xa_commit(self) -> None:
        self.xa_commit_time = self.when()
        self.db.execute(f"SET timestamp={self.xa_commit_time}; XA COMMIT 'ct1';")
        self.commit_times.append(self.xa_commit_time)

    def truncate(self) -> None:
        t = self.when()
        self.db.execute(f"SET timestamp={t}; TRUNCATE TABLE d.u;")
        self.commit_times.append(t)
        self.changes += PARTITIONS
        self.written += 1


def check_streamed(msgs: list[Message], binlog: dict[str, int], w: Workload,
                   problems: list[str]) -> None:
    bad: list[str] = []
    commits, xa_msgs = set(w.commit_times), 0
    for m in msgs:
        where = f"{TOPIC}[{m.partition}]@{m.offset}"
        gtid = m.headers.get("mysql-cdc.gtid")
        if gtid is None or gtid not in binlog:
            bad.append(f"{where}: GTID header {gtid!r} is not a GTID of the binlog")
            continue
        want = binlog[gtid] * 1000
        if m.timestamp_ms != want:
            bad.append(f"{where} ({gtid}): message timestamp {m.timestamp_ms}, the binlog says "
                       f"the transaction committed at {want} "
                       f"({time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime(want / 1000))} UTC)")
        if HEADER_MS in m.headers:
            bad.append(f"{where} ({gtid}): header {HEADER_MS} duplicates the timestamp")
        if binlog[gtid] not in commits:
            which = "another statement's" if binlog[gtid] in w.other_times else "no"
            bad.append(f"{where} ({gtid}): test check: the binlog's time {binlog[gtid]} is "
                       f"{which} time the test set, not a COMMIT's")
        value = json.loads(m.value)
        if value["table"] == "t" and any(str(v).startswith("xa") for v in
                                         value.get("columnvalues", [])):
            xa_msgs += 1
            if m.timestamp_ms != w.xa_commit_time * 1000:
                bad.append(f"{where}: an XA row has timestamp {m.timestamp_ms}; its XA COMMIT "
                           f"ran at {w.xa_commit_time * 1000}, its XA PREPARE at "
                           f"{w.xa_prepare_time * 1000}")
    if len(msgs) != w.changes:
        bad.append(f"{len(msgs)} streamed messages, the workload made {w.changes} (a truncate "
                   f"counts once per partition)")
    if xa_msgs != 3:
        bad.append(f"{xa_msgs} messages of the XA transaction, want 3")
    problems += bad[:20]
    if not bad:
        distinct = len({m.timestamp_ms for m in msgs})
        print(f"  streamed: {len(msgs)} messages, {distinct} distinct commit times, each equal "
              f"to its GTID's time in the binlog, no {HEADER_MS} header; the XA rows carry "
              f"their XA "
              f"COMMIT's time", flush=True)


def check_snapshot(msgs: list[Message], t0_ms: int, t1_ms: int, problems: list[str]) -> None:
    bad = []
    for m in msgs:
        where = f"{TOPIC}[{m.partition}]@{m.offset}"
        if not t0_ms <= m.timestamp_ms <= t1_ms:
            bad.append(f"{where}: snapshot row timestamp {m.timestamp_ms} is outside the "
                       f"snapshot's run [{t0_ms}, {t1_ms}]")
        if HEADER_MS in m.headers:
            bad.append(f"{where}: snapshot row header {HEADER_MS} duplicates the timestamp")
    want = sum(SNAPSHOT_ROWS.values())
    if len(msgs) != want:
        bad.append(f"{len(msgs)} snapshot messages, want {want}")
    problems += bad[:20]
    if not bad:
        print(f"  snapshot: {len(msgs)} rows, timestamps within its run "
              f"({(t1_ms - t0_ms) / 1000:.1f} s), no {HEADER_MS} header", flush=True)


def json_lines(d: Daemon, problems: list[str]) -> list[dict]:
    lines = []
    for r in d.runs:
        for n, text in enumerate(r.stderr().splitlines(), 1):
            try:
                obj = json.loads(text)
            except ValueError:
                problems.append(f"run {r.n} stderr line {n} is not JSON: {text[:300]}")
                continue
            if not isinstance(obj, dict) or not all(k in obj for k in ("time", "level", "msg")):
                problems.append(f"run {r.n} stderr line {n} lacks time/level/msg: {text[:300]}")
                continue
            if obj["level"] in ("error", "critical"):
                problems.append(f"run {r.n} logged an error: {text[:500]}")
            lines.append(obj)
    return lines


def is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def check_json_logs(d: Daemon, streamed_changes: int, final_state: dict,
                    problems: list[str]) -> None:
    bad: list[str] = []
    lines = json_lines(d, bad)

    def find(prefix: str) -> list[dict]:
        return [o for o in lines if o["msg"].startswith(prefix)]

    streaming = find("streaming from ")
    if len(streaming) != 1:
        bad.append(f"{len(streaming)} 'streaming from' lines, want 1")
    for o in streaming:
        if not (isinstance(o.get("binlog_file"), str) and is_int(o.get("binlog_pos"))
                and is_int(o.get("skip_rows"))):
            bad.append(f"'streaming from' lacks binlog_file/binlog_pos/skip_rows: {o}")
        elif f"{o['binlog_file']}:{o['binlog_pos']}" not in o["msg"]:
            bad.append(f"'streaming from' fields differ from its text: {o}")
    progress = [o for o in lines if " changes written (" in o["msg"]]
    if not progress:
        bad.append("no progress line ('N changes written (R/s), checkpoint ...')")
    else:
        last = progress[-1]
        if not (is_int(last.get("changes")) and isinstance(last.get("changes_per_second"),
                                                           (int, float))):
            bad.append(f"the progress line lacks changes/changes_per_second: {last}")
        elif last["changes"] != streamed_changes:
            bad.append(f"the last progress line says changes={last['changes']}, the daemon "
                       f"streamed {streamed_changes}: {last}")
        if (last.get("binlog_file"), last.get("binlog_pos"), last.get("skip_rows")) != \
                (final_state.get("log_file"), final_state.get("log_pos"),
                 final_state.get("skip_rows", 0)):
            bad.append(f"the last progress line's position differs from the state file "
                       f"{final_state}: {last}")
        if "gtid" in final_state and last.get("gtid") != final_state["gtid"]:
            bad.append(f"the last progress line's gtid differs from the state file: {last}")
    complete = find("snapshot complete")
    if len(complete) != 1 or complete[0].get("rows") != sum(SNAPSHOT_ROWS.values()):
        bad.append(f"'snapshot complete' lines without rows={sum(SNAPSHOT_ROWS.values())}: "
                   f"{complete}")
    for table, rows in SNAPSHOT_ROWS.items():
        done = find(f"snapshot of d.{table}: done")
        if len(done) != 1 or done[0].get("table") != f"d.{table}" or done[0].get("rows") != rows:
            bad.append(f"'snapshot of d.{table}: done' lines without table and rows={rows}: "
                       f"{done}")
    problems += bad[:20]
    if not bad:
        print(f"  json logs: {len(lines)} lines, all JSON objects; the streaming, progress and "
              f"snapshot lines carry their fields (last progress: changes="
              f"{progress[-1]['changes']}, {progress[-1]['binlog_file']}:"
              f"{progress[-1]['binlog_pos']})", flush=True)


def run(args, work: Path, seed: int) -> list[str]:
    problems: list[str] = []
    with start_mariadb("commit-times") as db, KafkaBroker(args.broker) as kafka:
        db.execute(DDL)
        for table, n in SNAPSHOT_ROWS.items():
            rows = ", ".join(f"({i}, {i if table == 'u' else repr('s' + str(i))})"
                             for i in range(1, n + 1))
            db.execute(f"INSERT INTO d.{table} VALUES {rows};")
        kafka.create_topic(TOPIC, PARTITIONS)
        env = daemon_env(db, work, database="d", tables="t,u", OUTPUT_SINK="kafka",
                         KAFKA_BROKERS=kafka.bootstrap, output=TOPIC, INITIAL_SNAPSHOT="true",
                         LOG_FORMAT="json")
        env.pop("OUTPUT_FILE")
        d = Daemon(args.mysql_cdc, env, work)
        try:
            t0_ms = int(time.time() * 1000)
            d.start()
            d.wait_for_log(r"snapshot complete", timeout=120)
            t1_ms = int(time.time() * 1000) + 1
            d.wait_for_log(r"streaming from ", timeout=60)
            w = Workload(db, seed)
            w.single_statements(6)
            w.multi_statement()
            w.xa_prepare()
            w.single_statements(3)
            w.multi_statement()
            w.xa_commit()
            w.multi_statement()
            w.truncate()
            w.single_statements(3)
            final_state = d.wait_caught_up(db, timeout=120)
            rc, secs = d.sigterm()
            if rc != 0:
                problems.append(f"SIGTERM: exit {rc} after {secs:.1f} s\n{d.log_tail()}")
            final_state = d.state() or final_state
        finally:
            d.stop()
        print(f"  workload: {len(w.commit_times)} transactions at random times in 2001-2025, "
              f"{w.changes} messages expected", flush=True)
        msgs = consume_with_timestamps(kafka.bootstrap, TOPIC)
        snap = [m for m in msgs if m.headers.get("mysql-cdc.snapshot") == "true"]
        streamed = [m for m in msgs if m.headers.get("mysql-cdc.snapshot") != "true"]
        check_snapshot(snap, t0_ms, t1_ms, problems)
        check_streamed(streamed, binlog_commit_times(db, work / "binlogs"), w, problems)
        check_json_logs(d, w.written, final_state, problems)
    return problems


def main() -> int:
    ap = script_arguments(__doc__, seed_help="the random commit times")
    ap.add_argument("--broker", required=True, help="tests/support/kafka_test_broker")
    args = ap.parse_args()
    if not require_files(mysql_cdc=args.mysql_cdc, broker=args.broker):
        return 2
    seed = pick_seed(args.seed)
    work, t0 = Path(tempfile.mkdtemp(prefix="mysql-cdc-commit-times-")), time.monotonic()
    try:
        problems = run(args, work, seed)
    except (TestFailure, DaemonError, KafkaBrokerError, MariaDBError) as e:
        problems = [str(e)]
    return finish(problems, work, args.keep, t0, f" with seed {seed}", limit=40, indent=True)


if __name__ == "__main__":
    sys.exit(main())

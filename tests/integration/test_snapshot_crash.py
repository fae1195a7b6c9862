#!/usr/bin/env python3
"""Issue 5, acceptance criterion 3: SIGKILLs during the initial snapshot, file or Kafka sink.

After each restart the snapshot resumes after the last completed chunk, and the output converges
to the tables' content.

A throwaway MariaDB holds d.t (300,000 rows, INT key) and d.c (40,000 rows, composite key
(g VARCHAR, n INT)). The daemon runs with INITIAL_SNAPSHOT=true, SNAPSHOT_BATCH_SIZE=200 (many
chunks) and frequent checkpoints, while a writer thread keeps inserting (below, inside and above
the key range being read), updating (also moving primary keys forwards and backwards across the
snapshot's read position) and deleting rows of both tables. The daemon is SIGKILLed at random
moments of the snapshot (a random progress target plus a random delay, seeded, at least 5 times)
and restarted each time. Checked:

  resume     after every kill whose state had a completed chunk of an unfinished table, the next
             run logs "snapshot of d.X: resuming after ... (N rows done)" with N the rows of that
             table in the state file the kill left, and does not log "starting" for it again;
             per table the state's rows and last_key never go back, snapshot.start never changes
             (the stream starts at the first snapshot's position); status ends "done",
             consistency "exact", resumed counts the resumed runs
  file sink  the snapshot_insert lines hold every key at most once, in key order per table,
             tables in MYSQL_TABLE order, all before the first stream event (the file is
             truncated to the checkpoint on restart, so no line is written twice)
  content    after the workload stops and the daemon caught up, applying every event by key
             (snapshot_contract: upsert after-images, delete the old key of a key-changing
             update, delete by key) gives exactly the tables' content: the same keys and values
             as SELECT (under the value contract of test_decode_mariadb) and the same JSON text,
             row for row, as a reference snapshot taken afterwards by a fresh daemon
  repeat     INITIAL_SNAPSHOT=true again on the completed state takes no new snapshot (no
             snapshot_insert line, changes stream); FORCE_SNAPSHOT=true takes a new one: each
             current row once, equal to the reference, and the by-key result is still exact

With --sink kafka the daemon writes to topic "cdc" (6 partitions) of the test broker
(tests/support/kafka_test_broker), read back with kcat. Kafka cannot un-write: the snapshot rows
a killed run produced after its last checkpoint are produced again by the resumed run (snapshot
messages, header mysql-cdc.snapshot=true, are never dropped as replays, as the resumed snapshot
reads a newer view). After every kill the last offset of each partition is read, so each
message is known to come from one run, and a snapshot message's header mysql-cdc.row is its
ordinal (the snapshot's row count before it). "resume" and "content" are checked as above
(applying the messages in the consumer's order: a snapshot's rows in partition order, then the
stream in binlog order, which per key is the partition order); instead of "file sink":

  messages   every message's key is the JSON array of the row's primary key, its partition
             murmur2(key) % 6, its position headers present, mysql-cdc.snapshot=true exactly on
             snapshot_insert
  order      per partition: binlog order (snapshot rows by ordinal, then the stream), except
             where a restart re-sends snapshot rows; every stream change (file, pos, row) exactly
             once in the topic (the sink drops replayed stream changes)
  resumed    a run that resumed the snapshot writes, per partition, only rows with an ordinal >=
             the rows in the state the previous run left and a key after that state's last_key
             (nothing a checkpoint covered is produced again; no snapshot row after it completed)
  committed  the rows each run wrote below its own checkpoint (what the file sink keeps): every
             key at most once, in key order per partition (tables in MYSQL_TABLE order) across
             all runs, and as many as the final state's row count
  re-sent    the rest, the tail a killed run wrote after its last checkpoint, is at most
             --max-resend rows per kill (default 100 chunks: the daemon checkpoints at the first
             chunk end 20 ms after the previous checkpoint, observed tails are 1-28 chunks; a
             daemon that stops checkpointing the snapshot exceeds it), or was produced within
             FLUSH_INTERVAL_MS + --max-tail-ms of the run's last checkpoint (the state file's
             timestamp against the kill; at 850k rows/s a healthy tail of 35 ms is 29,000
             rows), one ordinal per row
  repeat     as above; the FORCE_SNAPSHOT run (larger chunks: not a crash test) writes only
             snapshot rows at its new start, each key once, in key order per partition

    tests/integration/test_snapshot_crash.py --mysql-cdc BUILD/src/mysql-cdc [--sink file]
    tests/integration/test_snapshot_crash.py --mysql-cdc BUILD/src/mysql-cdc --sink kafka \
        --broker BUILD/tests/support/kafka_test_broker [--seed N] [--kills N] [--keep]
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))
from daemon_harness import (Daemon, DaemonError, daemon_env, logged_errors,  # noqa: E402
                            start_mariadb, stopped_cleanly)
from script_frame import finish, require_files, script_arguments  # noqa: E402
from snapshot_checks import (ByKeyModel, EventLine, compare_models,  # noqa: E402
                             compare_with_select, key_text, keyed_snapshot, primary_keys,
                             read_lines,
                             reference_snapshot, select_content, wait_snapshot_complete)
from kafka_broker import (KafkaBroker, KafkaBrokerError, Message,  # noqa: E402
                          _parse_headers)
from test_decode_mariadb import Number  # noqa: E402

TABLES = ["d.t", "d.c"]
T_ROWS, C_ROWS = 300_000, 40_000
FLUSH_INTERVAL_MS = 20  # the crashed runs checkpoint often: short tails
GROUPS = "abcde"
DDL = f"""
CREATE DATABASE d;
USE d;
CREATE TABLE d.t (id INT PRIMARY KEY, n INT NOT NULL, s VARCHAR(64) CHARACTER SET utf8mb4,
  f DOUBLE NULL, at DATETIME(3) NULL, amount DECIMAL(12,2) NULL) DEFAULT CHARSET=utf8mb4;
CREATE TABLE d.c (g VARCHAR(8) CHARACTER SET latin1 NOT NULL, n INT NOT NULL,
  v VARCHAR(32) CHARACTER SET utf8mb4 NULL, w BIGINT UNSIGNED NOT NULL, PRIMARY KEY (g, n))
  DEFAULT CHARSET=utf8mb4;
CREATE TABLE d.other (id INT PRIMARY KEY, v INT);
INSERT INTO d.t SELECT seq, seq % 1000, CONCAT('row ', seq, IF(seq % 7 = 0, ' €', '')),
  IF(seq % 5 = 0, NULL, seq / 3), DATE_ADD('2020-01-01', INTERVAL seq * 997 SECOND),
  IF(seq % 11 = 0, NULL, (seq % 100000) / 100) FROM seq_1_to_{T_ROWS};
INSERT INTO d.c SELECT ELT(1 + seq % 5, 'a', 'b', 'c', 'd', 'e'), seq, CONCAT('c', seq),
  seq * 1000003 FROM seq_1_to_{C_ROWS};
"""
RESUME_RX = re.compile(r"snapshot of (\S+): resuming after (.*) \((\d+) rows done\)")
START_RX = re.compile(r"snapshot of (\S+): starting")


class Writer(threading.Thread):
    """Random inserts, updates (some moving keys) and deletes on both tables, in small batches
    (some in a transaction), until stopped. IGNORE keeps a random key collision from failing."""

    def __init__(self, db, seed: int, pause: float = 0.01):
        super().__init__(daemon=True)
        self.db, self.rng, self.pause = db, random.Random(seed), pause
        self.stop_event = threading.Event()
        self.error: str | None = None
        self.batches = self.statements = 0
        self.hi, self.lo, self.cn = 1_000_000, 0, C_ROWS

    def statement(self) -> str:
        r, rng = self.rng.random(), self.rng
        k = rng.randint(1, T_ROWS)
        if r < 0.12:
            self.hi += 1
            return (f"INSERT INTO d.t VALUES ({self.hi}, 1, 'new high {self.hi}', 0.5, "
                    f"'2030-01-01 00:00:00.125', 1.25);")
        if r < 0.20:
            self.lo -= 1
            return f"INSERT INTO d.t VALUES ({self.lo}, 2, 'new low', NULL, NULL, -3.50);"
        if r < 0.26:
            return (f"INSERT IGNORE INTO d.t VALUES ({k}, 3, 'reinserted {k}', 1e300, "
                    f"'1999-12-31 23:59:59.999', 0.01);")
        if r < 0.50:
            return (f"UPDATE d.t SET n = n + 1, s = CONCAT('u', id, '-', n), f = IF(f IS NULL, "
                    f"id / 7, NULL) WHERE id BETWEEN {k} AND {k + rng.randint(0, 20)};")
        if r < 0.58:
            return f"UPDATE IGNORE d.t SET id = id + 5000000, n = n + 1 WHERE id = {k};"
        if r < 0.64:
            return f"UPDATE IGNORE d.t SET id = -id - 2000000 WHERE id = {k};"
        if r < 0.74:
            return f"DELETE FROM d.t WHERE id BETWEEN {k} AND {k + rng.randint(0, 5)};"
        g, n = rng.choice(GROUPS), rng.randint(1, C_ROWS)
        if r < 0.80:
            self.cn += 1
            return (f"INSERT IGNORE INTO d.c VALUES ('{rng.choice(GROUPS)}', {self.cn}, "
                    f"'new', {self.cn});")
        if r < 0.88:
            return f"UPDATE d.c SET v = CONCAT('v', w % 97, '✓'), w = w + 1 WHERE n = {n};"
        if r < 0.93:
            return f"UPDATE IGNORE d.c SET g = '{g}{g}' WHERE n = {n};"
        if r < 0.97:
            return f"DELETE FROM d.c WHERE n = {n};"
        return f"INSERT INTO d.other VALUES ({self.batches}, 1) ON DUPLICATE KEY UPDATE v = v + 1;"

    def run(self) -> None:
        try:
            while not self.stop_event.is_set():
                stmts = [self.statement() for _ in range(self.rng.randint(1, 12))]
                if self.rng.random() < 0.5:
                    stmts = ["BEGIN;", *stmts, "COMMIT;"]
                self.db.execute("\n".join(stmts), timeout=120)
                self.batches += 1
                self.statements += len(stmts)
                time.sleep(self.pause)
        except Exception as e:  # noqa: BLE001 - reported by the main thread
            self.error = f"writer failed: {e}"[:3000]

    def stop(self) -> None:
        self.stop_event.set()
        self.join(timeout=120)


def key_value(v):
    """A state file's last_key entry ({"n": "12"}, {"s": HEX, "cs": CHARSET}, {"q": TEXT},
    {"b": HEX}, see src/snapshot/snapshot_state.h) or a plain value, as a comparable value."""
    if isinstance(v, dict):
        if "n" in v:
            v = v["n"]
        elif "s" in v:
            return bytes.fromhex(v["s"]).decode("latin1" if v.get("cs") == "latin1" else "utf-8")
        elif "b" in v:
            return bytes.fromhex(v["b"])
        else:
            v = v.get("q")
    return int(v) if isinstance(v, (int, str)) and str(v).lstrip("-").isdigit() else v


def key_order(table: str, key: list) -> tuple:
    """A last_key / primary key as a sortable tuple (d.c: (g, n); d.t: (id,)). The values of
    d.c's g are lower-case ASCII, so Python's order is the column's collation order."""
    return tuple(key_value(v) for v in key)


class StateWatch:
    """Every state file seen: snapshot.start never changes, per table rows and last_key never
    go back (while the first snapshot runs)."""

    def __init__(self):
        self.start: dict | None = None
        self.last: dict[str, tuple[int, tuple | None]] = {}
        self.violations: list[str] = []
        self.seen = 0

    def observe(self, st: dict | None, where: str) -> None:
        snap = (st or {}).get("snapshot")
        if not snap:
            return
        self.seen += 1
        if self.start is None:
            self.start = snap.get("start")
        elif snap.get("start") != self.start and len(self.violations) < 10:
            self.violations.append(f"{where}: snapshot.start changed from {self.start} to "
                                   f"{snap.get('start')}")
        if snap.get("status") == "running" and st.get("log_file") is not None:
            top = {"log_file": st.get("log_file"), "log_pos": st.get("log_pos")}
            if snap.get("start") and top != {k: snap["start"].get(k) for k in top}:
                if len(self.violations) < 10:
                    self.violations.append(f"{where}: while running, the top-level position "
                                           f"{top} is not snapshot.start {snap.get('start')}")
        for t in snap.get("tables", []):
            name, rows = t.get("table"), t.get("rows", 0)
            lk = key_order(name, t["last_key"]) if t.get("last_key") is not None else None
            prev = self.last.get(name)
            if prev and (rows < prev[0] or (prev[1] is not None and
                                            (lk is None or lk < prev[1]))):
                if len(self.violations) < 10:
                    self.violations.append(f"{where}: {name} went back from rows={prev[0]} "
                                           f"last_key={prev[1]} to rows={rows} last_key={lk}")
            self.last[name] = (rows, lk)


def snapshot_progress(st: dict | None) -> tuple[str | None, int]:
    snap = (st or {}).get("snapshot") or {}
    return snap.get("status"), sum(t.get("rows", 0) for t in snap.get("tables", []))


def kill_during_snapshot(d: Daemon, watch: StateWatch, rng: random.Random, kills: int,
                         total: int, problems: list[str],
                         ended: Callable[[dict | None, str], None] | None = None
                         ) -> tuple[int, bool]:
    """Kills the daemon at random moments of its snapshot and restarts it; checks each resume.
    `ended(state, how)` is told of every killed run before the next one starts (the Kafka case
    records where each run's messages end). Returns (kills that left a running snapshot with
    progress, whether it finished already)."""
    mid = 0
    done = 0        # rows the last kill's state counted: each target lies beyond it
    for k in range(kills):
        # Relative to the progress so far, not fixed fractions of the total: a fast machine
        # snapshots ~1.5M rows/s, and fixed targets were passed before a restart was ready,
        # so the last kills found the snapshot finished (CI: 3 of 6 kills hit it).
        target = done + (total - done) * rng.uniform(0.03, 0.5) / (kills - k + 1)
        deadline = time.monotonic() + 180
        st = None
        while time.monotonic() < deadline:
            st = d.state()
            watch.observe(st, f"run {len(d.runs)}")
            status, rows = snapshot_progress(st)
            if status == "done" or rows >= target:
                break
            d.ensure_running()
            time.sleep(0.005)
        else:
            raise DaemonError(f"the snapshot did not reach {target:.0f} rows within 180 s; "
                              f"state {st}\n{d.log_tail()}")
        time.sleep(rng.uniform(0, 0.01))
        d.sigkill()
        st = d.state()
        watch.observe(st, f"after kill {k + 1}")
        if ended is not None:
            ended(st, f"kill {k + 1}")
        status, rows = snapshot_progress(st)
        print(f"  kill {k + 1}: target {target:.0f} rows, state: status {status}, {rows} rows, "
              f"tables {[(t.get('table'), t.get('rows'), t.get('last_key'), t.get('done')) for t in (st or {}).get('snapshot', {}).get('tables', [])]}",
              flush=True)
        if status != "running":
            print("  (the snapshot finished before this kill)", flush=True)
            d.start()
            return mid, True
        mid += rows > 0
        done = rows
        run = d.start()
        check_resume(d, run, st, problems)
    return mid, False


def check_resume(d: Daemon, run, st: dict, problems: list[str]) -> None:
    """The run after a kill resumes the unfinished table after its last completed chunk."""
    unfinished = [t for t in st["snapshot"].get("tables", []) if not t.get("done")]
    current = next((t for t in unfinished if t.get("last_key") is not None), None)
    if current is None:
        d.wait_for_log(r"snapshot of \S+: (starting|resuming)", timeout=60, run=run)
        return
    # That table's own line: wait_for_log returns the last match, and a table with a few rows
    # left finishes within one poll, so "any table" could already be the next one's start.
    line = d.wait_for_log(rf"snapshot of {re.escape(current['table'])}: (starting|resuming)",
                          timeout=60, run=run)
    m = RESUME_RX.search(line)
    if not m:
        problems.append(f"run {run.n}: {current['table']} had {current['rows']} rows done "
                        f"(last_key {current['last_key']}) but the run logged: {line.strip()}")
        return
    if m.group(1) != current["table"] or int(m.group(3)) != current["rows"]:
        problems.append(f"run {run.n}: expected 'snapshot of {current['table']}: resuming "
                        f"after ... ({current['rows']} rows done)', got: {line.strip()}")
    for l in run.stderr().splitlines():
        s = START_RX.search(l)
        if s and s.group(1) == current["table"]:
            problems.append(f"run {run.n}: started {current['table']} over after a resume: "
                            f"{l.strip()}")


def check_snapshot_lines(lines: list[str], keys: dict[str, list[str]], problems: list[str],
                         label: str) -> tuple[int, int]:
    """The snapshot_insert lines among `lines`: each key at most once, key order per table,
    tables in order, all before the first stream event. Returns (snapshot lines, index of the
    first line after the snapshot)."""
    model = ByKeyModel(keys)
    seen: dict[str, set] = {t: set() for t in keys}
    last: dict[str, tuple] = {}
    table_pos, count, first_stream, end = 0, 0, None, 0
    bad: list[str] = []
    for n, line in enumerate(lines):
        ev = EventLine(line)
        if ev.kind != "snapshot_insert":
            if first_stream is None:
                first_stream = n
            continue
        count += 1
        end = n + 1
        if first_stream is not None and len(bad) < 5:
            bad.append(f"line {n + 1}: a snapshot_insert after the stream began at line "
                       f"{first_stream + 1}")
        if ev.table not in seen:
            bad.append(f"line {n + 1}: snapshot of an unwatched table {ev.table}")
            continue
        pos = TABLES.index(ev.table)
        if pos < table_pos and len(bad) < 5:
            bad.append(f"line {n + 1}: {ev.table} after {TABLES[table_pos]}")
        table_pos = max(table_pos, pos)
        key = model.key_of(ev.table, ev.names_raw, ev.values())
        order = key_order(ev.table, list(key))
        if key in seen[ev.table] and len(bad) < 5:
            bad.append(f"line {n + 1}: {ev.table} key {list(key)} written twice by one snapshot")
        elif ev.table in last and order <= last[ev.table] and len(bad) < 5:
            bad.append(f"line {n + 1}: {ev.table} key {list(key)} after {list(last[ev.table])} "
                       f"(not key order)")
        seen[ev.table].add(key)
        last[ev.table] = order
    if bad:
        problems.append(f"[{label}] snapshot lines: " + "; ".join(bad))
    return count, end


# --- the Kafka sink ------------------------------------------------------------------------------
# Kafka cannot un-write: the snapshot rows a killed run produced after its last checkpoint are
# produced again by the resumed run (snapshot messages are never dropped as replays, as the
# resumed snapshot reads a newer view). Each kill is followed by a look at the last offset of
# every partition (kcat -Q), so every message is known to belong to one run of the daemon, and
# every snapshot message carries its row ordinal (header mysql-cdc.row, the snapshot's row count
# before it). A message of run j with ordinal < the rows in the state run j left is "committed"
# (covered by a checkpoint); the rest is the tail the next run re-sends.

TOPIC, PARTITIONS = "cdc", 6


def binlog_file_no(name: str) -> int:
    return int(name.rsplit(".", 1)[1])


def last_offsets(bootstrap: str, topic: str) -> dict[int, int]:
    """{partition: offset of its last message} (-1: none), from the high watermarks (kcat -Q
    with timestamp -1: the offset after the last message)."""
    kcat = shutil.which("kcat") or "kcat"
    args = [a for p in range(PARTITIONS) for a in ("-t", f"{topic}:{p}:-1")]
    out = subprocess.run([kcat, "-b", bootstrap, "-Q", *args], capture_output=True, timeout=60)
    found = dict((int(p), int(o) - 1) for p, o in
                 re.findall(r"\[(\d+)\] offset (-?\d+)", out.stdout.decode()))
    if out.returncode != 0 or set(found) != set(range(PARTITIONS)):
        raise KafkaBrokerError(f"kcat -Q failed ({out.returncode}): {out.stdout.decode()[-500:]}"
                               f" {out.stderr.decode()[-2000:]}")
    return found


def consume_from(bootstrap: str, topic: str, start: dict[int, int], timeout: float = 300):
    """The messages of every partition from offset start[p] (default 0) on, read by kcat (an
    independent client; one per partition, in parallel), as kafka_broker.consume does."""
    kcat = shutil.which("kcat") or "kcat"
    fmt = "%p\x1f%o\x1f%T\x1f%k\x1f%s\x1f%h\x1e"
    procs = [subprocess.Popen([kcat, "-b", bootstrap, "-C", "-t", topic, "-p", str(p), "-o",
                               str(start.get(p, 0)), "-e", "-q", "-X", "fetch.wait.max.ms=10",
                               "-f", fmt],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for p in range(PARTITIONS)]
    messages = []
    for proc in procs:
        out, err = proc.communicate(timeout=timeout)
        if proc.returncode != 0:
            raise KafkaBrokerError(f"kcat failed ({proc.returncode}): {err.decode()[-2000:]}")
        for record in out.decode().split("\x1e"):
            if not record.strip("\n"):
                continue
            part, offset, ts, key, value, headers = record.lstrip("\n").split("\x1f")
            messages.append(Message(int(part), int(offset), key, value, _parse_headers(headers),
                                    int(ts)))
    return messages


@dataclass
class RunEnd:
    """How one run of the daemon ended: the last offset per partition, the state it left."""
    how: str
    offsets: dict[int, int]
    state: dict | None
    # From the checkpoint the run left (the state file's timestamp) to its end: how long the
    # output may have run ahead of the checkpoint.
    ahead_ms: float | None = None

    def start(self) -> tuple[str, int] | None:
        s = ((self.state or {}).get("snapshot") or {}).get("start") or {}
        return (s["log_file"], int(s["log_pos"])) if s.get("log_file") else None

    def resume_point(self) -> tuple[int, tuple, bool]:
        """(R, C, running): the rows the state's checkpoint covers, the (table index, last key)
        a run resuming from it reads after ((len(TABLES),) when done), and whether the
        snapshot was still running."""
        snap = (self.state or {}).get("snapshot") or {}
        tables = snap.get("tables", [])
        rows = sum(t.get("rows", 0) for t in tables)
        if snap.get("status") != "running":
            return rows, (len(TABLES),), False
        for t in sorted(tables, key=lambda t: TABLES.index(t["table"])):
            if not t.get("done"):
                lk = key_order(t["table"], t["last_key"]) if t.get("last_key") is not None \
                    else ()
                return rows, (TABLES.index(t["table"]), lk), True
        return rows, (len(TABLES),), True


_DECODER = json.JSONDecoder(parse_int=Number, parse_float=Number)


class KEvent(EventLine):
    """An EventLine that decodes its values once (a message is looked at several times)."""

    __slots__ = ("_values",)

    def values(self) -> list:
        try:
            return self._values
        except AttributeError:
            self._values = _DECODER.decode(self.values_raw)
            return self._values


class KMsg:
    """One Kafka message of the output topic, decoded and placed: its run and its rank."""

    __slots__ = ("partition", "offset", "key_raw", "headers", "ev", "snap", "file", "pos", "row",
                 "run", "key", "order")

    def __init__(self, m, model: ByKeyModel):
        self.partition, self.offset, self.key_raw, self.headers = (m.partition, m.offset, m.key,
                                                                   m.headers)
        self.ev = KEvent(m.value)
        self.snap = self.ev.kind == "snapshot_insert"
        self.file = m.headers.get("mysql-cdc.file", "")
        self.pos = int(m.headers.get("mysql-cdc.pos", -1))
        self.row = int(m.headers.get("mysql-cdc.row", -1))
        self.run = -1
        if self.ev.kind == "delete":
            names, values = self.ev.before()
            self.key = model.key_of(self.ev.table, json.dumps(names), values)
        else:
            self.key = model.key_of(self.ev.table, self.ev.names_raw, self.ev.values())
        self.order = (TABLES.index(self.ev.table), key_order(self.ev.table, list(self.key))) \
            if self.ev.table in TABLES else None

    def session(self) -> tuple[str, int]:
        return self.file, self.pos

    def rank(self) -> tuple:
        """Binlog order; a snapshot's rows (by ordinal) before the changes at its start."""
        return (binlog_file_no(self.file), self.pos, 0 if self.snap else 1, self.row)

    def apply_rank(self) -> tuple:
        """The order a consumer applies messages in: a snapshot's rows in partition order (a
        re-sent row after its first copy), then the stream in binlog order."""
        if self.snap:
            return (binlog_file_no(self.file), self.pos, 0, self.partition, self.offset)
        return (binlog_file_no(self.file), self.pos, 1, self.row, 0)

    def where(self) -> str:
        return f"{TOPIC}[{self.partition}]@{self.offset} (run {self.run + 1})"


class KafkaOutput:
    """The test broker, the daemon's Kafka settings and the runs' ends."""

    def __init__(self, binary: str):
        self.broker = KafkaBroker(binary).start()
        self.broker.create_topic(TOPIC, PARTITIONS)
        self.ends: list[RunEnd] = []
        self.cache: list[KMsg] = []             # every message read so far
        self.next: dict[int, int] = {}          # per partition: the offset to read from next

    def env(self, env: dict[str, str]) -> dict[str, str]:
        env = dict(env, OUTPUT_SINK="kafka", KAFKA_BROKERS=self.broker.bootstrap, output=TOPIC,
                   KAFKA_MESSAGE_KEY="bare_primary_key")  # compared with the row's key
        env.pop("OUTPUT_FILE", None)
        return env

    def run_ended(self, st: dict | None, how: str) -> None:
        saved = (st or {}).get("timestamp")
        ahead_ms = (time.time() - saved) * 1000 if isinstance(saved, (int, float)) else None
        # A produce request the killed process had sent is in the broker's socket already;
        # give the broker a moment to append it before reading the partitions' ends.
        time.sleep(0.3)
        self.ends.append(RunEnd(how, last_offsets(self.broker.bootstrap, TOPIC), st, ahead_ms))

    def read(self, keys: dict[str, list[str]], problems: list[str]) -> list[KMsg]:
        """Every message, via kcat (an independent consumer), each assigned to its run; checks
        headers, key and partition of each."""
        from test_kafka_sink import partition_of
        model = ByKeyModel(keys)
        msgs, bad = [], []
        expect = dict(self.next)
        for m in consume_from(self.broker.bootstrap, TOPIC, self.next):
            if m.offset != expect.get(m.partition, 0):
                bad.append(f"{TOPIC}[{m.partition}]: offset {m.offset} follows "
                           f"{expect.get(m.partition, 0) - 1}: messages missing")
            expect[m.partition] = m.offset + 1
            try:
                k = KMsg(m, model)
            except (AssertionError, ValueError, KeyError) as e:
                bad.append(f"{TOPIC}[{m.partition}]@{m.offset}: {e!r}")
                continue
            if k.order is None:
                bad.append(f"{k.where()}: a message of an unwatched table {k.ev.table}")
                continue
            flag = m.headers.get("mysql-cdc.snapshot")
            if (flag == "true") != k.snap or (flag is not None and flag != "true"):
                bad.append(f"{k.where()}: {k.ev.kind} with header mysql-cdc.snapshot={flag!r}")
            if not k.file or k.pos < 0 or k.row < 0:
                bad.append(f"{k.where()}: position headers missing: {m.headers}")
                continue
            try:
                mkey = tuple(key_text(v) for v in _DECODER.decode(m.key))
            except (ValueError, TypeError):
                mkey = None
            if mkey != k.key:
                bad.append(f"{k.where()}: message key {m.key!r}, the row's key is {list(k.key)}")
            elif partition_of(m.key, PARTITIONS) != m.partition:
                bad.append(f"{k.where()}: key {m.key} belongs in partition "
                           f"{partition_of(m.key, PARTITIONS)}")
            for i, end in enumerate(self.ends):
                if m.offset <= end.offsets.get(m.partition, -1):
                    k.run = i
                    break
            else:
                bad.append(f"{k.where()}: offset past the end of the last run")
                continue
            msgs.append(k)
        # Only the new messages were read (the mock keeps a bounded log per partition, so old
        # ones may be gone by now): add the ones read before.
        self.next = expect
        self.cache += msgs
        msgs = list(self.cache)
        if bad:
            problems.append(f"[kafka] {len(bad)} bad message(s): " + "; ".join(bad[:8]))
        return msgs

    def stop(self) -> None:
        self.broker.stop()


def check_kafka_order(msgs: list[KMsg], problems: list[str]) -> None:
    """Per partition, in offset order: binlog order (a snapshot's rows by ordinal before the
    changes at its start), except where a restart re-sends snapshot rows (checked by
    check_kafka_snapshot); every stream change exactly once in the whole topic."""
    bad: list[str] = []
    by_p: dict[int, list[KMsg]] = {}
    for m in msgs:
        by_p.setdefault(m.partition, []).append(m)
    for items in by_p.values():
        items.sort(key=lambda m: m.offset)
        for x, y in zip(items, items[1:]):
            if y.rank() > x.rank():
                continue
            if x.snap and y.snap and x.session() == y.session() and y.run > x.run:
                continue            # a re-sent snapshot row
            if len(bad) < 6:
                bad.append(f"{y.where()} {y.ev.kind} at {y.file}:{y.pos} row {y.row} after "
                           f"{x.where()} {x.ev.kind} at {x.file}:{x.pos} row {x.row}")
    if bad:
        problems.append("[kafka] partition order: " + "; ".join(bad))
    seen = Counter((m.file, m.pos, m.row) for m in msgs if not m.snap)
    dups = [(p, n) for p, n in seen.items() if n > 1]
    if dups:
        problems.append(f"[kafka] {len(dups)} stream change(s) written more than once (the "
                        f"resume must drop replays), e.g. {sorted(dups)[:5]}")


def check_kafka_snapshot(msgs: list[KMsg], session: tuple[str, int], ends: list[RunEnd],
                         problems: list[str], label: str, max_resend: int,
                         max_tail_ms: int = 0) -> dict:
    """The snapshot messages of one snapshot (`session`: its start, their file/pos headers):

      resume     a run that resumed this snapshot writes, in every partition, only rows with an
                 ordinal >= the rows of the state the previous run left and a key after that
                 state's last_key (tables in MYSQL_TABLE order): nothing the checkpoint covers
                 is produced again, and no snapshot row at all after the snapshot completed
      order      within one run, per partition: ordinals increase, keys in key order, tables in
                 MYSQL_TABLE order
      committed  the rows each run wrote below its own checkpoint (what the file sink keeps):
                 every key at most once, in key order per partition across all runs
      re-sent    the rest (the tail after a killed run's last checkpoint) is at most max_resend
                 rows per kill, or the run was killed within max_tail_ms of its last checkpoint
                 (a fast daemon writes many rows between two checkpoints; message timestamps
                 cannot tell: a snapshot row carries its view's time, docs/OUTPUT.md)
    Returns statistics."""
    bad: list[str] = []

    def problem(text: str) -> None:
        if len(bad) < 8:
            bad.append(text)

    def prior(run: int) -> tuple[int, tuple]:
        """(R, C) of the checkpoint run `run` started from, for this snapshot."""
        if run > 0 and ends[run - 1].start() == session:
            r, c, _ = ends[run - 1].resume_point()
            return r, c
        return 0, (0, ())

    def own(run: int) -> int | None:
        """The rows covered by the checkpoint run `run` left (None: all it wrote)."""
        if ends[run].start() == session:
            r, _, running = ends[run].resume_point()
            if running:
                return r
        return None

    snap = [m for m in msgs if m.snap and m.session() == session]
    by_p: dict[int, list[KMsg]] = {}
    for m in snap:
        by_p.setdefault(m.partition, []).append(m)
    committed: dict[str, set] = {t: set() for t in TABLES}
    resent = Counter()
    tail_rows: dict[int, list[int]] = {}
    for items in by_p.values():
        items.sort(key=lambda m: m.offset)
        prev = last_committed = None
        for m in items:
            r0, c0 = prior(m.run)
            if m.row < r0:
                problem(f"{m.where()}: {m.ev.table} key {list(m.key)} has ordinal {m.row}, but "
                        f"the run started from a checkpoint of {r0} rows: produced again")
            if not m.order > c0:
                problem(f"{m.where()}: {m.ev.table} key {list(m.key)} is not after the "
                        f"checkpoint the run resumed from ({c0})")
            if prev is not None and prev.run == m.run and \
                    (m.row <= prev.row or m.order <= prev.order):
                problem(f"{m.where()}: {m.ev.table} key {list(m.key)} ordinal {m.row} after "
                        f"{prev.ev.table} key {list(prev.key)} ordinal {prev.row} in the same "
                        f"run: not in key order")
            limit = own(m.run)
            if limit is None or m.row < limit:
                if m.key in committed[m.ev.table]:
                    problem(f"{m.where()}: {m.ev.table} key {list(m.key)} written twice below "
                            f"the checkpoints")
                elif last_committed is not None and m.order <= last_committed.order:
                    problem(f"{m.where()}: {m.ev.table} key {list(m.key)} after "
                            f"{list(last_committed.key)} ({last_committed.where()}) among the "
                            f"rows below the checkpoints: not in key order")
                committed[m.ev.table].add(m.key)
                last_committed = m
            else:
                resent[m.run] += 1
                tail_rows.setdefault(m.run, []).append(m.row)
            prev = m
    for run, n in sorted(resent.items()):
        ahead = ends[run].ahead_ms
        if n > max_resend and (ahead is None or ahead > max_tail_ms):
            took = f"{ahead:.0f} ms" if ahead is not None else "(no state timestamp)"
            problem(f"run {run + 1} ({ends[run].how}) wrote {n} snapshot rows after its last "
                    f"checkpoint, which was {took} old at its end (want <= {max_resend} rows or "
                    f"within {max_tail_ms} ms): the checkpoints lag behind the output")
        # One ordinal per row (not necessarily without gaps: a partition's last messages may
        # not have reached the broker before the kill).
        twice = [o for o, c in Counter(tail_rows[run]).items() if c > 1]
        if twice:
            problem(f"run {run + 1} ({ends[run].how}): ordinals {sorted(twice)[:5]} on several "
                    f"snapshot rows")
    final = ends[-1].resume_point()
    if ends[-1].start() == session and not final[2]:
        n_committed = sum(len(v) for v in committed.values())
        if n_committed != final[0]:
            problem(f"{n_committed} snapshot rows below the checkpoints, but the final state "
                    f"counts {final[0]} rows written")
    if bad:
        problems.append(f"[{label}] " + "; ".join(bad))
    return {"messages": len(snap), "committed": sum(len(v) for v in committed.values()),
            "resent": dict((ends[r].how, n) for r, n in sorted(resent.items())),
            "distinct": len({(m.ev.table, m.key) for m in snap})}


def apply_kafka(model: ByKeyModel, msgs: list[KMsg]) -> None:
    for m in sorted(msgs, key=KMsg.apply_rank):
        model.apply(m.ev)


def main() -> int:
    ap = script_arguments(__doc__, seed_help="RNG seed (default: random, printed)")
    ap.add_argument("--sink", choices=("file", "kafka"), default="file",
                    help="OUTPUT_SINK of the daemon (default file)")
    ap.add_argument("--broker", help="the kafka_test_broker binary (--sink kafka)")
    ap.add_argument("--kills", type=int, default=6, help="SIGKILLs during the snapshot")
    ap.add_argument("--batch", type=int, default=200, help="SNAPSHOT_BATCH_SIZE")
    ap.add_argument("--max-tail-ms", type=int, default=300,
                    help="(kafka) a longer tail is fine if produced within FLUSH_INTERVAL_MS and "
                         "this many ms (a flush's acknowledgements, a slow machine)")
    ap.add_argument("--max-resend", type=int, default=None,
                    help="(kafka) most snapshot rows a killed run may have written after its "
                         "last checkpoint (default: 100 chunks of --batch)")
    args = ap.parse_args()
    if not require_files(mysql_cdc=args.mysql_cdc):
        return 2
    if args.sink == "kafka" and not (args.broker and Path(args.broker).is_file()):
        print(f"error: --sink kafka needs --broker (the kafka_test_broker binary); got "
              f"{args.broker}", file=sys.stderr)
        return 2
    max_resend = args.max_resend if args.max_resend is not None else 100 * args.batch
    max_tail_ms = FLUSH_INTERVAL_MS + args.max_tail_ms
    seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "little")
    print(f"seed {seed} (rerun with --seed {seed}), sink {args.sink}", flush=True)
    rng = random.Random(seed)
    work = Path(tempfile.mkdtemp(prefix=f"snapshot-crash-{args.sink}-"))
    problems: list[str] = []
    t0 = time.monotonic()
    d = writer = kafka = None
    try:
        with start_mariadb("snapcrash") as db:
            db.execute(DDL, timeout=600)
            keys = primary_keys(db, TABLES)
            env = daemon_env(db, work / "main", database="d", tables="t,c",
                             INITIAL_SNAPSHOT="true", SNAPSHOT_BATCH_SIZE=str(args.batch),
                             FLUSH_INTERVAL_MS=str(FLUSH_INTERVAL_MS))
            if args.sink == "kafka":
                kafka = KafkaOutput(args.broker)
                env = kafka.env(env)
            d = Daemon(args.mysql_cdc, env, work / "main")
            writer = Writer(db, seed)
            writer.start()
            time.sleep(0.3)
            d.start()
            watch = StateWatch()
            mid, finished = kill_during_snapshot(d, watch, rng, args.kills, T_ROWS + C_ROWS,
                                                 problems,
                                                 kafka.run_ended if kafka else None)
            print(f"{mid} of {args.kills} kills hit a running snapshot with progress "
                  f"({time.monotonic() - t0:.0f} s)", flush=True)
            if mid < 5:
                problems.append(f"only {mid} kills hit the snapshot after a completed chunk "
                                f"(want >= 5): the resume path was not exercised enough")
            if not finished:
                wait_snapshot_complete(d, timeout=600)
            time.sleep(1.0)                     # some stream after the snapshot
            writer.stop()
            if writer.error:
                problems.append(writer.error)
            st = d.wait_caught_up(db, timeout=180)
            watch.observe(st, "caught up")
            problems += watch.violations
            snap = st.get("snapshot") or {}
            resumed_runs = sum(1 for r in d.runs if RESUME_RX.search(r.stderr()))
            print(f"writer: {writer.batches} batches, {writer.statements} statements; state "
                  f"snapshot: { {k: v for k, v in snap.items() if k != 'tables'} }; "
                  f"{resumed_runs} runs resumed", flush=True)
            if snap.get("status") != "done" or snap.get("consistency") != "exact":
                problems.append(f"state after the snapshot: {snap}")
            if not resumed_runs <= snap.get("resumed", -1) <= len(d.runs) - 1:
                problems.append(f"snapshot.resumed is {snap.get('resumed')}: {resumed_runs} runs "
                                f"logged a resume, {len(d.runs) - 1} restarts")
            if not all(t.get("done") for t in snap.get("tables", [])) or \
                    [t.get("table") for t in snap.get("tables", [])] != TABLES:
                problems.append(f"state tables after the snapshot: {snap.get('tables')}")
            stopped_cleanly(d, problems)

            model = ByKeyModel(keys)
            if kafka:
                kafka.run_ended(d.state(), "SIGTERM after the snapshot")
                session = (watch.start or {}).get("log_file"), (watch.start or {}).get("log_pos")
                msgs = kafka.read(keys, problems)
                check_kafka_order(msgs, problems)
                stats = check_kafka_snapshot(msgs, session, kafka.ends, problems,
                                             "kafka crashed snapshot", max_resend,
                                             max_tail_ms)
                others = [m for m in msgs if m.snap and m.session() != session]
                if others:
                    problems.append(f"[kafka] {len(others)} snapshot message(s) not at the "
                                    f"snapshot's start {session}, e.g. {others[0].where()} at "
                                    f"{others[0].file}:{others[0].pos}")
                n_stream = sum(not m.snap for m in msgs)
                if n_stream == 0:
                    problems.append("[kafka] no stream message after the snapshot")
                apply_kafka(model, msgs)
                n_snap = stats["messages"]
                print(f"kafka: {len(msgs)} messages in {len({m.partition for m in msgs})} "
                      f"partitions: {n_snap} snapshot ({stats['distinct']} distinct keys, "
                      f"{stats['committed']} below the checkpoints, re-sent after the kills: "
                      f"{stats['resent']}), {n_stream} stream ("
                      f"{len({(m.file, m.pos, m.row) for m in msgs if not m.snap})} positions); "
                      f"applied by key: "
                      f"{ {t: len(r) for t, r in model.rows.items()} }", flush=True)
                seen_msgs = len(msgs)
            else:
                lines = read_lines(d.output_file)
                n_snap, _ = check_snapshot_lines(lines, keys, problems, "crashed snapshot")
                model.apply_lines(lines)
                print(f"output: {len(lines)} lines, {n_snap} snapshot_insert; applied by key: "
                      f"{ {t: len(r) for t, r in model.rows.items()} }", flush=True)
            print(f"output checked ({time.monotonic() - t0:.0f} s)", flush=True)
            contents = {t: select_content(db, t) for t in TABLES}
            for t in TABLES:
                problems += compare_with_select(model, t, contents[t])
            ref_rows, ref_names, _ = reference_snapshot(args.mysql_cdc, db, work / "ref", "d",
                                                        "t,c", keys)
            problems += compare_models(model.rows, ref_rows, "applied output",
                                       "reference snapshot", ref_names)

            # INITIAL_SNAPSHOT=true again on the completed state: no new snapshot.
            before = 0 if kafka else len(lines)
            run = d.start()
            d.wait_for_log(r"streaming from", timeout=60, run=run)
            db.execute("INSERT INTO d.t VALUES (777777777, 7, 'after', NULL, NULL, 7.00);"
                       "INSERT INTO d.c VALUES ('zz', 1, 'after', 7);"
                       "DELETE FROM d.t WHERE id = 777777777;")
            d.wait_caught_up(db, timeout=60)
            rc, _ = d.sigterm()
            if kafka:
                kafka.run_ended(d.state(), "SIGTERM after the repeat")
                msgs = kafka.read(keys, problems)
                new_msgs = sorted((m for m in msgs if m.run == len(kafka.ends) - 1),
                                  key=KMsg.apply_rank)
                if len(msgs) - len(new_msgs) != seen_msgs:
                    problems.append(f"[kafka] {seen_msgs} messages before the repeat run, now "
                                    f"{len(msgs) - len(new_msgs)} outside it")
                seen_msgs = len(msgs)
                new = [m.ev for m in new_msgs]
            else:
                lines = read_lines(d.output_file)
                new = [EventLine(l) for l in lines[before:]]
            if any(e.kind == "snapshot_insert" for e in new) or \
                    any(START_RX.search(l) for l in run.stderr().splitlines()):
                problems.append(f"INITIAL_SNAPSHOT=true on a completed state took a snapshot "
                                f"again: {sum(e.kind == 'snapshot_insert' for e in new)} lines")
            if [(e.kind, e.table) for e in new] != [("insert", "d.t"), ("insert", "d.c"),
                                                    ("delete", "d.t")]:
                problems.append(f"after the restart, expected insert d.t, insert d.c, delete d.t;"
                                f" got {[e.line[:150] for e in new]}")
            for e in new:
                model.apply(e)

            # FORCE_SNAPSHOT=true: a new snapshot of the current rows.
            print(f"repeat run checked ({time.monotonic() - t0:.0f} s)", flush=True)
            d.env["FORCE_SNAPSHOT"] = "true"
            if kafka:
                # Not a crash test: larger chunks and checkpoints further apart (every
                # checkpoint waits for Kafka's acknowledgements), so this takes seconds.
                d.env.update(SNAPSHOT_BATCH_SIZE="5000", FLUSH_INTERVAL_MS="500")
            run = d.start()
            wait_snapshot_complete(d, timeout=300)
            d.wait_caught_up(db, timeout=60)
            rc, _ = d.sigterm()
            if rc != 0:
                problems.append(f"FORCE_SNAPSHOT run: SIGTERM exit {rc}\n{d.log_tail()}")
            if kafka:
                st = d.state() or {}
                kafka.run_ended(st, "SIGTERM after FORCE_SNAPSHOT")
                start2 = (st.get("snapshot") or {}).get("start") or {}
                session2 = start2.get("log_file"), start2.get("log_pos")
                msgs = kafka.read(keys, problems)
                forced_msgs = sorted((m for m in msgs if m.run == len(kafka.ends) - 1),
                                     key=KMsg.apply_rank)
                if len(msgs) - len(forced_msgs) != seen_msgs:
                    problems.append(f"[kafka] {seen_msgs} messages before the FORCE_SNAPSHOT "
                                    f"run, now {len(msgs) - len(forced_msgs)} outside it")
                if session2 == session:
                    problems.append(f"FORCE_SNAPSHOT kept the old snapshot.start {session}")
                stray = [m for m in forced_msgs if not m.snap or m.session() != session2]
                if stray:
                    problems.append(f"[kafka] the FORCE_SNAPSHOT run wrote {len(stray)} message(s)"
                                    f" other than snapshot rows at its start {session2}, e.g. "
                                    f"{stray[0].where()} {stray[0].ev.line[:150]}")
                order_problems: list[str] = []
                check_kafka_order(msgs, order_problems)
                problems += [p for p in order_problems if p not in problems]
                stats2 = check_kafka_snapshot(forced_msgs, session2, kafka.ends, problems,
                                              "kafka forced snapshot", 0)
                if stats2["resent"]:
                    problems.append(f"[kafka] forced snapshot re-sent rows: {stats2['resent']}")
                forced_rows = {t: {} for t in TABLES}
                for m in forced_msgs:
                    forced_rows[m.ev.table][m.key] = m.ev.values_raw
                n_forced = stats2["messages"]
            else:
                before = len(lines)
                lines = read_lines(d.output_file)
                forced = lines[before:]
                n_forced, _ = check_snapshot_lines(forced, keys, problems, "forced snapshot")
                forced_rows, _, dup = keyed_snapshot(forced, keys)
                problems += dup
            contents = {t: select_content(db, t) for t in TABLES}
            ref_rows, ref_names, _ = reference_snapshot(args.mysql_cdc, db, work / "ref2", "d",
                                                        "t,c", keys)
            problems += compare_models(forced_rows, ref_rows, "forced snapshot",
                                       "reference snapshot", ref_names)
            if kafka:
                apply_kafka(model, forced_msgs)
            else:
                model.apply_lines(forced)
            for t in TABLES:
                problems += compare_with_select(model, t, contents[t])
            print(f"FORCE_SNAPSHOT: {n_forced} snapshot_insert {'messages' if kafka else 'lines'}"
                  f", {sum(len(c[2]) for c in contents.values())} rows in the tables", flush=True)
            problems += logged_errors(d)
    except (DaemonError, KafkaBrokerError) as e:
        problems.append(str(e))
    finally:
        if writer is not None and writer.is_alive():
            writer.stop()
        if d is not None:
            d.stop()
        if kafka is not None:
            kafka.stop()
    return finish(problems, work, args.keep, t0, f" with seed {seed}", f", sink {args.sink}",
                  limit=30)


if __name__ == "__main__":
    sys.exit(main())

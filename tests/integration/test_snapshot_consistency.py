#!/usr/bin/env python3
"""Issue 5, acceptance 2: the initial snapshot under concurrent writes, file and Kafka sinks.

A throwaway MariaDB holds d.a (200,000 rows: INT key, INT, VARCHAR, DECIMAL, DATETIME) and d.b
(100,000 rows: BIGINT key, INT, two VARCHARs, one utf8mb4 with NULLs). A writer thread, a client
connection of its own (one `mariadb` process per batch of transactions), runs from before the
daemon starts until after the snapshot completed: single-row inserts (new keys above and below the
existing ones, re-inserts of deleted keys into the already-read range), updates, primary-key
changes (to the far end and to negative keys, i.e. into the range the snapshot already read),
deletes, range updates and range deletes, alone (autocommit) or in multi-statement transactions
over both tables. The daemon runs with INITIAL_SNAPSHOT=true and a small SNAPSHOT_BATCH_SIZE, so
the snapshot takes seconds and hundreds of chunk queries while the writer commits. Then the writer
stops, the daemon catches up with SHOW MASTER STATUS and stops (SIGTERM), and:

  by key     the consumer of the contract (snapshot_insert / insert / update = upsert keyed by the
             primary key, an update that moves a key also deletes the old one, delete = delete by
             key) applied to the whole output ends with exactly the tables' final content, read
             with SELECT and converted to the JSON the daemon writes (every value compared)
  exact      stronger, for this uninterrupted snapshot from the primary: the output replays
             strictly. Every insert's key is absent at that point, every update's and delete's
             before-image (the full row, oldkeys) equals the row the consumer holds for that key.
             A stream that started too early re-applies changes the snapshot already holds (an
             update's before-image is then the older row: every update increments a counter; an
             insert finds its key present); one that started too late loses changes (a later
             before-image, or the final content, differs); a chunk read outside the consistent
             view carries values from after the snapshot point and fails the same way
  shape      snapshot_insert events first, tables in MYSQL_TABLE order, each in primary-key
             order, one per row; the state says snapshot status done, consistency exact, the row
             counts written, and the log's 'streaming from FILE:POS' is snapshot.start
  writes     the writer committed transactions while the snapshot ran (between the daemon's
             'starting' and 'snapshot complete' log lines), else the test proves nothing
  reference  (file case) a second daemon, started after the writer stopped, snapshots the quiet
             tables: its rows equal the applied output, value for value
  kafka      (kafka case) every message has key = the JSON array of the primary key, partition =
             murmur2(key) % 6, the position headers; snapshot messages also the header
             mysql-cdc.snapshot=true (and no stream message has it). Within each partition the
             messages come in the order snapshot rows, then the stream in binlog order, so each
             key's changes are in order; applied in that order the checks above hold.

    tests/integration/test_snapshot_consistency.py --mysql-cdc BUILD/src/mysql-cdc --sink file
    tests/integration/test_snapshot_consistency.py --mysql-cdc BUILD/src/mysql-cdc --sink kafka \
        --broker BUILD/tests/support/kafka_test_broker [--seed N] [--batch-size N] [--keep]

Shared with test_snapshot_replica.py: TableSpec, select_rows, Replay, Writer, read_output,
kafka_ordered, compare_content.
"""

from __future__ import annotations

import json
import random
import re
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from daemon_harness import (Daemon, DaemonError, catch_up_and_stop, daemon_env,  # noqa: E402
                            logged_errors, start_mariadb)
from kafka_broker import KafkaBroker, KafkaBrokerError, consume  # noqa: E402
from mariadb_server import MariaDB  # noqa: E402
from script_frame import (pick_seed, require_files, run_in_work_dir,  # noqa: E402
                          script_arguments)

TOPIC = "cdc"
PARTITIONS = 6


class TestFailure(AssertionError):
    pass


# --- values in one canonical text --------------------------------------------------------------
# The daemon writes numbers as JSON numbers and everything else of these tables (VARCHAR, DECIMAL,
# DATE, DATETIME) as JSON strings. A number is kept as its digits ({"#": "5"}), so the comparison
# is of the exact text, never of a float.

def _num(text: str) -> dict:
    return {"#": text}


def load(text: str):
    return json.loads(text, parse_int=_num, parse_float=_num)


def canon(values) -> str:
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))


@dataclass
class TableSpec:
    name: str                        # schema.table
    columns: list[tuple[str, str]]   # (column, "num" | "str")
    key: list[str] | None            # primary-key columns in key order; None: no primary key

    def names(self) -> list[str]:
        return [c for c, _ in self.columns]


def select_rows(db: MariaDB, spec: TableSpec) -> dict[str, object]:
    """The table's content now, as the consumer holds it: {key: row} (PK) or {row: count} (no
    PK), rows and keys in canonical text. Strings are read as HEX of their utf8mb4 bytes."""
    exprs = [f"`{c}`" if kind == "num" else f"HEX(CONVERT(`{c}` USING utf8mb4))"
             for c, kind in spec.columns]
    schema, table = spec.name.split(".")
    out = db.execute(f"SELECT {', '.join(exprs)} FROM `{schema}`.`{table}`;", timeout=600)
    idx = [spec.names().index(k) for k in spec.key] if spec.key else None
    rows: dict = {} if spec.key else Counter()
    for line in out.splitlines():
        values = []
        for f, (_, kind) in zip(line.split("\t"), spec.columns):
            if f == "NULL":
                values.append(None)
            elif kind == "num":
                values.append({"#": f})
            else:
                values.append(bytes.fromhex(f).decode("utf-8"))
        if idx is None:
            rows[canon(values)] += 1
        else:
            rows[canon([values[i] for i in idx])] = canon(values)
    return dict(rows)


# --- the consumer --------------------------------------------------------------------------------

class Replay:
    """Applies events by key (notes/snapshot_spec.md, "Consistency"); a table without a primary
    key is a multiset of whole rows. With strict=True it also records every event that does not
    fit the state it is applied to (see the module docstring, "exact")."""

    def __init__(self, specs: list[TableSpec], strict: bool):
        self.specs = {s.name: s for s in specs}
        self.strict = strict
        self.rows: dict[str, dict] = {s.name: {} for s in specs}
        self.kinds: Counter = Counter()
        self.violations: list[str] = []
        self.violation_count = 0
        self.n = 0
        self.first_stream: int | None = None
        self.last_snapshot: int | None = None
        self.snapshot_keys: dict[str, list] = {s.name: [] for s in specs}
        self.table_order: list[str] = []
        self._idx: dict[tuple[str, tuple], list[int]] = {}

    def _violation(self, text: str) -> None:
        self.violation_count += 1
        if len(self.violations) < 10:
            self.violations.append(text)

    def _key(self, spec: TableSpec, names: list[str], values: list) -> str:
        idx = self._idx.get((spec.name, tuple(names)))
        if idx is None:
            if names != spec.names():
                raise TestFailure(f"{spec.name}: event columns {names}, the table has "
                                  f"{spec.names()}")
            idx = [names.index(k) for k in spec.key]
            self._idx[(spec.name, tuple(names))] = idx
        return canon([values[i] for i in idx])

    def apply(self, ev: dict, where: str) -> None:
        table = f"{ev.get('schema')}.{ev.get('table')}"
        spec = self.specs.get(table)
        if spec is None:
            raise TestFailure(f"{where}: an event of an unwatched table {table}")
        kind = ev["kind"]
        self.n += 1
        self.kinds[f"{table} {kind}"] += 1
        rows = self.rows[table]
        after = ev["columnvalues"] if kind != "delete" else None
        before = None
        if kind in ("update", "delete"):
            old = ev.get("oldkeys") or {}
            if "keyvalues" not in old:
                raise TestFailure(f"{where}: {kind} without the before-image: {canon(ev)[:300]}")
            before = old["keyvalues"]
            if old.get("keynames") != spec.names():
                raise TestFailure(f"{where}: oldkeys.keynames {old.get('keynames')}")
        if kind == "snapshot_insert":
            self.last_snapshot = self.n
            if not self.table_order or self.table_order[-1] != table:
                self.table_order.append(table)
            if spec.key:
                self.snapshot_keys[table].append([v["#"] if isinstance(v, dict) else v
                                                  for v in (after[spec.names().index(k)]
                                                            for k in spec.key)])
        elif kind in ("insert", "update", "delete"):
            if self.first_stream is None:
                self.first_stream = self.n
        else:
            raise TestFailure(f"{where}: unknown kind {kind!r}")
        if spec.key is None:
            self._apply_multiset(rows, kind, after, before, where)
        else:
            self._apply_keyed(spec, rows, ev, kind, after, before, where)

    def _apply_keyed(self, spec, rows, ev, kind, after, before, where) -> None:
        names = ev["columnnames"] if after is not None else ev["oldkeys"]["keynames"]
        if before is not None:
            old_key = self._key(spec, ev["oldkeys"]["keynames"], before)
            if self.strict and rows.get(old_key) != canon(before):
                have = rows.get(old_key)
                self._violation(f"{where}: {kind} of {spec.name} key {old_key}: before-image "
                                f"{canon(before)[:200]}, but the consumer holds "
                                f"{have[:200] if have else '(no row)'}")
            if kind == "delete":
                rows.pop(old_key, None)
                return
        new_key = self._key(spec, names, after)
        if self.strict and new_key in rows and (before is None or new_key != old_key):
            self._violation(f"{where}: {kind} of {spec.name} writes key {new_key}, which the "
                            f"consumer already holds: {rows[new_key][:200]}")
        if before is not None and new_key != old_key:
            rows.pop(old_key, None)
        rows[new_key] = canon(after)

    def _apply_multiset(self, rows, kind, after, before, where) -> None:
        if before is not None:
            b = canon(before)
            if rows.get(b, 0) > 0:
                rows[b] -= 1
                if rows[b] == 0:
                    del rows[b]
            elif self.strict:
                self._violation(f"{where}: {kind} of a row the consumer does not hold: "
                                f"{b[:200]}")
        if after is not None:
            a = canon(after)
            rows[a] = rows.get(a, 0) + 1


def compare_content(replay: Replay, expected: dict[str, dict], label: str) -> list[str]:
    """Problems between the consumer's tables and `expected` ({table: select_rows(...)})."""
    problems = []
    for table, want in expected.items():
        have = replay.rows[table]
        keyed = replay.specs[table].key is not None
        missing = [k for k in want if k not in have]
        extra = [k for k in have if k not in want]
        differ = [k for k in want if k in have and have[k] != want[k]]
        what = "key" if keyed else "row"
        if missing:
            problems.append(f"[{label}] {table}: {len(missing)} {what}(s) of the table missing "
                            f"from the applied output, e.g. {missing[:3]}")
        if extra:
            problems.append(f"[{label}] {table}: {len(extra)} {what}(s) in the applied output "
                            f"that the table does not have, e.g. {extra[:3]}")
        if differ:
            k = differ[0]
            problems.append(f"[{label}] {table}: {len(differ)} {what}(s) differ; first {k}: "
                            f"table {str(want[k])[:200]} | output {str(have[k])[:200]}")
        if not (missing or extra or differ):
            n = len(want) if keyed else sum(want.values())
            print(f"  [{label}] {table}: the applied output equals the table ({n} rows)",
                  flush=True)
    return problems


# --- output --------------------------------------------------------------------------------------

def read_output(path: Path, replay: Replay) -> None:
    """Applies the file sink's output, line by line (every line complete JSON)."""
    data = path.read_bytes() if path.exists() else b""
    if data and not data.endswith(b"\n"):
        raise TestFailure(f"{path} ends in a partial line: {data[-200:]!r}")
    for n, line in enumerate(data.decode("utf-8").splitlines(), 1):
        try:
            ev = load(line)
        except ValueError as e:
            raise TestFailure(f"{path} line {n} is not JSON ({e}): {line[:300]}")
        replay.apply(ev, f"line {n}")


def binlog_order(headers: dict[str, str]) -> tuple[int, int, int] | None:
    try:
        return (int(headers["mysql-cdc.file"].rsplit(".", 1)[1]), int(headers["mysql-cdc.pos"]),
                int(headers["mysql-cdc.row"]))
    except (KeyError, ValueError, IndexError):
        return None


def kafka_ordered(bootstrap: str, topic: str, specs: list[TableSpec], partitions: int,
                  start: tuple[str, int] | None) -> tuple[list[tuple[str, dict]], list[str]]:
    """Reads the topic with kcat; checks every message's key, partition and headers; returns the
    events in the order a consumer applies them (snapshot rows by ordinal, then the stream in
    binlog order) with a label each, and the problems found."""
    from test_kafka_sink import partition_of
    by_name = {s.name: s for s in specs}
    messages = consume(bootstrap, topic, timeout=300)
    problems: list[str] = []

    def problem(text: str) -> None:
        if len(problems) < 20:
            problems.append(text)

    ranked = []          # (rank, partition, offset, event)
    seen_rank: dict[tuple, str] = {}
    snap_headers = Counter()
    for m in messages:
        where = f"{topic}[{m.partition}]@{m.offset}"
        try:
            ev = load(m.value)
        except ValueError:
            problem(f"{where}: value is not JSON: {m.value[:200]!r}")
            continue
        spec = by_name.get(f"{ev.get('schema')}.{ev.get('table')}")
        if spec is None:
            problem(f"{where}: a message of an unwatched table: {m.value[:200]}")
            continue
        is_snap = ev.get("kind") == "snapshot_insert"
        flag = m.headers.get("mysql-cdc.snapshot")
        if is_snap and flag != "true":
            problem(f"{where}: a snapshot_insert without header mysql-cdc.snapshot=true: "
                    f"{m.headers}")
        if not is_snap and flag is not None:
            problem(f"{where}: a {ev.get('kind')} with header mysql-cdc.snapshot={flag!r}")
        pos = binlog_order(m.headers)
        if pos is None:
            problem(f"{where}: position headers missing or bad: {m.headers}")
            continue
        if is_snap:
            at = (m.headers["mysql-cdc.file"], int(m.headers["mysql-cdc.pos"]))
            snap_headers[at] += 1
            # The ordinal may count per table: the table's place in MYSQL_TABLE first.
            rank = (0, list(by_name).index(spec.name), pos[2], 0)
        else:
            rank = (1,) + pos
        if rank in seen_rank:
            problem(f"{where}: same position headers as {seen_rank[rank]}: {m.headers}")
        seen_rank[rank] = where
        # The key: the primary key's values (the new ones; a delete's old ones), or for a table
        # without one every column; as a JSON array.
        image = ev["oldkeys"].get("keyvalues") if ev.get("kind") == "delete" else \
            ev.get("columnvalues")
        names = spec.names()
        want = [image[names.index(k)] for k in spec.key] if spec.key else list(image or [])
        try:
            key = load(m.key)
        except ValueError:
            key = m.key
        if key != want:
            problem(f"{where}: key {m.key!r}, want the JSON array {canon(want)}")
        elif partition_of(m.key, partitions) != m.partition:
            problem(f"{where}: key {m.key} is in partition {m.partition}, murmur2 % "
                    f"{partitions} = {partition_of(m.key, partitions)}")
        ranked.append((rank, m.partition, m.offset, ev))
    # Within each partition, offsets follow the rank: snapshot rows first, then binlog order.
    by_partition: dict[int, list] = {}
    for r in ranked:
        by_partition.setdefault(r[1], []).append(r)
    for p, items in by_partition.items():
        items.sort(key=lambda r: r[2])
        for x, y in zip(items, items[1:]):
            if y[0] <= x[0]:
                problem(f"{topic}[{p}]: offset {y[2]} (rank {y[0]}) comes after offset {x[2]} "
                        f"(rank {x[0]}): not snapshot-then-binlog order")
                break
    if start is not None and set(snap_headers) - {start}:
        problem(f"snapshot messages carry positions {dict(snap_headers)}, want all at the "
                f"stream start {start[0]}:{start[1]}")
    ranked.sort(key=lambda r: r[0])
    print(f"  {topic}: {len(messages)} messages ({sum(snap_headers.values())} snapshot) in "
          f"{len(by_partition)} partitions", flush=True)
    return [(f"{topic}[{p}]@{o}", ev) for _r, p, o, ev in ranked], problems


# --- the writer ----------------------------------------------------------------------------------

class Writer(threading.Thread):
    """Commits transactions from `make_tx(rng) -> [statements]` in batches (one mariadb client
    connection per batch) until stop() and records when each batch committed."""

    def __init__(self, db: MariaDB, make_tx, seed: int, per_batch: int = 10,
                 pause: float = 0.02, database: str = "d"):
        super().__init__(daemon=True)
        self.db, self.make_tx, self.rng = db, make_tx, random.Random(seed)
        self.per_batch, self.pause, self.database = per_batch, pause, database
        self.commits: list[tuple[float, int]] = []   # (monotonic time after the batch, txs)
        self.statements = 0
        self.error: str | None = None
        self._stop_event = threading.Event()

    def run(self) -> None:
        try:
            while not self._stop_event.is_set():
                script = []
                for _ in range(self.per_batch):
                    stmts = self.make_tx(self.rng)
                    self.statements += len(stmts)
                    if len(stmts) == 1 and self.rng.random() < 0.5:
                        script += stmts                      # autocommit
                    else:
                        script += ["BEGIN;", *stmts, "COMMIT;"]
                self.db.execute("\n".join(script), database=self.database, timeout=120)
                self.commits.append((time.monotonic(), self.per_batch))
                self._stop_event.wait(self.pause)
        except Exception as e:  # noqa: BLE001 - reported by the main thread
            self.error = f"the writer failed: {e}"[:3000]

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=180)
        if self.is_alive():
            raise TestFailure("the writer did not stop within 180 s")

    def committed_between(self, t0: float, t1: float) -> int:
        return sum(n for t, n in self.commits if t0 <= t <= t1)


# --- this test's tables and workload -------------------------------------------------------------

ROWS_A, ROWS_B = 200_000, 100_000
SPECS = [
    TableSpec("d.a", [("id", "num"), ("n", "num"), ("s", "str"), ("amount", "str"),
                      ("at", "str")], ["id"]),
    TableSpec("d.b", [("id", "num"), ("qty", "num"), ("label", "str"), ("note", "str")], ["id"]),
]
SCHEMA = """
CREATE DATABASE d;
CREATE TABLE d.a (id INT PRIMARY KEY, n INT NOT NULL, s VARCHAR(64) NOT NULL,
                  amount DECIMAL(12,2) NULL, at DATETIME NULL) DEFAULT CHARSET=utf8mb4;
CREATE TABLE d.b (id BIGINT PRIMARY KEY, qty INT NOT NULL, label VARCHAR(64) NOT NULL,
                  note VARCHAR(32) NULL) DEFAULT CHARSET=utf8mb4;
"""
FILL = f"""
INSERT INTO d.a SELECT seq, (seq * 7) % 1000, CONCAT('r', seq), IF(seq % 5 = 0, NULL, seq / 100),
  IF(seq % 3 = 0, NULL, TIMESTAMP'2024-01-01 00:00:00' + INTERVAL seq MINUTE)
  FROM seq_1_to_{ROWS_A};
INSERT INTO d.b SELECT seq, seq % 97, CONCAT('b', seq), IF(seq % 4 = 0, NULL, CONCAT('ü€', seq))
  FROM seq_1_to_{ROWS_B};
"""


class ABWorkload:
    """Transactions over d.a and d.b; new keys count up from above the fill and down from -1."""

    def __init__(self):
        self.hi = {"a": ROWS_A + 1, "b": ROWS_B + 1}
        self.lo = {"a": -1, "b": -1}
        self.size = {"a": ROWS_A, "b": ROWS_B}

    def _values(self, t: str, i: int, rng: random.Random) -> str:
        if t == "a":
            amount = "NULL" if rng.random() < 0.2 else f"{rng.randint(-99999, 99999) / 100:.2f}"
            at = "NULL" if rng.random() < 0.2 else \
                f"'2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} 12:34:56'"
            return f"({i}, {rng.randint(0, 10**6)}, 'w{i}', {amount}, {at})"
        note = "NULL" if rng.random() < 0.3 else f"'wß{rng.randint(0, 999)}'"
        return f"({i}, {rng.randint(0, 96)}, 'wb{i}', {note})"

    def tx(self, rng: random.Random) -> list[str]:
        ops = []
        for _ in range(rng.randint(1, 5)):
            t = rng.choice("ab")
            x = rng.randint(1, self.size[t])
            r = rng.random()
            if r < 0.15:
                i, self.hi[t] = self.hi[t], self.hi[t] + 1
                ops.append(f"INSERT INTO d.{t} VALUES {self._values(t, i, rng)};")
            elif r < 0.22:        # back into the range the snapshot may have read already
                ops.append(f"INSERT IGNORE INTO d.{t} VALUES {self._values(t, x, rng)};")
            elif r < 0.55:
                if t == "a":
                    ops.append(f"UPDATE d.a SET n = n + 1, s = CONCAT('u', id, '.', n) "
                               f"WHERE id = {x};")
                else:
                    ops.append(f"UPDATE d.b SET qty = qty + 1, note = IF(note IS NULL, 'set', "
                               f"NULL) WHERE id = {x};")
            elif r < 0.65:        # a primary-key change: to the far end or below everything
                if rng.random() < 0.5:
                    i, self.hi[t] = self.hi[t], self.hi[t] + 1
                else:
                    i, self.lo[t] = self.lo[t], self.lo[t] - 1
                ops.append(f"UPDATE d.{t} SET id = {i} WHERE id = {x};")
            elif r < 0.8:
                ops.append(f"DELETE FROM d.{t} WHERE id = {x};")
            elif r < 0.93:
                col = "n" if t == "a" else "qty"
                ops.append(f"UPDATE d.{t} SET {col} = {col} + 1 WHERE id BETWEEN {x} AND "
                           f"{x + rng.randint(5, 150)};")
            else:
                ops.append(f"DELETE FROM d.{t} WHERE id BETWEEN {x} AND {x + rng.randint(2, 25)};")
        return ops


# --- checks shared by the cases -----------------------------------------------------------------

def check_state(d: Daemon, specs: list[TableSpec], snapshot_counts: dict[str, int],
                want_consistency: str) -> tuple[tuple[str, int] | None, list[str]]:
    """The state's snapshot record; returns (snapshot.start, problems)."""
    problems = []
    st = d.state() or {}
    snap = st.get("snapshot")
    if not isinstance(snap, dict):
        return None, [f"the state has no snapshot record: {st}"]
    start = snap.get("start") or {}
    start_pos = (start.get("log_file"), start.get("log_pos"))
    if snap.get("status") != "done":
        problems.append(f"state snapshot.status {snap.get('status')!r}, want 'done'")
    if snap.get("consistency") != want_consistency:
        problems.append(f"state snapshot.consistency {snap.get('consistency')!r}, want "
                        f"{want_consistency!r}")
    if snap.get("resumed", 0) != 0:
        problems.append(f"state snapshot.resumed {snap.get('resumed')} in an uninterrupted run")
    tables = {t.get("table"): t for t in snap.get("tables", [])}
    for s in specs:
        t = tables.get(s.name)
        if t is None or not t.get("done") or t.get("rows") != snapshot_counts.get(s.name, 0):
            problems.append(f"state snapshot.tables entry of {s.name} is {t}; the output has "
                            f"{snapshot_counts.get(s.name, 0)} snapshot rows of it")
    logs = "".join(r.stderr() for r in d.runs)
    m = re.search(r"snapshot complete: .*streaming from (\S+):(\d+)", logs)
    if not m:
        problems.append("no 'snapshot complete: ... streaming from FILE:POS' log line")
    elif (m.group(1), int(m.group(2))) != start_pos:
        problems.append(f"the log streams from {m.group(1)}:{m.group(2)}, the state's "
                        f"snapshot.start is {start_pos}")
    return start_pos, problems


def check_shape(replay: Replay, specs: list[TableSpec]) -> list[str]:
    """Snapshot rows first, tables in order, each in primary-key order (integer keys)."""
    problems = []
    if replay.first_stream is not None and replay.last_snapshot is not None and \
            replay.first_stream < replay.last_snapshot:
        problems.append(f"a stream event (#{replay.first_stream}) comes before the last "
                        f"snapshot_insert (#{replay.last_snapshot})")
    order = [s.name for s in specs if replay.snapshot_keys.get(s.name) or
             replay.kinds.get(f"{s.name} snapshot_insert")]
    if replay.table_order != order:
        problems.append(f"snapshot tables in the order {replay.table_order}, want {order}")
    for s in specs:
        keys = replay.snapshot_keys.get(s.name) or []
        if s.key and all(kind == "num" for c, kind in s.columns if c in s.key):
            ints = [tuple(int(v) for v in k) for k in keys]
            bad = next((i for i in range(1, len(ints)) if ints[i] <= ints[i - 1]), None)
            if bad is not None:
                problems.append(f"{s.name}: snapshot rows not in primary-key order: key "
                                f"{ints[bad]} after {ints[bad - 1]} (row {bad + 1})")
    return problems


def strict_result(replay: Replay, label: str) -> list[str]:
    if replay.violation_count:
        return [f"[{label}] the output does not replay exactly: {replay.violation_count} "
                f"event(s) do not fit the consumer's state:\n      "
                + "\n      ".join(replay.violations)]
    print(f"  [{label}] exact: all {replay.n} events replay strictly (no insert of a held key, "
          f"every before-image equals the held row)", flush=True)
    return []


def self_test() -> None:
    """The strict consumer catches a stream that starts too early or too late (cheap, no
    server): a guard against a check that cannot fail."""
    spec = TableSpec("d.t", [("id", "num"), ("v", "num")], ["id"])

    def ev(kind, after=None, before=None):
        return {"kind": kind, "schema": "d", "table": "t",
                "columnnames": ["id", "v"] if after else [],
                "columnvalues": [_num(str(x)) for x in after] if after else [],
                "oldkeys": {"keynames": ["id", "v"], "keyvalues": [_num(str(x)) for x in before]}
                if before else {}}
    history = [ev("insert", [1, 0]), ev("update", [1, 1], [1, 0]), ev("update", [1, 2], [1, 1]),
               ev("update", [2, 2], [1, 2]), ev("delete", None, [2, 2])]
    snap_after_two = [ev("snapshot_insert", [1, 1])]
    for label, events, bad in (("exact", snap_after_two + history[2:], False),
                               ("too early", snap_after_two + history[1:], True),
                               ("too late", snap_after_two + history[3:], True)):
        r = Replay([spec], strict=True)
        for i, e in enumerate(events):
            r.apply(e, str(i))
        if bool(r.violation_count) != bad:
            raise TestFailure(f"self test: the strict consumer misjudges a stream starting "
                              f"{label}: {r.violations}")


# --- the cases -----------------------------------------------------------------------------------

def run_case(args, work: Path, seed: int) -> list[str]:
    problems: list[str] = []
    db = start_mariadb(f"snapshot-{args.sink}")
    kafka = None
    d = writer = None
    try:
        t0 = time.monotonic()
        db.execute(SCHEMA)
        db.execute(FILL, database="d", timeout=600)
        print(f"  filled d.a ({ROWS_A} rows) and d.b ({ROWS_B} rows) in "
              f"{time.monotonic() - t0:.1f} s", flush=True)
        extra = dict(INITIAL_SNAPSHOT="true", SNAPSHOT_BATCH_SIZE=str(args.batch_size))
        if args.sink == "kafka":
            from test_kafka_daemon import kafka_env
            kafka = KafkaBroker(args.broker).start()
            kafka.create_topic(TOPIC, PARTITIONS)
            env = kafka_env(db, work / "daemon", kafka.bootstrap, **extra)
        else:
            env = daemon_env(db, work / "daemon", database="d", tables="a,d.b", **extra)
        d = Daemon(args.mysql_cdc, env, work / "daemon")

        workload = ABWorkload()
        writer = Writer(db, workload.tx, seed)
        writer.start()
        time.sleep(1.0)                   # the writer is in full swing before the snapshot
        d.start()
        d.wait_for_log(r"snapshot of d\.a: starting", timeout=120)
        t_start = time.monotonic()
        d.wait_for_log(r"snapshot complete", timeout=args.timeout)
        t_end = time.monotonic()
        time.sleep(1.0)                   # and it goes on a little into the stream
        writer.stop()
        if writer.error:
            raise TestFailure(writer.error)
        during = writer.committed_between(t_start, t_end)
        total = sum(n for _, n in writer.commits)
        print(f"  snapshot ran {t_end - t_start:.1f} s with SNAPSHOT_BATCH_SIZE="
              f"{args.batch_size}; the writer committed {during} transactions during it, "
              f"{total} in all ({writer.statements} statements)", flush=True)
        if during < 20:
            problems.append(f"only {during} writer transactions committed while the snapshot ran "
                            f"({t_end - t_start:.1f} s): the test proves little; lower "
                            f"--batch-size")
        catch_up_and_stop(d, db, problems, timeout=300, since="the writer stopped", indent="  ")

        expected = {s.name: select_rows(db, s) for s in SPECS}
        replay = Replay(SPECS, strict=True)
        if args.sink == "kafka":
            st = (d.state() or {}).get("snapshot") or {}
            start = st.get("start") or {}
            events, kproblems = kafka_ordered(kafka.bootstrap, TOPIC, SPECS, PARTITIONS,
                                              (start.get("log_file"), start.get("log_pos")))
            problems += [f"[kafka] {p}" for p in kproblems]
            for where, ev in events:
                replay.apply(ev, where)
        else:
            read_output(d.output_file, replay)
        counts = {s.name: replay.kinds.get(f"{s.name} snapshot_insert", 0) for s in SPECS}
        stream = sum(v for k, v in replay.kinds.items() if not k.endswith("snapshot_insert"))
        print(f"  output: {dict(replay.kinds)}", flush=True)
        if stream == 0:
            problems.append("no stream events at all after the snapshot")
        _start, sproblems = check_state(d, SPECS, counts, "exact")
        problems += sproblems
        problems += check_shape(replay, SPECS)
        problems += strict_result(replay, args.sink)
        problems += compare_content(replay, expected, f"{args.sink} by key")

        if args.sink == "file":
            # The reference: a second daemon's snapshot of the now quiet tables.
            ref_env = daemon_env(db, work / "reference", database="d", tables="a,d.b",
                                 INITIAL_SNAPSHOT="true", SNAPSHOT_BATCH_SIZE="5000")
            ref = Daemon(args.mysql_cdc, ref_env, work / "reference")
            try:
                ref.start()
                ref.wait_for_log(r"snapshot complete", timeout=args.timeout)
                ref.wait_caught_up(db, timeout=60)
                rc, _ = ref.sigterm()
                if rc != 0:
                    problems.append(f"reference daemon: SIGTERM exit {rc}\n{ref.log_tail()}")
                ref_replay = Replay(SPECS, strict=True)
                read_output(ref.output_file, ref_replay)
                if set(k.split()[1] for k in ref_replay.kinds) != {"snapshot_insert"}:
                    problems.append(f"reference daemon wrote {dict(ref_replay.kinds)}")
                problems += strict_result(ref_replay, "reference snapshot")
                problems += compare_content(replay, ref_replay.rows, "output vs reference")
                problems += logged_errors(ref)
            finally:
                ref.stop()
        problems += logged_errors(d)
    finally:
        if writer is not None and writer.is_alive():
            writer._stop_event.set()
        if d is not None:
            d.stop()
        if kafka is not None:
            kafka.stop()
        db.stop()
    return problems


def main() -> int:
    ap = script_arguments(__doc__, seed_help="the writer's RNG seed (default: random, printed)")
    ap.add_argument("--sink", choices=("file", "kafka"), required=True)
    ap.add_argument("--broker", help="the kafka_test_broker binary (--sink kafka)")
    ap.add_argument("--batch-size", type=int, default=200, help="SNAPSHOT_BATCH_SIZE")
    ap.add_argument("--timeout", type=float, default=400, help="seconds for the snapshot")
    args = ap.parse_args()
    if not require_files(mysql_cdc=args.mysql_cdc,
                         **({"broker": args.broker} if args.sink == "kafka" else {})):
        return 2
    self_test()
    seed = pick_seed(args.seed)
    return run_in_work_dir(lambda work: run_case(args, work, seed),
                           f"snapshot-consistency-{args.sink}-", args.keep,
                           (TestFailure, DaemonError, KafkaBrokerError), f" with seed {seed}",
                           limit=30, indent=True)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Issue 15, acceptance 1: exactly-once into Kafka under >= 20 SIGKILLs in every output format
and key mode (primary_key, bare_primary_key, table; tombstones). A real MariaDB, the daemon
(OUTPUT_SINK=kafka, FLUSH_INTERVAL_MS=5 and FLUSH_MAX_CHANGES=50, so checkpoints fall inside
transactions), the test broker, kcat. Debezium modes run with DEBEZIUM_TRANSACTION_METADATA.

A writer thread commits random transactions over d.x and d.y (inserts, updates, primary-key
moves, deletes) from one session, so commit order is binlog order, and models each change;
meanwhile the daemon is SIGKILLed at random moments and restarted at once. After the writes
stop and the daemon caught up, the topic must hold every change exactly once:

  - each message's position (mysql-cdc.file/pos/row headers, and mysql-cdc.part) occurs once;
  - in position order, each change's messages are exactly what the mode makes of it: seed, one
    event (a primary-key move too, with oldkeys); debezium, op c/u/d with before/after, and a
    primary-key move as a delete of the old key and a create of the new one; with tombstones a
    null-valued message with the delete's key right after each delete;
  - the changes in position order are the writes in commit order (table, kind, ids, value);
  - positions strictly increase within each partition; with KAFKA_MESSAGE_KEY=table every
    message of a table is in one partition under the key "d.x"; a tombstone is the message
    right after its delete in their partition.

    tests/integration/test_kafka_modes_crash.py --mysql-cdc BUILD/src/mysql-cdc \
        --broker BUILD/tests/support/kafka_test_broker --mode debezium:table [--seed N]
"""

from __future__ import annotations

import json
import random
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from daemon_harness import (Daemon, DaemonError, catch_up_and_stop, daemon_env,  # noqa: E402
                            logged_errors, start_mariadb)
from kafka_broker import KafkaBroker, KafkaBrokerError, consume  # noqa: E402
from script_frame import pick_seed, require_files, script_arguments  # noqa: E402
from test_kafka_sink import partition_of  # noqa: E402

TOPIC = "cdc"
PARTITIONS = 4
TABLES = ("x", "y")
DDL = "CREATE DATABASE IF NOT EXISTS d;\n" + "".join(
    f"CREATE TABLE d.{t} (id INT PRIMARY KEY, v INT NOT NULL);\n" for t in TABLES)
MODES = ("seed:primary_key", "seed:table", "seed:primary_key+tombstones",
         "debezium:primary_key+tombstones", "debezium:table", "seed:bare_primary_key",
         "debezium:bare_primary_key")


class Writer(threading.Thread):
    """Random transactions until stopped; `history` is every change in commit order as
    (table, kind, old id, new id, v, old v): kind insert/update/delete, old id None for an
    insert, new id None for a delete, v the row's value after (before, for a delete)."""

    def __init__(self, db, seed: int):
        super().__init__(daemon=True)
        self.db, self.rng = db, random.Random(seed)
        self.rows: dict[str, dict[int, int]] = {t: {} for t in TABLES}
        self.history: list[tuple] = []
        self.next_id = {t: 1 for t in TABLES}
        self.v = 0
        self.stop = threading.Event()
        self.committed = threading.Event()  # set after each batch of transactions
        self.error: str | None = None

    def _op(self, t: str, pending: list) -> str:
        rows = self.rows[t]
        self.v += 1
        r = self.rng.random()
        if not rows or r < 0.4:
            i = self.next_id[t]
            self.next_id[t] += 1
            rows[i] = self.v
            pending.append((t, "insert", None, i, self.v, None))
            return f"INSERT INTO d.{t} VALUES ({i}, {self.v});"
        i = self.rng.choice(list(rows)[-50:])
        if r < 0.7:
            pending.append((t, "update", i, i, self.v, rows[i]))
            rows[i] = self.v
            return f"UPDATE d.{t} SET v = {self.v} WHERE id = {i};"
        if r < 0.8:
            new = self.next_id[t]
            self.next_id[t] += 1
            pending.append((t, "update", i, new, self.v, rows.pop(i)))
            rows[new] = self.v
            return f"UPDATE d.{t} SET id = {new}, v = {self.v} WHERE id = {i};"
        v = rows.pop(i)
        pending.append((t, "delete", i, None, v, v))
        return f"DELETE FROM d.{t} WHERE id = {i};"

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                script, pending = [], []
                for _ in range(20):
                    # Now and then a transaction longer than FLUSH_MAX_CHANGES: checkpoints
                    # inside it, so kills leave the output ahead of a mid-transaction one.
                    n = self.rng.randint(1000, 3000) if self.rng.random() < 0.03 else \
                        self.rng.randint(1, 6)
                    ops = [self._op(self.rng.choice(TABLES), pending) for _ in range(n)]
                    script += ["BEGIN;", *ops, "COMMIT;"]
                self.db.execute("\n".join(script), database="d", timeout=120)
                self.history += pending
                self.committed.set()
                time.sleep(0.05)
        except Exception as e:  # noqa: BLE001 - reported by the main thread
            self.error = f"writes failed: {e}"[:2000]


def position(m) -> tuple[int, int, int, int] | None:
    """(file number, pos, row, part) from the position headers."""
    h = m.headers
    try:
        return (int(h["mysql-cdc.file"].rsplit(".", 1)[1]), int(h["mysql-cdc.pos"]),
                int(h["mysql-cdc.row"]), int(h.get("mysql-cdc.part", "0")))
    except (KeyError, ValueError, IndexError):
        return None


def record_of(value: str) -> tuple:
    """(table, kind, old id, new id, v) of one message's value, seed or Debezium."""
    e = json.loads(value)
    if "kind" in e:                       # the seed format
        row = lambda names, values: dict(zip(names, values))
        after = row(e["columnnames"], e["columnvalues"]) if e["kind"] != "delete" else None
        before = row(e["oldkeys"]["keynames"], e["oldkeys"]["keyvalues"]) \
            if e["oldkeys"] else None
        kind = e["kind"]
    else:                                 # Debezium's envelope (payload with schemas on)
        e = e.get("payload", e)
        before, after = e.get("before"), e.get("after")
        kind = {"c": "insert", "u": "update", "d": "delete"}.get(e.get("op"), e.get("op"))
        e = dict(e, table=(e.get("source") or {}).get("table"))
    return (e["table"], kind, before["id"] if before else None, after["id"] if after else None,
            (after or before or {}).get("v"))


def safe_record(value: str | None) -> tuple | None:
    try:
        return record_of(value) if value is not None else None
    except (ValueError, KeyError, TypeError):
        return None


def expected_records(change: tuple, debezium: bool, tombstones: bool) -> list:
    """What the mode makes of one change: records as record_of gives them, "tombstone" for a
    null value."""
    t, kind, old, new, v, old_v = change
    if kind == "delete":
        return [change[:5]] + (["tombstone"] if tombstones else [])
    if debezium and kind == "update" and old != new:
        # A primary-key move: a delete of the old key and a create of the new one.
        return [(t, "delete", old, None, old_v)] + (["tombstone"] if tombstones else []) + \
               [(t, "insert", None, new, v)]
    return [change[:5]]


def check_transaction_blocks(got: list, problems: list[str]) -> None:
    """DEBEZIUM_TRANSACTION_METADATA: within each transaction (file, pos) the events in order
    have total_order 1, 2, ... and, per table, data_collection_order 1, 2, ..., whichever run
    wrote them (a run resumed inside a transaction must go on counting where the first one
    was), and the same transaction id."""
    by_tx: dict[tuple, list] = {}
    for at, _, parts in got:
        for _, m in parts:
            if m.value is not None:
                by_tx.setdefault(at[:2], []).append(m)
    for tx, msgs in by_tx.items():
        tables: dict[str, int] = {}
        ids = set()
        for k, m in enumerate(msgs):
            e = json.loads(m.value)
            e = e.get("payload", e)
            block = e.get("transaction")
            if not isinstance(block, dict):
                problems.append(f"transaction {tx}: event {k} has transaction {block!r}")
                return
            table = (e.get("source") or {}).get("table")
            tables[table] = tables.get(table, 0) + 1
            ids.add(block.get("id"))
            want = (k + 1, tables[table])
            have = (block.get("total_order"), block.get("data_collection_order"))
            if have != want:
                problems.append(f"transaction {tx}: event {k} ({table}) has total_order/"
                                f"data_collection_order {have}, want {want}")
                return
        if len(ids) != 1:
            problems.append(f"transaction {tx}: transaction ids {sorted(map(str, ids))}")
            return


def verify(messages: list, history: list, debezium: bool, tombstones: bool,
           table_keys: bool) -> list[str]:
    problems: list[str] = []
    by_pos: dict[tuple, list] = {}
    for m in messages:
        p = position(m)
        if p is None:
            problems.append(f"[{m.partition}]@{m.offset}: no position headers {m.headers}")
            continue
        by_pos.setdefault(p, []).append(m)
    dups = {p: ms for p, ms in by_pos.items() if len(ms) > 1}
    for p, ms in list(dups.items())[:10]:
        problems.append(f"position {p} written {len(ms)} times: "
                        f"{[(m.partition, m.offset) for m in ms]}")
    # Group the messages into changes by (file, pos, row), parts in order.
    changes: dict[tuple, list] = {}
    for p in sorted(by_pos):
        changes.setdefault(p[:3], []).append((p[3], by_pos[p][0]))
    got = []
    for at, parts in changes.items():
        numbers = [n for n, _ in parts]
        if numbers != list(range(len(parts))):
            problems.append(f"change at {at}: parts {numbers}")
        recs = []
        for _, m in parts:
            if m.value is None:
                recs.append("tombstone")
                continue
            try:
                recs.append(record_of(m.value))
            except (ValueError, KeyError, TypeError) as e:
                problems.append(f"change at {at}: value {m.value[:200]!r} unreadable ({e})")
                recs.append(None)
        got.append((at, recs, parts))
    if debezium:
        check_transaction_blocks(got, problems)
    want = [expected_records(c, debezium, tombstones) for c in history]
    for k in range(max(len(got), len(want))):
        g = got[k][1] if k < len(got) else None
        w = want[k] if k < len(want) else None
        if g != w:
            problems.append(f"change #{k} (of {len(want)} written, {len(got)} in the topic) at "
                            f"{got[k][0] if k < len(got) else None}: {g}, want {w}")
            break
    # Partition order, table keys, tombstone keys.
    by_partition: dict[int, list] = {}
    for m in messages:
        by_partition.setdefault(m.partition, []).append(m)
    table_partitions: dict[str, set] = {}
    for p, msgs in by_partition.items():
        msgs.sort(key=lambda m: m.offset)
        last = None
        for k, m in enumerate(msgs):
            pos = position(m)
            if pos is not None and last is not None and pos <= last:
                problems.append(f"[{p}]@{m.offset}: position {pos} after {last}")
            last = pos or last
            if m.value is None:
                prev = msgs[k - 1] if k else None
                prev_rec = safe_record(prev.value) if prev is not None else None
                if prev is None or prev.key != m.key or prev_rec is None or \
                        prev_rec[1] != "delete":
                    problems.append(f"[{p}]@{m.offset}: tombstone not right after a delete "
                                    f"of its key {m.key!r}")
                continue
            rec = safe_record(m.value)
            if rec is None:
                continue
            table = rec[0]
            table_partitions.setdefault(table, set()).add(p)
            if table_keys and (m.key != f"d.{table}" or
                               partition_of(m.key, PARTITIONS) != p):
                problems.append(f"[{p}]@{m.offset}: key {m.key!r} of d.{table}")
    if table_keys:
        for t, parts in table_partitions.items():
            if len(parts) != 1:
                problems.append(f"d.{t}: messages in partitions {sorted(parts)}, want one")
    return problems


def run(args, work: Path, seed: int) -> list[str]:
    fmt, _, keying = args.mode.partition(":")
    key, _, tomb = keying.partition("+")
    debezium, tombstones = fmt == "debezium", tomb == "tombstones"
    problems: list[str] = []
    kill_rng = random.Random(seed ^ 0x5EED)
    with start_mariadb("kafka-modes") as db, KafkaBroker(args.broker) as kafka:
        db.execute(DDL)
        kafka.create_topic(TOPIC, PARTITIONS)
        env = daemon_env(db, work, "d", ",".join(TABLES), OUTPUT_SINK="kafka",
                         KAFKA_BROKERS=kafka.bootstrap, output=TOPIC, OUTPUT_FORMAT=fmt,
                         KAFKA_MESSAGE_KEY=key, KAFKA_TOMBSTONES=str(tombstones).lower(),
                         **({"DEBEZIUM_TRANSACTION_METADATA": "true"} if debezium else {}),
                         FLUSH_INTERVAL_MS="5", FLUSH_MAX_CHANGES="50")
        env.pop("OUTPUT_FILE")
        d = Daemon(args.mysql_cdc, env, work)
        writer = Writer(db, seed)
        try:
            d.start()
            d.wait_for_state()
            writer.start()
            kills = mid = 0
            while kills < args.kills and not writer.error:
                if kill_rng.random() < 0.5:
                    time.sleep(kill_rng.uniform(0.2, 0.9))
                else:
                    # Right after a batch's commit, while the daemon emits it: a kill then
                    # finds checkpoints inside its long transactions.
                    writer.committed.clear()
                    writer.committed.wait(timeout=5)
                    time.sleep(kill_rng.uniform(0, 0.03))
                if not d.running():
                    problems.append(f"the daemon exited on its own with {d.exit_code()}:\n"
                                    f"{d.log_tail()}")
                    break
                d.sigkill()
                kills += 1
                mid += (d.state() or {}).get("skip_rows", 0) > 0
                d.start()
            writer.stop.set()
            writer.join(timeout=120)
            if writer.error:
                problems.append(writer.error)
            dropping = sum("dropping replayed changes" in r.stderr() for r in d.runs)
            print(f"  {kills} SIGKILLs ({mid} at a checkpoint inside a transaction), "
                  f"{dropping} of {len(d.runs)} runs dropped replayed changes; "
                  f"{len(writer.history)} changes written", flush=True)
            if kills < args.kills:
                problems.append(f"only {kills} SIGKILLs")
            if d.running():
                catch_up_and_stop(d, db, problems, timeout=120, since="the last restart",
                                  indent="  ")
            problems += logged_errors(d, "run {n}: {line}")
        finally:
            d.stop()
        messages = consume(kafka.bootstrap, TOPIC)
        print(f"  {len(messages)} messages in {TOPIC}", flush=True)
        problems += verify(messages, writer.history, debezium, tombstones, key == "table")
    return problems


def main() -> int:
    ap = script_arguments(__doc__, seed_help="RNG seed (default: random, printed)")
    ap.add_argument("--broker", required=True, help="the kafka_test_broker binary")
    ap.add_argument("--mode", required=True, choices=MODES,
                    help="FORMAT:KEY[+tombstones]")
    ap.add_argument("--kills", type=int, default=20, help="SIGKILLs (at least)")
    args = ap.parse_args()
    if not require_files(mysql_cdc=args.mysql_cdc, broker=args.broker):
        return 2
    seed = pick_seed(args.seed)
    work = Path(tempfile.mkdtemp(prefix="kafka-modes-"))
    t0 = time.monotonic()
    try:
        problems = run(args, work, seed)
    except (DaemonError, KafkaBrokerError) as e:
        problems = [str(e)]
    took = time.monotonic() - t0
    if problems:
        print(f"FAILED {args.mode} ({took:.0f} s, seed {seed}; files in {work}):")
        for p in problems[:30]:
            print("  - " + p.replace("\n", "\n    "))
        return 1
    if args.keep:
        print(f"files in {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    print(f"OK {args.mode} ({took:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

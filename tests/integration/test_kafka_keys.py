#!/usr/bin/env python3
"""Issue 15: KAFKA_MESSAGE_KEY and KAFKA_TOMBSTONES end to end. A real MariaDB, the daemon with
OUTPUT_SINK=kafka into the test broker (librdkafka's mock cluster), read back with kcat.

Three tables d.x, d.y, d.z (id INT PRIMARY KEY, v INT) get the same primary keys, written by
interleaved random transactions (inserts, updates, deletes over several tables each); the
expected change history per table is the test's own model of its writes, in commit order.
Every message is compared with it.

  primary_key  the default key on the shared topic: {"table":"d.x","key":[id]}, so rows of two
               tables with equal keys have distinct keys; partition = murmur2(key) % 4
  bare         KAFKA_MESSAGE_KEY=bare_primary_key: the key [id] whatever the table (as before)
  table        KAFKA_MESSAGE_KEY=table on a 6-partition topic: the key is "d.x"; every change of
               a table is in one partition (murmur2("d.x") % 6), in the order of the writes
  tombstones   KAFKA_TOMBSTONES=true: each delete is followed, next in its partition, by a message
               with the same key and a null value; no other null values

    tests/integration/test_kafka_keys.py --mysql-cdc BUILD/src/mysql-cdc \
        --broker BUILD/tests/support/kafka_test_broker --case table [--seed N] [--keep]
"""

from __future__ import annotations

import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from daemon_harness import Daemon, DaemonError, daemon_env, logged_errors, start_mariadb  # noqa: E402
from kafka_broker import KafkaBroker, KafkaBrokerError, consume  # noqa: E402
from script_frame import pick_seed, require_files, script_arguments  # noqa: E402
from test_kafka_sink import partition_of  # noqa: E402

TABLES = ("x", "y", "z")
DDL = "CREATE DATABASE IF NOT EXISTS d;\n" + "".join(
    f"CREATE TABLE d.{t} (id INT PRIMARY KEY, v INT NOT NULL);\n" for t in TABLES)


def compact(value) -> str:
    return json.dumps(value, separators=(",", ":"))


class Writes:
    """Random interleaved transactions over the tables; `history[t]` is each table's changes
    (kind, id, v) in commit order."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.rows: dict[str, dict[int, int]] = {t: {} for t in TABLES}
        self.history: dict[str, list[tuple[str, int, int]]] = {t: [] for t in TABLES}
        self.v = 0

    def _op(self, t: str) -> str:
        rows = self.rows[t]
        self.v += 1
        r = self.rng.random()
        if not rows or r < 0.45:
            # The same ids in every table: equal primary keys across tables.
            free = [i for i in range(1, 41) if i not in rows]
            if free:
                i = self.rng.choice(free)
                rows[i] = self.v
                self.history[t].append(("insert", i, self.v))
                return f"INSERT INTO d.{t} VALUES ({i}, {self.v});"
        i = self.rng.choice(sorted(rows))
        if r < 0.8:
            rows[i] = self.v
            self.history[t].append(("update", i, self.v))
            return f"UPDATE d.{t} SET v = {self.v} WHERE id = {i};"
        self.history[t].append(("delete", i, rows.pop(i)))
        return f"DELETE FROM d.{t} WHERE id = {i};"

    def batch(self, transactions: int) -> str:
        out = []
        for _ in range(transactions):
            ops = [self._op(self.rng.choice(TABLES)) for _ in range(self.rng.randint(1, 5))]
            out += ["BEGIN;", *ops, "COMMIT;"]
        return "\n".join(out)


def change_of(value: str) -> tuple[str, str, int, int]:
    """(table, kind, id, v) of a seed-format event."""
    e = json.loads(value)
    if e["kind"] == "delete":
        names, values = e["oldkeys"]["keynames"], e["oldkeys"]["keyvalues"]
    else:
        names, values = e["columnnames"], e["columnvalues"]
    row = dict(zip(names, values))
    return e["table"], e["kind"], row["id"], row["v"]


def run_case(args, db, kafka, work: Path, seed: int, topic: str, partitions: int,
             **extra: str) -> tuple[Writes, list, list[str]]:
    """A daemon from the server's current position into `topic`, the random writes, caught up
    and stopped; returns the writes, the topic's messages and the problems so far."""
    problems: list[str] = []
    kafka.create_topic(topic, partitions)
    env = daemon_env(db, work, "d", ",".join(TABLES), OUTPUT_SINK="kafka",
                     KAFKA_BROKERS=kafka.bootstrap, output=topic, **extra)
    env.pop("OUTPUT_FILE")
    d = Daemon(args.mysql_cdc, env, work)
    writes = Writes(seed)
    try:
        d.start()
        d.wait_for_state()
        for _ in range(4):
            db.execute(writes.batch(25), database="d")
        d.wait_caught_up(db, timeout=120)
        rc, _ = d.sigterm()
        if rc != 0:
            problems.append(f"SIGTERM: exit {rc}\n{d.log_tail()}")
        problems += logged_errors(d, "run {n}: {line}")
    finally:
        d.stop()
    messages = sorted(consume(kafka.bootstrap, topic), key=lambda m: (m.partition, m.offset))
    n = sum(len(h) for h in writes.history.values())
    print(f"  {n} changes written, {len(messages)} messages", flush=True)
    return writes, messages, problems


def check_history(writes: Writes, messages: list, problems: list[str]) -> None:
    """The values, per table in partition order, are exactly the table's writes in order (one
    partition per table, or per key: then per key)."""
    got: dict[str, list] = {t: [] for t in TABLES}
    for m in messages:
        if m.value is None:
            continue
        table, kind, i, v = change_of(m.value)
        got[table].append((m.partition, (kind, i, v)))
    for t in TABLES:
        # Per row the order must be the writes' order (a row's changes share its partition).
        want_by_id: dict[int, list] = {}
        for c in writes.history[t]:
            want_by_id.setdefault(c[1], []).append(c)
        got_by_id: dict[int, list] = {}
        for _, c in got[t]:
            got_by_id.setdefault(c[1], []).append(c)
        for i in sorted(set(want_by_id) | set(got_by_id)):
            if want_by_id.get(i) != got_by_id.get(i):
                problems.append(f"d.{t} id {i}: changes {got_by_id.get(i)}, want "
                                f"{want_by_id.get(i)}")


def keys_problems(messages: list, partitions: int, key_of) -> list[str]:
    problems = []
    for m in messages:
        if m.value is None:
            continue
        table, _, i, _ = change_of(m.value)
        want = key_of(table, i)
        where = f"[{m.partition}]@{m.offset} (d.{table} id {i})"
        if m.key != want:
            problems.append(f"{where}: key {m.key!r}, want {want!r}")
        elif partition_of(want, partitions) != m.partition:
            problems.append(f"{where}: partition {m.partition}, murmur2 % {partitions} = "
                            f"{partition_of(want, partitions)}")
    return problems


def case_primary_key(args, db, kafka, work, seed) -> list[str]:
    writes, messages, problems = run_case(args, db, kafka, work, seed, "keys_pk", 4)
    key_of = lambda t, i: compact({"table": f"d.{t}", "key": [i]})
    problems += keys_problems(messages, 4, key_of)
    check_history(writes, messages, problems)
    # Equal primary keys of two tables: distinct message keys.
    by_id: dict[int, set] = {}
    for m in messages:
        _, _, i, _ = change_of(m.value)
        by_id.setdefault(i, set()).add(m.key)
    shared = [i for i, keys in by_id.items() if len(keys) >= 2]
    if not shared:
        problems.append("no primary key was written in two tables: the test proves nothing")
    print(f"  {len(shared)} ids written in several tables, each under distinct keys", flush=True)
    return problems


def case_bare(args, db, kafka, work, seed) -> list[str]:
    writes, messages, problems = run_case(args, db, kafka, work, seed, "keys_bare", 4,
                                          KAFKA_MESSAGE_KEY="bare_primary_key")
    problems += keys_problems(messages, 4, lambda t, i: compact([i]))
    check_history(writes, messages, problems)
    return problems


def case_table(args, db, kafka, work, seed) -> list[str]:
    partitions = 6
    writes, messages, problems = run_case(args, db, kafka, work, seed, "keys_table", partitions,
                                          KAFKA_MESSAGE_KEY="table")
    problems += keys_problems(messages, partitions, lambda t, i: f"d.{t}")
    # Every change of a table in one partition, in the order of the writes: the whole
    # table-wide sequence, not only per row.
    for t in TABLES:
        seq = [(m.partition, change_of(m.value)[1:]) for m in messages
               if m.value is not None and change_of(m.value)[0] == t]
        parts = {p for p, _ in seq}
        if len(parts) != 1:
            problems.append(f"d.{t}: changes in partitions {sorted(parts)}, want one")
        got = [c for _, c in seq]
        if got != writes.history[t]:
            first = next((k for k, (a, b) in enumerate(zip(got, writes.history[t])) if a != b),
                         min(len(got), len(writes.history[t])))
            problems.append(f"d.{t}: {len(got)} changes, want {len(writes.history[t])} in "
                            f"write order; first difference at #{first}: "
                            f"{got[first:first + 3]} vs {writes.history[t][first:first + 3]}")
    print(f"  partitions: " + ", ".join(f"d.{t} -> {partition_of(f'd.{t}', partitions)}"
                                        for t in TABLES), flush=True)
    return problems


def case_tombstones(args, db, kafka, work, seed) -> list[str]:
    writes, messages, problems = run_case(args, db, kafka, work, seed, "keys_tomb", 4,
                                          KAFKA_TOMBSTONES="true")
    key_of = lambda t, i: compact({"table": f"d.{t}", "key": [i]})
    problems += keys_problems(messages, 4, key_of)
    check_history(writes, messages, problems)
    deletes = tombstones = 0
    by_partition: dict[int, list] = {}
    for m in messages:
        by_partition.setdefault(m.partition, []).append(m)
    for p, msgs in by_partition.items():
        for k, m in enumerate(msgs):
            if m.value is None:
                tombstones += 1
                prev = msgs[k - 1] if k > 0 else None
                if prev is None or prev.value is None or change_of(prev.value)[1] != "delete" \
                        or prev.key != m.key:
                    problems.append(f"[{p}]@{m.offset}: a null value (key {m.key!r}) not right "
                                    f"after a delete of that key")
                continue
            if change_of(m.value)[1] != "delete":
                continue
            deletes += 1
            nxt = msgs[k + 1] if k + 1 < len(msgs) else None
            if nxt is None or nxt.value is not None or nxt.key != m.key:
                problems.append(f"[{p}]@{m.offset}: delete (key {m.key!r}) not followed by its "
                                f"tombstone")
    want_deletes = sum(c[0] == "delete" for h in writes.history.values() for c in h)
    if deletes != want_deletes or tombstones != want_deletes:
        problems.append(f"{deletes} deletes and {tombstones} tombstones, want {want_deletes} "
                        f"of each")
    print(f"  {deletes} deletes, each followed by its tombstone", flush=True)
    return problems


CASES = {"primary_key": case_primary_key, "bare": case_bare, "table": case_table,
         "tombstones": case_tombstones}


def main() -> int:
    ap = script_arguments(__doc__, seed_help="RNG seed (default: random, printed)")
    ap.add_argument("--broker", required=True, help="the kafka_test_broker binary")
    ap.add_argument("--case", action="append", choices=sorted(CASES),
                    help="run only these cases (default: all)")
    args = ap.parse_args()
    if not require_files(mysql_cdc=args.mysql_cdc, broker=args.broker):
        return 2
    seed = pick_seed(args.seed)
    work = Path(tempfile.mkdtemp(prefix="kafka-keys-"))
    failed = []
    with start_mariadb("kafka-keys") as db, KafkaBroker(args.broker) as kafka:
        db.execute(DDL)
        for name in args.case or list(CASES):
            t0 = time.monotonic()
            print(f"case {name}", flush=True)
            try:
                problems = CASES[name](args, db, kafka, work / name, seed)
            except (DaemonError, KafkaBrokerError) as e:
                problems = [str(e)]
            took = time.monotonic() - t0
            if problems:
                failed.append(name)
                print(f"  FAILED ({took:.0f} s, seed {seed}):", flush=True)
                for p in problems[:30]:
                    print("    - " + p.replace("\n", "\n      "), flush=True)
            else:
                print(f"  ok ({took:.0f} s)", flush=True)
    if failed or args.keep:
        print(f"files in {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    print(f"FAILED: {', '.join(failed)} (seed {seed})" if failed else "all cases passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

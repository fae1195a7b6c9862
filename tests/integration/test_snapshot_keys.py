#!/usr/bin/env python3
"""A row's Kafka key is the same in the snapshot and in the stream, whatever keys its table has.

The stream keys a change by the primary key of the binlog's TABLE_MAP, where the server writes
the PRIMARY KEY or, without one, the first UNIQUE index whose columns are all NOT NULL and used
whole (it promotes that index to the table's primary key). The snapshot reads the key from the
server's catalogue; it once took only a PRIMARY KEY, so a table with a promoted UNIQUE index had
its snapshot rows keyed by every column and its later changes by the index: a row's history
landed in two partitions and under two keys in a compacted topic.

Random tables, each with a random set of indexes defined in a random order (primary, unique NOT
NULL, unique nullable, unique on a prefix, composite, non-unique, none), rows inserted before a
daemon with INITIAL_SNAPSHOT=true starts, then every row updated (a column in no index). For
every row of a keyed table: the key and partition of its snapshot_insert equal those of its
update; for every row: each key holds the columns the server's rule names (every column, of the
image the event carries, without a key).

    test_snapshot_keys.py --mysql-cdc BUILD/src/mysql-cdc --broker BUILD/tests/support/kafka_test_broker
"""

from __future__ import annotations

import contextlib
import json
import random
import sys
import tempfile
import time
from pathlib import Path

from daemon_harness import Daemon, DaemonError, daemon_env, start_mariadb
from kafka_broker import KafkaBroker, consume
from script_frame import finish, pick_seed, require_files, script_arguments

TOPIC = "cdc"
PARTITIONS = 4
ROWS = 6

# Columns of every table: (name, definition). `v` is in no index: the updates change it.
COLUMNS = [("id", "INT NOT NULL"), ("a", "VARCHAR(20) NOT NULL"), ("b", "INT NULL"),
           ("c", "VARCHAR(40) NOT NULL"), ("v", "INT NULL")]
ALL = [name for name, _ in COLUMNS]

# Key setups: the index definitions (defined in a random order) and the columns the server
# keys the binlog by (None: no key, every column is the key).
SETUPS = [
    (["PRIMARY KEY (id)"], ["id"]),
    (["UNIQUE KEY u1 (id)"], ["id"]),
    (["UNIQUE KEY u1 (b)"], None),                              # nullable: not promoted
    (["UNIQUE KEY u1 (c(10))"], None),                          # a prefix: not promoted
    (["UNIQUE KEY u1 (b)", "UNIQUE KEY u2 (id, c)"], ["id", "c"]),
    ([], None),
    (["UNIQUE KEY u1 (c)", "PRIMARY KEY (id)"], ["id"]),
    (["KEY k1 (id)"], None),                                    # not unique
    (["UNIQUE KEY u1 (c(10))", "UNIQUE KEY u2 (a, id)"], ["a", "id"]),
    (["KEY k1 (c)", "UNIQUE KEY u1 (b, id)", "UNIQUE KEY u2 (c, a)"], ["c", "a"]),
]


def row_values(rng: random.Random, i: int) -> dict:
    return {"id": i, "a": f"a{rng.randrange(10**6)}-{i}", "b": rng.choice([None, i * 7]),
            "c": f"c{i:03d}-{rng.randrange(10**9)}", "v": rng.randrange(1000)}


def sql_value(v) -> str:
    return "NULL" if v is None else str(v) if isinstance(v, int) else f"'{v}'"


def key_text(row: dict, columns: list[str] | None) -> str:
    """The key as the daemon writes it: a JSON array of the key's values (format/change_json)."""
    return json.dumps([row[c] for c in (columns or ALL)], separators=(",", ":"))


def run(args, work: Path, seed: int) -> list[str]:
    rng = random.Random(seed)
    tables = {}
    for n in range(8):
        indexes, key = rng.choice(SETUPS)
        indexes = rng.sample(indexes, len(indexes))
        tables[f"t{n}"] = (indexes, key, [row_values(rng, i) for i in range(1, ROWS + 1)])
    before = {name: [dict(r) for r in rows] for name, (_, _, rows) in tables.items()}
    problems: list[str] = []
    with contextlib.ExitStack() as stack:
        db = stack.enter_context(start_mariadb("snapshot-keys"))
        kafka = stack.enter_context(KafkaBroker(args.broker))
        kafka.create_topic(TOPIC, PARTITIONS)
        script = ["CREATE DATABASE d;"]
        for name, (indexes, _, rows) in tables.items():
            defs = ", ".join([f"{c} {t}" for c, t in COLUMNS] + indexes)
            print(f"{name}: {', '.join(indexes) or 'no index'}", flush=True)
            script.append(f"CREATE TABLE d.{name} ({defs});")
            values = ", ".join("(" + ", ".join(sql_value(r[c]) for c in ALL) + ")" for r in rows)
            script.append(f"INSERT INTO d.{name} VALUES {values};")
        db.execute("\n".join(script))
        env = daemon_env(db, work, "d", ",".join(tables), OUTPUT_SINK="kafka",
                         KAFKA_BROKERS=kafka.bootstrap, output=TOPIC, INITIAL_SNAPSHOT="true",
                         KAFKA_MESSAGE_KEY="bare_primary_key")  # compared with the key columns
        d = Daemon(args.mysql_cdc, env, work)
        stack.callback(d.stop)
        d.start()
        d.wait_caught_up(db)
        updates = []
        for name, (_, _, rows) in tables.items():
            for r in rows:
                r["v"] += 1000
                where = " AND ".join(f"{c} = {sql_value(r[c])}" for c in ("id", "a", "c"))
                updates.append(f"UPDATE d.{name} SET v = {r['v']} WHERE {where};")
        db.execute("\n".join(updates))
        d.wait_caught_up(db)
        rc, _ = d.sigterm()
        if rc != 0:
            problems.append(f"SIGTERM: exit {rc}\n" + d.log_tail())
        messages = consume(kafka.bootstrap, TOPIC)

    seen: dict[tuple[str, int, str], tuple[str, int]] = {}
    for m in messages:
        e = json.loads(m.value)
        row_id = e["columnvalues"][0]
        seen[(e["table"], row_id, e["kind"])] = (m.key, m.partition)
    for name, (indexes, key, rows) in tables.items():
        for r in rows:
            snap = seen.get((name, r["id"], "snapshot_insert"))
            upd = seen.get((name, r["id"], "update"))
            where = f"{name} ({', '.join(indexes) or 'no index'}) row id={r['id']}"
            if snap is None or upd is None:
                problems.append(f"{where}: snapshot_insert {snap}, update {upd}: missing")
                continue
            # Without a key every column is the key, so the update (of `v`) changes it.
            if key is not None and snap != upd:
                problems.append(f"{where}: snapshot_insert key/partition {snap}, update {upd}")
            old_row = next(b for b in before[name] if b["id"] == r["id"])
            for kind, got, row in (("snapshot_insert", snap, old_row), ("update", upd, r)):
                expected = key_text(row, key)
                if got[0] != expected:
                    problems.append(f"{where}: {kind} key {got[0]}, expected {expected} "
                                    f"(columns {key or 'all'})")
    if len(messages) != 2 * ROWS * len(tables):
        problems.append(f"{len(messages)} messages, expected {2 * ROWS * len(tables)}")
    return problems


def main() -> int:
    ap = script_arguments(__doc__, "the random tables and rows")
    ap.add_argument("--broker", required=True)
    args = ap.parse_args()
    if not require_files(mysql_cdc=args.mysql_cdc, broker=args.broker):
        return 2
    seed = pick_seed(args.seed)
    work, t0 = Path(tempfile.mkdtemp(prefix="snapshot-keys-")), time.monotonic()
    try:
        problems = run(args, work, seed)
    except DaemonError as e:
        problems = [str(e)]
    return finish(problems, work, args.keep, t0, f" with seed {seed}", indent=True)


if __name__ == "__main__":
    sys.exit(main())

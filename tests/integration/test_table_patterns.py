#!/usr/bin/env python3
"""Issue 14, acceptance 4: a table set given by patterns that changes while streaming.

Run 1 watches MYSQL_TABLE="shop.order\\_%,/shop\\.audit_[0-9]+/" with
MYSQL_TABLE_EXCLUDE=shop.order_x: the LIKE pattern matches order_a, order_b and order_c (and the
excluded order_x); the regular expression matches nothing yet (a warning). shop.customers matches
nothing. A random workload writes to all five. While it runs:
  - shop.order_d is created and written to (also in a transaction with order_a and customers);
  - shop.order_e is created by CREATE TABLE ... SELECT from order_a (its rows come with it);
  - shop.audit_1 is created (the regular expression now matches) and written to;
  - shop.staging (unwatched, with rows) is renamed to shop.order_r and written to: it joins
    with a warning that its earlier rows are not in the output.
The daemon catches up, more writes follow, and it is SIGKILLed right after them.

While it is down, shop.order_f is created and written to.
With Kafka (--case kafka, KAFKA_TOPIC_TEMPLATE=cdc.{schema}.{table}: the joined tables' topics
do not exist before), run 1 is restarted once with its own set after the SIGKILL and stopped
cleanly first: the sink refuses to replay a crashed run's tail with another set.

Run 2 names the LIKE pattern's tables explicitly, reordered and without order_b, and keeps the
regular expression: "/shop\\.audit_[0-9]+/,shop.order_r,shop.order_e,shop.order_d,shop.order_c,
shop.order_a". More writes to every table, and shop.audit_2 is created and written to (joins).

The output must hold, per table, exactly its changes while it was watched, in commit order, each
once (every change writes a value no other change writes, so a repeat is visible): order_a,
order_c, order_d, order_e, order_f, audit_1, audit_2 all of theirs; order_r those after its rename;
order_b those of run 1 up to the checkpoint run 2 resumed from (all before the catch-up, then a
prefix); order_x, customers and staging none.

    tests/integration/test_table_patterns.py --mysql-cdc BUILD/src/mysql-cdc [--case kafka
        --broker BUILD/tests/support/kafka_test_broker] [--seed N] [--keep]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from daemon_harness import (Daemon, daemon_env, logged_errors, read_events,  # noqa: E402
                            start_mariadb, stopped_cleanly)
from script_frame import finish, pick_seed, require_files  # noqa: E402

RUN1_TABLES = r"shop.order\_%,/shop\.audit_[0-9]+/"
RUN2_TABLES = (r"/shop\.audit_[0-9]+/,shop.order_r,shop.order_f,shop.order_e,shop.order_d,"
               r"shop.order_c,shop.order_a")
EXCLUDE = "shop.order_x"
ALWAYS = ["order_a", "order_c", "order_d", "order_e", "order_f", "audit_1", "audit_2"]
NEVER = ["order_x", "customers", "staging"]
ALL = ALWAYS + ["order_b", "order_r"] + NEVER


class Writer:
    """Writes changes with values no other change writes, and records them per table in commit
    order as (kind, id, v) - v is the after image's value, or the before image's for a delete."""

    def __init__(self, db, seed: int):
        self.db, self.rng = db, random.Random(seed)
        self.value = 0
        self.rows: dict[str, dict[int, int]] = {}  # table -> id -> v
        self.log: dict[str, list[tuple[str, int, int]]] = {t: [] for t in ALL}
        self.next_id: dict[str, int] = {}

    def create(self, table: str, rows: int = 0) -> None:
        self.db.execute(f"CREATE TABLE shop.{table} (id INT PRIMARY KEY, v INT NOT NULL)")
        self.rows[table], self.next_id[table] = {}, 1
        if rows:
            self.transaction([(table, "insert")] * rows)

    def _statement(self, table: str, kind: str) -> str:
        rows = self.rows[table]
        if kind != "insert" and not rows:
            kind = "insert"
        self.value += 1
        v = self.value
        if kind == "insert":
            i = self.next_id[table]
            self.next_id[table] += 1
            rows[i] = v
            self.log[table].append(("insert", i, v))
            return f"INSERT INTO shop.{table} VALUES ({i}, {v})"
        i = self.rng.choice(sorted(rows))
        if kind == "update":
            rows[i] = v
            self.log[table].append(("update", i, v))
            return f"UPDATE shop.{table} SET v = {v} WHERE id = {i}"
        self.log[table].append(("delete", i, rows.pop(i)))
        return f"DELETE FROM shop.{table} WHERE id = {i}"

    def transaction(self, changes: list[tuple[str, str]]) -> None:
        sql = [self._statement(t, k) for t, k in changes]
        self.db.execute("BEGIN; " + "; ".join(sql) + "; COMMIT;")

    def workload(self, tables: list[str], transactions: int) -> None:
        for _ in range(transactions):
            picked = self.rng.sample(tables, self.rng.randint(1, min(3, len(tables))))
            kinds = self.rng.choices(["insert", "update", "delete"], [5, 3, 1], k=len(picked))
            self.transaction(list(zip(picked, kinds)))

    def create_as_select(self, table: str, source: str) -> None:
        self.db.execute(f"CREATE TABLE shop.{table} (id INT PRIMARY KEY, v INT NOT NULL) "
                        f"SELECT id, v FROM shop.{source} ORDER BY id")
        self.rows[table] = dict(self.rows[source])
        self.next_id[table] = self.next_id[source]
        for i in sorted(self.rows[table]):
            self.log[table].append(("insert", i, self.rows[table][i]))

    def rename(self, old: str, new: str) -> int:
        """Renames; returns how many changes of `new` were logged before (under `old`)."""
        self.db.execute(f"RENAME TABLE shop.{old} TO shop.{new}")
        self.rows[new], self.next_id[new] = self.rows.pop(old), self.next_id.pop(old)
        return len(self.log[new])


def output_changes(case: str, work: Path, bootstrap: str | None) -> tuple[dict, list[str]]:
    """Per table, the (kind, id, v) of every change in the output, in order; and problems."""
    got: dict[str, list[tuple[str, int, int]]] = {}
    problems: list[str] = []
    if case == "file":
        events = read_events(work / "out.jsonl")
    else:
        from kafka_broker import consume
        from kafka_broker import KafkaBrokerError
        events = []
        for t in ALL:
            try:
                messages = consume(bootstrap, f"cdc.shop.{t}")
            except KafkaBrokerError as e:  # a table never written has no topic
                if t not in NEVER:
                    problems.append(f"cannot read topic cdc.shop.{t}: {e}")
                continue
            events += [json.loads(m.value) for m in messages]
    for e in events:
        table = e.get("table")
        if e.get("schema") != "shop":
            problems.append(f"an event of another schema: {e}")
            continue
        kind = e["kind"]
        if kind == "delete":
            keys = e["oldkeys"]
            image = dict(zip(keys["keynames"], keys["keyvalues"]))
            # The seed format's delete carries the key; the value comes from the full image.
            if "v" not in image and "columnvalues" in e and e["columnvalues"]:
                image = dict(zip(e["columnnames"], e["columnvalues"]))
        else:
            image = dict(zip(e["columnnames"], e["columnvalues"]))
        got.setdefault(table, []).append((kind, int(image["id"]), int(image.get("v", -1))))
    return got, problems


def compare(table: str, want: list, got: list, problems: list[str]) -> None:
    if want == got:
        return
    first = next((i for i, (a, b) in enumerate(zip(want, got)) if a != b), min(len(want),
                                                                              len(got)))
    seen: dict = {}
    dups = [c for c in got if seen.setdefault(c, 0) or seen.__setitem__(c, 1)]
    problems.append(f"{table}: {len(got)} changes in the output, {len(want)} expected; first "
                    f"difference at #{first}: expected {want[first:first + 3]}, got "
                    f"{got[first:first + 3]}" + (f"; repeated: {dups[:5]}" if dups else ""))


def run(args, work: Path, seed: int) -> list[str]:
    problems: list[str] = []
    kafka = None
    with start_mariadb("table-patterns") as db:
        broker_cm = None
        # Long enough that the SIGKILL leaves written but unsaved changes behind (the catch-ups
        # checkpoint after a fifth of it).
        extra: dict[str, str] = {"FLUSH_INTERVAL_MS": "2000"}
        if args.case == "kafka":
            from kafka_broker import KafkaBroker
            broker_cm = KafkaBroker(args.broker)
            kafka = broker_cm.__enter__()
            extra.update(OUTPUT_SINK="kafka", KAFKA_BROKERS=kafka.bootstrap,
                         KAFKA_TOPIC_TEMPLATE="cdc.{schema}.{table}")
        try:
            problems += scenario(args, db, work, seed, extra, kafka)
        finally:
            if broker_cm is not None:
                broker_cm.__exit__(None, None, None)
    return problems


def scenario(args, db, work: Path, seed: int, extra: dict, kafka) -> list[str]:
    problems: list[str] = []
    db.execute("CREATE DATABASE shop")
    w = Writer(db, seed)
    for t in ["order_a", "order_b", "order_c", "order_x", "customers"]:
        w.create(t)
    w.create("staging", rows=5)  # unwatched rows: not in the output even after its rename
    w.transaction([(t, "insert") for t in ["order_a", "order_b", "order_c"] for _ in range(3)])
    # Changes before the first start are not captured (no snapshot, no saved position).
    for t in ALL:
        w.log[t].clear()

    def env_for(tables: str) -> dict[str, str]:
        env = daemon_env(db, work, database=None, tables=tables, MYSQL_TABLE_EXCLUDE=EXCLUDE,
                         **extra)
        if args.case == "kafka":
            env.pop("OUTPUT_FILE")
        return env

    d = Daemon(args.mysql_cdc, env_for(RUN1_TABLES), work)
    d.start()
    d.wait_for_state()
    first = d.runs[-1].stderr()
    for want in [r"MYSQL_TABLE pattern shop.order\_% matches shop.order_a, shop.order_b, "
                 r"shop.order_c (excluded: shop.order_x)",
                 r"MYSQL_TABLE pattern /shop\.audit_[0-9]+/ matches no table on the server"]:
        if want not in first:
            problems.append(f"run 1 did not log {want!r}:\n{d.log_tail()}")

    base = ["order_a", "order_b", "order_c", "order_x", "customers"]
    w.workload(base, 30)
    w.create("order_d")
    w.workload(base + ["order_d"], 20)
    w.transaction([("order_a", "insert"), ("order_d", "insert"), ("customers", "insert"),
                   ("order_d", "update")])
    w.create_as_select("order_e", "order_a")
    w.create("audit_1")
    w.workload(base + ["order_d", "order_e", "audit_1"], 30)
    renamed_at = w.rename("staging", "order_r")
    w.workload(base + ["order_d", "order_e", "audit_1", "order_r"], 30)
    d.wait_caught_up(db)
    caught_up_b = len(w.log["order_b"])
    w.workload(base + ["order_d", "order_e", "audit_1", "order_r"], 30)
    d.sigkill()
    run1_b = len(w.log["order_b"])
    log1 = d.runs[-1].stderr()
    # Created while the daemon is down after the crash: the restart finds it on the server.
    w.create("order_f")
    w.workload(["order_f", "order_a", "customers"], 10)
    if args.case == "kafka":
        # A Kafka sink refuses to replay a crashed run's tail with another table set (its
        # row indexes counted other tables): the same set resumes first, which also shows
        # that the resume scan reads the topics of the tables that joined, then stops cleanly.
        d.start()
        d.wait_caught_up(db)
        if "state: shop.order_f: no saved position, selected by the same MYSQL_TABLE" \
                not in d.runs[-1].stderr():
            problems.append("run 1b did not stream shop.order_f as a table its patterns select")
        stopped_cleanly(d, problems, "run 1b's SIGTERM")
        caught_up_b = run1_b
    for t, pattern in [("order_d", r"shop.order\_%"), ("order_e", r"shop.order\_%"),
                       ("audit_1", r"/shop\.audit_[0-9]+/"), ("order_r", r"shop.order\_%")]:
        if f"table shop.{t} matches {pattern}: watching it from " not in log1:
            problems.append(f"run 1 did not log that shop.{t} joined (matching {pattern})")
    for t in ["order_d", "order_e", "audit_1"]:
        if f"table shop.{t} joined the watched set" in log1:
            problems.append(f"run 1 warned that shop.{t} (created while streaming) was renamed in")
    if "table shop.order_r joined the watched set" not in log1 or "renamed in?" not in log1:
        problems.append("run 1 did not warn that shop.order_r was renamed in from an unwatched "
                        "table")

    b_run1 = list(w.log["order_b"])  # order_b is not watched from here on
    d.env = env_for(RUN2_TABLES)
    d.start()
    d.wait_for_state()
    later = ["order_a", "order_b", "order_c", "order_d", "order_e", "order_x", "customers",
             "audit_1", "order_r"]
    later.append("order_f")
    w.workload(later, 30)
    w.create("audit_2")
    w.workload(later + ["audit_2"], 30)
    d.wait_caught_up(db)
    stopped_cleanly(d, problems, "run 2's SIGTERM")
    log2 = d.runs[-1].stderr()
    if r"table shop.audit_2 matches /shop\.audit_[0-9]+/: watching it from " not in log2:
        problems.append("run 2 did not log that shop.audit_2 joined")
    problems += logged_errors(d)

    got, more = output_changes(args.case, work, kafka.bootstrap if kafka else None)
    problems += more
    want = {t: w.log[t] for t in ALWAYS}
    want["order_r"] = w.log["order_r"][renamed_at:]
    b = got.get("order_b", [])
    if args.case == "kafka":
        # Kafka keeps the order per key (one partition per key), not across partitions: compare
        # each row's changes in order (a stable sort by id keeps that order). Run 1b caught up
        # with every change of order_b.
        by_key = lambda changes: sorted(changes, key=lambda change: change[1])  # noqa: E731
        got = {t: by_key(c) for t, c in got.items()}
        want = {t: by_key(c) for t, c in want.items()}
        compare("order_b", by_key(b_run1), got.get("order_b", []), problems)
    elif b != b_run1[:len(b)] or not caught_up_b <= len(b) <= run1_b:
        problems.append(f"order_b: the output holds {len(b)} changes; expected run 1's first "
                        f"{caught_up_b} to {run1_b} of its changes, in order, once each")
    for t, changes in want.items():
        compare(t, changes, got.get(t, []), problems)
    for t in NEVER:
        if got.get(t):
            problems.append(f"{t} is not watched, but {len(got[t])} of its changes are in the "
                            f"output: {got[t][:3]}")
    print(f"changes per table in the output: "
          f"{ {t: len(got.get(t, [])) for t in ALL} }", flush=True)
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mysql-cdc", required=True)
    ap.add_argument("--case", choices=["file", "kafka"], default="file")
    ap.add_argument("--broker")
    ap.add_argument("--seed", type=int)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    if not require_files(mysql_cdc=args.mysql_cdc):
        return 2
    if args.case == "kafka" and not require_files(broker=args.broker):
        return 2
    seed = pick_seed(args.seed)
    work, t0 = Path(tempfile.mkdtemp(prefix="table-patterns-")), time.monotonic()
    problems = run(args, work, seed)
    return finish(problems, work, args.keep, t0, f" ({args.case}) with seed {seed}")


if __name__ == "__main__":
    sys.exit(main())

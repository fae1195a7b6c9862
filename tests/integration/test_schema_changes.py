#!/usr/bin/env python3
"""Issue 14, schema changes visible to consumers: EMIT_SCHEMA_CHANGES=true (docs/EVENTS.md, `ddl`).

One MariaDB; watched d.a and d.b (MYSQL_TABLE=a,b), unwatched d.u and e.a (a watched name in
another schema). One sequence of row changes and DDLs, unqualified (session database d) and
qualified (no session database), on watched and unwatched tables: ALTER TABLE, CREATE INDEX,
RENAME TABLE of two pairs (a watched table on either side), TRUNCATE, DROP TABLE of two tables,
CREATE TABLE of a watched name, DROP INDEX. Two daemons follow it from the same start:

  emit     EMIT_SCHEMA_CHANGES=true, SIGKILLed twice in the middle of the sequence and restarted:
           the output is exactly the watched tables' changes and DDLs, in binlog order, each once
           (one `ddl` event per watched table a statement names; a TRUNCATE gives its `truncate`
           then its `ddl`). Each ddl event's fields are checked against the server: the statement
           is the QUERY event's text at binlog_file:binlog_pos (SHOW BINLOG EVENTS), the database
           is the session's, the GTID is that transaction's, the commit time is within the run.
  no emit  the same without EMIT_SCHEMA_CHANGES: the same changes, no `ddl` event.
  kafka    (with --broker) EMIT_SCHEMA_CHANGES=true into a 3-partition topic, SIGKILLed at the same
           points: every partition holds every `ddl` (key: the table's name) and `truncate`
           once, in order with the changes it holds; each row change is in one partition, once.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from daemon_harness import (Daemon, daemon_env, logged_errors, master_status,  # noqa: E402
                            read_events, start_mariadb)
from script_frame import Checklist  # noqa: E402

check = Checklist(bracketed=True)

# (SQL run in session database `db` ("" = none), expected events: (kind, table, id or ddl verb))
STEPS = [
    ("d", "INSERT INTO a VALUES (1, 'one');", [("insert", "a", 1)]),
    ("d", "ALTER TABLE a ADD COLUMN c INT;", [("ddl", "a", "ALTER TABLE")]),
    ("d", "INSERT INTO a VALUES (2, 'two', 2);", [("insert", "a", 2)]),
    ("d", "ALTER TABLE u ADD COLUMN c INT;", []),
    ("", "ALTER TABLE e.a ADD COLUMN c INT;", []),
    ("d", "CREATE INDEX ib ON d.b (v);", [("ddl", "b", "CREATE INDEX")]),
    ("d", "INSERT INTO b VALUES (1, 'b one'); INSERT INTO u VALUES (1, 'u', 1);",
     [("insert", "b", 1)]),
    ("KILL", "", []),
    ("d", "RENAME TABLE a TO a_old, u TO a;", [("ddl", "a", "RENAME TABLE")]),
    ("d", "TRUNCATE TABLE b;", [("truncate", "b", None), ("ddl", "b", "TRUNCATE TABLE")]),
    ("e", "TRUNCATE TABLE a;", []),
    ("d", "DROP TABLE a, a_old;", [("ddl", "a", "DROP TABLE")]),
    ("d", "CREATE TABLE a (id INT PRIMARY KEY, v VARCHAR(20));", [("ddl", "a", "CREATE TABLE")]),
    ("KILL", "", []),  # not while d.a is missing: the start's checks want every watched table
    ("d", "INSERT INTO a VALUES (3, 'three');", [("insert", "a", 3)]),
    ("d", "DROP INDEX ib ON b;", [("ddl", "b", "DROP INDEX")]),
    ("e", "ALTER TABLE a ADD COLUMN d INT;", []),
    ("", "ALTER TABLE d.b ADD COLUMN z INT;", [("ddl", "b", "ALTER TABLE")]),
    ("d", "INSERT INTO b VALUES (2, 'b two', 7);", [("insert", "b", 2)]),
]


def summary(events: list[dict]) -> list[tuple]:
    out = []
    for e in events:
        if e["kind"] == "ddl":
            out.append(("ddl", e["table"], e["ddl"]))
        elif e["kind"] == "truncate":
            out.append(("truncate", e["table"], None))
        else:
            names = e["columnnames"] or e["oldkeys"]["keynames"]
            values = e["columnvalues"] or e["oldkeys"]["keyvalues"]
            out.append((e["kind"], e["table"], values[names.index("id")]))
    return out


def query_at(db, file: str, pos: int) -> tuple[str, str] | None:
    rows = db.sql(f"SHOW BINLOG EVENTS IN '{file}' FROM {pos} LIMIT 1")
    if not rows:
        return None
    # SHOW BINLOG EVENTS shows the session database as a prefix: "use `d`; ALTER ...".
    return rows[0][2], re.sub(r"^use `[^`]*`; ", "", rows[0][5])


def gtid_before(db, file: str, pos: int) -> str | None:
    """The GTID of the transaction a QUERY event at pos belongs to (the Gtid event before it)."""
    gtid = None
    for row in db.sql(f"SHOW BINLOG EVENTS IN '{file}'"):
        if int(row[1]) >= pos:
            break
        if row[2] == "Gtid":
            gtid = row[5].split("GTID ")[1].split()[0]
    return gtid


def check_ddl_fields(db, events: list[dict], statements: dict[str, str], t0: float) -> None:
    problems = []
    for e in events:
        if e["kind"] != "ddl":
            continue
        at = query_at(db, e["binlog_file"], e["binlog_pos"])
        if at is None or at[0] != "Query" or e["statement"] not in (at[1], at[1].rstrip()):
            problems.append(f"{e['ddl']} at {e['binlog_file']}:{e['binlog_pos']}: the server has "
                            f"{at}, the event says {e['statement']!r}")
        key = e["ddl"] + " " + e["table"]
        want_db = statements.get(key)
        if want_db is not None and e["database"] != want_db:
            problems.append(f"{key}: database {e['database']!r}, session had {want_db!r}")
        if e["schema"] != "d" or list(e)[:6] != ["kind", "schema", "table", "columnnames",
                                                 "columnvalues", "oldkeys"]:
            problems.append(f"envelope: {json.dumps(e)[:300]}")
        gtid = gtid_before(db, e["binlog_file"], e["binlog_pos"])
        if e["gtid"] != gtid:
            problems.append(f"{key}: gtid {e['gtid']!r}, the binlog has {gtid!r}")
        if not (t0 - 2) * 1000 <= e["commit_time_ms"] <= (time.time() + 2) * 1000:
            problems.append(f"{key}: commit_time_ms {e['commit_time_ms']} outside the run")
    check(not problems, "every ddl event's statement, database, position, GTID and time match "
                        "the server's binlog", "\n".join(problems))


def check_kafka(messages, expected: list[tuple]) -> None:
    problems = []
    by_partition: dict[int, list[tuple]] = {}
    for m in sorted(messages, key=lambda m: (m.partition, m.offset)):
        e = json.loads(m.value)
        by_partition.setdefault(m.partition, []).append(summary([e])[0])
        if e["kind"] == "ddl" and m.key != json.dumps("d." + e["table"]):
            problems.append(f"ddl key {m.key!r} for table d.{e['table']}")
        if not m.headers.get("mysql-cdc.file"):
            problems.append(f"no position headers on {m.value[:200]}")
    shared = ("ddl", "truncate")
    rows = []
    for p in range(3):
        seq = by_partition.get(p, [])
        mine = [e for e in seq if e[0] not in shared]
        rows += mine
        want = [e for e in expected if e[0] in shared or e in mine]
        if seq != want:
            problems.append(f"partition {p}: {seq}\n  expected {want}")
    want_rows = sorted(e for e in expected if e[0] not in shared)
    if sorted(rows) != want_rows:
        problems.append(f"row changes over all partitions {sorted(rows)} != {want_rows}")
    check(not problems, "kafka: every partition holds each ddl and truncate once, in order with "
                        "its changes; each change once", "\n".join(problems))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mysql-cdc", required=True)
    ap.add_argument("--broker", help="tests/support/kafka_test_broker: also the Kafka sink")
    args = ap.parse_args()
    kafka = None
    if args.broker:
        from kafka_broker import KafkaBroker
        kafka = KafkaBroker(args.broker).start()
        kafka.create_topic("cdc-ddl", 3)
    with start_mariadb("schema-changes", attempts=3) as db, tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db.execute("CREATE DATABASE d; CREATE DATABASE e;"
                   "CREATE TABLE d.a (id INT PRIMARY KEY, v VARCHAR(20));"
                   "CREATE TABLE d.b (id INT PRIMARY KEY, v VARCHAR(20));"
                   "CREATE TABLE d.u (id INT PRIMARY KEY, v VARCHAR(20));"
                   "CREATE TABLE e.a (id INT PRIMARY KEY, v VARCHAR(20));")
        t0 = time.time()
        emit = Daemon(args.mysql_cdc, daemon_env(db, work / "emit", "d", "a,b",
                                                 EMIT_SCHEMA_CHANGES="true",
                                                 FLUSH_INTERVAL_MS="100"), work / "emit")
        plain = Daemon(args.mysql_cdc, daemon_env(db, work / "plain", "d", "a,b"),
                       work / "plain")
        killed = [emit]
        if kafka:
            killed.append(Daemon(args.mysql_cdc, daemon_env(
                db, work / "kafka", "d", "a,b", EMIT_SCHEMA_CHANGES="true",
                FLUSH_INTERVAL_MS="100", OUTPUT_SINK="kafka", KAFKA_BROKERS=kafka.bootstrap,
                output="cdc-ddl"), work / "kafka"))
        try:
            for d in killed + [plain]:
                d.start()
                d.wait_for_log("streaming from")
            expected: list[tuple] = []
            databases: dict[str, str] = {}
            for database, sql, events in STEPS:
                if database == "KILL":
                    time.sleep(0.15)  # some of what came before is checkpointed, some not
                    for d in killed:
                        d.sigkill()
                        d.start()
                        d.wait_for_log("streaming from")
                    continue
                db.execute(sql, database=database or None)
                expected += events
                for kind, table, what in events:
                    if kind == "ddl":
                        databases[f"{what} {table}"] = database
            for d in killed + [plain]:
                d.wait_caught_up(db)
                rc, _ = d.sigterm()
                check(rc == 0, f"{d.workdir.name}: SIGTERM exit 0", d.log_tail())
            got = summary(read_events(emit.output_file))
            check(got == expected, "EMIT_SCHEMA_CHANGES=true across two SIGKILLs: exactly the "
                                   "watched tables' changes and DDLs, in order, each once",
                  f"\n got      {got}\n expected {expected}")
            check_ddl_fields(db, read_events(emit.output_file), databases, t0)
            got = summary(read_events(plain.output_file))
            want = [e for e in expected if e[0] != "ddl"]
            check(got == want, "without EMIT_SCHEMA_CHANGES: the same changes, no ddl event",
                  f"\n got      {got}\n expected {want}")
            if kafka:
                from kafka_broker import consume
                check_kafka(consume(kafka.bootstrap, "cdc-ddl"), expected)
            errors = [e for d in killed + [plain] for e in logged_errors(d)]
            check(not errors, "no error logged", "\n".join(errors))
            print(f"(end at {master_status(db)})")
        finally:
            for d in killed + [plain]:
                d.stop()
            if kafka:
                kafka.stop()
    return check.report("schema changes: all checks passed")


if __name__ == "__main__":
    sys.exit(main())

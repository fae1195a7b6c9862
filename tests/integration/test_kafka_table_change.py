#!/usr/bin/env python3
"""Issue 11, defect 3 with the Kafka sink: changing MYSQL_TABLE after a crash.

The Kafka sink recognises a replayed change by its position: the transaction's file:pos and the
change's index among the watched tables' changes in it. After a crash the topic may hold changes
newer than the checkpoint; a restart with another table set counts other indexes, so the sink
would drop a change it never sent (lost) and send one twice. The daemon must refuse that restart
with one clear line, and accept it once a run with the old table set stopped cleanly.

  1. MYSQL_TABLE=a,b, FLUSH_INTERVAL_MS long: one transaction a1, b1, a2 is produced (kcat sees
     it) but not checkpointed; SIGKILL.
  2. MYSQL_TABLE=a: exits non-zero, the message names the cause and what to do; nothing added.
  3. MYSQL_TABLE=a,b: resumes, sends nothing twice; SIGTERM.
  4. MYSQL_TABLE=a: starts; a3 arrives. The topic holds a1, b1, a2, a3 exactly once each.

    tests/integration/test_kafka_table_change.py --mysql-cdc BUILD/src/mysql-cdc \\
        --broker BUILD/tests/support/kafka_test_broker
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from daemon_harness import Daemon, daemon_env, start_mariadb  # noqa: E402
from kafka_broker import KafkaBroker, consume  # noqa: E402

TOPIC = "cdc"


def env_for(db, work: Path, bootstrap: str, tables: str, **extra: str) -> dict[str, str]:
    env = daemon_env(db, work, database="d", tables=tables, OUTPUT_SINK="kafka",
                     KAFKA_BROKERS=bootstrap, output=TOPIC, **extra)
    env.pop("OUTPUT_FILE")
    return env


def changes(bootstrap: str) -> list[tuple[str, int]]:
    out = []
    for m in consume(bootstrap, TOPIC):
        e = json.loads(m.value)
        out.append((e["table"], e["columnvalues"][0]))
    return out


def wait_for_messages(bootstrap: str, count: int, timeout: float = 60) -> list[tuple[str, int]]:
    deadline = time.monotonic() + timeout
    got: list[tuple[str, int]] = []
    while time.monotonic() < deadline:
        got = changes(bootstrap)
        if len(got) >= count:
            return got
        time.sleep(0.2)
    raise AssertionError(f"expected {count} messages in {TOPIC}, found {got}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mysql-cdc", required=True)
    ap.add_argument("--broker", required=True)
    args = ap.parse_args()
    problems: list[str] = []
    with start_mariadb("kafka-table-change") as db, KafkaBroker(args.broker) as kafka, \
            tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db.execute("CREATE DATABASE d; CREATE TABLE d.a (id INT PRIMARY KEY, v INT);"
                   "CREATE TABLE d.b (id INT PRIMARY KEY, v INT);")
        kafka.create_topic(TOPIC, 1)

        # 1. Produced, not checkpointed, killed.
        d = Daemon(args.mysql_cdc, env_for(db, work, kafka.bootstrap, "a,b",
                                           FLUSH_INTERVAL_MS="600000"), work)
        d.start()
        saved = dict(d.wait_for_state())
        db.execute("BEGIN; INSERT INTO d.a VALUES (1, 1); INSERT INTO d.b VALUES (1, 1);"
                   "INSERT INTO d.a VALUES (2, 2); COMMIT;")
        wait_for_messages(kafka.bootstrap, 3)
        d.sigkill()
        if d.state() != saved:
            problems.append(f"step 1 saved a checkpoint after the changes: {d.state()} "
                            f"(the test needs them past it)")

        # 2. Another table set: refused, one clear line, nothing produced.
        d2 = Daemon(args.mysql_cdc, env_for(db, work, kafka.bootstrap, "a"), work)
        d2.start()
        deadline = time.monotonic() + 60
        while d2.running() and time.monotonic() < deadline:
            time.sleep(0.1)
        rc = d2.exit_code()
        log = d2.all_logs()
        if rc in (None, 0):
            problems.append(f"step 2: MYSQL_TABLE=a after the crash was not refused (exit {rc})")
            d2.stop()
        elif "watched other tables" not in log or "MYSQL_TABLE" not in log:
            problems.append(f"step 2: exit {rc} without the expected message:\n{d2.log_tail()}")
        after2 = changes(kafka.bootstrap)
        if len(after2) != 3:
            problems.append(f"step 2 changed the topic: {after2}")

        # 3. The old set: resumes, nothing twice, stops cleanly.
        d3 = Daemon(args.mysql_cdc, env_for(db, work, kafka.bootstrap, "a,b"), work)
        d3.start()
        d3.wait_caught_up(db)
        rc3, _ = d3.sigterm()
        if rc3 != 0:
            problems.append(f"step 3: SIGTERM exit {rc3}\n{d3.log_tail()}")

        # 4. The new set, after a clean stop: accepted.
        d4 = Daemon(args.mysql_cdc, env_for(db, work, kafka.bootstrap, "a"), work)
        d4.start()
        db.execute("INSERT INTO d.a VALUES (3, 3);")
        d4.wait_caught_up(db)
        rc4, _ = d4.sigterm()
        if rc4 != 0:
            problems.append(f"step 4: SIGTERM exit {rc4}\n{d4.log_tail()}")
        final = sorted(changes(kafka.bootstrap))
        want = sorted([("a", 1), ("b", 1), ("a", 2), ("a", 3)])
        if final != want:
            problems.append(f"topic holds {final}, expected each of {want} once")

    for p in problems:
        print("FAILED: " + p)
    print("all checks passed" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Issue 11, defect 5 and the TRUNCATE event (docs/EVENTS.md), against a real MariaDB.

One binlog is written first (the server runs binlog_format=ROW, sessions change their own):
  ROW rows of the watched table shop.orders; STATEMENT-format INSERT/UPDATE/DELETE of the
  unwatched shop.audit; MIXED statements that the server logs as rows (UUID(), LIMIT without
  ORDER BY); TRUNCATE TABLE shop.orders; more ROW rows; then, each in its own transaction,
  statement-based changes of shop.orders: STATEMENT INSERT, UPDATE behind a comment, a
  multi-table DELETE with quoted schema-qualified names, a MIXED plain INSERT (a safe statement
  stays a statement), and a statement-based LOAD DATA (EXECUTE_LOAD_QUERY); a last ROW insert.

Checks:
  1. From the start with the default (STATEMENT_EVENTS=fail): every row change and the truncate
     event in binlog order, then exit non-zero at the first statement with one error line that
     names the statement kind, the table, file:pos of the QUERY event and binlog_format=ROW;
     the checkpoint is the start of that statement's transaction. A restart stops there again.
  2. Started before each statement-based change in turn (a seed state file): the same stop,
     naming that statement and its position.
  3. STATEMENT_EVENTS=warn: runs to the end, one warning per statement, the count in the
     progress line, the last ROW insert delivered.
  4. TRUNCATE exactly once across SIGKILLs: rounds of insert / truncate / insert, the daemon
     killed at random moments and restarted; the output is exactly the expected sequence.
  5. `mysql-cdc decode` of the same files: the same events, the same stop (exit 1); with
     --statement-events warn all events and exit 0.
  7. INCIDENT: a multi-row INSERT into a MyISAM table that outgrows max_binlog_stmt_cache_size
     changes rows and logs only an INCIDENT (LOST_EVENTS): the daemon stops naming it and its
     position; INCIDENT_EVENTS=warn goes on (and warns); decode stops too.
  8. A MEMORY table emptied by a server restart: MariaDB logs a TRUNCATE at its first use, and
     `decode` turns it into a truncate event.
  6. With --broker (the test Kafka broker): into a 3-partition topic, the truncate is in every
     partition, after that partition's earlier inserts and before its later ones; a second run
     from the start (a replay) adds nothing.
"""

from __future__ import annotations

import argparse
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
from daemon_harness import (Daemon, DaemonError, daemon_env, diff_events,  # noqa: E402
                            master_status, read_events, start_mariadb, write_seed_state)

NAMES = ["id", "v"]
BOUND = 30.0


def ins(i, v):
    return {"kind": "insert", "schema": "shop", "table": "orders", "columnnames": NAMES,
            "columnvalues": [i, v], "oldkeys": {}}


def upd(i, old, new):
    return {"kind": "update", "schema": "shop", "table": "orders", "columnnames": NAMES,
            "columnvalues": [i, new], "oldkeys": {"keynames": NAMES, "keyvalues": [i, old]}}


TRUNCATE = {"kind": "truncate", "schema": "shop", "table": "orders", "columnnames": [],
            "columnvalues": [], "oldkeys": {}}


def binlog_events(db) -> list[dict]:
    out = []
    for f in db.binlog_files():
        for row in db.sql(f"SHOW BINLOG EVENTS IN '{f}'"):
            out.append({"file": row[0], "pos": int(row[1]), "type": row[2],
                        "end": int(row[4]), "info": row[5] or ""})
    return out


def statement_position(events: list[dict], needle: str, type_: str = "Query"
                       ) -> tuple[str, int, int]:
    """(file, pos of the event holding `needle`, pos of its transaction's GTID event)."""
    gtid = None
    for e in events:
        if e["type"] == "Gtid":
            gtid = e["pos"]
        if e["type"] == type_ and needle in e["info"]:
            return e["file"], e["pos"], gtid
    raise AssertionError(f"no {type_} event with {needle!r} in the binlog")


def wait_exit(d: Daemon, timeout: float = BOUND) -> int | None:
    """The exit code, or None (after a SIGKILL) when it still runs after `timeout`."""
    try:
        return d.proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        print(f"  (the daemon did not stop within {timeout:.0f} s)", flush=True)
        d.sigkill()
        return None


def error_lines(text: str) -> list[str]:
    return [l for l in text.splitlines() if " error " in l or "critical" in l]


class Test:
    def __init__(self, mysql_cdc: str, work: Path):
        self.mysql_cdc, self.work = mysql_cdc, work
        self.failures: list[str] = []

    def check(self, ok: bool, what: str) -> None:
        print(("ok   " if ok else "FAIL ") + what, flush=True)
        if not ok:
            self.failures.append(what)

    def env(self, db, name: str, **extra) -> dict[str, str]:
        return daemon_env(db, self.work / name, "shop", "orders", FLUSH_INTERVAL_MS="100",
                          **extra)


def write_workload(db, load_file: Path) -> dict:
    db.execute("""
CREATE DATABASE shop;
CREATE TABLE shop.orders (id INT PRIMARY KEY, v VARCHAR(64)) ENGINE=InnoDB;
CREATE TABLE shop.audit (id INT PRIMARY KEY, v VARCHAR(64)) ENGINE=InnoDB;
""")
    start = master_status(db)
    db.execute("""
INSERT INTO orders VALUES (1, 'row-1');
SET SESSION binlog_format='STATEMENT';
INSERT INTO audit VALUES (1, 'stmt-audit');
UPDATE audit SET v = 'stmt-audit-2' WHERE id = 1;
DELETE FROM shop.audit WHERE id = 1;
SET SESSION binlog_format='MIXED';
INSERT INTO orders VALUES (2, UUID());
UPDATE orders SET v = 'mixed-limit' LIMIT 1;
""", database="shop")
    uuid = db.sql("SELECT v FROM shop.orders WHERE id = 2")
    db.execute("""
TRUNCATE TABLE orders;
INSERT INTO orders VALUES (3, 'row-3');
""", database="shop")
    db.execute(f"""
SET SESSION binlog_format='STATEMENT';
INSERT INTO orders VALUES (10, 'stmt-insert');
/* moved */ UPDATE orders SET v = 'stmt-update' WHERE id = 3;
DELETE o FROM `shop`.`orders` AS o JOIN shop.audit a ON a.id = o.id WHERE o.id > 100;
SET SESSION binlog_format='MIXED';
INSERT INTO orders VALUES (11, 'mixed-safe');
SET SESSION binlog_format='STATEMENT';
LOAD DATA INFILE '{load_file}' INTO TABLE orders FIELDS TERMINATED BY ',';
SET SESSION binlog_format='ROW';
INSERT INTO orders VALUES (99, 'row-99');
""", database="shop")
    return {"start": start, "uuid": uuid}


def kafka_case(t: Test, db, broker: str) -> None:
    from kafka_broker import KafkaBroker, consume
    topic = "cdc-truncate"
    with KafkaBroker(broker) as kafka:
        kafka.create_topic(topic, 3)
        db.execute("CREATE TABLE shop.ktab (id INT PRIMARY KEY, v VARCHAR(20))")
        base = master_status(db)
        db.execute("INSERT INTO shop.ktab VALUES " +
                   ",".join(f"({i}, 'before')" for i in range(12)) + ";\n"
                   "TRUNCATE TABLE shop.ktab;\n"
                   "INSERT INTO shop.ktab VALUES " +
                   ",".join(f"({i}, 'after')" for i in range(6)) + ";")
        env = daemon_env(db, t.work / "kafka", "shop", "ktab", OUTPUT_SINK="kafka",
                         KAFKA_BROKERS=kafka.bootstrap, output=topic, FLUSH_INTERVAL_MS="100")
        for run in range(2):  # the second run replays everything from the start
            d = Daemon(t.mysql_cdc, env, t.work / "kafka")
            write_seed_state(d.state_dir / "binlog_position_shop_ktab.json", *base)
            d.start()
            d.wait_caught_up(db)
            rc, _ = d.sigterm()
            t.check(rc == 0, f"kafka run {run + 1}: exit {rc}")
        messages = consume(kafka.bootstrap, topic)
        by_partition: dict[int, list[dict]] = {}
        for m in sorted(messages, key=lambda m: (m.partition, m.offset)):
            by_partition.setdefault(m.partition, []).append(json.loads(m.value))
        problems = []
        for p in range(3):
            seq = by_partition.get(p, [])
            kinds = [e["kind"] for e in seq]
            if kinds.count("truncate") != 1:
                problems.append(f"partition {p}: {kinds.count('truncate')} truncates")
                continue
            cut = kinds.index("truncate")
            if any(e["columnvalues"][1] != "before" for e in seq[:cut]) or \
                    any(e["columnvalues"][1] != "after" for e in seq[cut + 1:]):
                problems.append(f"partition {p}: out of order: {[brief_e(e) for e in seq]}")
        inserts = sorted((e["columnvalues"][0], e["columnvalues"][1]) for seq in
                         by_partition.values() for e in seq if e["kind"] == "insert")
        want = sorted([(i, "before") for i in range(12)] + [(i, "after") for i in range(6)])
        if inserts != want:
            problems.append(f"inserts {inserts} != {want}")
        t.check(not problems, "kafka: a truncate in every partition, in order, once across a "
                "replay" + "".join("\n    " + p for p in problems))


def incident_case(t: Test, db) -> None:
    db.execute("CREATE TABLE shop.inc (id INT PRIMARY KEY, v TEXT) ENGINE=MyISAM;\n"
               "SET GLOBAL max_binlog_stmt_cache_size=4096;")
    base = master_status(db)
    try:
        db.execute("INSERT INTO inc SELECT seq, REPEAT('x', 1000) FROM seq_1_to_100",
                   database="shop")
    except Exception as e:  # ER_STMT_CACHE_FULL, after some rows were written
        print(f"  (as expected: {[l for l in str(e).splitlines() if 'ERROR' in l]})", flush=True)
    db.execute("SET GLOBAL max_binlog_stmt_cache_size=DEFAULT;\n"
               "INSERT INTO shop.inc VALUES (1000, 'after');")
    rows = int(db.sql("SELECT COUNT(*) FROM shop.inc")[0][0])
    f, pos, _ = statement_position(binlog_events(db), "LOST_EVENTS", "Incident")
    print(f"  INCIDENT at {f}:{pos}; the table holds {rows} rows", flush=True)
    for policy in ("fail", "warn"):
        name = f"incident-{policy}"
        env = daemon_env(db, t.work / name, "shop", "inc", INCIDENT_EVENTS=policy)
        d = Daemon(t.mysql_cdc, env, t.work / name)
        write_seed_state(d.state_dir / "binlog_position_shop_inc.json", *base)
        d.start()
        if policy == "fail":
            rc = wait_exit(d)
            errs = error_lines(d.runs[-1].stderr())
            line = errs[-1] if errs else ""
            st = d.state()
            t.check(rc not in (0, None) and len(errs) == 1 and "INCIDENT" in line
                    and "LOST_EVENTS" in line and f"{f}:{pos}" in line
                    and st is not None and (st["log_file"], st["log_pos"]) <= (f, pos),
                    f"INCIDENT stops the daemon (exit {rc}), checkpoint not past it: {line}")
        else:
            d.wait_caught_up(db)
            rc, _ = d.sigterm()
            got = read_events(d.output_file)
            t.check(rc == 0 and "INCIDENT" in d.runs[-1].stderr()
                    and [e["columnvalues"] for e in got] == [[1000, "after"]],
                    f"INCIDENT_EVENTS=warn goes on with a warning (exit {rc})")
    saved = db.save_binlogs(t.work / "binlogs-incident")
    out = subprocess.run([t.mysql_cdc, "decode", "--table", "shop.inc", *map(str, saved)],
                         capture_output=True, text=True)
    t.check(out.returncode == 1 and "INCIDENT" in out.stderr and f"{f}:{pos}" in out.stderr,
            f"decode stops at the INCIDENT (exit {out.returncode}): {out.stderr.strip()[:200]}")


def memory_case(t: Test, db) -> None:
    db.execute("CREATE TABLE shop.mem (id INT PRIMARY KEY) ENGINE=MEMORY;\n"
               "INSERT INTO shop.mem VALUES (1), (2);")
    db.restart()
    db.sql("SELECT COUNT(*) FROM shop.mem")  # the first use logs the TRUNCATE
    saved = db.save_binlogs(t.work / "binlogs-memory")
    out = subprocess.run([t.mysql_cdc, "decode", "--table", "shop.mem", "--incident-events",
                          "warn", *map(str, saved)],  # the INCIDENT of incident_case
                         capture_output=True, text=True)
    kinds = [json.loads(l)["kind"] for l in out.stdout.splitlines()]
    t.check(out.returncode == 0 and kinds == ["insert", "insert", "truncate"],
            f"a MEMORY table emptied by a restart: {kinds} (exit {out.returncode})")


def brief_e(e: dict) -> str:
    return e["kind"] + (str(e["columnvalues"]) if e["columnvalues"] else "")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mysql-cdc", required=True)
    ap.add_argument("--seed", type=int)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--broker", help="tests/support/kafka_test_broker: also test the Kafka sink")
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 31)
    print(f"seed {seed}", flush=True)
    rng = random.Random(seed)
    work = Path(tempfile.mkdtemp(prefix="cdc-statements-"))
    t = Test(str(Path(args.mysql_cdc).resolve()), work)
    try:
        with start_mariadb("statements") as db:
            load_file = work / "load.csv"
            load_file.write_text("20,loaded-20\n21,loaded-21\n")
            os.chmod(work, 0o755)
            os.chmod(load_file, 0o644)
            info = write_workload(db, load_file)
            events = binlog_events(db)
            uuid = info["uuid"][0][0]
            prefix = [ins(1, "row-1"), ins(2, uuid), upd(1, "row-1", "mixed-limit"), TRUNCATE,
                      ins(3, "row-3")]
            statements = [
                ("INSERT", "INSERT INTO orders VALUES (10", "Query"),
                ("UPDATE", "UPDATE orders SET v = 'stmt-update'", "Query"),
                ("DELETE", "DELETE o FROM", "Query"),
                ("INSERT", "INSERT INTO orders VALUES (11", "Query"),
                ("LOAD DATA", "LOAD DATA", "Execute_load_query"),
            ]
            positions = [statement_position(events, n, ty) for _, n, ty in statements]
            for (verb, _, _), (f, pos, gtid) in zip(statements, positions):
                print(f"  {verb}: {f}:{pos} (transaction at {gtid})", flush=True)

            # 1. from the start, default policy
            env = t.env(db, "fail")
            d = Daemon(t.mysql_cdc, env, work / "fail")
            write_seed_state(d.state_dir / "binlog_position_shop_orders.json", *info["start"])
            d.start()
            rc = wait_exit(d)
            got = read_events(d.output_file)
            t.check(rc not in (0, None), f"statement INSERT stops the daemon (exit {rc})")
            problems = diff_events(prefix, got)
            t.check(not problems, "row changes, MIXED-as-rows and the truncate in binlog order "
                    "before the stop" + ("".join("\n    " + p for p in problems)))
            errs = error_lines(d.runs[-1].stderr())
            f, pos, gtid = positions[0]
            t.check(len(errs) == 1, f"one error line (got {len(errs)}): {errs}")
            line = errs[-1] if errs else ""
            t.check(all(s in line for s in ("INSERT", "shop.orders", f"{f}:{pos}",
                                             "binlog_format=ROW")),
                    f"the error names INSERT, shop.orders, {f}:{pos}, binlog_format=ROW: {line}")
            st = d.state()
            t.check(st is not None and (st["log_file"], st["log_pos"]) <= (f, gtid),
                    f"checkpoint {st and (st['log_file'], st['log_pos'])} not past the "
                    f"statement's transaction at {f}:{gtid}")
            d.start()
            rc2 = wait_exit(d)
            t.check(rc2 not in (0, None) and f"{f}:{pos}" in d.runs[-1].stderr()
                    and read_events(d.output_file) == prefix,
                    f"a restart stops at the same statement, nothing repeated (exit {rc2})")

            # 2. each statement kind from just before it
            for (verb, _, _), (f, pos, gtid) in zip(statements, positions):
                name = "each-" + verb.replace(" ", "_") + f"-{pos}"
                d = Daemon(t.mysql_cdc, t.env(db, name), work / name)
                write_seed_state(d.state_dir / "binlog_position_shop_orders.json", f, gtid)
                d.start()
                rc = wait_exit(d)
                errs = error_lines(d.runs[-1].stderr())
                line = errs[-1] if errs else ""
                t.check(rc not in (0, None) and len(errs) == 1 and verb in line
                        and "shop.orders" in line and f"{f}:{pos}" in line
                        and read_events(d.output_file) == [],
                        f"{verb} at {f}:{pos}: exit {rc}, error: {line}")

            # 3. warn
            env = t.env(db, "warn", STATEMENT_EVENTS="warn")
            d = Daemon(t.mysql_cdc, env, work / "warn")
            write_seed_state(d.state_dir / "binlog_position_shop_orders.json", *info["start"])
            d.start()
            d.wait_caught_up(db)
            rc, _ = d.sigterm()
            log = d.runs[-1].stderr()
            got = read_events(d.output_file)
            want = prefix + [ins(99, "row-99")]
            problems = diff_events(want, got)
            t.check(rc == 0 and not problems,
                    f"warn: goes on past the statements (exit {rc})" +
                    "".join("\n    " + p for p in problems))
            warnings = [l for l in log.splitlines() if "skipped a statement-based" in l]
            t.check(len(warnings) == len(statements),
                    f"warn: one warning per statement ({len(warnings)} of {len(statements)})")
            t.check(all(f"{f}:{pos}" in log for f, pos, _ in positions),
                    "warn: each warning names its position")
            t.check(re.search(rf"{len(statements)} statement-based changes skipped", log)
                    is not None, "warn: the progress line counts them")

            # 5. decode
            saved = db.save_binlogs(work / "binlogs")
            out = subprocess.run([t.mysql_cdc, "decode", "--table", "shop.orders",
                                  *map(str, saved)], capture_output=True, text=True)
            dec = [json.loads(l) for l in out.stdout.splitlines()]
            f, pos, _ = positions[0]
            t.check(out.returncode == 1 and dec == prefix and "INSERT" in out.stderr
                    and "shop.orders" in out.stderr and f"{f}:{pos}" in out.stderr,
                    f"decode: same events, stops at the statement (exit {out.returncode}): "
                    f"{out.stderr.strip()[:300]}")
            out = subprocess.run([t.mysql_cdc, "decode", "--table", "shop.orders",
                                  "--statement-events", "warn", *map(str, saved)],
                                 capture_output=True, text=True)
            dec = [json.loads(l) for l in out.stdout.splitlines()]
            t.check(out.returncode == 0 and dec == want
                    and out.stderr.count("skipped a statement-based") == len(statements),
                    f"decode --statement-events warn: every event, exit {out.returncode}")

            # 4. truncate exactly once across SIGKILLs
            db.execute("SET GLOBAL binlog_format='ROW'")
            base = master_status(db)
            env = t.env(db, "crash")
            d = Daemon(t.mysql_cdc, env, work / "crash")
            write_seed_state(d.state_dir / "binlog_position_shop_orders.json", *base)
            want = []
            next_id = 1000
            d.start()
            for round_ in range(8):
                script = []
                for _ in range(rng.randrange(1, 4)):
                    script.append(f"INSERT INTO orders VALUES ({next_id}, 'c{next_id}');")
                    want.append(ins(next_id, f"c{next_id}"))
                    next_id += 1
                script.append("TRUNCATE TABLE `shop`.`orders`;")
                want.append(TRUNCATE)
                script.append(f"INSERT INTO orders VALUES ({next_id}, 'c{next_id}');")
                want.append(ins(next_id, f"c{next_id}"))
                next_id += 1
                db.execute("\n".join(script), database="shop")
                time.sleep(rng.uniform(0.0, 0.4))
                d.sigkill()
                d.start()
            d.wait_caught_up(db)
            d.sigterm()
            got = read_events(d.output_file)
            problems = diff_events(want, got)
            t.check(not problems, f"truncate exactly once across {len(d.runs) - 1} SIGKILLs "
                    f"({len(want)} events)" + "".join("\n    " + p for p in problems))

            incident_case(t, db)
            memory_case(t, db)
            if args.broker:
                kafka_case(t, db, args.broker)
    finally:
        if args.keep or t.failures:
            print(f"work directory kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    if t.failures:
        print(f"{len(t.failures)} check(s) failed (seed {seed})")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

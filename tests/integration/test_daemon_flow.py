#!/usr/bin/env python3
"""Issue 3, acceptance criteria 1 and 5, and SIGTERM: the daemon's seed flow end to end.

A throwaway MariaDB (mariadb_server.py) holds d.t1 (several column types), d.t2, d.other, e.t1
(same table name, other schema) and e.t3. The daemon runs with MYSQL_DATABASE=d and
MYSQL_TABLE=t1,d.t2,e.t3 (a bare name, a schema-qualified one in MYSQL_DATABASE, one in another
schema) and the file sink. One client session makes inserts, updates (one moves a primary key),
deletes and a multi-table transaction on watched and unwatched tables; around every statement the
same session SELECTs the rows it touches, so the expected after- and before-images are the
server's own, never this file's. Checked:

  flow      the output file holds exactly the watched tables' events in commit order, seed format:
            insert {columnnames, columnvalues, oldkeys {}}, update {.., oldkeys = full before
            image}, delete {[], [], oldkeys = full before image}; nothing of d.other or e.t1
  sigterm   with FLUSH_INTERVAL_MS far away, changes are made and SIGTERM sent: the daemon flushes
            them, saves the position (= SHOW MASTER STATUS) and exits 0 within 5 s; a restart
            from that state repeats nothing
  seed      (criterion 5) a state file with only the seed's four fields (log_file, log_pos,
            timestamp, readable_time), pointing at a position taken with SHOW MASTER STATUS
            before a FLUSH BINARY LOGS and some changes: the daemon resumes from exactly there
            (nothing before it, everything after it)
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from daemon_harness import (Daemon, DaemonError, daemon_env, diff_events, event,  # noqa: E402
                            logged_errors, master_status, position_reached, read_events,
                            start_mariadb, stopped_cleanly, write_seed_state)
from mariadb_server import MariaDB  # noqa: E402
from script_frame import finish, require_files, script_arguments  # noqa: E402

# (schema, table) -> [(column, category)]; categories say how SELECT text becomes the JSON value.
TABLES = {
    ("d", "t1"): [("id", "int"), ("name", "text"), ("amount", "text"), ("at", "text"),
                  ("note", "text"), ("big", "int")],
    ("d", "t2"): [("k", "int"), ("v", "text")],
    ("d", "other"): [("id", "int"), ("v", "int")],
    ("e", "t1"): [("id", "int"), ("name", "text"), ("amount", "text"), ("at", "text"),
                  ("note", "text"), ("big", "int")],
    ("e", "t3"): [("id", "int"), ("x", "int")],
}
T1_DDL = ("(id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, amount DECIMAL(10,2), at DATETIME,"
          " note VARCHAR(20) NULL, big BIGINT UNSIGNED) DEFAULT CHARSET=utf8mb4")
SCHEMA_SQL = f"""
CREATE DATABASE d; CREATE DATABASE e;
CREATE TABLE d.t1 {T1_DDL};
CREATE TABLE d.t2 (k INT PRIMARY KEY, v VARCHAR(20)) DEFAULT CHARSET=utf8mb4;
CREATE TABLE d.other (id INT PRIMARY KEY, v INT);
CREATE TABLE e.t1 {T1_DDL};
CREATE TABLE e.t3 (id INT PRIMARY KEY, x INT);
"""
WATCHED = {("d", "t1"), ("d", "t2"), ("e", "t3")}


class Session:
    """Statements of one client session; `insert/update/delete` capture the rows they touch with
    SELECTs in the same session, so expected events come from the server."""

    def __init__(self):
        self.script: list[str] = []
        self.steps: list[tuple] = []

    def _capture(self, st: tuple[str, str], where: str) -> None:
        cols = TABLES[st]
        exprs = [f"HEX(CONVERT(`{c}` USING utf8mb4))" if cat == "text" else f"`{c}`"
                 for c, cat in cols]
        self.script.append("SELECT '#cap';")
        self.script.append(f"SELECT {', '.join(exprs)} FROM {st[0]}.{st[1]} WHERE {where} "
                           f"ORDER BY `{cols[0][0]}`;")

    def sql(self, statement: str) -> None:
        self.script.append(statement)

    def insert(self, st, values_sql: str, where: str) -> None:
        self.script.append(f"INSERT INTO {st[0]}.{st[1]} VALUES {values_sql};")
        self._capture(st, where)
        self.steps.append(("insert", st))

    def update(self, st, set_sql: str, where: str, where_after: str | None = None) -> None:
        """Rows change in primary-key order (InnoDB); where_after finds them afterwards."""
        self._capture(st, where)
        self.script.append(f"UPDATE {st[0]}.{st[1]} SET {set_sql} WHERE {where};")
        self._capture(st, where_after or where)
        self.steps.append(("update", st))

    def delete(self, st, where: str) -> None:
        self._capture(st, where)
        self.script.append(f"DELETE FROM {st[0]}.{st[1]} WHERE {where};")
        self.steps.append(("delete", st))

    def run(self, db: MariaDB) -> list[dict]:
        """Runs the session; returns the expected events of the watched tables, in order."""
        out = db.execute("SET time_zone = '+00:00';\n" + "\n".join(self.script))
        captures: list[list[list[str | None]]] = []
        for line in out.splitlines():
            if line == "#cap":
                captures.append([])
            elif captures:
                captures[-1].append([None if f == "NULL" else f for f in line.split("\t")])
        caps = iter(captures)
        events = []
        for kind, st in self.steps:
            rows = [self._values(st, r) for r in next(caps)]
            after = [self._values(st, r) for r in next(caps)] if kind == "update" else None
            if not rows:
                raise AssertionError(f"workload bug: {kind} on {st} captured no rows")
            if st not in WATCHED:
                continue
            names = [c for c, _ in TABLES[st]]
            for i, row in enumerate(rows):
                if kind == "insert":
                    events.append(event("insert", *st, names, row, None))
                elif kind == "update":
                    events.append(event("update", *st, names, after[i], row))
                else:
                    events.append(event("delete", *st, names, None, row))
        return events

    @staticmethod
    def _values(st, row: list[str | None]) -> list:
        out = []
        for (_, cat), v in zip(TABLES[st], row):
            if v is None:
                out.append(None)
            elif cat == "int":
                out.append(int(v))
            else:
                out.append(bytes.fromhex(v).decode("utf-8"))
        return out


def main_workload() -> Session:
    t1, t2, other, e1, t3 = ("d", "t1"), ("d", "t2"), ("d", "other"), ("e", "t1"), ("e", "t3")
    s = Session()
    s.insert(t1, "(1, 'alpha', 12.30, '2024-01-02 03:04:05', NULL, 1),"
                 " (2, 'b€ta ü 😀', -0.05, '1999-12-31 23:59:59', 'tab\\there',"
                 "  18446744073709551615),"
                 " (3, 'gamma', 0, NULL, 'line\\nbreak', 0)", "id IN (1, 2, 3)")
    s.insert(other, "(1, 10)", "id = 1")
    s.insert(e1, "(1, 'other schema', 1.00, NULL, NULL, 7)", "id = 1")
    s.insert(t2, "(10, 'ten'), (11, NULL)", "k IN (10, 11)")
    s.insert(t3, "(100, 1)", "id = 100")
    s.update(t1, "name = 'BETA', amount = amount * 2, note = NULL, big = big - 1", "id = 2")
    s.update(t1, "id = 30, name = 'moved'", "id = 3", "id = 30")
    s.update(e1, "name = 'not emitted'", "id = 1")
    s.update(other, "v = v + 1", "id = 1")
    s.sql("BEGIN;")
    s.insert(t1, "(4, 'in trx', 4.44, '2020-02-29 12:00:00', 'x', 4)", "id = 4")
    s.update(t2, "v = 'TEN'", "k = 10")
    s.insert(other, "(2, 20)", "id = 2")
    s.update(t1, "note = 'updated in trx'", "id IN (1, 4)")
    s.delete(t1, "id = 4")
    s.update(t3, "x = x + 41", "id = 100")
    s.sql("COMMIT;")
    s.delete(t1, "id = 1")
    s.delete(t2, "k IN (10, 11)")
    s.delete(other, "id = 1")
    s.delete(e1, "id = 1")
    s.delete(t3, "id = 100")
    s.insert(t1, "(5, 'after deletes', 5.55, '2030-05-05 05:05:05', NULL, 5)", "id = 5")
    return s


def check(label: str, expected: list[dict], actual: list[dict], problems: list[str]) -> None:
    diff = diff_events(expected, actual)
    if diff:
        problems.append(f"[{label}] output differs from the server's history:\n    "
                        + "\n    ".join(diff))
    else:
        print(f"[{label}] OK: {len(actual)} events exactly as expected")


def phase_flow_and_sigterm(db: MariaDB, mysql_cdc: str, work: Path, problems: list[str]) -> None:
    env = daemon_env(db, work, database="d", tables="t1,d.t2,e.t3")
    d = Daemon(mysql_cdc, env, work)
    try:
        # Changes made before the first start are not emitted: the first run starts at "now".
        db.execute("INSERT INTO d.t1 VALUES (900, 'before start', 1, NULL, NULL, 1);")
        d.start()
        d.wait_for_state()
        d.wait_for_log("streaming from")
        expected = main_workload().run(db)
        d.wait_caught_up(db)
        actual = read_events(d.output_file)
        check("flow", expected, actual, problems)
        kinds = {e["kind"] for e in actual}
        tables = {(e["schema"], e["table"]) for e in actual}
        if kinds != {"insert", "update", "delete"} or tables != WATCHED:
            problems.append(f"[flow] expected all kinds of all three watched tables, got "
                            f"{sorted(kinds)} of {sorted(tables)}")
        rc, secs = d.sigterm()
        if rc != 0 or secs > 5:
            problems.append(f"[flow] SIGTERM: exit {rc} after {secs:.1f} s (want 0 within 5 s)\n"
                            f"{d.log_tail()}")

        # SIGTERM flushes what the time-based flush has not: a far flush interval and no
        # heartbeats, changes, then SIGTERM once the daemon has had time to receive them.
        d.env.update(FLUSH_INTERVAL_MS="600000", MYSQL_HEARTBEAT_SECONDS="0")
        d.start()
        d.wait_for_log("streaming from")
        before = d.state()
        s = Session()
        s.insert(("d", "t1"), "(6, 'flushed by SIGTERM', 6.00, NULL, NULL, 6),"
                              " (7, 'me too', 7.00, NULL, NULL, 7)", "id IN (6, 7)")
        s.insert(("e", "t3"), "(101, 2)", "id = 101")
        s.delete(("d", "t1"), "id = 6")
        more = s.run(db)
        expected += more
        target = master_status(db)
        time.sleep(2.0)
        mid = d.state()
        if mid != before:
            print(f"[sigterm] note: the state moved before SIGTERM ({before} -> {mid})")
        mid_events = len(read_events(d.output_file))
        rc, secs = d.sigterm()
        after = d.state()
        print(f"[sigterm] exit {rc} in {secs:.2f} s; events before SIGTERM {mid_events}, "
              f"state {after and (after.get('log_file'), after.get('log_pos'))}, master {target}")
        if rc != 0 or secs > 5:
            problems.append(f"[sigterm] exit {rc} after {secs:.1f} s (want 0 within 5 s)\n"
                            f"{d.log_tail()}")
        if after is None or not position_reached(after, target):
            problems.append(f"[sigterm] the saved position {after} is not the server's "
                            f"{target[0]}:{target[1]}: SIGTERM did not save the last position")
        if "stopped cleanly" not in d.runs[-1].stderr():
            problems.append(f"[sigterm] no 'stopped cleanly' log line\n{d.log_tail()}")
        check("sigterm", expected, read_events(d.output_file), problems)

        # A restart from the state SIGTERM saved repeats nothing and continues.
        d.env.pop("FLUSH_INTERVAL_MS")
        d.env.pop("MYSQL_HEARTBEAT_SECONDS")
        d.start()
        d.wait_for_log("streaming from")
        s = Session()
        s.update(("d", "t1"), "name = 'after restart'", "id IN (2, 5, 7)")
        expected += s.run(db)
        d.wait_caught_up(db)
        check("restart after SIGTERM", expected, read_events(d.output_file), problems)
        rc, secs = d.sigterm()
        if rc != 0 or secs > 5:
            problems.append(f"[restart] SIGTERM: exit {rc} after {secs:.1f} s\n{d.log_tail()}")
        problems += logged_errors(d, "[flow] run {n} logged: {line}")
    finally:
        d.stop()


def phase_seed_state(db: MariaDB, mysql_cdc: str, work: Path, problems: list[str]) -> None:
    env = daemon_env(db, work, database="d", tables="t1")
    d = Daemon(mysql_cdc, env, work)
    try:
        t1 = ("d", "t1")
        s = Session()   # before the saved position: must not be emitted
        s.insert(t1, "(40, 'before the seed position', 4.00, NULL, NULL, 40)", "id = 40")
        s.update(t1, "note = 'before'", "id = 40")
        s.run(db)
        log_file, log_pos = master_status(db)
        s = Session()   # after it: exactly these, across a binlog rotation
        s.insert(t1, "(41, 'after the seed position', 4.10, NULL, NULL, 41)", "id = 41")
        s.update(t1, "note = 'after'", "id IN (40, 41)")
        s.sql("FLUSH BINARY LOGS;")
        s.insert(("d", "t2"), "(50, 'unwatched here')", "k = 50")
        s.delete(t1, "id = 40")
        s.insert(t1, "(42, 'next file', NULL, NULL, NULL, NULL)", "id = 42")
        expected = [e for e in s.run(db) if (e["schema"], e["table"]) == t1]
        seed_path = d.state_dir / "binlog_position_d_t1.json"
        seed = write_seed_state(seed_path, log_file, log_pos)
        print(f"[seed] state file {seed_path.name}: {json.dumps(seed)}")
        d.start()
        d.wait_for_log("streaming from")
        d.wait_caught_up(db)
        check("seed state", expected, read_events(d.output_file), problems)
        logs = d.runs[-1].stderr()
        if f"{log_file}:{log_pos}" not in logs:
            problems.append(f"[seed] the log does not name the seed position {log_file}:{log_pos}"
                            f"\n{d.log_tail()}")
        if [p.name for p in d.state_files()] != [seed_path.name]:
            problems.append(f"[seed] state files are {[p.name for p in d.state_files()]}, "
                            f"expected only {seed_path.name}")
        st = json.loads(seed_path.read_text())
        keys = list(st)[:4]
        if keys != ["log_file", "log_pos", "timestamp", "readable_time"] or \
                not isinstance(st["log_pos"], int) or not isinstance(st["timestamp"], (int, float)):
            problems.append(f"[seed] the daemon's state file no longer reads like the seed's: {st}")
        stopped_cleanly(d, problems, "[seed] SIGTERM")
    finally:
        d.stop()


def main() -> int:
    ap = script_arguments(__doc__)
    args = ap.parse_args()
    if not require_files(mysql_cdc=args.mysql_cdc):
        return 2
    work = Path(tempfile.mkdtemp(prefix="daemon-flow-"))
    problems: list[str] = []
    t0 = time.monotonic()
    with start_mariadb("flow") as db:
        db.execute(SCHEMA_SQL)
        for label, phase in (("flow", phase_flow_and_sigterm), ("seed", phase_seed_state)):
            try:
                phase(db, args.mysql_cdc, work / label, problems)
            except DaemonError as e:
                problems.append(f"[{label}] {e}")
    return finish(problems, work, args.keep, t0)


if __name__ == "__main__":
    sys.exit(main())

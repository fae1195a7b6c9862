#!/usr/bin/env python3
"""Issue 11, "make the class impossible": a randomized differential test against a real MariaDB.

From one seed, random_tables.py makes tables with random column types (every type the server
has: integers of each width and sign, YEAR, BIT(1..64), FLOAT, DOUBLE, DECIMAL up to (65,30),
DATE, TIME/DATETIME/TIMESTAMP with 0..6 fractional digits, CHAR/VARCHAR/TEXT in many charsets
and collations, BINARY/VARBINARY/BLOB, ENUM, SET, JSON, INET6, UUID, GEOMETRY; generated columns
VIRTUAL and STORED), in random order, nullable or not; primary keys single, composite or none.
One client session then runs random multi-row INSERTs, UPDATEs (some change the primary key,
some give each row its own value, some change nothing), DELETEs, multi-table UPDATEs and
DELETEs, transactions (a few rolled back, some rolled back to a savepoint) and FLUSH BINARY
LOGS; with --compressed the server writes compressed row events. Around every statement the same session SELECTs the affected rows, so each event's
expected after-image and before-image come from the server (test_decode_mariadb's rendering
rules: column_expr, to_contract, value_problem), never from this file.

Three renderings are checked, value by value:
  stream    the daemon (OUTPUT_SINK=file) running while the workload runs
  decode    `mysql-cdc decode` of the saved binlogs
  snapshot  a fresh daemon with INITIAL_SNAPSHOT=true over the final tables (snapshot_insert),
            against a SELECT of every row of every table at the end

Events of one statement are matched to its rows by table and the identity column `rid` (InnoDB
visits the rows of a table without a key in its own order); statements must appear in session
order. An
UPDATE does not log a row whose new values equal the old ones: a row whose SELECT before and
after the statement is identical is expected to have no event.

A mismatch prints the seed, the rendering, the statement, table, column, its type, expected
and actual value, and the DDL of each table involved. With --artifacts DIR the binlogs, the
outputs and the session script are kept. The CI case is a fixed seed; tools/random_differential.sh
runs bigger ones with a random seed.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from daemon_harness import Daemon, DaemonError, daemon_env, start_mariadb  # noqa: E402
from random_tables import Table, make_tables, quote  # noqa: E402
from test_decode_mariadb import (Number, column_expr, count_event_types, display,  # noqa: E402
                                 load_events, short, shortest_digits, to_contract,
                                 value_problem)

DB = "rnd"
SESSION_HEAD = "SET time_zone = '+00:00'; SET sql_mode = ''; SET NAMES utf8mb4;\n"
# log_bin_compress: row events of 10 bytes or more are written compressed (another decoder path)
COMPRESSED_ARGS = ["--log-bin-compress=ON", "--log-bin-compress-min-len=10"]
MAX_SHOWN = 40                                   # problems printed per rendering


class Workload:
    """The session script and, per statement, which rows to expect before and after it."""

    def __init__(self, rng: random.Random, tables: list[Table]):
        self.rng, self.tables = rng, tables
        self.script: list[str] = []
        self.steps: list[dict] = []
        self.captures = 0
        self.exprs: dict[str, list[tuple[str, str]]] = {}

    def _capture(self, t: Table, rids: list[int]) -> int:
        self.script.append("SELECT '#cap';")
        self.script.append(f"SELECT {', '.join(e for e, _ in self.exprs[t.name])} FROM {t.name} "
                           f"WHERE rid IN ({', '.join(map(str, sorted(rids)))});")
        self.captures += 1
        return self.captures - 1

    def _pick(self, t: Table) -> list[int]:
        n = self.rng.choice([1, 1, 2, 3, 5, 8]) if self.rng.random() < 0.9 else 20
        return self.rng.sample(t.rids, min(n, len(t.rids)))

    def _row(self, t: Table, rid: int) -> str:
        return "(" + ", ".join(str(rid) if c.name == "rid" else c.literal(self.rng)
                               for c in t.writable()) + ")"

    def insert(self, t: Table) -> None:
        n = self.rng.choice([1, 1, 2, 3, 5]) if self.rng.random() < 0.9 else 25
        rids = [t.new_rid() for _ in range(n)]
        sql = (f"INSERT INTO {t.name} ({', '.join(c.q for c in t.writable())}) VALUES "
               + ", ".join(self._row(t, r) for r in rids) + ";")
        self.script.append(sql)
        t.rids += rids
        self.steps.append({"table": t, "kind": "insert", "sql": sql, "map": {r: r for r in rids},
                           "after": self._capture(t, rids)})

    def _assignments(self, t: Table, rids: list[int], alias: str = "") -> list[str]:
        cols = [c for c in t.writable() if c.name != "rid"]
        out = []
        for c in self.rng.sample(cols, min(len(cols), self.rng.randint(1, 3))):
            # (a CASE of geometries is not a geometry to the server)
            per_row = c.decl.split("(")[0] not in ("GEOMETRY", "POINT", "LINESTRING", "POLYGON")
            if self.rng.random() < 0.05:
                out.append(f"{alias}{c.q} = {alias}{c.q}")  # unchanged rows: no event at all
            elif len(rids) > 1 and per_row and self.rng.random() < 0.4:
                whens = " ".join(f"WHEN {r} THEN {c.literal(self.rng)}" for r in rids)
                out.append(f"{alias}{c.q} = CASE {alias}rid {whens} END")
            else:
                out.append(f"{alias}{c.q} = {c.literal(self.rng)}")
        return out

    def update(self, t: Table, move_key: bool) -> None:
        rids = self._pick(t)
        if not rids:
            return self.insert(t)
        sets = self._assignments(t, rids)
        mapping = {r: r for r in rids}
        if move_key:
            mapping = {r: t.new_rid() for r in sorted(rids)}
            whens = " ".join(f"WHEN {o} THEN {n}" for o, n in mapping.items())
            # last: the server assigns left to right, so a later CASE rid would see the new rid
            sets = (sets if self.rng.random() < 0.5 else []) + [f"rid = CASE rid {whens} END"]
        before = self._capture(t, rids)
        sql = (f"UPDATE {t.name} SET {', '.join(sets)} "
               f"WHERE rid IN ({', '.join(map(str, rids))});")
        self.script.append(sql)
        t.rids = [mapping.get(r, r) for r in t.rids]
        self.steps.append({"table": t, "kind": "update", "sql": sql, "map": mapping,
                           "before": before, "after": self._capture(t, list(mapping.values()))})

    def delete(self, t: Table) -> None:
        rids = self._pick(t)
        if not rids:
            return self.insert(t)
        before = self._capture(t, rids)
        sql = f"DELETE FROM {t.name} WHERE rid IN ({', '.join(map(str, rids))});"
        self.script.append(sql)
        t.rids = [r for r in t.rids if r not in set(rids)]
        self.steps.append({"table": t, "kind": "delete", "sql": sql, "map": {r: r for r in rids},
                           "before": before})

    def multi_table(self, t: Table) -> None:
        """One UPDATE or DELETE of rows of two tables: row events of both in one statement."""
        if len(self.tables) < 2:
            return self.insert(t)
        u = self.rng.choice([x for x in self.tables if x is not t])
        rt, ru = self._pick(t), self._pick(u)
        if not rt or not ru:
            return self.insert(t)
        where = (f"WHERE x.rid IN ({', '.join(map(str, rt))}) "
                 f"AND y.rid IN ({', '.join(map(str, ru))})")
        parts = [{"table": t, "map": {r: r for r in rt}, "before": self._capture(t, rt)},
                 {"table": u, "map": {r: r for r in ru}, "before": self._capture(u, ru)}]
        if self.rng.random() < 0.6:
            sets = self._assignments(t, rt, "x.") + self._assignments(u, ru, "y.")
            sql = f"UPDATE {t.name} x, {u.name} y SET {', '.join(sets)} {where};"
            self.script.append(sql)
            for part in parts:
                part["kind"] = "update"
                part["after"] = self._capture(part["table"], list(part["map"]))
        else:
            sql = f"DELETE x, y FROM {t.name} x, {u.name} y {where};"
            self.script.append(sql)
            for part, gone in ((parts[0], set(rt)), (parts[1], set(ru))):
                part["kind"] = "delete"
                part["table"].rids = [r for r in part["table"].rids if r not in gone]
        self.steps.append({"sql": sql, "parts": parts})

    def statement(self) -> None:
        t = self.rng.choice(self.tables)
        p = self.rng.random()
        if p > 0.95:
            return self.multi_table(t)
        if p < 0.4 or len(t.rids) < 3:
            self.insert(t)
        elif p < 0.7:
            self.update(t, move_key=False)
        elif p < 0.8:
            self.update(t, move_key=True)
        else:
            self.delete(t)

    def build(self, statements: int) -> None:
        for t in self.tables:                    # every table starts with some rows
            for _ in range(2):
                self.insert(t)
        flush_at = {statements // 3, 2 * statements // 3}
        done = 0
        while done < statements:
            if done in flush_at:
                self.script.append("FLUSH BINARY LOGS;")
            if self.rng.random() < 0.15:
                n = self.rng.randint(2, 4)
                rollback = self.rng.random() < 0.2
                saved = {t.name: list(t.rids) for t in self.tables}
                first = len(self.steps)
                self.script.append("BEGIN;")
                for _ in range(n):
                    self.statement()
                if self.rng.random() < 0.3:
                    # statements rolled back to a savepoint leave no event; the rest commits
                    kept = len(self.steps)
                    at_savepoint = {t.name: list(t.rids) for t in self.tables}
                    self.script.append("SAVEPOINT sp;")
                    for _ in range(self.rng.randint(1, 2)):
                        self.statement()
                    self.script.append("ROLLBACK TO SAVEPOINT sp;")
                    for s in self.steps[kept:]:
                        s["rolled_back"] = True
                    for t in self.tables:
                        t.rids = at_savepoint[t.name]
                if rollback:
                    self.script.append("ROLLBACK;")
                    for s in self.steps[first:]:
                        s["rolled_back"] = True
                    for t in self.tables:
                        t.rids = saved[t.name]
                else:
                    self.script.append("COMMIT;")
                done += n
            else:
                self.statement()
                done += 1

    def run(self, db) -> list[list[list[str | None]]]:
        out = db.execute(SESSION_HEAD + "USE " + DB + ";\n" + "\n".join(self.script),
                         timeout=600)
        captures: list[list[list[str | None]]] = []
        for line in out.splitlines():
            if line == "#cap":
                captures.append([])
            else:
                captures[-1].append([None if f == "NULL" else f for f in line.split("\t")])
        if len(captures) != self.captures:
            raise AssertionError(f"{len(captures)} captures read, {self.captures} written")
        return captures


def zerofill_decimal_expr(name: str, column_type: str) -> tuple[str, str] | None:
    """DECIMAL ZEROFILL: SELECT pads to the display width ("00000012.30"), a display attribute
    the output leaves out, as it does for INT ZEROFILL (a JSON number): DESIGN.md's DECIMAL is
    the value with exactly the column's scale. CAST to the same DECIMAL drops only the padding."""
    if not column_type.startswith("decimal(") or "zerofill" not in column_type:
        return None
    return f"CAST({name} AS DECIMAL{column_type[7:column_type.index(')') + 1]})", "text"


def double_m_d_expr(name: str, column_type: str) -> tuple[str, str] | None:
    """DOUBLE(M,D): SELECT shows D decimals ("-0.010"), the column holds the double the server's
    rounding made (-0.010000000000000009), which the output renders exactly. CAST AS DOUBLE
    shows that double (as test_decode_mariadb does for every FLOAT)."""
    if not column_type.startswith("double("):
        return None
    return f"CAST({name} AS DOUBLE)", "float64"


class Schema:
    """A table's columns as the server reports them, and the SELECT expressions of the contract."""

    def __init__(self, db, t: Table):
        rows = db.sql(f"SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE FROM information_schema.COLUMNS"
                      f" WHERE TABLE_SCHEMA='{DB}' AND TABLE_NAME='{t.name}'"
                      f" ORDER BY ORDINAL_POSITION")
        self.names = [r[0] for r in rows]
        if self.names != [c.name for c in t.columns]:
            raise AssertionError(f"{t.name}: the server made columns {self.names}")
        self.types = {r[0]: r[2] for r in rows}
        self.exprs = [zerofill_decimal_expr(quote(n), ct) or double_m_d_expr(quote(n), ct)
                      or column_expr(quote(n), dt) for n, dt, ct in rows]
        self.rid = self.names.index("rid")
        self.ddl = db.sql(f"SHOW CREATE TABLE {DB}.{t.name}")[0][1]

    def values(self, raw: list[str | None]) -> list:
        return [to_contract(v, cat) for v, (_, cat) in zip(raw, self.exprs)]


def expected_events(w: Workload, captures, schemas: dict[str, Schema]) -> list[dict]:
    """Per committed statement, {"step", "sql", "events": {(table, identity): event}}; identity
    is the rid of the before-image (update, delete) or of the after-image (insert)."""
    groups = []
    for n, step in enumerate(w.steps):
        if step.get("rolled_back"):
            continue
        events = {}
        for part in step.get("parts", [step]):
            name = part["table"].name
            s = schemas[name]

            def by_rid(cap):
                return {int(r[s.rid]): r for r in captures[cap]}
            before = by_rid(part["before"]) if "before" in part else {}
            after = by_rid(part["after"]) if "after" in part else {}
            kind = part["kind"]
            for old, new in part["map"].items():
                b, a = before.get(old), after.get(new)
                if kind != "insert" and b is None or kind != "delete" and a is None:
                    raise AssertionError(f"workload bug: statement {n} {name} rid={old} "
                                         "not captured")
                if kind == "update" and a == b:
                    continue                      # the server logs no unchanged row
                events[(name, old)] = {"kind": kind,
                                       "after": s.values(a) if a is not None else None,
                                       "before": s.values(b) if b is not None else None}
        groups.append({"step": n, "sql": step["sql"], "events": events})
    return groups


class Report:
    def __init__(self, rendering: str, seed: int):
        self.rendering, self.seed = rendering, seed
        self.problems: list[str] = []
        self.tables: set[str] = set()
        self.count = 0
        self.by_column: dict[tuple[str, str, str, str], int] = {}

    def add(self, table: str | None, text: str) -> None:
        self.count += 1
        if table:
            self.tables.add(table)
        if len(self.problems) < MAX_SHOWN:
            self.problems.append(text)

    def print(self, schemas: dict[str, Schema]) -> None:
        print(f"[{self.rendering}] FAILED (seed {self.seed}): {self.count} problem(s)")
        for p in self.problems:
            print("  - " + p)
        if self.count > len(self.problems):
            print(f"  ... {self.count - len(self.problems)} more")
        if self.by_column:
            print(f"  [{self.rendering}] wrong values by column (table, column, type, problem):")
            for (t, c, ty, why), n in sorted(self.by_column.items()):
                print(f"    {t}.{c} [{ty}]: {why} ({n} values)")
        for t in sorted(self.tables):
            print(f"  {t}: {schemas[t].ddl}")


def float_integer_form(exp, actual) -> bool:
    """A FLOAT/DOUBLE written as its exact integer digits where that is no longer than the
    scientific form ("-1088928512", not "-1.0889285e+09"): std::to_chars's shortest form counts
    characters, not digits. The number is the stored value exactly (even read as a double), so
    this is the contract's "shortest round-trip form", not a divergence."""
    if exp.category not in ("float32", "float64") or not isinstance(actual, Number):
        return False
    if any(ch in actual for ch in ".eE") or float(int(actual)) != exp.value:
        return False
    p = shortest_digits(exp.value, exp.category == "float32")
    return len(actual) <= len(f"{exp.value:.{p - 1}e}")


def check_values(rep: Report, where: str, table: str, s: Schema, part: str, exp: list,
                 act) -> None:
    if not isinstance(act, list) or len(act) != len(exp):
        rep.add(table, f"{where}: {part} is {short(act)}, expected {len(exp)} values")
        return
    for name, e, a in zip(s.names, exp, act):
        why = value_problem(e, a)
        if why and not float_integer_form(e, a):
            kind = (table, name, s.types[name], re.sub(r"-?\d[\d.e+-]*", "N", why)[:70])
            rep.by_column[kind] = rep.by_column.get(kind, 0) + 1
            rep.add(table, f"{where} {part} column {name} [{s.types[name]}]: {why}\n"
                           f"      expected {display(e)}\n      actual   {short(a)}")


def check_event(rep: Report, where: str, table: str, s: Schema, exp: dict, act: dict) -> None:
    if act.get("columnnames", []) != (s.names if exp["after"] is not None else []):
        rep.add(table, f"{where}: columnnames {short(act.get('columnnames'))}, "
                       f"the table has {s.names}")
        return
    if exp["after"] is not None:
        check_values(rep, where, table, s, "after", exp["after"], act.get("columnvalues"))
    elif act.get("columnvalues") != []:
        rep.add(table, f"{where}: a delete with columnvalues {short(act.get('columnvalues'))}")
    old = act.get("oldkeys")
    if exp["before"] is None:
        if old != {}:
            rep.add(table, f"{where}: an insert with oldkeys {short(old)}")
        return
    if not isinstance(old, dict) or old.get("keynames") != s.names:
        rep.add(table, f"{where}: oldkeys {short(old)} lacks keynames {s.names}")
        return
    check_values(rep, where, table, s, "before", exp["before"], old.get("keyvalues"))


def identity(ev: dict, s: Schema) -> int | None:
    image = (ev.get("columnvalues") if ev.get("kind") == "insert"
             else (ev.get("oldkeys") or {}).get("keyvalues"))
    try:
        return int(image[s.rid])
    except (TypeError, ValueError, IndexError):
        return None


def compare_stream(rep: Report, groups: list[dict], actual: list[dict],
                   schemas: dict[str, Schema]) -> None:
    """The events in statement order; within a statement, matched by identity."""
    want = sum(len(g["events"]) for g in groups)
    if len(actual) != want:
        rep.add(None, f"{len(actual)} events, the workload made {want}")
    pos = 0
    for g in groups:
        chunk = actual[pos:pos + len(g["events"])]
        pos += len(g["events"])
        where = f"statement {g['step']} ({short(g['sql'], 160)})"
        remaining = dict(g["events"])
        tables = {t for t, _ in remaining}
        for act in chunk:
            table = act.get("table")
            if act.get("schema") != DB or table not in tables:
                rep.add(None, f"{where}: an event of {act.get('schema')}.{table} "
                              f"({act.get('kind')}), expected one of {sorted(tables)}")
                continue
            s = schemas[table]
            rid = identity(act, s)
            exp = remaining.pop((table, rid), None)
            if exp is None:
                # A wrong identity value (rid is a column like the others): compare with the
                # next expected row of the table in the statement, so the report shows every
                # wrong column.
                same = [k for k in remaining if k[0] == table]
                if not same:
                    rep.add(table, f"{where}: unexpected {act.get('kind')} of {table} rid "
                                   f"{rid}: {short(act, 300)}")
                    continue
                rid, exp = same[0][1], remaining.pop(same[0])
                where_pos = f"{where} (by position) rid {rid} {exp['kind']}"
                if act.get("kind") != exp["kind"]:
                    rep.add(table, f"{where_pos}: kind {act.get('kind')}")
                else:
                    check_event(rep, where_pos, table, s, exp, act)
                continue
            if act.get("kind") != exp["kind"]:
                rep.add(table, f"{where} rid {rid}: kind {act.get('kind')}, expected "
                               f"{exp['kind']}")
                continue
            check_event(rep, f"{where} rid {rid} {exp['kind']}", table, s, exp, act)
        for (table, rid), exp in remaining.items():
            if len(chunk) == len(g["events"]):
                rep.add(table, f"{where}: no {exp['kind']} event of {table} rid {rid}")
        if rep.count >= 3 * MAX_SHOWN:
            rep.add(None, "stopped comparing: too many problems")
            return


def compare_snapshot(rep: Report, final: dict[str, dict[int, list]], actual: list[dict],
                     schemas: dict[str, Schema]) -> None:
    seen: dict[str, set[int]] = {t: set() for t in final}
    for act in actual:
        table = act.get("table")
        if act.get("kind") != "snapshot_insert" or act.get("schema") != DB or table not in final:
            rep.add(None, f"not a snapshot_insert of a test table: {short(act, 300)}")
            continue
        s = schemas[table]
        if act.get("columnnames") != s.names:
            rep.add(table, f"{table}: columnnames {short(act.get('columnnames'))}, the table "
                           f"has {s.names}")
            continue
        rid = identity(dict(act, kind="insert"), s)
        if rid in seen[table]:
            rep.add(table, f"{table} rid {rid}: twice in the snapshot")
            continue
        seen[table].add(rid)
        exp = final[table].get(rid)
        if exp is None:
            rep.add(table, f"{table} rid {rid}: in the snapshot but not in the table")
            continue
        check_values(rep, f"{table} rid {rid}", table, s, "snapshot row", exp,
                     act.get("columnvalues"))
    for table, rows in final.items():
        missing = sorted(set(rows) - seen[table])
        if missing:
            rep.add(table, f"{table}: {len(missing)} row(s) missing from the snapshot, "
                           f"e.g. rid {missing[:5]}")


def final_content(db, tables: list[Table], schemas: dict[str, Schema]) -> dict[str, dict]:
    out = {}
    for t in tables:
        s = schemas[t.name]
        text = db.execute(SESSION_HEAD + f"SELECT {', '.join(e for e, _ in s.exprs)} "
                          f"FROM {DB}.{t.name};")
        rows = {}
        for line in text.splitlines():
            raw = [None if f == "NULL" else f for f in line.split("\t")]
            rows[int(raw[s.rid])] = s.values(raw)
        if sorted(rows) != sorted(t.rids):
            raise AssertionError(f"workload bug: {t.name} holds rids {sorted(rows)[:10]}..., "
                                 f"the model {sorted(t.rids)[:10]}...")
        out[t.name] = rows
    return out


def run(args) -> int:
    rng = random.Random(args.seed)
    tables = make_tables(rng, args.tables, DB)
    work = Path(tempfile.mkdtemp(prefix=f"random-diff-{args.seed}-"))
    t0 = time.monotonic()
    w, schemas = None, {}
    print(f"seed {args.seed}: {args.tables} tables, {args.statements} statements "
          f"(rerun: --seed {args.seed} --tables {args.tables} --statements {args.statements}"
          f"{' --compressed' if args.compressed else ''})",
          flush=True)
    try:
        server_args = COMPRESSED_ARGS if args.compressed else []
        with start_mariadb("random-diff", server_args, attempts=3) as db:
            db.execute(f"CREATE DATABASE {DB};\nUSE {DB};\n" + ";\n".join(
                SESSION_HEAD + t.ddl() for t in tables) + ";", database=None)
            schemas = {t.name: Schema(db, t) for t in tables}
            w = Workload(rng, tables)
            w.exprs = {t.name: schemas[t.name].exprs for t in tables}
            w.build(args.statements)
            names = ",".join(t.name for t in tables)

            # A rendering that stops (a daemon or decode exiting non-zero) is a problem of its
            # own; what it wrote until then is still compared, and the others still run.
            stopped: dict[str, str] = {}
            stream = Daemon(args.mysql_cdc, daemon_env(db, work / "stream", database=DB,
                                                       tables=names), work / "stream")
            try:
                stream.start()
                stream.wait_for_state(timeout=60)
                captures = w.run(db)
                print(f"  workload ran: {len(w.steps)} statements, {len(captures)} captures "
                      f"({time.monotonic() - t0:.1f} s)", flush=True)
                stream.wait_caught_up(db, timeout=180)
                rc, _ = stream.sigterm(timeout=30)
                if rc != 0:
                    stopped["stream"] = f"the daemon exited {rc} on SIGTERM\n{stream.log_tail()}"
            except DaemonError as e:
                stopped["stream"] = str(e)
            finally:
                stream.stop()
            groups = expected_events(w, captures, schemas)
            final = final_content(db, tables, schemas)
            files = db.save_binlogs(work / "binlog")

            snap = Daemon(args.mysql_cdc, daemon_env(db, work / "snapshot", database=DB,
                                                     tables=names, INITIAL_SNAPSHOT="true"),
                          work / "snapshot")
            try:
                snap.start()
                snap.wait_for_log(r"snapshot complete", timeout=180)
                rc, _ = snap.sigterm(timeout=30)
                if rc != 0:
                    stopped["snapshot"] = f"the daemon exited {rc} on SIGTERM\n{snap.log_tail()}"
            except DaemonError as e:
                stopped["snapshot"] = str(e)
            finally:
                snap.stop()

        if args.compressed:
            compressed = sum(n for f in files for t, n in count_event_types(f).items()
                             if 166 <= t <= 171)
            if compressed == 0:
                stopped["decode"] = "--compressed, but the binlogs hold no compressed row event"
            print(f"  {compressed} compressed row events", flush=True)
        dec = subprocess.run(
            [args.mysql_cdc, "decode", "--table", f"{DB}.*", *map(str, files)],
            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300)
        if dec.returncode != 0:
            stopped["decode"] = f"mysql-cdc decode exited {dec.returncode}: {dec.stderr[-2000:]}"
        outputs = {"stream": load_events(read_text(work / "stream" / "out.jsonl")),
                   "decode": load_events(dec.stdout),
                   "snapshot": load_events(read_text(work / "snapshot" / "out.jsonl"))}

        (work / "decoded.jsonl").write_text(dec.stdout)
        n_events = sum(len(g["events"]) for g in groups)
        n_rows = sum(len(r) for r in final.values())
        ok = True
        for rendering in ("stream", "decode", "snapshot"):
            rep = Report(rendering, args.seed)
            if rendering in stopped:
                rep.add(None, f"stopped: {stopped[rendering]}")
            if rendering == "snapshot":
                compare_snapshot(rep, final, outputs[rendering], schemas)
            else:
                compare_stream(rep, groups, outputs[rendering], schemas)
            if rep.count:
                rep.print(schemas)
                ok = False
            else:
                what = f"{n_rows} rows" if rendering == "snapshot" else f"{n_events} events"
                print(f"[{rendering}] OK: {what}, every value as SELECT shows it")
        kept = "" if ok else keep(args, work, w, schemas)
        print(f"seed {args.seed}: {'OK' if ok else 'FAILED'} in {time.monotonic() - t0:.1f} s"
              + kept)
        return 0 if ok else 1
    except BaseException:
        print(f"seed {args.seed}: ERROR" + keep(args, work, w, schemas), flush=True)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


def read_text(path: Path) -> str:
    return path.read_text() if path.exists() else ""


def keep(args, work: Path, w, schemas) -> str:
    """Copies a failed run's files (binlogs, outputs, daemon logs, session script, DDL) to
    --artifacts; returns the note saying where."""
    if not args.artifacts or not work.exists():
        return ""
    dest = args.artifacts / f"random_differential_{args.seed}"
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(work, dest)
    if w is not None:
        (dest / "session.sql").write_text(SESSION_HEAD + "\n".join(w.script))
    if schemas:
        (dest / "tables.sql").write_text(";\n".join(s.ddl for s in schemas.values()))
    return f"; files kept in {dest}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mysql-cdc", required=True, help="path to the built mysql-cdc binary")
    ap.add_argument("--seed", type=int, default=None, help="random seed (default: a random one)")
    ap.add_argument("--tables", type=int, default=8)
    ap.add_argument("--statements", type=int, default=300)
    ap.add_argument("--compressed", action="store_true",
                    help="the server writes compressed row events (log_bin_compress=ON)")
    ap.add_argument("--artifacts", type=Path,
                    help="keep the binlogs, outputs, session script and DDL here")
    args = ap.parse_args()
    if args.seed is None:
        args.seed = random.SystemRandom().randrange(2 ** 32)
    if not Path(args.mysql_cdc).is_file():
        print(f"error: --mysql-cdc {args.mysql_cdc} does not exist; build first", file=sys.stderr)
        return 2
    args.mysql_cdc = str(Path(args.mysql_cdc).resolve())
    return run(args)


if __name__ == "__main__":
    sys.exit(main())

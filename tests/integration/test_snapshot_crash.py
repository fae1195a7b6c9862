#!/usr/bin/env python3
"""Issue 5, acceptance criterion 3 (file sink): SIGKILL during the initial snapshot, restart: the
snapshot resumes after the last completed chunk, and the output converges to the tables' content.

A throwaway MariaDB holds d.t (300,000 rows, INT key) and d.c (40,000 rows, composite key
(g VARCHAR, n INT)). The daemon runs with INITIAL_SNAPSHOT=true, SNAPSHOT_BATCH_SIZE=200 (many
chunks) and frequent checkpoints, while a writer thread keeps inserting (below, inside and above
the key range being read), updating (also moving primary keys forwards and backwards across the
snapshot's read position) and deleting rows of both tables. The daemon is SIGKILLed at random
moments of the snapshot (a random progress target plus a random delay, seeded, at least 5 times)
and restarted each time. Checked:

  resume     after every kill whose state had a completed chunk of an unfinished table, the next
             run logs "snapshot of d.X: resuming after ... (N rows done)" with N the rows of that
             table in the state file the kill left, and does not log "starting" for it again;
             per table the state's rows and last_key never go back, snapshot.start never changes
             (the stream starts at the first snapshot's position); status ends "done",
             consistency "exact", resumed counts the resumed runs
  file sink  the snapshot_insert lines hold every key at most once, in key order per table,
             tables in MYSQL_TABLE order, all before the first stream event (the file is
             truncated to the checkpoint on restart, so no line is written twice)
  content    after the workload stops and the daemon caught up, applying every event by key
             (snapshot_contract: upsert after-images, delete the old key of a key-changing
             update, delete by key) gives exactly the tables' content: the same keys and values
             as SELECT (under the value contract of test_decode_mariadb) and the same JSON text,
             row for row, as a reference snapshot taken afterwards by a fresh daemon
  repeat     INITIAL_SNAPSHOT=true again on the completed state takes no new snapshot (no
             snapshot_insert line, changes stream); FORCE_SNAPSHOT=true takes a new one: each
             current row once, equal to the reference, and the by-key result is still exact
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from daemon_harness import Daemon, DaemonError, daemon_env, start_mariadb  # noqa: E402
from snapshot_checks import (ByKeyModel, EventLine, compare_models,  # noqa: E402
                             compare_with_select, keyed_snapshot, primary_keys, read_lines,
                             reference_snapshot, select_content, wait_snapshot_complete)

TABLES = ["d.t", "d.c"]
T_ROWS, C_ROWS = 300_000, 40_000
GROUPS = "abcde"
DDL = f"""
CREATE DATABASE d;
USE d;
CREATE TABLE d.t (id INT PRIMARY KEY, n INT NOT NULL, s VARCHAR(64) CHARACTER SET utf8mb4,
  f DOUBLE NULL, at DATETIME(3) NULL, amount DECIMAL(12,2) NULL) DEFAULT CHARSET=utf8mb4;
CREATE TABLE d.c (g VARCHAR(8) CHARACTER SET latin1 NOT NULL, n INT NOT NULL,
  v VARCHAR(32) CHARACTER SET utf8mb4 NULL, w BIGINT UNSIGNED NOT NULL, PRIMARY KEY (g, n))
  DEFAULT CHARSET=utf8mb4;
CREATE TABLE d.other (id INT PRIMARY KEY, v INT);
INSERT INTO d.t SELECT seq, seq % 1000, CONCAT('row ', seq, IF(seq % 7 = 0, ' €', '')),
  IF(seq % 5 = 0, NULL, seq / 3), DATE_ADD('2020-01-01', INTERVAL seq * 997 SECOND),
  IF(seq % 11 = 0, NULL, (seq % 100000) / 100) FROM seq_1_to_{T_ROWS};
INSERT INTO d.c SELECT ELT(1 + seq % 5, 'a', 'b', 'c', 'd', 'e'), seq, CONCAT('c', seq),
  seq * 1000003 FROM seq_1_to_{C_ROWS};
"""
RESUME_RX = re.compile(r"snapshot of (\S+): resuming after (.*) \((\d+) rows done\)")
START_RX = re.compile(r"snapshot of (\S+): starting")


class Writer(threading.Thread):
    """Random inserts, updates (some moving keys) and deletes on both tables, in small batches
    (some in a transaction), until stopped. IGNORE keeps a random key collision from failing."""

    def __init__(self, db, seed: int, pause: float = 0.01):
        super().__init__(daemon=True)
        self.db, self.rng, self.pause = db, random.Random(seed), pause
        self.stop_event = threading.Event()
        self.error: str | None = None
        self.batches = self.statements = 0
        self.hi, self.lo, self.cn = 1_000_000, 0, C_ROWS

    def statement(self) -> str:
        r, rng = self.rng.random(), self.rng
        k = rng.randint(1, T_ROWS)
        if r < 0.12:
            self.hi += 1
            return (f"INSERT INTO d.t VALUES ({self.hi}, 1, 'new high {self.hi}', 0.5, "
                    f"'2030-01-01 00:00:00.125', 1.25);")
        if r < 0.20:
            self.lo -= 1
            return f"INSERT INTO d.t VALUES ({self.lo}, 2, 'new low', NULL, NULL, -3.50);"
        if r < 0.26:
            return (f"INSERT IGNORE INTO d.t VALUES ({k}, 3, 'reinserted {k}', 1e300, "
                    f"'1999-12-31 23:59:59.999', 0.01);")
        if r < 0.50:
            return (f"UPDATE d.t SET n = n + 1, s = CONCAT('u', id, '-', n), f = IF(f IS NULL, "
                    f"id / 7, NULL) WHERE id BETWEEN {k} AND {k + rng.randint(0, 20)};")
        if r < 0.58:
            return f"UPDATE IGNORE d.t SET id = id + 5000000, n = n + 1 WHERE id = {k};"
        if r < 0.64:
            return f"UPDATE IGNORE d.t SET id = -id - 2000000 WHERE id = {k};"
        if r < 0.74:
            return f"DELETE FROM d.t WHERE id BETWEEN {k} AND {k + rng.randint(0, 5)};"
        g, n = rng.choice(GROUPS), rng.randint(1, C_ROWS)
        if r < 0.80:
            self.cn += 1
            return (f"INSERT IGNORE INTO d.c VALUES ('{rng.choice(GROUPS)}', {self.cn}, "
                    f"'new', {self.cn});")
        if r < 0.88:
            return f"UPDATE d.c SET v = CONCAT('v', w % 97, '✓'), w = w + 1 WHERE n = {n};"
        if r < 0.93:
            return f"UPDATE IGNORE d.c SET g = '{g}{g}' WHERE n = {n};"
        if r < 0.97:
            return f"DELETE FROM d.c WHERE n = {n};"
        return f"INSERT INTO d.other VALUES ({self.batches}, 1) ON DUPLICATE KEY UPDATE v = v + 1;"

    def run(self) -> None:
        try:
            while not self.stop_event.is_set():
                stmts = [self.statement() for _ in range(self.rng.randint(1, 12))]
                if self.rng.random() < 0.5:
                    stmts = ["BEGIN;", *stmts, "COMMIT;"]
                self.db.execute("\n".join(stmts), timeout=120)
                self.batches += 1
                self.statements += len(stmts)
                time.sleep(self.pause)
        except Exception as e:  # noqa: BLE001 - reported by the main thread
            self.error = f"writer failed: {e}"[:3000]

    def stop(self) -> None:
        self.stop_event.set()
        self.join(timeout=120)


def key_value(v):
    """A state file's last_key entry ({"n": "12"}, {"s": HEX, "cs": CHARSET}, {"q": TEXT},
    {"b": HEX}, see src/snapshot/snapshot_state.h) or a plain value, as a comparable value."""
    if isinstance(v, dict):
        if "n" in v:
            v = v["n"]
        elif "s" in v:
            return bytes.fromhex(v["s"]).decode("latin1" if v.get("cs") == "latin1" else "utf-8")
        elif "b" in v:
            return bytes.fromhex(v["b"])
        else:
            v = v.get("q")
    return int(v) if isinstance(v, (int, str)) and str(v).lstrip("-").isdigit() else v


def key_order(table: str, key: list) -> tuple:
    """A last_key / primary key as a sortable tuple (d.c: (g, n); d.t: (id,)). The values of
    d.c's g are lower-case ASCII, so Python's order is the column's collation order."""
    return tuple(key_value(v) for v in key)


class StateWatch:
    """Every state file seen: snapshot.start never changes, per table rows and last_key never
    go back (while the first snapshot runs)."""

    def __init__(self):
        self.start: dict | None = None
        self.last: dict[str, tuple[int, tuple | None]] = {}
        self.violations: list[str] = []
        self.seen = 0

    def observe(self, st: dict | None, where: str) -> None:
        snap = (st or {}).get("snapshot")
        if not snap:
            return
        self.seen += 1
        if self.start is None:
            self.start = snap.get("start")
        elif snap.get("start") != self.start and len(self.violations) < 10:
            self.violations.append(f"{where}: snapshot.start changed from {self.start} to "
                                   f"{snap.get('start')}")
        if snap.get("status") == "running" and st.get("log_file") is not None:
            top = {"log_file": st.get("log_file"), "log_pos": st.get("log_pos")}
            if snap.get("start") and top != {k: snap["start"].get(k) for k in top}:
                if len(self.violations) < 10:
                    self.violations.append(f"{where}: while running, the top-level position "
                                           f"{top} is not snapshot.start {snap.get('start')}")
        for t in snap.get("tables", []):
            name, rows = t.get("table"), t.get("rows", 0)
            lk = key_order(name, t["last_key"]) if t.get("last_key") is not None else None
            prev = self.last.get(name)
            if prev and (rows < prev[0] or (prev[1] is not None and
                                            (lk is None or lk < prev[1]))):
                if len(self.violations) < 10:
                    self.violations.append(f"{where}: {name} went back from rows={prev[0]} "
                                           f"last_key={prev[1]} to rows={rows} last_key={lk}")
            self.last[name] = (rows, lk)


def snapshot_progress(st: dict | None) -> tuple[str | None, int]:
    snap = (st or {}).get("snapshot") or {}
    return snap.get("status"), sum(t.get("rows", 0) for t in snap.get("tables", []))


def kill_during_snapshot(d: Daemon, watch: StateWatch, rng: random.Random, kills: int,
                         total: int, problems: list[str]) -> tuple[int, bool]:
    """Kills the daemon at random moments of its snapshot and restarts it; checks each resume.
    Returns (kills that left a running snapshot with progress, whether it finished already)."""
    mid = 0
    for k in range(kills):
        target = total * (k + rng.uniform(0.2, 0.9)) / (kills + 1)
        deadline = time.monotonic() + 180
        st = None
        while time.monotonic() < deadline:
            st = d.state()
            watch.observe(st, f"run {len(d.runs)}")
            status, rows = snapshot_progress(st)
            if status == "done" or rows >= target:
                break
            d.ensure_running()
            time.sleep(0.005)
        else:
            raise DaemonError(f"the snapshot did not reach {target:.0f} rows within 180 s; "
                              f"state {st}\n{d.log_tail()}")
        time.sleep(rng.uniform(0, 0.08))
        d.sigkill()
        st = d.state()
        watch.observe(st, f"after kill {k + 1}")
        status, rows = snapshot_progress(st)
        print(f"  kill {k + 1}: target {target:.0f} rows, state: status {status}, {rows} rows, "
              f"tables {[(t.get('table'), t.get('rows'), t.get('last_key'), t.get('done')) for t in (st or {}).get('snapshot', {}).get('tables', [])]}",
              flush=True)
        if status != "running":
            print("  (the snapshot finished before this kill)", flush=True)
            d.start()
            return mid, True
        mid += rows > 0
        run = d.start()
        check_resume(d, run, st, problems)
    return mid, False


def check_resume(d: Daemon, run, st: dict, problems: list[str]) -> None:
    """The run after a kill resumes the unfinished table after its last completed chunk."""
    unfinished = [t for t in st["snapshot"].get("tables", []) if not t.get("done")]
    current = next((t for t in unfinished if t.get("last_key") is not None), None)
    if current is None:
        d.wait_for_log(r"snapshot of \S+: (starting|resuming)", timeout=60, run=run)
        return
    line = d.wait_for_log(r"snapshot of \S+: (starting|resuming)", timeout=60, run=run)
    m = RESUME_RX.search(line)
    if not m:
        problems.append(f"run {run.n}: {current['table']} had {current['rows']} rows done "
                        f"(last_key {current['last_key']}) but the run logged: {line.strip()}")
        return
    if m.group(1) != current["table"] or int(m.group(3)) != current["rows"]:
        problems.append(f"run {run.n}: expected 'snapshot of {current['table']}: resuming "
                        f"after ... ({current['rows']} rows done)', got: {line.strip()}")
    for l in run.stderr().splitlines():
        s = START_RX.search(l)
        if s and s.group(1) == current["table"]:
            problems.append(f"run {run.n}: started {current['table']} over after a resume: "
                            f"{l.strip()}")


def check_snapshot_lines(lines: list[str], keys: dict[str, list[str]], problems: list[str],
                         label: str) -> tuple[int, int]:
    """The snapshot_insert lines among `lines`: each key at most once, key order per table,
    tables in order, all before the first stream event. Returns (snapshot lines, index of the
    first line after the snapshot)."""
    model = ByKeyModel(keys)
    seen: dict[str, set] = {t: set() for t in keys}
    last: dict[str, tuple] = {}
    table_pos, count, first_stream, end = 0, 0, None, 0
    bad: list[str] = []
    for n, line in enumerate(lines):
        ev = EventLine(line)
        if ev.kind != "snapshot_insert":
            if first_stream is None:
                first_stream = n
            continue
        count += 1
        end = n + 1
        if first_stream is not None and len(bad) < 5:
            bad.append(f"line {n + 1}: a snapshot_insert after the stream began at line "
                       f"{first_stream + 1}")
        if ev.table not in seen:
            bad.append(f"line {n + 1}: snapshot of an unwatched table {ev.table}")
            continue
        pos = TABLES.index(ev.table)
        if pos < table_pos and len(bad) < 5:
            bad.append(f"line {n + 1}: {ev.table} after {TABLES[table_pos]}")
        table_pos = max(table_pos, pos)
        key = model.key_of(ev.table, ev.names_raw, ev.values())
        order = key_order(ev.table, list(key))
        if key in seen[ev.table] and len(bad) < 5:
            bad.append(f"line {n + 1}: {ev.table} key {list(key)} written twice by one snapshot")
        elif ev.table in last and order <= last[ev.table] and len(bad) < 5:
            bad.append(f"line {n + 1}: {ev.table} key {list(key)} after {list(last[ev.table])} "
                       f"(not key order)")
        seen[ev.table].add(key)
        last[ev.table] = order
    if bad:
        problems.append(f"[{label}] snapshot lines: " + "; ".join(bad))
    return count, end


def check_logs(d: Daemon, problems: list[str]) -> None:
    for r in d.runs:
        for line in r.stderr().splitlines():
            parts = line.split(None, 2)
            if len(parts) > 1 and parts[1] in ("error", "critical"):
                problems.append(f"run {r.n} logged: {line}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mysql-cdc", required=True)
    ap.add_argument("--seed", type=int, help="RNG seed (default: random, printed)")
    ap.add_argument("--kills", type=int, default=6, help="SIGKILLs during the snapshot")
    ap.add_argument("--batch", type=int, default=200, help="SNAPSHOT_BATCH_SIZE")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    args = ap.parse_args()
    if not Path(args.mysql_cdc).is_file():
        print(f"error: --mysql-cdc {args.mysql_cdc} does not exist", file=sys.stderr)
        return 2
    seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "little")
    print(f"seed {seed} (rerun with --seed {seed})", flush=True)
    rng = random.Random(seed)
    work = Path(tempfile.mkdtemp(prefix="snapshot-crash-"))
    problems: list[str] = []
    t0 = time.monotonic()
    d = writer = None
    try:
        with start_mariadb("snapcrash") as db:
            db.execute(DDL, timeout=600)
            keys = primary_keys(db, TABLES)
            env = daemon_env(db, work / "main", database="d", tables="t,c",
                             INITIAL_SNAPSHOT="true", SNAPSHOT_BATCH_SIZE=str(args.batch),
                             FLUSH_INTERVAL_MS="20")
            d = Daemon(args.mysql_cdc, env, work / "main")
            writer = Writer(db, seed)
            writer.start()
            time.sleep(0.3)
            d.start()
            watch = StateWatch()
            mid, finished = kill_during_snapshot(d, watch, rng, args.kills, T_ROWS + C_ROWS,
                                                 problems)
            print(f"{mid} of {args.kills} kills hit a running snapshot with progress "
                  f"({time.monotonic() - t0:.0f} s)", flush=True)
            if mid < 5:
                problems.append(f"only {mid} kills hit the snapshot after a completed chunk "
                                f"(want >= 5): the resume path was not exercised enough")
            if not finished:
                wait_snapshot_complete(d, timeout=600)
            time.sleep(1.0)                     # some stream after the snapshot
            writer.stop()
            if writer.error:
                problems.append(writer.error)
            st = d.wait_caught_up(db, timeout=180)
            watch.observe(st, "caught up")
            problems += watch.violations
            snap = st.get("snapshot") or {}
            resumed_runs = sum(1 for r in d.runs if RESUME_RX.search(r.stderr()))
            print(f"writer: {writer.batches} batches, {writer.statements} statements; state "
                  f"snapshot: { {k: v for k, v in snap.items() if k != 'tables'} }; "
                  f"{resumed_runs} runs resumed", flush=True)
            if snap.get("status") != "done" or snap.get("consistency") != "exact":
                problems.append(f"state after the snapshot: {snap}")
            if not resumed_runs <= snap.get("resumed", -1) <= len(d.runs) - 1:
                problems.append(f"snapshot.resumed is {snap.get('resumed')}: {resumed_runs} runs "
                                f"logged a resume, {len(d.runs) - 1} restarts")
            if not all(t.get("done") for t in snap.get("tables", [])) or \
                    [t.get("table") for t in snap.get("tables", [])] != TABLES:
                problems.append(f"state tables after the snapshot: {snap.get('tables')}")
            rc, secs = d.sigterm()
            if rc != 0:
                problems.append(f"SIGTERM: exit {rc} after {secs:.1f} s\n{d.log_tail()}")

            lines = read_lines(d.output_file)
            n_snap, _ = check_snapshot_lines(lines, keys, problems, "crashed snapshot")
            model = ByKeyModel(keys)
            model.apply_lines(lines)
            print(f"output: {len(lines)} lines, {n_snap} snapshot_insert; applied by key: "
                  f"{ {t: len(r) for t, r in model.rows.items()} }", flush=True)
            contents = {t: select_content(db, t) for t in TABLES}
            for t in TABLES:
                problems += compare_with_select(model, t, contents[t])
            ref_rows, ref_names, _ = reference_snapshot(args.mysql_cdc, db, work / "ref", "d",
                                                        "t,c", keys)
            problems += compare_models(model.rows, ref_rows, "applied output",
                                       "reference snapshot", ref_names)

            # INITIAL_SNAPSHOT=true again on the completed state: no new snapshot.
            before = len(lines)
            run = d.start()
            d.wait_for_log(r"streaming from", timeout=60, run=run)
            db.execute("INSERT INTO d.t VALUES (777777777, 7, 'after', NULL, NULL, 7.00);"
                       "INSERT INTO d.c VALUES ('zz', 1, 'after', 7);"
                       "DELETE FROM d.t WHERE id = 777777777;")
            d.wait_caught_up(db, timeout=60)
            rc, _ = d.sigterm()
            lines = read_lines(d.output_file)
            new = [EventLine(l) for l in lines[before:]]
            if any(e.kind == "snapshot_insert" for e in new) or \
                    any(START_RX.search(l) for l in run.stderr().splitlines()):
                problems.append(f"INITIAL_SNAPSHOT=true on a completed state took a snapshot "
                                f"again: {sum(e.kind == 'snapshot_insert' for e in new)} lines")
            if [(e.kind, e.table) for e in new] != [("insert", "d.t"), ("insert", "d.c"),
                                                    ("delete", "d.t")]:
                problems.append(f"after the restart, expected insert d.t, insert d.c, delete d.t;"
                                f" got {[e.line[:150] for e in new]}")
            model.apply_lines(lines[before:])

            # FORCE_SNAPSHOT=true: a new snapshot of the current rows.
            before = len(lines)
            d.env["FORCE_SNAPSHOT"] = "true"
            run = d.start()
            wait_snapshot_complete(d, timeout=300)
            d.wait_caught_up(db, timeout=60)
            rc, _ = d.sigterm()
            if rc != 0:
                problems.append(f"FORCE_SNAPSHOT run: SIGTERM exit {rc}\n{d.log_tail()}")
            lines = read_lines(d.output_file)
            forced = lines[before:]
            n_forced, _ = check_snapshot_lines(forced, keys, problems, "forced snapshot")
            forced_rows, _, dup = keyed_snapshot(forced, keys)
            problems += dup
            contents = {t: select_content(db, t) for t in TABLES}
            ref_rows, ref_names, _ = reference_snapshot(args.mysql_cdc, db, work / "ref2", "d",
                                                        "t,c", keys)
            problems += compare_models(forced_rows, ref_rows, "forced snapshot",
                                       "reference snapshot", ref_names)
            model.apply_lines(forced)
            for t in TABLES:
                problems += compare_with_select(model, t, contents[t])
            print(f"FORCE_SNAPSHOT: {n_forced} snapshot_insert lines, "
                  f"{sum(len(c[2]) for c in contents.values())} rows in the tables", flush=True)
            check_logs(d, problems)
    except DaemonError as e:
        problems.append(str(e))
    finally:
        if writer is not None and writer.is_alive():
            writer.stop()
        if d is not None:
            d.stop()
        if not args.keep and not problems:
            shutil.rmtree(work, ignore_errors=True)
    if problems:
        print(f"FAILED with seed {seed} ({time.monotonic() - t0:.0f} s; files in {work}):")
        for p in problems[:30]:
            print("  - " + p)
        return 1
    print(f"OK with seed {seed} ({time.monotonic() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

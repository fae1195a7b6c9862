#!/usr/bin/env python3
"""Issue 11, defect 3: changing MYSQL_TABLE must not lose or repeat changes (docs/STATE.md).

Against a throwaway MariaDB, file sink, one scenario per case:

  reorder    run with MYSQL_TABLE=a,b; stop; write to a, b and c; restart with c,b,a (reordered,
             c added). INITIAL_SNAPSHOT=false: every change of a and b exactly once, in order, and
             c's changes from the restart point on (the log says "streaming its changes from the
             restart point"). INITIAL_SNAPSHOT=true: a and b the same; c snapshotted alone (its
             rows as they are, the log says "snapshotting it alone") and only its later changes
             streamed; applying c's events by key gives c's content.
  seed       a state file of the original connector for a (four fields), then MYSQL_TABLE=a,b:
             resumes from the seed position (a's and b's changes after it, once); the seed file is
             renamed *.superseded and the new file lists both tables.
  remove     then MYSQL_TABLE=a only: b's changes are no longer emitted, a's go on exactly once,
             the state is the seed's file name again.
  two seeds  seed files for a and b at different positions (two original connectors), then one
             daemon for a,b: starts at the earlier, b's changes before its own position are not
             repeated; a third file holding a at another position stops the daemon with an error
             naming both files.
  names      13 tables with 40-character names (the old '+'-joined file name was too long), and
             single tables named with '/', quotes and non-ASCII letters: the state stays inside
             STATE_DIR and a restart resumes (changes written while stopped arrive once).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from daemon_harness import (Daemon, daemon_env, read_events, start_mariadb,  # noqa: E402
                            master_status, write_seed_state)
from script_frame import Checklist  # noqa: E402

check = Checklist(tail=False)


def q(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def create(db, table: str) -> None:
    db.execute(f"CREATE TABLE d.{q(table)} (id INT PRIMARY KEY, v VARCHAR(40))")


def ins(db, table: str, lo: int, hi: int, tag: str) -> list[tuple]:
    rows = ",".join(f"({i}, '{tag}{i}')" for i in range(lo, hi))
    db.execute(f"INSERT INTO d.{q(table)} VALUES {rows}")
    return [("insert", table, i, f"{tag}{i}") for i in range(lo, hi)]


def upd(db, table: str, i: int, tag: str) -> list[tuple]:
    db.execute(f"UPDATE d.{q(table)} SET v = '{tag}' WHERE id = {i}")
    return [("update", table, i, tag)]


def brief(events: list[dict], tables: set[str] | None = None) -> list[tuple]:
    out = []
    for e in events:
        if tables is not None and e["table"] not in tables:
            continue
        if e["kind"] == "delete":
            continue
        vals = dict(zip(e["columnnames"], e["columnvalues"]))
        out.append((e["kind"], e["table"], vals["id"], vals["v"]))
    return out


def newest_state(d: Daemon) -> dict | None:
    """The state file written last (the old code left one file per table list behind)."""
    files = sorted(d.state_dir.glob("binlog_position_*.json"), key=lambda p: p.stat().st_mtime)
    try:
        return json.loads(files[-1].read_text()) if files else None
    except (OSError, ValueError):
        return None


def caught_up_stop(d: Daemon, db) -> None:
    deadline = time.monotonic() + 60
    while True:
        st = newest_state(d)
        if st and st.get("skip_rows", 0) == 0 and \
                (st.get("log_file"), st.get("log_pos")) == master_status(db):
            break
        if time.monotonic() > deadline or not d.running():
            d.stop()
            raise AssertionError(f"the daemon did not catch up; state {st}\n{d.log_tail()}")
        time.sleep(0.1)
    rc, _ = d.sigterm()
    check(rc == 0, f"daemon stopped cleanly (exit {rc})", d.log_tail())


def reorder_case(mysql_cdc: str, db, snapshot: bool) -> None:
    tag = "snap" if snapshot else "nosnap"
    a, b, c = f"a_{tag}", f"b_{tag}", f"c_{tag}"
    for t in (a, b, c):
        create(db, t)
    with tempfile.TemporaryDirectory() as work:
        env = daemon_env(db, work, "d", f"{a},{b}")
        d = Daemon(mysql_cdc, env, work)
        d.start()
        d.wait_for_state()
        expected = ins(db, a, 1, 4, "x") + ins(db, b, 1, 4, "y")
        ins(db, c, 1, 4, "early")  # c is not watched yet
        caught_up_stop(d, db)
        # Written while the daemon is stopped.
        expected += ins(db, a, 10, 13, "s") + upd(db, b, 2, "stopped")
        c_stopped = ins(db, c, 10, 12, "s") + upd(db, c, 1, "stopped")
        d.env["MYSQL_TABLE"] = f"{c},{b},{a}"
        d.env["INITIAL_SNAPSHOT"] = "true" if snapshot else "false"
        d.start()
        expected += ins(db, a, 20, 22, "after") + upd(db, b, 3, "after")
        c_after = ins(db, c, 20, 22, "after")
        caught_up_stop(d, db)
        events = read_events(env["OUTPUT_FILE"])
        check(brief(events, {a, b}) == expected,
              f"[{tag}] reordered and added: every change of {a} and {b} once, in order",
              f"expected {expected}\ngot {brief(events, {a, b})}")
        got_c = brief(events, {c})
        log = d.all_logs()
        if snapshot:
            snap_rows = sorted(r[2:] for r in got_c if r[0] == "snapshot_insert")
            content = sorted((int(i), v) for i, v in db.sql(f"SELECT id, v FROM d.{q(c)}"))
            streamed = [r for r in got_c if r[0] != "snapshot_insert"]
            check("snapshotting it alone" in log, f"[{tag}] the log says {c} is snapshotted",
                  d.log_tail())
            check(not any(e["kind"] == "snapshot_insert" and e["table"] in (a, b)
                          for e in events), f"[{tag}] {a} and {b} are not snapshotted again")
            by_key = {}
            for r in got_c:
                by_key[r[2]] = r[3]
            check(sorted(by_key.items()) == content, f"[{tag}] {c} by key equals its content",
                  f"{sorted(by_key.items())} vs {content}")
            check(all(r not in streamed for r in c_stopped),
                  f"[{tag}] {c}'s changes before its snapshot are not streamed", str(streamed))
            check(len(snap_rows) >= 1, f"[{tag}] {c} has snapshot rows", str(got_c))
        else:
            check("streaming its changes from the restart point" in log,
                  f"[{tag}] the log says {c} streams from the restart point", d.log_tail())
            check(got_c == c_stopped + c_after, f"[{tag}] {c} streamed from the restart point",
                  f"expected {c_stopped + c_after}\ngot {got_c}")


def seed_and_remove_case(mysql_cdc: str, db) -> None:
    a, b = "sa", "sb"
    create(db, a)
    create(db, b)
    with tempfile.TemporaryDirectory() as work:
        env = daemon_env(db, work, "d", f"{a},{b}")
        state_dir = Path(env["Quix__State__Dir"])
        ins(db, a, 1, 3, "before")
        file, pos = master_status(db)
        seed = state_dir / f"binlog_position_d_{a}.json"
        write_seed_state(seed, file, pos)
        expected = ins(db, a, 5, 8, "x") + ins(db, b, 5, 7, "y") + upd(db, a, 5, "z")
        d = Daemon(mysql_cdc, env, work)
        d.start()
        caught_up_stop(d, db)
        events = read_events(env["OUTPUT_FILE"])
        check(brief(events) == expected, "[seed] resumed from the seed position with a second table",
              f"expected {expected}\ngot {brief(events)}\n{d.log_tail()}")
        names = sorted(p.name for p in state_dir.iterdir())
        check(f"binlog_position_d_{a}.json.superseded" in names and
              "binlog_position__tables.json" in names,
              "[seed] the seed file is superseded by the multi-table file", str(names))
        st = newest_state(d)
        check(st is not None and st.get("tables") == [f"d.{a}", f"d.{b}"]
              and {"log_file", "log_pos", "timestamp", "readable_time"} <= set(st),
              "[seed] the new file keeps the seed fields and lists the tables", str(st))
        # Remove b: only a goes on, in the seed's file name again.
        d.env["MYSQL_TABLE"] = a
        expected += ins(db, a, 20, 22, "only")
        ins(db, b, 20, 22, "gone")
        d.start()
        expected += upd(db, a, 6, "later")
        ins(db, b, 30, 31, "gone")
        caught_up_stop(d, db)
        events = read_events(env["OUTPUT_FILE"])
        check(brief(events) == expected, "[remove] b no longer emitted, a exactly once",
              f"expected {expected}\ngot {brief(events)}")
        names = sorted(p.name for p in state_dir.glob("binlog_position_*.json"))
        check(names == [f"binlog_position_d_{a}.json"], "[remove] state in the seed's name again",
              str(names))


def two_seeds_case(mysql_cdc: str, db) -> None:
    """Two seed files (two Python connectors) at different positions, then one daemon for both:
    the stream starts at the earlier one; the other table's changes before its own position are
    not repeated. Then a third file holding one of them at yet another position is a conflict."""
    a, b = "ta", "tb"
    create(db, a)
    create(db, b)
    with tempfile.TemporaryDirectory() as work:
        env = daemon_env(db, work, "d", f"{a},{b}")
        state_dir = Path(env["Quix__State__Dir"])
        file1, pos1 = master_status(db)
        write_seed_state(state_dir / f"binlog_position_d_{a}.json", file1, pos1)
        expected = ins(db, a, 1, 3, "x")
        ins(db, b, 1, 3, "delivered-before")  # b's connector had these already
        file2, pos2 = master_status(db)
        write_seed_state(state_dir / f"binlog_position_d_{b}.json", file2, pos2)
        expected += ins(db, b, 5, 7, "y") + ins(db, a, 5, 6, "z")
        d = Daemon(mysql_cdc, env, work)
        d.start()
        caught_up_stop(d, db)
        got = brief(read_events(env["OUTPUT_FILE"]))
        check(got == expected, "[two seeds] from the earliest; b's earlier changes not repeated",
              f"expected {expected}\ngot {got}\n{d.log_tail()}")
        # A stray file holding a at another position: a clear error, nothing guessed.
        write_seed_state(state_dir / f"binlog_position_d_{a}+zz.json", file1, pos1)
        run = d.start()
        deadline = time.monotonic() + 30
        while d.running() and time.monotonic() < deadline:
            time.sleep(0.1)
        log = run.stderr()
        check(d.exit_code() == 1 and "both hold a position for d.ta" in log,
              "[conflict] two files with different positions for a table: error naming both",
              log[-2000:])
        d.stop()


def names_case(mysql_cdc: str, db) -> None:
    long_names = [f"table_with_a_rather_long_name_number_{i:03d}" for i in range(13)]
    for t in long_names:
        create(db, t)
    odd = ["sl/ash", "quo'te\"s", "unicodé_täblé_名前"]
    for t in odd:
        create(db, t)
    cases = [("13 long names", ",".join(long_names), long_names)] + \
            [(f"name {t!r}", t, [t]) for t in odd]
    for what, table_list, tables in cases:
        with tempfile.TemporaryDirectory() as work:
            env = daemon_env(db, work, "d", table_list)
            d = Daemon(mysql_cdc, env, work)
            d.start()
            d.wait_for_state()
            expected = ins(db, tables[0], 1, 3, "r1")
            caught_up_stop(d, db)
            expected += ins(db, tables[-1], 100, 102, "stopped")
            d.start()
            caught_up_stop(d, db)
            events = read_events(env["OUTPUT_FILE"])
            got = brief(events)
            check(got == expected, f"[names] {what}: resumes, changes once",
                  f"expected {expected}\ngot {got}\n{d.log_tail()}")
            inside = all(Path(p).resolve().parent == Path(work, "state").resolve()
                         for p in Path(work).rglob("binlog_position*"))
            outside = [str(p) for p in Path(work).rglob("*") if "binlog_position" in p.name
                       and Path(p).resolve().parent != Path(work, "state").resolve()]
            check(inside and not outside, f"[names] {what}: state inside STATE_DIR", str(outside))
            # Reset the tables for the next case.
            for t in tables:
                db.execute(f"DELETE FROM d.{q(t)}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mysql-cdc", required=True)
    args = ap.parse_args()
    with start_mariadb("state-layout") as db:
        db.execute("CREATE DATABASE d")
        for name, case in [("reorder", lambda: reorder_case(args.mysql_cdc, db, False)),
                           ("reorder+snapshot", lambda: reorder_case(args.mysql_cdc, db, True)),
                           ("seed+remove", lambda: seed_and_remove_case(args.mysql_cdc, db)),
                           ("two seeds", lambda: two_seeds_case(args.mysql_cdc, db)),
                           ("names", lambda: names_case(args.mysql_cdc, db))]:
            try:
                case()
            except Exception as e:  # one case failing must not hide the others
                check(False, f"[{name}] ran to the end", f"{type(e).__name__}: {e}")
    return check.report("all state layout checks passed")


if __name__ == "__main__":
    sys.exit(main())

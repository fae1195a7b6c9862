#!/usr/bin/env python3
"""Issue 14, acceptance 2 and 3: idle watched tables and purged binlogs; SNAPSHOT_MODE.

One MariaDB, watched tables in schema d, an unwatched d.busy that takes the writes, the file sink.

  idle         (acceptance 2) d.w is idle while d.busy takes writes and the server rotates its
               binlog (FLUSH BINARY LOGS) several times: the saved position must follow the
               stream to the server's current file and position (SHOW MASTER STATUS), on
               unwatched transactions and on rotations alone (heartbeats flush it). PURGE
               BINARY LOGS TO the current file while the daemon runs (it keeps streaming), and
               again while it is stopped after it saved; the restart resumes without an error,
               and a change of d.w made afterwards arrives exactly once. A daemon whose saved
               position stayed at the last change of d.w fails here twice: the state never reaches
               the current file, and the restart finds its position purged.
  when_needed  (acceptance 3) d.w1 and d.w2 with SNAPSHOT_MODE=when_needed: the initial
               snapshot, changes, SIGTERM; while stopped, inserts, updates and deletes on both,
               FLUSH BINARY LOGS, PURGE BINARY LOGS TO the current file: the saved position is
               gone. SNAPSHOT_MODE unset (INITIAL_SNAPSHOT=true, today's default behaviour) and
               SNAPSHOT_MODE=never both refuse with one error line naming the position, "purged"
               and SNAPSHOT_MODE=when_needed, exit non-zero, write nothing and leave the state file
               as it was. With when_needed the daemon logs one warning saying why (the saved
               position, the server's first binlog, "taking a new snapshot"), snapshots both
               tables again and streams on; changes made afterwards arrive; the whole output
               applied by key (a `truncate` clears the table) equals each table's SELECT content.
               Then the position is purged while the daemon runs disconnected (frozen with
               SIGSTOP while the server restarts, changes, rotates and purges): the reconnect
               re-snapshots the same way and the content is exact again.
  never        SNAPSHOT_MODE=never behaves as INITIAL_SNAPSHOT=false: no snapshot rows, the first
               run starts at the server's current position.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from daemon_harness import (Daemon, DaemonError, daemon_env, ids_of, logged_errors,  # noqa: E402
                            master_status, read_events, run_once, start_mariadb)
from script_frame import Checklist  # noqa: E402
from snapshot_checks import (ByKeyModel, EventLine, compare_with_select,  # noqa: E402
                             primary_keys, read_lines, select_content)

check = Checklist(bracketed=True)
BOUND = 60.0


def busy_writes(db, start: int, count: int) -> None:
    db.execute("".join(f"INSERT INTO d.busy VALUES ({i}, 'busy {i}');"
                       for i in range(start, start + count)))


def purge_to_current(db, timeout: float = 30) -> str:
    """PURGE BINARY LOGS TO the current file, repeated until only that file is left: MariaDB
    keeps a binlog that crash recovery may still need until InnoDB's log reaches its
    Binlog_checkpoint (a second or so here). Returns the current file."""
    deadline = time.monotonic() + timeout
    while True:
        current = master_status(db)[0]
        db.execute(f"PURGE BINARY LOGS TO '{current}';")
        if db.binlog_files() == [current] or time.monotonic() > deadline:
            return current
        time.sleep(0.5)


def wait_state_at(d: Daemon, db, what: str, timeout: float = 30) -> dict | None:
    """Waits for the saved position to be SHOW MASTER STATUS; a check either way."""
    try:
        st = d.wait_caught_up(db, timeout=timeout)
    except DaemonError as e:
        check(False, what, str(e))
        return None
    check(True, f"{what} ({st['log_file']}:{st['log_pos']})")
    return st


def idle_case(mysql_cdc: str, db, work: Path) -> None:
    db.execute("CREATE TABLE d.w (id INT PRIMARY KEY, v VARCHAR(40));"
               "CREATE TABLE d.busy (id INT PRIMARY KEY, v VARCHAR(40));")
    env = daemon_env(db, work / "idle", database="d", tables="w", FLUSH_INTERVAL_MS="200",
                     MYSQL_HEARTBEAT_SECONDS="1")
    d = Daemon(mysql_cdc, env, work / "idle")
    try:
        d.start()
        d.wait_for_log("streaming from")
        db.execute("INSERT INTO d.w VALUES (1, 'before the idle spell');")
        wait_state_at(d, db, "the change of d.w is checkpointed")
        n = 0
        for rotation in range(3):
            busy_writes(db, n, 20)
            n += 20
            wait_state_at(d, db, f"rotation {rotation + 1}: the position follows writes of "
                                 "the unwatched d.busy")
            db.execute("FLUSH BINARY LOGS;")
            st = wait_state_at(d, db, f"rotation {rotation + 1}: the position follows the "
                                      "rotation alone (no write after it)")
        current = purge_to_current(db)
        check(db.binlog_files() == [current], "PURGE BINARY LOGS TO the current file while running",
              f"{db.binlog_files()}")
        busy_writes(db, n, 10)
        n += 10
        wait_state_at(d, db, "still streaming after the purge")
        d.ensure_running()
        busy_writes(db, n, 10)
        n += 10
        db.execute("FLUSH BINARY LOGS;")
        busy_writes(db, n, 10)
        n += 10
        db.execute("FLUSH BINARY LOGS;")
        st = wait_state_at(d, db, "after two more rotations")
        rc, _ = d.sigterm()
        check(rc == 0, "SIGTERM: exit 0", d.log_tail())
        saved = d.state()
        current = master_status(db)[0]
        check(saved is not None and saved.get("log_file") == current,
              "the saved state file's position is in the server's current file",
              f"state {saved}, current {current}")
        purge_to_current(db)
        check(db.binlog_files() == [current], "PURGE BINARY LOGS TO the current file while stopped",
              f"{db.binlog_files()}")
        busy_writes(db, n, 5)
        d.start()
        d.wait_for_log("streaming from")
        db.execute("INSERT INTO d.w VALUES (2, 'after the restart');")
        wait_state_at(d, db, "the restart resumes and catches up")
        rc, _ = d.sigterm()
        check(rc == 0, "restart: SIGTERM exit 0", d.log_tail())
        events = read_events(d.output_file)
        check(ids_of(events) == [1, 2] and all(e["table"] == "w" for e in events),
              "the output holds d.w's two changes exactly once, nothing of d.busy",
              json.dumps(events)[:2000])
        errors = logged_errors(d)
        check(not errors, "no error logged by any run", "\n".join(errors))
    finally:
        d.stop()


def apply_by_key(path, keys: dict[str, list[str]]) -> tuple[ByKeyModel, dict[str, int]]:
    """The output applied by key; a truncate clears its table. Counts events by kind."""
    model = ByKeyModel(keys)
    kinds: dict[str, int] = {}
    for line in read_lines(path):
        ev = EventLine(line)
        kinds[ev.kind] = kinds.get(ev.kind, 0) + 1
        if ev.kind == "truncate":
            model.rows.get(ev.table, {}).clear()
            continue
        model.apply(ev)
    return model, kinds


def content_is_exact(db, d: Daemon, tables: list[str], what: str) -> dict[str, int]:
    keys = primary_keys(db, tables)
    model, kinds = apply_by_key(d.output_file, keys)
    problems = []
    for t in tables:
        problems += compare_with_select(model, t, select_content(db, t))
    check(not problems, f"{what}: the output applied by key equals each table's content",
          "\n".join(problems))
    return kinds


def stopped_writes(db, base: int) -> None:
    """Inserts, updates and deletes on both watched tables, with rotations in between."""
    for t in ("w1", "w2"):
        db.execute(f"INSERT INTO d.{t} VALUES " +
                   ",".join(f"({i}, 'stopped {i}')" for i in range(base, base + 30)) + ";")
        db.execute(f"UPDATE d.{t} SET v = CONCAT(v, ' upd') WHERE id % 3 = 0;"
                   f"DELETE FROM d.{t} WHERE id % 7 = 0;")
        db.execute("FLUSH BINARY LOGS;")
        busy_writes(db, 100000 + base + (500 if t == "w2" else 0), 5)


def expect_refusal(label: str, mysql_cdc: str, d: Daemon, env: dict, saved: dict) -> None:
    before = d.output_file.read_bytes()
    rc, out, err, secs = run_once(mysql_cdc, env, d.workdir, timeout=BOUND)
    errors = [l for l in err.splitlines() if " error " in l]
    phrases = [f"{saved['log_file']}:{saved['log_pos']}", "purged", "SNAPSHOT_MODE=when_needed"]
    missing = [p for p in phrases if not any(p in l for l in errors)]
    check(rc not in (0, None) and len(errors) == 1 and not missing,
          f"{label}: refused with one error line, exit non-zero",
          f"rc={rc} after {secs:.1f} s, missing {missing}, error lines {errors}\n{err}")
    if errors:
        print(f"     {errors[-1][:400]}")
    check(d.output_file.read_bytes() == before, f"{label}: nothing written")
    check(d.state() == saved, f"{label}: state file unchanged", f"{d.state()}")


def when_needed_case(mysql_cdc: str, db, work: Path) -> None:
    db.execute("CREATE TABLE d.w1 (id INT PRIMARY KEY, v VARCHAR(60));"
               "CREATE TABLE d.w2 (id INT PRIMARY KEY, v VARCHAR(60));"
               "CREATE TABLE IF NOT EXISTS d.busy (id INT PRIMARY KEY, v VARCHAR(40));")
    for t in ("w1", "w2"):
        db.execute(f"INSERT INTO d.{t} VALUES " +
                   ",".join(f"({i}, 'initial {i}')" for i in range(1, 200)) + ";")
    tables = ["d.w1", "d.w2"]
    env = daemon_env(db, work / "wn", database="d", tables="w1,w2", FLUSH_INTERVAL_MS="200",
                     SNAPSHOT_MODE="when_needed", SNAPSHOT_BATCH_SIZE="50")
    d = Daemon(mysql_cdc, env, work / "wn")
    try:
        d.start()
        d.wait_for_log("snapshot complete", timeout=BOUND)
        db.execute("UPDATE d.w1 SET v = 'streamed' WHERE id < 10; DELETE FROM d.w2 WHERE id < 5;")
        d.wait_caught_up(db)
        rc, _ = d.sigterm()
        check(rc == 0, "first run: SIGTERM exit 0", d.log_tail())
        saved = d.state()
        stopped_writes(db, 1000)
        purge_to_current(db)
        check(saved["log_file"] not in db.binlog_files(),
              "the saved position's file is purged while stopped",
              f"saved {saved['log_file']}, server has {db.binlog_files()}")

        default_env = {k: v for k, v in env.items() if k != "SNAPSHOT_MODE"}
        default_env["INITIAL_SNAPSHOT"] = "true"
        expect_refusal("default (INITIAL_SNAPSHOT=true)", mysql_cdc, d, default_env, saved)
        expect_refusal("SNAPSHOT_MODE=never", mysql_cdc, d,
                       {**env, "SNAPSHOT_MODE": "never"}, saved)

        rc, out, err, _ = run_once(mysql_cdc, env, d.workdir, ["check"], timeout=BOUND)
        gone = [l for l in out.splitlines() if "saved position" in l]
        check(rc == 0 and len(gone) == 1 and gone[0].startswith("warn") and
              "SNAPSHOT_MODE=when_needed takes a new snapshot" in gone[0],
              "`check` with when_needed: the purged position is a warning, not a failure",
              f"rc={rc}\n{out}{err}")
        rc, out, err, _ = run_once(mysql_cdc, default_env, d.workdir, ["check"], timeout=BOUND)
        check(rc not in (0, None) and any(l.startswith("FAIL") and "saved position" in l
                                          for l in out.splitlines()),
              "`check` by default: the purged position fails", f"rc={rc}\n{out}{err}")

        run = d.start()
        line = d.wait_for_log("taking a new snapshot", timeout=BOUND)
        first = db.binlog_files()[0]
        wanted = [f"{saved['log_file']}:{saved['log_pos']}", f"first binlog is {first}",
                  "taking a new snapshot"]
        check(" warning " in line and all(w in line for w in wanted),
              "when_needed: one warning line says why (saved position, first binlog, "
              "'taking a new snapshot')", f"{line}\nwanted {wanted}")
        print(f"     {line.strip()[:400]}")
        d.wait_for_log("snapshot complete", timeout=BOUND)
        db.execute("INSERT INTO d.w1 VALUES (5000, 'after the re-snapshot');"
                   "UPDATE d.w2 SET v = 'after' WHERE id = 50; DELETE FROM d.w1 WHERE id = 11;")
        d.wait_caught_up(db)
        warnings = [l for l in run.stderr().splitlines() if "taking a new snapshot" in l]
        check(len(warnings) == 1, "the reason is logged once", "\n".join(warnings))
        kinds = content_is_exact(db, d, tables, "purged while stopped")
        check(kinds.get("truncate") == 2, "a truncate per table before the re-snapshot's rows",
              f"{kinds}")

        # Purged while the daemon is disconnected: it is frozen (SIGSTOP), the server restarts
        # (the dump connection is gone), changes, rotates and purges the file the daemon's
        # position is in; thawed, the daemon reconnects and finds its position gone.
        d.proc.send_signal(signal.SIGSTOP)
        try:
            db.restart()
            stopped_writes(db, 2000)
            purge_to_current(db)
        finally:
            d.proc.send_signal(signal.SIGCONT)
        check(d.state()["log_file"] not in db.binlog_files(),
              "the running daemon's saved position is purged while it is disconnected",
              f"state {d.state()}, server has {db.binlog_files()}")
        d.wait_for_log("taking a new snapshot", timeout=BOUND, count=2)
        d.wait_for_log("snapshot complete", timeout=BOUND, count=2)
        db.execute("INSERT INTO d.w2 VALUES (6000, 'after the second re-snapshot');")
        d.wait_caught_up(db)
        rc, _ = d.sigterm()
        check(rc == 0, "SIGTERM exit 0 after the reconnect's re-snapshot", d.log_tail())
        content_is_exact(db, d, tables, "purged while disconnected")
        errors = logged_errors(d)
        check(not errors, "no error logged by the when_needed runs", "\n".join(errors))
    finally:
        d.stop()


def never_case(mysql_cdc: str, db, work: Path) -> None:
    db.execute("CREATE TABLE d.n (id INT PRIMARY KEY, v VARCHAR(40));"
               "INSERT INTO d.n VALUES (1, 'before'), (2, 'before');")
    env = daemon_env(db, work / "never", database="d", tables="n", SNAPSHOT_MODE="never")
    d = Daemon(mysql_cdc, env, work / "never")
    try:
        d.start()
        d.wait_for_log("no saved position: starting at the server's current position")
        db.execute("INSERT INTO d.n VALUES (3, 'after');")
        d.wait_caught_up(db)
        d.sigterm()
        events = read_events(d.output_file)
        check(ids_of(events) == [3] and [e["kind"] for e in events] == ["insert"],
              "SNAPSHOT_MODE=never: no snapshot, streamed from the current position",
              json.dumps(events))
    finally:
        d.stop()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mysql-cdc", required=True)
    ap.add_argument("--case", choices=["idle", "when_needed"], required=True)
    args = ap.parse_args()
    with start_mariadb(f"idle-purge-{args.case}", attempts=3) as db, \
            tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db.execute("CREATE DATABASE d;")
        t0 = time.monotonic()
        if args.case == "idle":
            idle_case(args.mysql_cdc, db, work)
        else:
            never_case(args.mysql_cdc, db, work)
            when_needed_case(args.mysql_cdc, db, work)
        print(f"({time.monotonic() - t0:.0f} s)")
    return check.report(f"{args.case}: all checks passed")


if __name__ == "__main__":
    sys.exit(main())

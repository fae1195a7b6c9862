#!/usr/bin/env python3
"""Issue 11, defect 6: a saved position is resumed only on the binlog history it was taken from.

One MariaDB, one watched table d.t, the file sink. In order:

  normal restart     run, stop, write while stopped, restart: the changes written meanwhile
                     arrive (and `check` passes): the checks do not refuse a good position;
  in a transaction   a state file saved inside a transaction (position = its GTID event, skip_rows
                     = 1, gtid = its GTID) resumes with the rest of that transaction;
  seed state file    no "gtid" field (the original connector's file): resumes as before;
  newer file         the saved file sorts after the server's newest: refused, "reset" (not
                     "purged");
  inside an event    the saved offset is inside an event: refused, says so;
  RESET MASTER       a run saves file:pos after GTID 0-1-N; the daemon is stopped; RESET MASTER;
                     a new history is written so that exactly that file:pos is an event boundary
                     again (a watched change before it, padding sized to land on it, watched
                     changes after it); the restart must refuse with one error line saying the
                     history was reset or replaced, naming the saved position and GTID and what
                     the server has, exit non-zero, and write nothing; `check` says the same.
                     Without the check the daemon resumed silently there and lost the change
                     written before that position.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from daemon_harness import (Daemon, DaemonError, daemon_env, ids_of, master_status,  # noqa: E402
                            read_events, run_once, start_mariadb)
from script_frame import Checklist  # noqa: E402

BOUND = 30.0
check = Checklist(bracketed=True)


def edit_state(d: Daemon, **fields) -> dict:
    """Changes fields of the daemon's (only) state file, keeping the others."""
    path = d.state_files()[0]
    state = json.loads(path.read_text())
    for k, v in fields.items():
        if v is None:
            state.pop(k, None)
        else:
            state[k] = v
    path.write_text(json.dumps(state, indent=2))
    return state


def run_and_stop(d: Daemon, db) -> dict:
    d.start()
    d.wait_for_log("streaming from")
    st = d.wait_caught_up(db)
    rc, _ = d.sigterm()
    if rc != 0:
        raise DaemonError(f"a normal stop exited with {rc}:\n{d.log_tail()}")
    return st


def expect_refusal(label: str, mysql_cdc: str, d: Daemon, phrases: list[str]) -> None:
    """The daemon exits non-zero with one error line holding every phrase, writes nothing, and
    `mysql-cdc check` fails with the same words."""
    before = d.output_file.read_bytes() if d.output_file.exists() else b""
    state_before = d.state()
    rc, out, err, secs = run_once(mysql_cdc, d.env, d.workdir, timeout=BOUND)
    errors = [l for l in err.splitlines() if " error " in l]
    missing = [p for p in phrases if not any(p in l for l in errors)]
    check(rc not in (0, None) and len(errors) == 1 and not missing,
          f"{label}: refused with one error line, exit non-zero",
          f"rc={rc} after {secs:.1f} s, missing {missing}, error lines {errors}\n{err}")
    if errors:
        print(f"     {errors[-1]}")
    after = d.output_file.read_bytes() if d.output_file.exists() else b""
    check(after == before, f"{label}: nothing written",
          f"{len(after) - len(before)} bytes written: {after[len(before):][:500]!r}")
    check(d.state() == state_before, f"{label}: state file unchanged", f"{d.state()}")
    rc, out, err, _ = run_once(mysql_cdc, d.env, d.workdir, ["check"], timeout=BOUND)
    fails = [l for l in out.splitlines() if l.startswith("FAIL")]
    missing = [p for p in phrases if not any(p in l for l in fails)]
    check(rc not in (0, None) and not missing, f"{label}: `check` fails with the same message",
          f"rc={rc}, missing {missing}\n{out}{err}")


def normal_cases(mysql_cdc: str, db, work: Path) -> None:
    d = Daemon(mysql_cdc, daemon_env(db, work / "normal", database="d", tables="t"),
               work / "normal")
    try:
        run_and_stop(d, db)
        db.execute("INSERT INTO d.t VALUES (1, 'a'), (2, 'b');")
        st = run_and_stop(d, db)
        db.execute("INSERT INTO d.t VALUES (3, 'while stopped');")
        rc, out, err, _ = run_once(mysql_cdc, d.env, d.workdir, ["check"], timeout=BOUND)
        check(rc == 0 and "saved position" in out, "normal restart: `check` passes",
              out + err)
        check("gtid" in st, "the state file records a GTID", json.dumps(st))
        run_and_stop(d, db)
        check(ids_of(read_events(d.output_file)) == [1, 2, 3],
              "normal restart: resumes and delivers the change written while stopped",
              f"{ids_of(read_events(d.output_file))}\n{d.log_tail()}")

        # Saved inside a transaction: its GTID event's position, one change delivered.
        db.execute("BEGIN; INSERT INTO d.t VALUES (10, 'x'), (11, 'y'), (12, 'z'); COMMIT;")
        file, end = master_status(db)
        gtid_pos = gtid = None
        for row in db.sql(f"SHOW BINLOG EVENTS IN '{file}'"):
            if row[2] == "Gtid":
                gtid_pos, gtid = int(row[1]), row[5].split("GTID ")[1].split()[0]
        out_len = d.output_file.stat().st_size
        # As if the run had delivered change 10 and checkpointed inside the transaction.
        edit_state(d, log_file=file, log_pos=gtid_pos, gtid=gtid, skip_rows=1,
                   output_file_length=out_len)
        d.start()
        d.wait_caught_up(db, target=(file, end))
        d.sigterm()
        got = ids_of(read_events(d.output_file))
        check(got == [1, 2, 3, 11, 12],
              f"in a transaction: resumes at its GTID event ({gtid} at {file}:{gtid_pos}) "
              "with its remaining changes", f"{got}\n{d.log_tail()}")

        # The original connector's state file: no gtid.
        db.execute("INSERT INTO d.t VALUES (20, 'seed');")
        file, pos = master_status(db)
        db.execute("INSERT INTO d.t VALUES (21, 'after seed');")
        edit_state(d, log_file=file, log_pos=pos, gtid=None, skip_rows=None,
                   output_file_length=None)
        run_and_stop(d, db)
        got = ids_of(read_events(d.output_file))
        check(got[-1:] == [21] and 20 not in got[5:],
              "seed state file (no gtid): resumes as before", f"{got}\n{d.log_tail()}")

        newest = db.binlog_files()[-1]
        base, number = newest.rsplit(".", 1)
        newer = f"{base}.{int(number) + 5:0{len(number)}d}"
        saved = edit_state(d, log_file=newer, log_pos=1234)
        expect_refusal("newer file", mysql_cdc, d,
                       [f"{newer}:1234", "newer than the server's newest", newest,
                        "reset (RESET MASTER)"])

        inside = gtid_pos + 5
        edit_state(d, log_file=file, log_pos=inside, gtid=saved.get("gtid"))
        expect_refusal("inside an event", mysql_cdc, d,
                       [f"{file}:{inside}", "is not the start of an event"])
    finally:
        d.stop()


def pad_to(db, target: tuple[str, int]) -> None:
    """Writes transactions until SHOW MASTER STATUS is exactly `target` (same file). The padding
    statement's text has a fixed length (REPEAT with a 5-digit count, which Annotate_rows logs),
    so a transaction's size is a constant plus the padding's length."""
    def insert(n: int, length: int) -> int:
        before = master_status(db)[1]
        db.execute(f"INSERT INTO d.pad VALUES ({n:05d}, REPEAT('p', {length:05d}));")
        return master_status(db)[1] - before
    size0 = insert(1, 100)
    base = size0 - 100
    file, pos = master_status(db)
    if file != target[0]:
        raise DaemonError(f"padding: the server writes {file}, not {target[0]}")
    need = target[1] - pos - base
    if need < 0 or need > 60000:
        raise DaemonError(f"padding: cannot reach {target} from {pos} (base {base})")
    insert(2, need)
    if master_status(db) != target:
        raise DaemonError(f"padding reached {master_status(db)}, not {target}")


def reset_master_case(mysql_cdc: str, db, work: Path) -> None:
    db.execute("CREATE TABLE d.pad (id INT PRIMARY KEY, v VARCHAR(60000)) CHARACTER SET latin1;"
               "RESET MASTER;")
    d = Daemon(mysql_cdc, daemon_env(db, work / "reset", database="d", tables="t"),
               work / "reset")
    try:
        run_and_stop(d, db)
        for i in range(100, 130):
            db.execute(f"INSERT INTO d.t VALUES ({i}, 'old history {i}');")
        st = run_and_stop(d, db)
        saved = (st["log_file"], st["log_pos"])
        check(len(read_events(d.output_file)) == 30 and "gtid" in st,
              "RESET MASTER: the first history was streamed", json.dumps(st))
        db.execute("RESET MASTER;")
        # The new history: a watched change before the saved position, padding up to it, and
        # watched changes after it.
        db.execute("INSERT INTO d.t VALUES (500, 'new history, before the saved position');")
        pad_to(db, saved)
        new_gtid = db.sql("SELECT @@gtid_binlog_pos")[0][0]
        db.execute("INSERT INTO d.t VALUES (501, 'new history, after');")
        check(new_gtid != st["gtid"], "RESET MASTER: the new history has another GTID there",
              f"{new_gtid} vs {st['gtid']}")
        expect_refusal("RESET MASTER", mysql_cdc, d,
                       ["history was reset or replaced", "RESET MASTER",
                        f"{saved[0]}:{saved[1]}", f"GTID {st['gtid']}", new_gtid,
                        "FORCE_SNAPSHOT=true"])
    finally:
        d.stop()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mysql-cdc", required=True)
    args = ap.parse_args()
    with start_mariadb("resume-checks", attempts=3) as db, tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db.execute("CREATE DATABASE d; CREATE TABLE d.t (id INT PRIMARY KEY, v VARCHAR(100));")
        t0 = time.monotonic()
        normal_cases(args.mysql_cdc, db, work)
        reset_master_case(args.mysql_cdc, db, work)
        print(f"({time.monotonic() - t0:.0f} s)")
    return check.report("all resume checks passed")


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Issue 3, acceptance criterion 3: the daemon survives a MariaDB restart and a replication
connection cut from the server side, on its own, and the output stays exact.

One daemon process runs for the whole test (it is never restarted by the test). A deterministic
workload on two tables (daemon_harness.Workload: bulk inserts, range updates/deletes, small
transactions, a 50,000-row transaction, ALTER TABLEs) runs batch after batch, and in between:

  kill-idle     the daemon's `Binlog Dump` thread (information_schema.PROCESSLIST) is KILLed
                while it is idle
  kill-mid      the 50,000-row transaction's script ends with `COMMIT; KILL <dump thread>`; so
                does a 50 MB transaction's (5,000 watched rows, 50 MB of an unwatched table,
                5,000 watched rows: more than the socket buffers hold), so the connection is cut
                while the daemon is still reading it and it must resume inside it (skip_rows)
  restart-mid   a 50 MB transaction's script ends with `COMMIT; SHUTDOWN`, so mariadbd goes down
                while the daemon streams it; it is started again on the same datadir and port
                and the workload goes on
  restart-idle  and once more while the daemon is idle
  kill-after    one more KILL after the restarts

After each cut the daemon must log "reconnecting" and a new dump thread must appear. At the end
the state file must reach SHOW MASTER STATUS, SIGTERM must exit 0, and the output file must be
exactly the modelled history: every change once, in commit order.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from daemon_harness import (DDL, Daemon, DaemonError, Workload, daemon_env,  # noqa: E402
                            master_status, output_is_history, start_mariadb, stopped_cleanly)
from mariadb_server import MariaDB, MariaDBError  # noqa: E402
from script_frame import finish, pick_seed, require_files, script_arguments  # noqa: E402


def dump_threads(db: MariaDB) -> list[int]:
    rows = db.sql("SELECT ID FROM information_schema.PROCESSLIST WHERE COMMAND = 'Binlog Dump' "
                  "ORDER BY ID")
    return [int(r[0]) for r in rows]


def wait_dump_thread(db: MariaDB, d: Daemon, not_in: set[int], timeout: float = 60) -> int:
    """Waits for a Binlog Dump thread whose id is not in `not_in` (a new connection)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        d.ensure_running()
        fresh = [i for i in dump_threads(db) if i not in not_in]
        if len(fresh) == 1:
            return fresh[0]
        time.sleep(0.1)
    raise DaemonError(f"no new Binlog Dump connection within {timeout:.0f} s (old: {not_in}; "
                      f"now: {dump_threads(db)})\n{d.log_tail()}")


def reconnects(d: Daemon) -> int:
    return sum("reconnecting" in line for line in d.runs[-1].stderr().splitlines())


def main() -> int:
    ap = script_arguments(__doc__, seed_help="workload RNG seed (default: random, printed)")
    args = ap.parse_args()
    if not require_files(mysql_cdc=args.mysql_cdc):
        return 2
    seed = pick_seed(args.seed)
    work = Path(tempfile.mkdtemp(prefix="daemon-reconnect-"))
    problems: list[str] = []
    t0 = time.monotonic()
    d = None
    try:
        with start_mariadb("reconnect") as db:
            db.execute(DDL)
            env = daemon_env(db, work, database="d", tables="a,b")
            d = Daemon(args.mysql_cdc, env, work)
            d.start()
            d.wait_for_state()
            thread = wait_dump_thread(db, d, set())
            known = {thread}
            workload = Workload(seed)
            batches = workload.batches(steps=26, big_at=12,
                                       ddl_at={3: "add_a", 9: "rename_b", 17: "drop_a",
                                               21: "add_b"})
            cuts = 0

            def after_cut(what: str, before: int) -> None:
                nonlocal thread, cuts
                cuts += 1
                t = time.monotonic()
                line = d.wait_for_log("reconnecting", timeout=60, count=before + 1)
                thread = wait_dump_thread(db, d, known)
                known.add(thread)
                print(f"  {what}: reconnected in {time.monotonic() - t:.1f} s "
                      f"(dump thread {thread}); daemon: {line.split(None, 2)[-1][-110:]}",
                      flush=True)

            for label, stmts in batches:
                if "50k" in label:                        # kill-mid
                    before = reconnects(d)
                    print(f"  the 50k-row transaction starts at {master_status(db)}")
                    script = "\n".join(stmts) + f"\nKILL CONNECTION {thread};"
                    db.execute(script, database="d", timeout=600)
                    after_cut(f"KILL {thread} right after the 50k-row COMMIT", before)
                    continue
                db.execute("\n".join(stmts), database="d", timeout=600)
                if label == "step 6 mixed":               # kill-mid-wide
                    d.wait_caught_up(db)
                    before = reconnects(d)
                    print(f"  a 50 MB transaction starts at {master_status(db)}")
                    script = "\n".join(workload.wide_transaction()) + \
                        f"\nKILL CONNECTION {thread};"
                    db.execute(script, database="d", timeout=600)
                    after_cut(f"KILL {thread} right after the 50 MB COMMIT", before)
                elif label == "step 15 bulk":             # restart-mid
                    # SHUTDOWN in the same session: the server goes down right after the
                    # COMMIT, while the daemon is still reading the transaction.
                    d.wait_caught_up(db)
                    before = reconnects(d)
                    print(f"  a 50 MB transaction starts at {master_status(db)}")
                    try:
                        db.execute("\n".join(workload.wide_transaction()) + "\nSHUTDOWN;",
                                   database="d", timeout=600)
                    except MariaDBError as e:
                        print(f"  (the client saw the shutdown: {str(e).splitlines()[0]})")
                    t = time.monotonic()
                    db.restart()
                    print(f"  server shut down right after the 50 MB COMMIT and restarted "
                          f"({time.monotonic() - t:.1f} s)", flush=True)
                    known = set()
                    after_cut("server restart mid-stream", before)
                elif label == "step 2 mixed":             # kill-idle
                    d.wait_caught_up(db)
                    before = reconnects(d)
                    db.execute(f"KILL CONNECTION {thread};")
                    after_cut(f"KILL {thread} while idle", before)
                elif label == "step 20 mixed":            # restart-idle, then kill-after
                    d.wait_caught_up(db)
                    before = reconnects(d)
                    db.restart()
                    known = set()
                    after_cut("server restart while idle", before)
                    d.wait_caught_up(db)
                    before = reconnects(d)
                    db.execute(f"KILL CONNECTION {thread};")
                    after_cut(f"KILL {thread} after the restarts", before)
                time.sleep(0.1)

            print(f"workload: {len(workload.events)} changes, DDL {workload.ddl_done}; "
                  f"{cuts} connection cuts, {reconnects(d)} 'reconnecting' log lines", flush=True)
            inside = [l for l in d.runs[-1].stderr().splitlines()
                      if "reconnecting" in l and "(skip_rows=0)" not in l]
            if not inside:
                problems.append("no cut landed inside a transaction (every 'reconnecting' line "
                                "has skip_rows=0): the 50 MB transactions did not do their job")
            if cuts < 6:
                problems.append(f"only {cuts} connection cuts happened (want 6): test bug")
            d.wait_caught_up(db, timeout=180)
            stopped_cleanly(d, problems)
            if len(d.runs) != 1:
                problems.append(f"the daemon was started {len(d.runs)} times: test bug")
            actual = output_is_history(workload.events, d.output_file, problems)
            if actual is not None:
                print(f"output = history: {len(actual)} events, each once, in commit order; "
                      f"final position {master_status(db)}")
    except DaemonError as e:
        problems.append(str(e))
    finally:
        if d is not None:
            d.stop()
    return finish(problems, work, args.keep, t0, f" with seed {seed}", limit=20)


if __name__ == "__main__":
    sys.exit(main())

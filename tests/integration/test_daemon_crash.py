#!/usr/bin/env python3
"""Issue 3, acceptance criterion 2: crash safety. While a workload of well over 100,000 row
changes on two tables runs (bulk INSERT ... SELECT FROM seq_1_to_N, range UPDATEs and DELETEs,
thousands of small transactions, one 50,000-row transaction over three statements, and ALTER
TABLEs adding, dropping and renaming columns mid-stream), the daemon is SIGKILLed at random
moments (random.Random(seed), sleeps of 0.2-2 s) at least 20 times and restarted at once. At the
end the daemon is restarted once more, waits until its state file reaches SHOW MASTER STATUS, and
is stopped with SIGTERM; the file sink's output must then be exactly the tables' change history:
every change once, in commit order, with the right columns and values.

The truth comes from the workload itself (daemon_harness.Workload): it runs its batches one
after the other from one client session at a time and mirrors each statement in a Python model
of the tables, so the expected events are known without our decoder.
"""

from __future__ import annotations

import random
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))
from daemon_harness import (DDL, Daemon, DaemonError, Workload, daemon_env,  # noqa: E402
                            catch_up_and_stop, logged_errors, output_is_history,
                            start_mariadb)
from mariadb_server import MariaDB, MariaDBError  # noqa: E402
from script_frame import finish, pick_seed, require_files, script_arguments  # noqa: E402


class StateMonitor:
    """Checks every state file it is shown against the one before: the checkpoint never goes
    back. (file, pos) and output_file_length never decrease, and at the same position skip_rows
    never decreases: fewer rows to skip with the same output length means a restart writes
    the difference again."""

    def __init__(self):
        self.last: dict | None = None
        self.violations: list[str] = []

    def observe(self, st: dict | None) -> None:
        if not st:
            return
        last, self.last = self.last, st
        if last is None:
            return
        pos = lambda s: (s.get("log_file", ""), s.get("log_pos", 0))
        fmt = lambda s: (f"{s.get('log_file')}:{s.get('log_pos')} skip_rows={s.get('skip_rows')}"
                         f" output_file_length={s.get('output_file_length')}")
        why = None
        if pos(st) < pos(last):
            why = "the position went back"
        elif st.get("output_file_length", 0) < last.get("output_file_length", 0):
            why = "output_file_length went back"
        elif pos(st) == pos(last) and st.get("skip_rows", 0) < last.get("skip_rows", 0):
            why = (f"skip_rows went back at the same transaction start while the output kept "
                   f"its rows: a restart from here writes "
                   f"{last.get('skip_rows', 0) - st.get('skip_rows', 0)} changes again")
        if why:
            self.violations.append(f"checkpoint regression: {why}: {fmt(last)} -> {fmt(st)}")


def targeted_kills(d: Daemon, wt: "WorkloadThread", monitor: StateMonitor,
                   max_rounds: int = 8) -> tuple[int, int]:
    """The random kills mostly hit an idle daemon: it streams far faster than the workload
    writes. So around the 50,000-row transaction the daemon is killed and kept down until the
    transaction has committed; then, again and again, it is restarted and SIGKILLed the moment
    its state file changes, which, while it works through the transaction, is a checkpoint
    inside it (skip_rows > 0): each restart resumes in the middle of the transaction, until
    a checkpoint lands past it. Returns (kills, kills at a checkpoint with skip_rows > 0)."""
    d.sigkill()
    kills, mid = 1, 0
    wt.big_go.set()
    if not wt.big_done.wait(timeout=300):
        raise DaemonError("the 50,000-row transaction did not commit within 300 s")
    key = lambda st: (st.get("log_file"), st.get("log_pos"), st.get("skip_rows"))
    inside: tuple | None = None          # (file, pos) of the transaction, once seen
    for _ in range(max_rounds):
        start_state = d.state() or {}
        d.start()
        deadline = time.monotonic() + 5
        seen = None
        while time.monotonic() < deadline and d.running():
            st = d.state() or {}
            if key(st) != key(start_state):
                seen = st
                break
            time.sleep(0.001)
        d.sigkill()
        kills += 1
        monitor.observe(seen)
        if seen is None:
            break
        at = (seen.get("log_file"), seen.get("log_pos"))
        if seen.get("skip_rows", 0) > 0:
            mid += 1
            inside = at
            print(f"  targeted kill {kills - 1}: checkpoint {at[0]}:{at[1]} "
                  f"skip_rows={seen['skip_rows']}", flush=True)
        elif inside is None or at != inside:
            break            # past the transaction
        else:
            print(f"  targeted kill {kills - 1}: checkpoint {at[0]}:{at[1]} skip_rows=0 after "
                  f"a restart inside the transaction", flush=True)
    d.start()
    return kills, mid


@dataclass
class KillCounts:
    kills: int = 0           # random SIGKILLs
    mid_trx: int = 0         # of them at a checkpoint inside a transaction (skip_rows > 0)
    targeted: int = 0        # SIGKILLs around the 50,000-row transaction (targeted_kills)
    targeted_mid: int = 0    # of them at a checkpoint inside it


def kill_during_workload(d: Daemon, wt: "WorkloadThread", kill_rng: random.Random,
                         min_kills: int, monitor: StateMonitor, problems: list[str],
                         after_kill: Callable[[dict], None] = lambda st: None) -> KillCounts:
    """SIGKILLs the daemon at random moments and restarts it at once, until the workload has
    ended and at least `min_kills` kills happened; the 50,000-row transaction gets the
    targeted kills. Each state file a kill leaves is shown to `monitor` and to `after_kill`
    (before the restart). Stops early, with a problem, when the daemon exits on its own."""
    n = KillCounts()
    while (wt.is_alive() or n.kills < min_kills) and not wt.error:
        time.sleep(kill_rng.uniform(0.2, 2.0))
        if wt.big_ready.is_set() and not wt.big_go.is_set():
            n.targeted, n.targeted_mid = targeted_kills(d, wt, monitor)
            continue
        if not d.running():
            problems.append(f"the daemon exited on its own with {d.exit_code()} before "
                            f"kill {n.kills + 1}:\n{d.log_tail()}")
            break
        d.sigkill()
        n.kills += 1
        st = d.state() or {}
        monitor.observe(st)
        n.mid_trx += st.get("skip_rows", 0) > 0
        after_kill(st)
        d.start()
    wt.stop_requested = True
    wt.join(timeout=600)
    return n


def workload_problems(wt: "WorkloadThread", workload: Workload, n: KillCounts, min_kills: int,
                      monitor: StateMonitor) -> list[str]:
    """What makes a kill run fail or prove nothing: the workload's error, checkpoint
    regressions, too few kills, no kill inside the big transaction, too few changes."""
    problems = [wt.error] if wt.error else []
    problems += monitor.violations
    if n.kills < min_kills:
        problems.append(f"only {n.kills} random SIGKILLs (want >= {min_kills})")
    if n.targeted_mid == 0:
        problems.append("no kill landed on a checkpoint inside the 50,000-row transaction "
                        "(skip_rows > 0): the resume-inside-a-transaction path was not "
                        "exercised")
    if len(workload.events) < 100_000:
        problems.append(f"the workload made only {len(workload.events)} changes")
    return problems


class WorkloadThread(threading.Thread):
    """Runs the batches in order, pausing `pause` s between them; records failures."""

    def __init__(self, db: MariaDB, workload: Workload, pause: float, **batch_args):
        super().__init__(daemon=True)
        self.db, self.workload, self.pause, self.batch_args = db, workload, pause, batch_args
        self.error: str | None = None
        self.done_batches = 0
        self.stop_requested = False
        # Handshake around the 50,000-row transaction (see targeted_kills).
        self.big_ready = threading.Event()
        self.big_go = threading.Event()
        self.big_done = threading.Event()

    def run(self) -> None:
        try:
            for label, stmts in self.workload.batches(**self.batch_args):
                if self.stop_requested:
                    self.error = "stopped before the end"
                    return
                big = "50k" in label
                if big:
                    self.big_ready.set()
                    if not self.big_go.wait(timeout=120):
                        raise RuntimeError("the kill loop never let the big transaction run")
                self.db.execute("\n".join(stmts), database="d", timeout=600)
                if big:
                    self.big_done.set()
                self.done_batches += 1
                time.sleep(self.pause)
        except (MariaDBError, Exception) as e:  # noqa: BLE001 - reported by the main thread
            self.error = f"workload failed: {e}"[:3000]


def main() -> int:
    ap = script_arguments(__doc__, seed_help="RNG seed (default: random, printed)")
    ap.add_argument("--kills", type=int, default=20, help="minimum number of SIGKILLs")
    ap.add_argument("--pause", type=float, default=0.35, help="pause between workload batches")
    args = ap.parse_args()
    if not require_files(mysql_cdc=args.mysql_cdc):
        return 2
    seed = pick_seed(args.seed)
    kill_rng = random.Random(seed ^ 0x5EED)
    work = Path(tempfile.mkdtemp(prefix="daemon-crash-"))
    problems: list[str] = []
    t0 = time.monotonic()
    d = None
    try:
        with start_mariadb("crash") as db:
            db.execute(DDL)
            # Frequent checkpoints and small drains: many checkpoints inside transactions, and
            # output written past the last checkpoint, which a restart must truncate.
            env = daemon_env(db, work, database="d", tables="a,b", FLUSH_INTERVAL_MS="5",
                             FLUSH_MAX_CHANGES="500")
            d = Daemon(args.mysql_cdc, env, work)
            d.start()
            d.wait_for_state()                 # the first run saved "now": the workload follows
            workload = Workload(seed)
            wt = WorkloadThread(db, workload, args.pause)
            wt.start()

            truncations = 0

            def count_truncation(st: dict) -> None:
                nonlocal truncations
                size = d.output_file.stat().st_size if d.output_file.exists() else 0
                if size > st.get("output_file_length", 0):
                    truncations += 1

            monitor = StateMonitor()
            n = kill_during_workload(d, wt, kill_rng, args.kills, monitor, problems,
                                     after_kill=count_truncation)
            print(f"{n.kills} random SIGKILLs during {time.monotonic() - t0:.0f} s; {n.mid_trx} "
                  f"left a checkpoint inside a transaction (skip_rows > 0), {truncations} left "
                  f"output past the checkpoint; {n.targeted} targeted SIGKILLs around the "
                  f"50k-row transaction, {n.targeted_mid} of them inside it; workload: "
                  f"{wt.done_batches} batches, {len(workload.events)} changes; "
                  f"DDL {workload.ddl_done}", flush=True)
            problems += workload_problems(wt, workload, n, args.kills, monitor)

            if not wt.error and d.running():       # the end state, even after a violation
                catch_up_and_stop(d, db, problems, timeout=240, since="the last restart")
                actual = output_is_history(workload.events, d.output_file, problems)
                if actual is not None:
                    print(f"output = history: {len(actual)} events, each once, in commit order")
            problems += logged_errors(d)
    except DaemonError as e:
        problems.append(str(e))
    finally:
        if d is not None:
            d.stop()
    return finish(problems, work, args.keep, t0, f" with seed {seed}", limit=20)


if __name__ == "__main__":
    sys.exit(main())

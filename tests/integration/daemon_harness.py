"""Runs the mysql-cdc daemon as a subprocess for integration tests (Python standard library only).

Usage:

    from mariadb_server import MariaDB
    from daemon_harness import Daemon, daemon_env

    with MariaDB() as db, tempfile.TemporaryDirectory() as work:
        env = daemon_env(db, work, database="d", tables="t1,d.t2")
        d = Daemon(mysql_cdc, env, work)
        d.start()
        d.wait_for_state()                  # the first run saved the server's current position
        ... changes ...
        d.wait_caught_up(db)                # the state file reached SHOW MASTER STATUS
        rc = d.sigterm()                    # flush, save, exit 0
        events = read_events(env["OUTPUT_FILE"])

The daemon runs in `workdir` (so no stray `.env` is read) with a clean environment: only PATH,
LANG and the variables given. Its stdout and stderr of every run are appended to
`workdir/daemon-N.stdout|stderr` (N counts the runs) and kept in `runs`, so a test can look at
every log line ever written. The child gets PR_SET_PDEATHSIG=SIGKILL: a killed test leaves no
daemon behind.
"""

from __future__ import annotations

import ctypes
import random
import glob
import json
import os
import re
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

PR_SET_PDEATHSIG = 1


class DaemonError(AssertionError):
    pass


def _die_with_parent():
    libc = ctypes.CDLL(None, use_errno=True)

    def preexec() -> None:
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)

    return preexec


def daemon_env(db, workdir, database: str | None, tables: str, **extra: str) -> dict[str, str]:
    """The environment of a normal run against `db`: file sink and state in workdir."""
    work = Path(workdir)
    env = {
        "MYSQL_HOST": db.host,
        "MYSQL_PORT": str(db.port),
        "MYSQL_USER": db.user,
        "MYSQL_PASSWORD": db.password,
        "MYSQL_TABLE": tables,
        "Quix__State__Dir": str(work / "state"),
        "OUTPUT_SINK": "file",
        "OUTPUT_FILE": str(work / "out.jsonl"),
        "LOG_LEVEL": "info",
    }
    if database is not None:
        env["MYSQL_DATABASE"] = database
    env.update(extra)
    return env


def clean_env(env: dict[str, str]) -> dict[str, str]:
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
    base.update(env)
    return base


def run_once(mysql_cdc: str, env: dict[str, str], workdir, args: list[str] = (),
             timeout: float = 30) -> tuple[int | None, str, str, float]:
    """Runs mysql-cdc to completion (or kills it at `timeout`).
    Returns (exit code, None on timeout; stdout; stderr; seconds)."""
    Path(workdir).mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()
    proc = subprocess.Popen([mysql_cdc, *args], cwd=str(workdir), env=clean_env(env),
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, preexec_fn=_die_with_parent())
    try:
        out, err = proc.communicate(timeout=timeout)
        rc = proc.returncode
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        rc = None
    return rc, out, err, time.monotonic() - t0


class Run:
    """One start of the daemon: its process and log files."""

    def __init__(self, n: int, proc: subprocess.Popen, stdout: Path, stderr: Path):
        self.n, self.proc, self.stdout_path, self.stderr_path = n, proc, stdout, stderr

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def stdout(self) -> str:
        return self.stdout_path.read_text(errors="replace")


class Daemon:
    def __init__(self, mysql_cdc: str, env: dict[str, str], workdir, args: list[str] = ()):
        self.mysql_cdc = mysql_cdc
        self.env = dict(env)
        self.workdir = Path(workdir)
        self.args = list(args)
        self.runs: list[Run] = []
        self.workdir.mkdir(parents=True, exist_ok=True)

    # --- process control -------------------------------------------------------------------

    @property
    def proc(self) -> subprocess.Popen | None:
        return self.runs[-1].proc if self.runs else None

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self) -> Run:
        if self.running():
            raise DaemonError("start(): the daemon is already running")
        n = len(self.runs) + 1
        out = self.workdir / f"daemon-{n}.stdout"
        err = self.workdir / f"daemon-{n}.stderr"
        with open(out, "wb") as fo, open(err, "wb") as fe:
            proc = subprocess.Popen([self.mysql_cdc, *self.args], cwd=str(self.workdir),
                                    env=clean_env(self.env), stdin=subprocess.DEVNULL,
                                    stdout=fo, stderr=fe, preexec_fn=_die_with_parent())
        run = Run(n, proc, out, err)
        self.runs.append(run)
        return run

    def sigkill(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def sigterm(self, timeout: float = 10) -> tuple[int | None, float]:
        """SIGTERM; returns (exit code, seconds to exit); exit code None if it did not exit in
        `timeout` (it is then SIGKILLed)."""
        if self.proc is None or self.proc.poll() is not None:
            raise DaemonError(f"sigterm(): the daemon is not running (exit {self.exit_code()})"
                              f"\n{self.log_tail()}")
        t0 = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=30)
            rc = None
        return rc, time.monotonic() - t0

    def stop(self) -> None:
        """Cleanup: SIGKILL whatever still runs."""
        if self.running():
            self.sigkill()

    def exit_code(self) -> int | None:
        return None if self.proc is None else self.proc.poll()

    def ensure_running(self) -> None:
        if not self.running():
            raise DaemonError(f"the daemon exited with {self.exit_code()}:\n{self.log_tail()}")

    # --- logs --------------------------------------------------------------------------------

    def all_logs(self) -> str:
        return "".join(r.stdout() + r.stderr() for r in self.runs)

    def log_tail(self, lines: int = 25) -> str:
        if not self.runs:
            return "(never started)"
        text = self.runs[-1].stderr().splitlines()[-lines:]
        return f"--- {self.runs[-1].stderr_path} (last {lines} lines):\n" + "\n".join(text)

    def wait_for_log(self, pattern: str, timeout: float = 30, run: Run | None = None,
                     count: int = 1) -> str:
        """Waits until stderr of `run` (default: the current one) has `count` lines matching
        the regex; returns the last such line."""
        run = run or self.runs[-1]
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            hits = [l for l in run.stderr().splitlines() if rx.search(l)]
            if len(hits) >= count:
                return hits[-1]
            if run.proc.poll() is not None:
                raise DaemonError(f"the daemon exited with {run.proc.returncode} before logging "
                                  f"/{pattern}/:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                raise DaemonError(f"no log line /{pattern}/ within {timeout:.0f} s:\n"
                                  f"{self.log_tail()}")
            time.sleep(0.05)

    # --- state and output --------------------------------------------------------------------

    @property
    def state_dir(self) -> Path:
        return Path(self.env.get("Quix__State__Dir", str(self.workdir / "state")))

    @property
    def output_file(self) -> Path:
        return Path(self.env["OUTPUT_FILE"])

    def state_files(self) -> list[Path]:
        return sorted(Path(p) for p in glob.glob(str(self.state_dir / "binlog_position_*.json")))

    def state(self) -> dict | None:
        """The saved state, or None if there is none yet. Fails if there are several files."""
        files = self.state_files()
        if not files:
            return None
        if len(files) > 1:
            raise DaemonError(f"several state files: {[str(f) for f in files]}")
        try:
            return json.loads(files[0].read_text())
        except (OSError, ValueError):
            return None  # a rename is atomic, but be lenient to a concurrent delete

    def wait_for_state(self, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            st = self.state()
            if st is not None:
                return st
            self.ensure_running()
            time.sleep(0.05)
        raise DaemonError(f"no state file in {self.state_dir} within {timeout:.0f} s:\n"
                          f"{self.log_tail()}")

    def wait_caught_up(self, db, timeout: float = 120, target: tuple[str, int] | None = None
                       ) -> dict:
        """Waits until the state file's position (outside any transaction) is the server's:
        SHOW MASTER STATUS, read again while waiting (the server may append events of its own,
        such as a Binlog_checkpoint after FLUSH BINARY LOGS); or at or past `target`."""
        deadline = time.monotonic() + timeout
        st, goal = None, target
        while time.monotonic() < deadline:
            goal = target or master_status(db)
            st = self.state()
            if st is not None and st.get("skip_rows", 0) == 0:
                at = (st.get("log_file"), st.get("log_pos"))
                # Past a given target is fine; against the live server, exactly its position
                # (a position past the server's end would be a bug of its own).
                if (target and position_reached(st, target)) or (not target and at == goal):
                    return st
            self.ensure_running()
            time.sleep(0.1)
        raise DaemonError(f"the daemon did not catch up with {goal[0]}:{goal[1]} within "
                          f"{timeout:.0f} s; state {st}\n{self.log_tail()}")


def position_reached(state: dict, target: tuple[str, int]) -> bool:
    """Whether a state file's (log_file, log_pos) is at or past target (binlog names sort)."""
    return (state.get("log_file", ""), state.get("log_pos", 0)) >= (target[0], target[1])


def start_mariadb(name: str, extra_args: list[str] = (), attempts: int = 2):
    """A started MariaDB (use it in `with`); retries once, as mariadb-install-db sometimes fails
    when several test servers are installed at the same moment on a busy machine."""
    from mariadb_server import MariaDB, MariaDBError
    for attempt in range(attempts):
        db = MariaDB(extra_args=list(extra_args), name=name)
        try:
            return db.start()
        except MariaDBError as e:
            if attempt + 1 == attempts:
                raise
            print(f"(MariaDB start failed, retrying: {str(e).splitlines()[0][:200]})", flush=True)
            time.sleep(2)


def master_status(db) -> tuple[str, int]:
    row = db.sql("SHOW MASTER STATUS")
    if not row:
        raise DaemonError("SHOW MASTER STATUS returned nothing (is log_bin on?)")
    return row[0][0], int(row[0][1])


def write_seed_state(path, log_file: str, log_pos: int) -> dict:
    """A state file exactly as the original Python connector writes it (four fields)."""
    now = time.time()
    state = {"log_file": log_file, "log_pos": log_pos, "timestamp": now,
             "readable_time": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(now))}
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(state, indent=2))
    return state


def read_events(path) -> list[dict]:
    """The JSON lines of the output file; every line must be complete JSON."""
    p = Path(path)
    if not p.exists():
        return []
    data = p.read_bytes()
    if data and not data.endswith(b"\n"):
        raise DaemonError(f"{p} ends in a partial line: {data[-200:]!r}")
    events = []
    for n, line in enumerate(data.decode("utf-8").splitlines(), 1):
        try:
            events.append(json.loads(line))
        except ValueError as e:
            raise DaemonError(f"{p} line {n} is not JSON ({e}): {line[:300]}")
    return events


def stopped_cleanly(d: Daemon, problems: list[str], what: str = "SIGTERM") -> int | None:
    """SIGTERM, which must end the daemon with exit 0; a failure is added to `problems`, as
    "<what>: exit <rc> after <s> s" and the log's tail. The exit code."""
    rc, secs = d.sigterm()
    if rc != 0:
        problems.append(f"{what}: exit {rc} after {secs:.1f} s\n{d.log_tail()}")
    return rc


def catch_up_and_stop(d: Daemon, db, problems: list[str], timeout: float, since: str,
                      indent: str = "") -> None:
    """The state file reaches SHOW MASTER STATUS within `timeout` (printed with the time taken
    `since` something), then SIGTERM must exit 0."""
    t1 = time.monotonic()
    d.wait_caught_up(db, timeout=timeout)
    print(f"{indent}caught up with {master_status(db)} {time.monotonic() - t1:.1f} s after "
          f"{since}", flush=True)
    stopped_cleanly(d, problems, "SIGTERM at the end")


def logged_errors(d: Daemon, form: str = "run {n} logged: {line}") -> list[str]:
    """Every "error" or "critical" log line of every run, as a problem each."""
    out = []
    for r in d.runs:
        for line in r.stderr().splitlines():
            parts = line.split(None, 2)
            if len(parts) > 1 and parts[1] in ("error", "critical"):
                out.append(form.format(n=r.n, line=line))
    return out


def output_is_history(expected: list[dict], path, problems: list[str]) -> list[dict] | None:
    """The output file must hold exactly the `expected` events, each once, in order; the events
    read when it does, else a problem with the differences and None."""
    actual = read_events(path)
    diff = diff_events(expected, actual)
    if diff:
        problems.append("the output is not the tables' change history:\n    "
                        + "\n    ".join(diff))
        return None
    return actual


def ids_of(events: list[dict]) -> list[int]:
    """The "id" column's value of each event, in order."""
    return [e["columnvalues"][e["columnnames"].index("id")] for e in events]


def event(kind: str, schema: str, table: str, names: list[str], after: list | None,
          before: list | None) -> dict:
    """A seed-format event: insert (after only), update (both), delete (before only)."""
    return {
        "kind": kind, "schema": schema, "table": table,
        "columnnames": list(names) if after is not None else [],
        "columnvalues": list(after) if after is not None else [],
        "oldkeys": {"keynames": list(names), "keyvalues": list(before)} if before is not None
        else {},
    }


def brief(e, limit: int = 400) -> str:
    s = json.dumps(e, ensure_ascii=False, sort_keys=False)
    return s if len(s) <= limit else s[:limit] + f"… ({len(s)} chars)"


def diff_events(expected: list[dict], actual: list[dict], context: int = 3) -> list[str]:
    """Problems between two event sequences: counts per table and kind, the first differing
    index with neighbours, duplicates and missing changes (by identity of the event)."""
    problems: list[str] = []
    if expected == actual:
        return problems

    def tally(events):
        t: dict[str, int] = {}
        for e in events:
            k = f"{e.get('schema')}.{e.get('table')} {e.get('kind')}"
            t[k] = t.get(k, 0) + 1
        return t

    problems.append(f"expected {len(expected)} events, got {len(actual)}")
    te, ta = tally(expected), tally(actual)
    for k in sorted(set(te) | set(ta)):
        if te.get(k, 0) != ta.get(k, 0):
            problems.append(f"  {k}: expected {te.get(k, 0)}, got {ta.get(k, 0)}")
    first = next((i for i, (e, a) in enumerate(zip(expected, actual)) if e != a),
                 min(len(expected), len(actual)))
    problems.append(f"first difference at index {first}:")
    problems.append(f"  expected: {brief(expected[first]) if first < len(expected) else '(end)'}")
    problems.append(f"  actual:   {brief(actual[first]) if first < len(actual) else '(end)'}")
    lo = max(0, first - context)
    for i in range(lo, min(first + context + 1, max(len(expected), len(actual)))):
        e = brief(expected[i], 160) if i < len(expected) else "(end)"
        a = brief(actual[i], 160) if i < len(actual) else "(end)"
        mark = "==" if i < len(expected) and i < len(actual) and expected[i] == actual[i] else "!="
        problems.append(f"  [{i}] {mark} exp {e}\n         act {a}")
    # Duplicates and missing, by whole-event identity (every event in these tests is unique).
    key = lambda e: json.dumps(e, sort_keys=True)
    seen: dict[str, int] = {}
    dups = []
    for i, a in enumerate(actual):
        k = key(a)
        if k in seen:
            dups.append((seen[k], i, a))
        seen[k] = i
    exp_keys = {key(e) for e in expected}
    act_keys = set(seen)
    missing = [e for e in expected if key(e) not in act_keys]
    extra = [a for a in actual if key(a) not in exp_keys]
    if dups:
        problems.append(f"{len(dups)} duplicated event(s); first: index {dups[0][0]} and "
                        f"{dups[0][1]}: {brief(dups[0][2])}")
    if missing:
        problems.append(f"{len(missing)} expected event(s) missing; first: {brief(missing[0])}")
    if extra:
        problems.append(f"{len(extra)} unexpected event(s); first: {brief(extra[0])}")
    return problems


# ---------------------------------------------------------------------------------------------
# A deterministic workload on two tables whose exact change history is computed in Python
# (test_daemon_crash.py, test_daemon_reconnect.py).
#
# A deterministic CDC workload on two tables whose exact change history is computed in Python.
#
# Used by test_daemon_crash.py and test_daemon_reconnect.py. Every statement runs, one batch after
# the other, from a single client connection at a time, so commit order is the order the batches
# are generated in; a Python model of both tables (columns in order, rows by id) mirrors every
# statement and yields the row events the server must write for it:
#
#   INSERT ... SELECT ... FROM seq_1_to_N     rows in seq order (ids increasing)
#   UPDATE/DELETE ... WHERE id BETWEEN x AND y  rows in primary-key order (InnoDB scans the PK)
#   single-row INSERT/UPDATE/DELETE            in small transactions or autocommit
#   ALTER TABLE ADD/DROP/RENAME COLUMN         no row events; later events carry the new columns
#                                              (an added column reads as its default in old rows)
#
# Every UPDATE increments a counter column, so every matched row changes (MariaDB logs no event
# for a row an UPDATE leaves as it was). The model's values are what the daemon must print:
# INT -> JSON integer, VARCHAR -> string, NULL -> null.

SCHEMA = "d"
PK_MOVE = 10_000_000


@dataclass
class Col:
    name: str
    sql: Callable[[str], str]          # SQL expression of a new row's value from the id expr
    py: Callable[[int], object]        # the same in Python, from the id
    role: str                          # counter | text | nullable | extra | note


@dataclass
class Table:
    name: str
    cols: list[Col]
    rows: dict[int, dict] = field(default_factory=dict)
    next_id: int = 1

    def names(self) -> list[str]:
        return [c.name for c in self.cols]

    def col(self, role: str) -> Col | None:
        return next((c for c in self.cols if c.role == role), None)

    def image(self, row: dict) -> list:
        return [row[c.name] for c in self.cols]

    def new_row(self, i: int) -> dict:
        row = {"id": i}
        for c in self.cols[1:]:
            row[c.name] = c.py(i)
        return row


def table_a() -> Table:
    return Table("a", [
        Col("id", lambda x: x, lambda i: i, "id"),
        Col("n", lambda x: f"({x} * 7) % 1000", lambda i: (i * 7) % 1000, "counter"),
        Col("s", lambda x: f"CONCAT('r', {x})", lambda i: f"r{i}", "text"),
        Col("f", lambda x: f"IF({x} % 5 = 0, NULL, {x})", lambda i: None if i % 5 == 0 else i,
            "nullable"),
    ])


def table_b() -> Table:
    return Table("b", [
        Col("id", lambda x: x, lambda i: i, "id"),
        Col("qty", lambda x: f"{x} % 97", lambda i: i % 97, "counter"),
        Col("label", lambda x: f"CONCAT('b', {x})", lambda i: f"b{i}", "text"),
    ])


DDL = """
CREATE DATABASE IF NOT EXISTS d;
CREATE TABLE d.a (id INT PRIMARY KEY, n INT NOT NULL, s VARCHAR(64) NOT NULL, f INT NULL)
  DEFAULT CHARSET=utf8mb4;
CREATE TABLE d.b (id BIGINT PRIMARY KEY, qty INT NOT NULL, label VARCHAR(64) NOT NULL)
  DEFAULT CHARSET=utf8mb4;
CREATE TABLE d.noise (id INT PRIMARY KEY, v INT);
CREATE TABLE d.wide (id INT PRIMARY KEY, pad LONGTEXT);
"""


class Workload:
    """Generates batches (SQL scripts) and the events each one makes."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.t = {"a": table_a(), "b": table_b()}
        self.events: list[dict] = []
        self.noise_id = 0
        self.wide_rows = 0
        self.ddl_done: list[str] = []

    # --- statements: each returns SQL and appends its events ----------------------------------

    def _ev(self, kind: str, t: Table, after: dict | None, before: dict | None) -> None:
        self.events.append(event(kind, SCHEMA, t.name, t.names(),
                                 t.image(after) if after is not None else None,
                                 t.image(before) if before is not None else None))

    def bulk_insert(self, name: str, count: int) -> str:
        t = self.t[name]
        base = t.next_id - 1
        x = f"(seq + {base})"
        exprs = ", ".join(c.sql(x) for c in t.cols)
        sql = (f"INSERT INTO d.{name} ({', '.join(t.names())}) SELECT {exprs} "
               f"FROM seq_1_to_{count};")
        for i in range(base + 1, base + count + 1):
            t.rows[i] = t.new_row(i)
            self._ev("insert", t, t.rows[i], None)
        t.next_id = base + count + 1
        return sql

    def insert_one(self, name: str) -> str:
        t = self.t[name]
        i = t.next_id
        t.next_id += 1
        t.rows[i] = t.new_row(i)
        self._ev("insert", t, t.rows[i], None)
        return (f"INSERT INTO d.{name} ({', '.join(t.names())}) VALUES "
                f"({', '.join(c.sql(str(i)) for c in t.cols)});")

    def _set_clauses(self, t: Table, rich: bool) -> list[tuple[str, Callable[[dict], object]]]:
        counter = t.col("counter")
        clauses = [(f"{counter.name} = {counter.name} + 1",
                    lambda r, c=counter.name: r[c] + 1)]
        if rich:
            text = t.col("text")
            clauses.append((f"{text.name} = CONCAT('u', id)", lambda r: f"u{r['id']}"))
            nullable = t.col("nullable")
            if nullable is not None:
                clauses.append((f"{nullable.name} = IF({nullable.name} IS NULL, id, NULL)",
                                lambda r, c=nullable.name: r["id"] if r[c] is None else None))
            extra = t.col("extra")
            if extra is not None:
                clauses.append((f"{extra.name} = {extra.name} + 2",
                                lambda r, c=extra.name: r[c] + 2))
            note = t.col("note")
            if note is not None:
                clauses.append((f"{note.name} = CONCAT('m', id)", lambda r: f"m{r['id']}"))
        return clauses

    def _apply_update(self, t: Table, ids: list[int], clauses) -> None:
        for i in ids:
            before = t.rows[i]
            after = dict(before)
            for sql, fn in clauses:
                after[sql.split(" = ")[0]] = fn(before)
            t.rows[i] = after
            self._ev("update", t, after, before)

    def update_range(self, name: str, lo: int, hi: int, rich: bool) -> str:
        t = self.t[name]
        clauses = self._set_clauses(t, rich)
        ids = sorted(i for i in t.rows if lo <= i <= hi)
        self._apply_update(t, ids, clauses)
        return (f"UPDATE d.{name} SET {', '.join(s for s, _ in clauses)} "
                f"WHERE id BETWEEN {lo} AND {hi};")

    def update_one(self, name: str, i: int) -> str:
        t = self.t[name]
        clauses = self._set_clauses(t, self.rng.random() < 0.5)
        self._apply_update(t, [i], clauses)
        return f"UPDATE d.{name} SET {', '.join(s for s, _ in clauses)} WHERE id = {i};"

    def move_pk(self, name: str, i: int) -> str:
        t = self.t[name]
        before = t.rows.pop(i)
        after = dict(before, id=i + PK_MOVE)
        t.rows[i + PK_MOVE] = after
        self._ev("update", t, after, before)
        return f"UPDATE d.{name} SET id = id + {PK_MOVE} WHERE id = {i};"

    def delete_range(self, name: str, lo: int, hi: int) -> str:
        t = self.t[name]
        for i in sorted(i for i in t.rows if lo <= i <= hi):
            self._ev("delete", t, None, t.rows.pop(i))
        return f"DELETE FROM d.{name} WHERE id BETWEEN {lo} AND {hi};"

    def delete_one(self, name: str, i: int) -> str:
        t = self.t[name]
        self._ev("delete", t, None, t.rows.pop(i))
        return f"DELETE FROM d.{name} WHERE id = {i};"

    def noise(self) -> str:
        self.noise_id += 1
        return f"INSERT INTO d.noise VALUES ({self.noise_id}, {self.noise_id});"

    # --- schema changes ---------------------------------------------------------------------

    def add_column_a(self) -> str:
        t = self.t["a"]
        t.cols.append(Col("g", lambda x: f"{x} % 3", lambda i: i % 3, "extra"))
        for r in t.rows.values():
            r["g"] = 5
        self.ddl_done.append("ADD COLUMN d.a.g")
        return "ALTER TABLE d.a ADD COLUMN g INT NOT NULL DEFAULT 5;"

    def add_column_b(self) -> str:
        t = self.t["b"]
        t.cols.insert(1, Col("note", lambda x: f"IF({x} % 2 = 0, CONCAT('n', {x}), NULL)",
                             lambda i: f"n{i}" if i % 2 == 0 else None, "note"))
        for r in t.rows.values():
            r["note"] = None
        self.ddl_done.append("ADD COLUMN d.b.note AFTER id")
        return "ALTER TABLE d.b ADD COLUMN note VARCHAR(32) NULL AFTER id;"

    def drop_column_a(self) -> str:
        t = self.t["a"]
        t.cols = [c for c in t.cols if c.name != "f"]
        for r in t.rows.values():
            del r["f"]
        self.ddl_done.append("DROP COLUMN d.a.f")
        return "ALTER TABLE d.a DROP COLUMN f;"

    def rename(self, name: str, old: str, new: str) -> str:
        t = self.t[name]
        for c in t.cols:
            if c.name == old:
                c.name = new
        for i, r in list(t.rows.items()):
            t.rows[i] = {(new if k == old else k): v for k, v in r.items()}
        self.ddl_done.append(f"RENAME COLUMN d.{name}.{old} TO {new}")
        return f"ALTER TABLE d.{name} RENAME COLUMN {old} TO {new};"

    # --- composite batches --------------------------------------------------------------------

    def random_existing(self, name: str) -> int | None:
        t = self.t[name]
        for _ in range(50):
            i = self.rng.randrange(1, t.next_id)
            if i in t.rows:
                return i
        return None

    def small_transactions(self, count: int) -> list[str]:
        out = []
        for _ in range(count):
            ops = []
            for _ in range(self.rng.randint(1, 4)):
                name = self.rng.choice("ab")
                r = self.rng.random()
                if r < 0.4:
                    ops.append(self.insert_one(name))
                    continue
                i = self.random_existing(name)
                if i is None:
                    ops.append(self.insert_one(name))
                elif r < 0.75:
                    ops.append(self.update_one(name, i))
                elif r < 0.78 and name == "b":
                    ops.append(self.move_pk(name, i))
                else:
                    ops.append(self.delete_one(name, i))
                if self.rng.random() < 0.2:
                    ops.append(self.noise())
            if len(ops) == 1 and self.rng.random() < 0.5:
                out += ops                      # autocommit
            else:
                out += ["BEGIN;", *ops, "COMMIT;"]
        return out

    def range_op(self, delete: bool) -> str:
        name = self.rng.choice("ab")
        t = self.t[name]
        width = self.rng.randint(200, 600) if delete else self.rng.randint(300, 1500)
        lo = self.rng.randrange(1, max(2, t.next_id - width))
        if delete:
            return self.delete_range(name, lo, lo + width - 1)
        return self.update_range(name, lo, lo + width - 1, self.rng.random() < 0.6)

    def big_transaction(self) -> list[str]:
        """One transaction of 50,000 row changes over both tables and three statements."""
        a = self.t["a"]
        base = a.next_id - 1
        n0 = len(self.events)
        stmts = ["BEGIN;", self.bulk_insert("a", 30_000),
                 self.update_range("a", base + 1, base + 10_000, True),
                 self.bulk_insert("b", 10_000), "COMMIT;"]
        assert len(self.events) - n0 == 50_000
        return stmts

    def wide_transaction(self, megabytes: int = 50) -> list[str]:
        """One transaction larger than the socket buffers: 5,000 watched inserts into d.a,
        `megabytes` MB of rows of the unwatched d.wide, 5,000 watched inserts into d.b. A
        connection cut right after its COMMIT lands inside it, after d.a's rows."""
        base = self.wide_rows
        self.wide_rows += megabytes * 1000
        return ["BEGIN;", self.bulk_insert("a", 5_000),
                f"INSERT INTO d.wide (id, pad) SELECT seq + {base}, REPEAT('x', 1000) "
                f"FROM seq_1_to_{megabytes * 1000};",
                self.bulk_insert("b", 5_000), "COMMIT;"]

    def batches(self, steps: int = 60, ddl_at: dict[int, str] | None = None,
                big_at: int = 20):
        """The whole workload as (label, statements) batches, generated lazily in order: the
        model is updated as each batch is generated, so run them in the order given."""
        ddl_at = ddl_at or {8: "add_a", 28: "add_b", 36: "drop_a", 44: "rename_b", 50: "rename_a"}
        yield "initial bulk a", [self.bulk_insert("a", 5_000)]
        yield "initial bulk b", [self.bulk_insert("b", 5_000)]
        for step in range(steps):
            if step in ddl_at:
                sql = {"add_a": self.add_column_a, "add_b": self.add_column_b,
                       "drop_a": self.drop_column_a,
                       "rename_b": lambda: self.rename("b", "label", "tag"),
                       "rename_a": lambda: self.rename("a", "s", "s_renamed")}[ddl_at[step]]()
                yield f"step {step} DDL", [sql]
            if step == big_at:
                yield f"step {step} 50k-row transaction", self.big_transaction()
            elif step % 10 == 5:
                yield f"step {step} bulk", [self.bulk_insert("ab"[step // 10 % 2], 5_000)]
            else:
                stmts = self.small_transactions(30)
                stmts.append(self.range_op(delete=False))
                if step % 3 == 0:
                    stmts.append(self.range_op(delete=True))
                yield f"step {step} mixed", stmts

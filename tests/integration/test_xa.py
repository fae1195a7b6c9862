#!/usr/bin/env python3
"""Issue 11, defect 2: XA transactions come out when they commit, in commit order, exactly once,
and never when they are rolled back; for the daemon (file sink) and `mysql-cdc decode`.

A real MariaDB 10.11; table d.t (id INT PRIMARY KEY, v VARCHAR(40)); every XA COMMIT/ROLLBACK
runs in a client session of its own (MariaDB keeps a prepared XA transaction when its session
ends). The expected output is built from the statements themselves: which rows each transaction
changes, appended when it commits.

  order    ordinary transactions interleaved with XA transactions: prepared then committed
           (two-phase), prepared then rolled back, XA COMMIT ... ONE PHASE, several prepared at
           once and committed in another order, one prepared before FLUSH BINARY LOGS and
           committed after it, updates and deletes inside XA, an XID used again; the daemon's
           output and `decode` of the binlogs hold exactly the committed changes in commit order;
           order_compressed: the same with log_bin_compress=ON (MariaDB's compressed events)
  crash    a seeded random workload of the same kinds (plus a 50,000-row XA transaction) while
           the daemon is SIGKILLed, several times each: after it read an XA PREPARE (restarted
           before or after the XA COMMIT), right after an XA COMMIT (before its checkpoint), and
           at each checkpoint it saves inside the 50,000 rows of a committed XA transaction
           (restarted from the XA COMMIT with skip_rows); exactly once at the end, and `decode`
           agrees; crash_kafka: the same into a Kafka topic (3 partitions), read back with kcat
  unknown  an XA transaction prepared before the daemon's first start and committed after it: a
           warning naming its XID and position, the rest streams on; STATE_DIR/xa-prepared lost
           (as after an upgrade) while a saved position exists and an XA transaction was prepared
           before it: the daemon stops with an error naming the XID and position, exit 1, the
           checkpoint not past the XA COMMIT
"""

from __future__ import annotations

import argparse
import contextlib
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from daemon_harness import (Daemon, DaemonError, daemon_env, diff_events, event,  # noqa: E402
                            master_status, read_events, start_mariadb)

NAMES = ["id", "v"]
KAFKA_TOPIC = "xa"
KAFKA_PARTITIONS = 3
SCHEMA_SQL = "CREATE DATABASE d; CREATE TABLE d.t (id INT PRIMARY KEY, v VARCHAR(40));"


def xid_text(xid: str) -> str:
    """How the server writes the XID 'xid' in its messages and ours: X'hex',X'',1."""
    return "X'" + xid.encode().hex().upper() + "',X'',1"


class Model:
    """The table's rows and the events the output must hold, in commit order."""

    def __init__(self):
        self.rows: dict[int, str] = {}
        self.expected: list[dict] = []
        self.next_id = 1
        self.pending: dict[str, tuple[list[dict], dict[int, str | None]]] = {}
        self.locked: set[int] = set()  # rows a prepared XA transaction holds

    def new_ids(self, n: int) -> list[int]:
        ids = list(range(self.next_id, self.next_id + n))
        self.next_id += n
        return ids

    def free_rows(self, rng: random.Random, n: int) -> list[int]:
        free = [i for i in self.rows if i not in self.locked]
        return rng.sample(free, min(n, len(free)))

    def changes(self, inserts: list[int], updates: list[int], deletes: list[int], tag: str
                ) -> tuple[str, list[dict], dict[int, str | None]]:
        """SQL for one transaction's changes, its events and the rows' values after it."""
        sql, events, after = [], [], {}
        if inserts:
            values = ",".join(f"({i},'{tag}-{i}')" for i in inserts)
            sql.append(f"INSERT INTO d.t VALUES {values};")
            for i in inserts:
                events.append(event("insert", "d", "t", NAMES, [i, f"{tag}-{i}"], None))
                after[i] = f"{tag}-{i}"
        for i in updates:
            new = f"{tag}-u{i}"
            sql.append(f"UPDATE d.t SET v='{new}' WHERE id={i};")
            events.append(event("update", "d", "t", NAMES, [i, new], [i, self.rows[i]]))
            after[i] = new
        for i in deletes:
            sql.append(f"DELETE FROM d.t WHERE id={i};")
            events.append(event("delete", "d", "t", NAMES, None, [i, self.rows[i]]))
            after[i] = None
        return " ".join(sql), events, after

    def commit(self, events: list[dict], after: dict[int, str | None]) -> None:
        self.expected.extend(events)
        for i, v in after.items():
            if v is None:
                self.rows.pop(i, None)
            else:
                self.rows[i] = v


class Workload:
    """Runs transactions against the server and mirrors them in the model."""

    def __init__(self, db, model: Model):
        self.db, self.m = db, model

    def ordinary(self, inserts: list[int], updates=(), deletes=(), tag="plain") -> None:
        sql, events, after = self.m.changes(inserts, list(updates), list(deletes), tag)
        self.db.execute(f"BEGIN; {sql} COMMIT;")
        self.m.commit(events, after)

    def prepare(self, xid: str, inserts: list[int], updates=(), deletes=()) -> None:
        sql, events, after = self.m.changes(inserts, list(updates), list(deletes), f"xa-{xid}")
        self.db.execute(f"XA START '{xid}'; {sql} XA END '{xid}'; XA PREPARE '{xid}';")
        self.m.pending[xid] = (events, after)
        self.m.locked |= set(after)

    def prepare_big(self, xid: str, n: int) -> None:
        ids = self.m.new_ids(n)
        self.db.execute(f"XA START '{xid}'; INSERT INTO d.t SELECT seq, CONCAT('big-', seq) "
                        f"FROM d.seq_{ids[0]}_to_{ids[-1]}; XA END '{xid}'; XA PREPARE '{xid}';")
        events = [event("insert", "d", "t", NAMES, [i, f"big-{i}"], None) for i in ids]
        after = {i: f"big-{i}" for i in ids}
        self.m.pending[xid] = (events, after)
        self.m.locked |= set(after)

    def commit(self, xid: str) -> None:
        self.db.execute(f"XA COMMIT '{xid}'")
        events, after = self.m.pending.pop(xid)
        self.m.locked -= set(after)
        self.m.commit(events, after)

    def rollback(self, xid: str) -> None:
        self.db.execute(f"XA ROLLBACK '{xid}'")
        _, after = self.m.pending.pop(xid)
        self.m.locked -= set(after)

    def one_phase(self, xid: str, inserts: list[int], updates=(), deletes=()) -> None:
        sql, events, after = self.m.changes(inserts, list(updates), list(deletes), f"xa-{xid}")
        self.db.execute(f"XA START '{xid}'; {sql} XA END '{xid}'; XA COMMIT '{xid}' ONE PHASE;")
        self.m.commit(events, after)


def check_output(label: str, expected: list[dict], actual: list[dict]) -> None:
    problems = diff_events(expected, actual)
    if problems:
        raise DaemonError(f"{label}: the output differs from the committed changes:\n" +
                          "\n".join(problems))
    print(f"ok: {label}: {len(actual)} events, exactly the committed changes in commit order",
          flush=True)


def check_decode(mysql_cdc: str, db, workdir: Path, expected: list[dict],
                 still_prepared: int) -> None:
    files = db.save_binlogs(workdir / "binlogs")
    res = subprocess.run([mysql_cdc, "decode", "--table", "d.t", *map(str, files)],
                         capture_output=True, text=True, timeout=300)
    if res.returncode != 0:
        raise DaemonError(f"decode exited {res.returncode}: {res.stderr}")
    out = workdir / "decode.jsonl"
    out.write_text(res.stdout)
    check_output("decode", expected, read_events(out))
    if still_prepared and f"{still_prepared} XA transaction(s) prepared" not in res.stderr:
        raise DaemonError(f"decode did not warn about {still_prepared} prepared XA "
                          f"transaction(s) left uncommitted: {res.stderr!r}")


def start_daemon(mysql_cdc: str, db, workdir: Path, **extra: str) -> Daemon:
    env = daemon_env(db, workdir, "d", "t", **{"FLUSH_INTERVAL_MS": "200", **extra})
    d = Daemon(mysql_cdc, env, workdir)
    d.start()
    d.wait_for_state()
    return d


def finish(d: Daemon, db) -> list[dict]:
    if not d.running():
        d.start()
    d.wait_caught_up(db)
    rc, _ = d.sigterm()
    if rc != 0:
        raise DaemonError(f"SIGTERM: exit {rc}\n{d.log_tail()}")
    return read_events(d.output_file) if "OUTPUT_FILE" in d.env else []


def case_order(mysql_cdc: str, workdir: Path, compress: bool = False) -> None:
    extra = ["--log-bin-compress=ON", "--log-bin-compress-min-len=10"] if compress else []
    with start_mariadb("xa-order", extra) as db:
        db.execute(SCHEMA_SQL)
        d = start_daemon(mysql_cdc, db, workdir)
        try:
            m = Model()
            w = Workload(db, m)
            w.ordinary(m.new_ids(2))
            w.prepare("a", m.new_ids(2))
            w.prepare("b", m.new_ids(1), updates=[1])
            w.ordinary(m.new_ids(1))
            w.commit("b")                      # committed before 'a', prepared after it
            w.prepare("c", m.new_ids(2), updates=[2])
            w.rollback("c")                    # never in the output
            w.one_phase("d", m.new_ids(1), deletes=[2])
            w.prepare("e", m.new_ids(1))
            db.execute("FLUSH BINARY LOGS")
            w.ordinary(m.new_ids(1))
            w.commit("e")                      # prepared in the previous binlog file
            w.commit("a")
            w.prepare("a", m.new_ids(1), updates=[3])  # the XID again
            w.prepare("f", m.new_ids(1))
            w.commit("a")
            w.prepare("g", m.new_ids(3))
            w.rollback("f")
            w.ordinary(m.new_ids(1))
            w.prepare("h", m.new_ids(1))       # left prepared: not in the output
            actual = finish(d, db)
            check_output("daemon", m.expected, actual)
            check_decode(mysql_cdc, db, workdir, m.expected, still_prepared=2)
            kept = sorted(p.name for p in (d.state_dir / "xa-prepared").glob("*.binlog"))
            if len(kept) != 2 or not all(n.startswith("prepared@") for n in kept):
                raise DaemonError(f"the state directory should keep exactly the 2 prepared "
                                  f"groups ('g', 'h'), it has {kept}")
            print(f"ok: the state directory keeps the 2 prepared groups: {kept}", flush=True)
            db.execute("XA ROLLBACK 'g'; XA ROLLBACK 'h'")
        finally:
            d.stop()


def kill_inside_commit(d: Daemon, commit_start: tuple[str, int], rounds: int = 4) -> int:
    """While the daemon emits a large committed XA transaction, SIGKILLs it each time it has
    saved a checkpoint inside it (the XA COMMIT's start, skip_rows > 0), and restarts it,
    until the checkpoint passes the XA COMMIT. Returns the number of such kills."""
    key = lambda st: st and (st.get("log_file"), st.get("log_pos"), st.get("skip_rows"))
    last = key(d.state())
    kills = 0
    deadline = time.monotonic() + 120
    while kills < rounds and time.monotonic() < deadline:
        st = d.state()
        if st and key(st) != last:
            last = key(st)
            if (st["log_file"], st["log_pos"]) > commit_start:
                break
            if st.get("skip_rows", 0) > 0:
                d.sigkill()
                kills += 1
                d.start()
        d.ensure_running()
        time.sleep(0.001)
    return kills


INSIDE = "at a checkpoint inside a committed XA transaction"


def kill_inside_big_commit(d: Daemon, db, w: "Workload", m: "Model", xid: str, rows: int) -> int:
    """Prepares an XA transaction of `rows` inserts, keeps the daemon down from after its XA
    PREPARE until after its XA COMMIT, then SIGKILLs it at checkpoints inside the commit's
    emission (kill_inside_commit). Returns the number of such kills."""
    w.prepare_big(xid, rows)
    d.wait_caught_up(db)
    d.sigkill()
    w.ordinary(m.new_ids(1))
    commit_start = master_status(db)
    w.commit(xid)
    d.start()
    return kill_inside_commit(d, commit_start)


def case_crash(mysql_cdc: str, workdir: Path, seed: int, broker: str | None = None) -> None:
    rng = random.Random(seed)
    print(f"seed {seed}{' (Kafka)' if broker else ''}", flush=True)
    with contextlib.ExitStack() as stack:
        db = stack.enter_context(start_mariadb("xa-crash"))
        db.execute(SCHEMA_SQL)
        extra = {}
        if broker:
            from kafka_broker import KafkaBroker
            kafka = stack.enter_context(KafkaBroker(broker))
            kafka.create_topic(KAFKA_TOPIC, KAFKA_PARTITIONS)
            # The checks expect the bare primary-key key and its partition (the key modes
            # have their own tests: test_kafka_keys.py, test_kafka_modes_crash.py).
            extra = {"OUTPUT_SINK": "kafka", "KAFKA_BROKERS": kafka.bootstrap,
                     "output": KAFKA_TOPIC, "KAFKA_MESSAGE_KEY": "bare_primary_key"}
        # Checkpoints every 25 ms: several inside the emission of the large XA transaction.
        d = start_daemon(mysql_cdc, db, workdir, FLUSH_INTERVAL_MS="25", **extra)
        try:
            m = Model()
            w = Workload(db, m)
            w.ordinary(m.new_ids(20))
            kills = {"after prepare, restarted before the commit": 0,
                     "after prepare, restarted after the commit": 0,
                     "right after a commit": 0,
                     INSIDE: 0}
            n = 0
            big_done = False
            for step in range(90):
                d.ensure_running()
                live = list(m.pending)
                r = rng.random()
                if r < 0.25 or not live:
                    n += 1
                    xid = f"x{n}"
                    w.prepare(xid, m.new_ids(rng.randint(1, 3)),
                              updates=m.free_rows(rng, rng.randint(0, 1)))
                    if rng.random() < 0.3:
                        d.wait_caught_up(db)  # it has read the XA PREPARE: kill it now
                        d.sigkill()
                        if rng.random() < 0.5:
                            kills["after prepare, restarted before the commit"] += 1
                            d.start()
                        else:
                            kills["after prepare, restarted after the commit"] += 1
                            w.ordinary(m.new_ids(1))
                            w.commit(xid)
                            d.start()
                elif r < 0.5:
                    xid = rng.choice(live)
                    w.commit(xid)
                    if rng.random() < 0.3:
                        time.sleep(rng.uniform(0, 0.25))
                        kills["right after a commit"] += 1
                        d.sigkill()
                        d.start()
                elif r < 0.6:
                    w.rollback(rng.choice(live))
                elif r < 0.7:
                    n += 1
                    w.one_phase(f"x{n}", m.new_ids(rng.randint(1, 2)),
                                deletes=m.free_rows(rng, rng.randint(0, 1)))
                elif r < 0.75:
                    db.execute("FLUSH BINARY LOGS")
                elif r < 0.8 and not big_done and step > 20:
                    big_done = True
                    kills[INSIDE] += kill_inside_big_commit(d, db, w, m, "big", 50000)
                else:
                    w.ordinary(m.new_ids(rng.randint(1, 3)),
                               updates=m.free_rows(rng, rng.randint(0, 2)))
            # Whether a checkpoint inside the big transaction is seen before the daemon is past
            # it depends on the machine's speed: under load, try again with larger ones.
            for attempt, rows in enumerate((50000, 100000, 200000)):
                if kills[INSIDE]:
                    break
                kills[INSIDE] += kill_inside_big_commit(d, db, w, m, f"big-{attempt}", rows)
            left = len(m.pending)
            actual = finish(d, db)
            print(f"kills: {kills}; {len(d.runs)} daemon runs; {left} XA left prepared",
                  flush=True)
            if min(kills.values()) == 0:
                raise DaemonError(f"seed {seed} did not cover every kind of kill: {kills}")
            if broker:
                # Each change once, in commit order per partition (key = id), position headers
                # increasing: test_kafka_daemon.py's check.
                from test_kafka_daemon import verify_topic
                problems = verify_topic(kafka.bootstrap, KAFKA_TOPIC, m.expected,
                                        KAFKA_PARTITIONS)
                if problems:
                    raise DaemonError("Kafka topic after SIGKILLs:\n" + "\n".join(problems[:30]))
            else:
                check_output("daemon after SIGKILLs", m.expected, actual)
            check_decode(mysql_cdc, db, workdir, m.expected, still_prepared=left)
            for xid in list(m.pending):
                w.rollback(xid)
        finally:
            d.stop()


def case_unknown(mysql_cdc: str, workdir: Path) -> None:
    with start_mariadb("xa-unknown") as db:
        db.execute(SCHEMA_SQL)
        m = Model()
        w = Workload(db, m)
        w.prepare("early", m.new_ids(2))
        before_start = list(m.pending["early"][0])
        d = start_daemon(mysql_cdc, db, workdir / "fresh")
        try:
            w.commit("early")
            w.ordinary(m.new_ids(1))
            actual = finish(d, db)
            check_output("fresh start", [e for e in m.expected if e not in before_start], actual)
            line = d.wait_for_log(r"XA COMMIT " + xid_text("early").replace("'", ".") +
                                  r" ending at mysql-bin\.\d+:\d+: its XA PREPARE was not read;"
                                  r" it was prepared before mysql-cdc first streamed from ")
            print(f"ok: fresh start warns: {line}", flush=True)
        finally:
            d.stop()

        d = start_daemon(mysql_cdc, db, workdir / "lost")
        try:
            w.prepare("lost", m.new_ids(1))
            d.wait_caught_up(db)
            rc, _ = d.sigterm()
            if rc != 0:
                raise DaemonError(f"SIGTERM: exit {rc}\n{d.log_tail()}")
            kept = list((d.state_dir / "xa-prepared").glob("prepared@*.binlog"))
            if len(kept) != 1:
                raise DaemonError(f"expected the prepared group of 'lost' kept, found {kept}")
            # As after an upgrade from a version without XA support: a saved position, and no
            # xa-prepared/ (nor its record of the first start).
            shutil.rmtree(d.state_dir / "xa-prepared")
            w.commit("lost")
            commit_end = master_status(db)
            w.ordinary(m.new_ids(1))
            run = d.start()
            rc = run.proc.wait(timeout=60)
            err = run.stderr()
            want = (f"XA COMMIT {xid_text('lost')} ending at {commit_end[0]}:{commit_end[1]}: "
                    f"its XA PREPARE was not read")
            if rc != 1 or want not in err:
                raise DaemonError(f"expected exit 1 and an error with '{want}', got exit {rc}:"
                                  f"\n{d.log_tail()}")
            st = d.state()
            if (st["log_file"], st["log_pos"]) >= commit_end:
                raise DaemonError(f"the checkpoint {st} is past the XA COMMIT {commit_end}")
            print(f"ok: lost prepare stops the daemon (exit 1), checkpoint "
                  f"{st['log_file']}:{st['log_pos']} before the commit", flush=True)
        finally:
            d.stop()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mysql-cdc", required=True)
    ap.add_argument("--case", choices=["order", "order_compressed", "crash", "crash_kafka",
                                       "unknown"], required=True)
    ap.add_argument("--broker", help="tests/support/kafka_test_broker (crash_kafka)")
    ap.add_argument("--seed", type=int, default=1111)
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    args = ap.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix=f"mysql-cdc-xa-{args.case}-"))
    ok = False
    try:
        if args.case.startswith("order"):
            case_order(args.mysql_cdc, workdir, compress=args.case == "order_compressed")
        elif args.case.startswith("crash"):
            case_crash(args.mysql_cdc, workdir, args.seed,
                       args.broker if args.case == "crash_kafka" else None)
        else:
            case_unknown(args.mysql_cdc, workdir)
        ok = True
    finally:
        if ok and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"work directory kept: {workdir}", flush=True)
    print("PASS", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Issue 14, acceptance 5: a re-snapshot of one table on demand while the daemon streams, exact.

A throwaway MariaDB holds d.t (T, 40,000 rows), d.u (U, 5,000 rows), d.k (no key, watched, never
written) and d.other (not watched).
A writer thread (script_frame seed) commits random inserts, updates, primary-key moves, deletes
and range updates/deletes on T and U, alone or in multi-statement transactions over both, from
before the daemon starts until the end. The daemon (file sink, INITIAL_SNAPSHOT=true,
SNAPSHOT_BATCH_SIZE=20, so a re-snapshot of T is 2,000 chunks, each in a view of its own) streams
both tables, and `mysql-cdc snapshot` asks it to re-read T:

  refused     `snapshot --table d.other` (not watched) exits non-zero with one line saying so;
              a second request while one runs is refused the same way ("is running")
  wait        `snapshot --table d.t --wait` exits 0 once done, with the row count; the writer
              committed transactions meanwhile (else the test proves nothing); /metrics says
              mysql_cdc_resnapshots_total 1 and mysql_cdc_resnapshot_rows_total = that count
  sigkill     a second re-snapshot is requested and the daemon SIGKILLed during it; on restart
              it logs that the re-snapshot was interrupted and reads T again; SIGTERM during
              that one stops the daemon cleanly (exit 0), and the next start reads T again, to
              its end
  exact       the whole output, applied by key in output order (snapshot_insert/insert/update
              upsert, delete removes, a moved key removes the old one), ends with exactly T's
              and U's final content (SELECT), and replays strictly: every insert's key is absent,
              every update's and delete's before-image equals the row held (so each change of U
              and T is there exactly once, none lost or repeated), and every re-snapshot row
              equals the row held when it comes: it was read in a view at exactly that point
  chunks      each run of re-snapshot rows between two stream changes is in key order and holds
              exactly the keys the consumer holds in its key range at that point (all of T's
              rows at that view, nothing missing); a re-snapshot the log says is done covers
              T to its last key
  keyless     d.k (no key, 300 rows, no writes) re-read on request: its 300 rows, one query
  stopped     after SIGTERM the control socket is gone and `snapshot` exits non-zero with "no
              mysql-cdc daemon is running"; no error was logged

  kafka       (--sink kafka: the test broker, 6 partitions, read back with kcat) the messages,
              ordered by their position headers (file, pos, snapshot rows first, row), are in
              that order within every partition (what the sink's resume de-duplication relies
              on), no two share a position, and applied in that order pass every check above

    tests/integration/test_resnapshot.py --mysql-cdc BUILD/src/mysql-cdc [--seed N] [--keep]
        [--sink kafka --broker BUILD/tests/support/kafka_test_broker]
"""

from __future__ import annotations

import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from daemon_harness import (Daemon, DaemonError, daemon_env, logged_errors,  # noqa: E402
                            run_once, start_mariadb, stopped_cleanly)
from kafka_broker import KafkaBroker, KafkaBrokerError, consume  # noqa: E402
from mariadb_server import MariaDB, free_port  # noqa: E402
from script_frame import pick_seed, require_files, run_in_work_dir, script_arguments  # noqa: E402
from test_metrics import get, parse  # noqa: E402
from test_snapshot_consistency import (TableSpec, TestFailure, Writer, canon,  # noqa: E402
                                       load, select_rows)

ROWS_T, ROWS_U = 40_000, 5_000
TOPIC, PARTITIONS = "cdc", 6
BATCH = 20
SPECS = [
    TableSpec("d.t", [("id", "num"), ("n", "num"), ("s", "str"), ("amount", "str")], ["id"]),
    TableSpec("d.u", [("id", "num"), ("qty", "num"), ("note", "str")], ["id"]),
]
SCHEMA = f"""
CREATE DATABASE d;
CREATE TABLE d.t (id INT PRIMARY KEY, n INT NOT NULL, s VARCHAR(40) NOT NULL,
                  amount DECIMAL(10,2) NULL) DEFAULT CHARSET=utf8mb4;
CREATE TABLE d.u (id INT PRIMARY KEY, qty INT NOT NULL, note VARCHAR(20) NULL)
  DEFAULT CHARSET=utf8mb4;
CREATE TABLE d.other (id INT PRIMARY KEY, v INT);
CREATE TABLE d.k (a INT NOT NULL, b VARCHAR(10) NULL);
USE d;
INSERT INTO d.k SELECT seq % 50, IF(seq % 7 = 0, NULL, 'k') FROM seq_1_to_300;
INSERT INTO d.t SELECT seq, seq % 1000, CONCAT('r', seq), IF(seq % 5 = 0, NULL, seq / 100)
  FROM seq_1_to_{ROWS_T};
INSERT INTO d.u SELECT seq, seq % 97, IF(seq % 4 = 0, NULL, CONCAT('ü', seq)) FROM seq_1_to_{ROWS_U};
"""


class Workload:
    """Transactions over d.t and d.u (and d.other); new keys above the fill and below 0."""

    def __init__(self):
        self.hi = {"t": ROWS_T + 1, "u": ROWS_U + 1}
        self.lo = {"t": -1, "u": -1}
        self.size = {"t": ROWS_T, "u": ROWS_U}

    def _values(self, t: str, i: int, rng: random.Random) -> str:
        if t == "t":
            amount = "NULL" if rng.random() < 0.2 else f"{rng.randint(-99999, 99999) / 100:.2f}"
            return f"({i}, {rng.randint(0, 10**6)}, 'w{i}', {amount})"
        note = "NULL" if rng.random() < 0.3 else f"'wß{rng.randint(0, 999)}'"
        return f"({i}, {rng.randint(0, 96)}, {note})"

    def tx(self, rng: random.Random) -> list[str]:
        ops = []
        for _ in range(rng.randint(1, 4)):
            t = rng.choice("tu")
            x = rng.randint(1, self.size[t])
            r = rng.random()
            if r < 0.15:
                i, self.hi[t] = self.hi[t], self.hi[t] + 1
                ops.append(f"INSERT INTO d.{t} VALUES {self._values(t, i, rng)};")
            elif r < 0.22:
                ops.append(f"INSERT IGNORE INTO d.{t} VALUES {self._values(t, x, rng)};")
            elif r < 0.55:
                col = "n" if t == "t" else "qty"
                ops.append(f"UPDATE d.{t} SET {col} = {col} + 1 WHERE id = {x};")
            elif r < 0.65:
                if rng.random() < 0.5:
                    i, self.hi[t] = self.hi[t], self.hi[t] + 1
                else:
                    i, self.lo[t] = self.lo[t], self.lo[t] - 1
                ops.append(f"UPDATE d.{t} SET id = {i} WHERE id = {x};")
            elif r < 0.8:
                ops.append(f"DELETE FROM d.{t} WHERE id = {x};")
            elif r < 0.9:
                col = "n" if t == "t" else "qty"
                ops.append(f"UPDATE d.{t} SET {col} = {col} + 1 WHERE id BETWEEN {x} AND "
                           f"{x + rng.randint(5, 60)};")
            elif r < 0.95:
                ops.append(f"DELETE FROM d.{t} WHERE id BETWEEN {x} AND {x + rng.randint(2, 10)};")
            else:
                ops.append(f"REPLACE INTO d.other VALUES ({x}, {rng.randint(0, 9)});")
        return ops


class Consumer:
    """Applies the output in order, strictly (see the module docstring), and checks each run of
    re-snapshot rows against the keys held in its range."""

    def __init__(self, kafka: bool = False):
        # Kafka: a SIGKILL can lose the unsent tail of the rows in flight in some partitions and
        # not in others, so what the kill cut reaches the topic in part (each row it holds is
        # still the row at its view; the restarted daemon reads the table again). The rows in
        # flight may be several chunks, with stream changes between them (CI: 3 groups), so
        # such groups are counted, and the caller bounds the re-snapshot runs they fall in by
        # the kills: a group of a run no kill cut must be whole.
        self.kafka = kafka
        self.partial_groups = 0
        self.partial_runs: set[int] = set()   # indexes into self.runs
        self.rows: dict[str, dict[int, str]] = {s.name: {} for s in SPECS}
        self.names = {s.name: s.names() for s in SPECS}
        self.problems: list[str] = []
        self.streamed = False           # a stream change was applied (the initial snapshot ended)
        self.group: list[tuple[int, str]] = []   # the re-snapshot rows since the last change
        self.group_where = ""
        self.last_key: int | None = None          # of the re-snapshot run going on
        self.runs: list[dict] = []                # each re-snapshot run: rows, tail_empty
        self.resnapshot_rows = 0
        self.resnapshot_rows_u = 0
        self.keyless: list[str] = []              # d.k's re-snapshot rows

    def problem(self, text: str) -> None:
        if len(self.problems) < 15:
            self.problems.append(text)

    def _key(self, table: str, image: list) -> int:
        return int(image[self.names[table].index("id")]["#"])

    def _close_group(self) -> None:
        if not self.group:
            return
        rows = self.rows["d.t"]
        keys = [k for k, _ in self.group]
        if keys != sorted(set(keys)):
            self.problem(f"{self.group_where}: re-snapshot rows not in strict key order")
        new_run = self.last_key is None or keys[0] <= self.last_key
        if new_run:
            self.runs.append({"rows": 0, "tail_empty": False})
            lo = None
        else:
            lo = self.last_key
        hi = keys[-1]
        held = sorted(k for k in rows if (lo is None or k > lo) and k <= hi)
        if held != keys and self.kafka and set(keys) <= set(held):
            self.partial_groups += 1
            self.partial_runs.add(len(self.runs) - 1)
        elif held != keys:
            missing = sorted(set(held) - set(keys))[:5]
            extra = sorted(set(keys) - set(held))[:5]
            self.problem(f"{self.group_where}: {len(keys)} re-snapshot rows for keys "
                         f"({lo}, {hi}], the consumer holds {len(held)} there: missing "
                         f"{missing}, not held {extra}")
        for k, row in self.group:
            if rows.get(k) != row:
                self.problem(f"{self.group_where}: re-snapshot row of key {k} is {row[:150]}, "
                             f"the consumer holds {str(rows.get(k))[:150]}: not the row at "
                             f"this point of the stream")
                break
        for k, row in self.group:
            rows[k] = row
        run = self.runs[-1]
        run["rows"] += len(keys)
        run["tail_empty"] = not any(k > hi for k in rows)
        self.last_key = hi
        self.group = []

    def apply(self, ev: dict, where: str) -> None:
        table = f"{ev.get('schema')}.{ev.get('table')}"
        if table == "d.k":          # no key, no writes: its re-snapshot rows are counted
            if ev["kind"] == "snapshot_insert" and self.streamed:
                self.keyless.append(canon(ev["columnvalues"]))
            return
        if table not in self.rows:
            raise TestFailure(f"{where}: an event of an unwatched table {table}")
        kind = ev["kind"]
        rows = self.rows[table]
        if kind == "snapshot_insert" and self.streamed:
            if table != "d.t":
                self.resnapshot_rows_u += 1
                return
            k = self._key(table, ev["columnvalues"])
            if self.group and k <= self.group[-1][0]:
                # A re-snapshot started again (after a restart) with no change in between.
                self._close_group()
                self.last_key = None
            if not self.group:
                self.group_where = where
            self.resnapshot_rows += 1
            self.group.append((k, canon(ev["columnvalues"])))
            return
        self._close_group()
        if kind == "snapshot_insert":
            k = self._key(table, ev["columnvalues"])
            if k in rows:
                self.problem(f"{where}: initial snapshot row of {table} key {k} twice")
            rows[k] = canon(ev["columnvalues"])
            return
        if kind not in ("insert", "update", "delete"):
            raise TestFailure(f"{where}: unknown kind {kind!r}")
        self.streamed = True
        old_key = None
        if kind in ("update", "delete"):
            before = ev["oldkeys"]["keyvalues"]
            old_key = self._key(table, before)
            if rows.get(old_key) != canon(before):
                self.problem(f"{where}: {kind} of {table} key {old_key}: before-image "
                             f"{canon(before)[:150]}, the consumer holds "
                             f"{str(rows.get(old_key))[:150]}")
            if kind == "delete":
                rows.pop(old_key, None)
                return
            rows.pop(old_key, None)
        new_key = self._key(table, ev["columnvalues"])
        if new_key in rows:
            self.problem(f"{where}: {kind} of {table} writes key {new_key}, already held: "
                         f"{rows[new_key][:150]}")
        rows[new_key] = canon(ev["columnvalues"])

    def finish(self) -> None:
        self._close_group()


def snapshot_cmd(cdc: str, env: dict, work: Path, *args: str, timeout: float = 30):
    rc, out, err, secs = run_once(cdc, env, work / "cmd", ["snapshot", *args], timeout=timeout)
    return rc, out.strip(), err.strip(), secs


def kafka_events(bootstrap: str, problems: list[str]) -> list[tuple[str, dict]]:
    """The topic's messages in the order the daemon emitted them (by position headers), after
    checking that every partition holds them in that order and no position repeats."""
    messages = consume(bootstrap, TOPIC, timeout=300)
    ranked = []
    for m in messages:
        where = f"{TOPIC}[{m.partition}]@{m.offset}"
        h = m.headers
        try:
            snap = h.get("mysql-cdc.snapshot") == "true"
            rank = (int(h["mysql-cdc.file"].rsplit(".", 1)[1]), int(h["mysql-cdc.pos"]),
                    0 if snap else 1, int(h["mysql-cdc.row"]))
        except (KeyError, ValueError, IndexError):
            problems.append(f"{where}: position headers missing or bad: {h}")
            continue
        ev = load(m.value)
        if (ev.get("kind") == "snapshot_insert") != snap:
            problems.append(f"{where}: kind {ev.get('kind')} with mysql-cdc.snapshot "
                            f"{h.get('mysql-cdc.snapshot')!r}")
        ranked.append((rank, m.partition, m.offset, ev))
    by_partition: dict[int, list] = {}
    for r in ranked:
        by_partition.setdefault(r[1], []).append(r)
    for p, items in sorted(by_partition.items()):
        items.sort(key=lambda r: r[2])
        for x, y in zip(items, items[1:]):
            if y[0] <= x[0]:
                problems.append(f"{TOPIC}[{p}]: offset {y[2]} (position {y[0]}) after offset "
                                f"{x[2]} (position {x[0]}): out of order, or written twice")
                break
    ranked.sort(key=lambda r: r[0])
    for x, y in zip(ranked, ranked[1:]):
        if x[0] == y[0]:
            problems.append(f"two messages at position {x[0]}: {TOPIC}[{x[1]}]@{x[2]} and "
                            f"{TOPIC}[{y[1]}]@{y[2]}")
            break
    print(f"  {TOPIC}: {len(messages)} messages in {len(by_partition)} partitions", flush=True)
    return [(f"{TOPIC}[{p}]@{o}", ev) for _r, p, o, ev in ranked]


def scenario(work: Path, cdc: str, seed: int, broker: str | None) -> list[str]:
    problems: list[str] = []

    def check(ok: bool, what: str, detail: str = "") -> None:
        print(("ok    " if ok else "FAIL  ") + what, flush=True)
        if not ok:
            problems.append(what + (": " + detail[-2000:] if detail else ""))

    db: MariaDB = start_mariadb("resnap")
    writer = None
    kafka = None
    try:
        db.execute(SCHEMA, timeout=300)
        workload = Workload()
        writer = Writer(db, workload.tx, seed, per_batch=5, pause=0.01)
        writer.start()
        env = daemon_env(db, work, "d", "d.t,d.u,d.k", INITIAL_SNAPSHOT="true",
                         SNAPSHOT_BATCH_SIZE=str(BATCH), FLUSH_INTERVAL_MS="200",
                         METRICS_PORT=str(free_port()), METRICS_ADDRESS="127.0.0.1")
        if broker:
            kafka = KafkaBroker(broker).start()
            kafka.create_topic(TOPIC, PARTITIONS)
            env.pop("OUTPUT_FILE")
            env.update(OUTPUT_SINK="kafka", KAFKA_BROKERS=kafka.bootstrap, output=TOPIC)
        d = Daemon(cdc, env, work)
        d.start()
        d.wait_for_log(r"snapshot complete", timeout=300)

        rc, out, err, _ = snapshot_cmd(cdc, env, work, "--table", "d.other")
        check(rc not in (0, None) and "not watched" in err and "\n" not in err,
              "refused: a table not watched", f"exit {rc}, stdout {out!r}, stderr {err!r}")

        t0 = time.monotonic()
        rc, out, err, secs = snapshot_cmd(cdc, env, work, "--table", "d.t", "--wait",
                                          timeout=600)
        t1 = time.monotonic()
        check(rc == 0 and re.search(r"re-snapshot of d\.t done: \d+ rows", out) is not None,
              f"wait: the re-snapshot completed ({out!r}, {secs:.1f} s)",
              f"exit {rc}, stdout {out!r}, stderr {err!r}\n{d.log_tail()}")
        m = re.search(r"done: (\d+) rows", out)
        status, body = get(f"http://127.0.0.1:{env['METRICS_PORT']}/metrics")
        samples = parse(body) if status == 200 else {}
        t_labels = frozenset({("schema", "d"), ("table", "t")})
        got = (samples.get(("mysql_cdc_resnapshots_total", t_labels)),
               samples.get(("mysql_cdc_resnapshot_rows_total", t_labels)))
        check(m is not None and got == (1, int(m.group(1))),
              f"metrics: resnapshots_total, resnapshot_rows_total of d.t = {got}",
              f"HTTP {status}; want (1, {m.group(1) if m else '?'})")
        during = writer.committed_between(t0, t1)
        check(during > 0, f"writes: {during} transactions committed during the re-snapshot")

        # A second one, refused while the first runs, then a SIGKILL in the middle of it.
        rc, out, err, _ = snapshot_cmd(cdc, env, work, "--table", "d.t")
        check(rc == 0 and "started" in out, "a re-snapshot without --wait is accepted",
              f"exit {rc}, stdout {out!r}, stderr {err!r}")
        rc2, out2, err2, _ = snapshot_cmd(cdc, env, work, "--table", "d.u")
        check(rc2 not in (0, None) and "is running" in err2,
              "refused: a second request while one runs", f"exit {rc2}, {out2!r}, {err2!r}")
        d.wait_for_log(r"re-snapshot of d\.t: starting", timeout=60, count=2)
        time.sleep(0.3)
        done_before = len(re.findall(r"re-snapshot of d\.t: done", d.runs[-1].stderr()))
        d.sigkill()
        check(done_before == 1, "sigkill: the daemon was killed during the second re-snapshot",
              f"{done_before} 'done' lines before the kill: it finished too early")
        d.start()
        d.wait_for_log(r"re-snapshot of d\.t was interrupted", timeout=60)
        d.wait_for_log(r"re-snapshot of d\.t: starting", timeout=60)
        time.sleep(0.3)
        done_before = len(re.findall(r"re-snapshot of d\.t: done", d.runs[-1].stderr()))
        rc = stopped_cleanly(d, problems, "SIGTERM during the resumed re-snapshot")
        check(rc == 0 and done_before == 0,
              "sigterm: the daemon stopped cleanly during the resumed re-snapshot",
              f"exit {rc}, {done_before} 'done' lines before SIGTERM")
        d.start()
        d.wait_for_log(r"re-snapshot of d\.t was interrupted", timeout=60)
        d.wait_for_log(r"re-snapshot of d\.t: done", timeout=600)
        check(True, "restart: the daemon read d.t again to its end")

        rc, out, err, _ = snapshot_cmd(cdc, env, work, "--table", "d.k", "--wait", timeout=120)
        check(rc == 0 and "done: 300 rows" in out,
              "keyless: a table without a key is re-read with one query",
              f"exit {rc}, {out!r}, {err!r}")
        time.sleep(1.0)
        writer.stop()
        writer_error = writer.error
        writer = None
        check(writer_error is None, "the writer ran without error", str(writer_error))
        d.wait_caught_up(db, timeout=180)
        stopped_cleanly(d, problems)
        sock = d.state_dir / "mysql-cdc.sock"
        check(not sock.exists(), "stopped: the control socket was removed", str(sock))
        check(not (d.state_dir / "resnapshot-pending").exists(),
              "the finished re-snapshot left no pending file")
        rc, out, err, _ = snapshot_cmd(cdc, env, work, "--table", "d.t")
        check(rc not in (0, None) and "no mysql-cdc daemon is running" in err,
              "stopped: `snapshot` says no daemon runs", f"exit {rc}, {out!r}, {err!r}")

        consumer = Consumer(kafka=broker is not None)
        if kafka is not None:
            order_problems: list[str] = []
            events = kafka_events(kafka.bootstrap, order_problems)
            check(not order_problems, "kafka: every partition in position order, no position "
                  "twice", "\n".join(order_problems[:10]))
            for where, ev in events:
                consumer.apply(ev, where)
        else:
            data = d.output_file.read_bytes()
            if data and not data.endswith(b"\n"):
                raise TestFailure(f"{d.output_file} ends in a partial line")
            for n, line in enumerate(data.decode("utf-8").splitlines(), 1):
                consumer.apply(load(line), f"line {n}")
        consumer.finish()
        check(not consumer.problems, "exact: strict replay by key, re-snapshot rows equal the "
              f"rows held ({consumer.resnapshot_rows} re-snapshot rows)",
              "\n".join(consumer.problems))
        check(len(consumer.partial_runs) <= 1, "kafka: only the re-snapshot run the SIGKILL cut "
              f"reached the topic in part ({consumer.partial_groups} partial groups in runs "
              f"{sorted(consumer.partial_runs)})")
        check(consumer.resnapshot_rows_u == 0, "no re-snapshot rows of d.u",
              str(consumer.resnapshot_rows_u))
        k_rows = db.execute("SELECT a, IFNULL(b, 'NULL') FROM d.k;", database="d").split("\n")
        want_k = sorted(canon([{"#": a}, None if b == "NULL" else b])
                        for a, b in (line.split("\t") for line in k_rows if line))
        check(sorted(consumer.keyless) == want_k,
              f"keyless: its re-snapshot rows are the table's {len(want_k)} rows",
              f"{len(consumer.keyless)} rows, e.g. {consumer.keyless[:3]}")
        for spec in SPECS:
            want = select_rows(db, spec)
            have = consumer.rows[spec.name]
            have_c = {canon([{"#": str(k)}]): v for k, v in have.items()}
            diff = [k for k in set(want) | set(have_c) if want.get(k) != have_c.get(k)]
            check(not diff, f"exact: the applied output equals {spec.name} ({len(want)} rows)",
                  f"{len(diff)} keys differ, e.g. {sorted(diff)[:3]}")
        logs = d.all_logs()
        done_counts = [int(m) for m in re.findall(r"re-snapshot of d\.t: done, (\d+) rows", logs)]
        full = [r for r in consumer.runs if r["tail_empty"]]
        check(len(done_counts) >= 2 and all(any(r["rows"] == c for r in full)
                                            for c in done_counts),
              f"chunks: each completed re-snapshot {done_counts} covers d.t to its last key",
              f"runs in the output: {consumer.runs}")
        errors = logged_errors(d)
        check(not errors, "no error logged", "\n".join(errors))
    finally:
        if writer is not None:
            try:
                writer.stop()
            except TestFailure:
                pass
        if kafka is not None:
            kafka.stop()
        db.stop()
    return problems


def main() -> int:
    ap = script_arguments(__doc__, seed_help="the writer's random seed")
    ap.add_argument("--sink", choices=["file", "kafka"], default="file")
    ap.add_argument("--broker", help="the kafka_test_broker binary (--sink kafka)")
    args = ap.parse_args()
    if not require_files(mysql_cdc=args.mysql_cdc,
                         **({"broker": args.broker} if args.sink == "kafka" else {})):
        return 2
    seed = pick_seed(args.seed)
    broker = args.broker if args.sink == "kafka" else None
    return run_in_work_dir(lambda work: scenario(work, args.mysql_cdc, seed, broker),
                           "resnapshot-", args.keep, (TestFailure, DaemonError, KafkaBrokerError),
                           limit=20, indent=True)


if __name__ == "__main__":
    sys.exit(main())

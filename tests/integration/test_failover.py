#!/usr/bin/env python3
"""Failover by GTID (issue 14, acceptance 1): a primary and a GTID replica (log_slave_updates),
the daemon with MYSQL_HOST listing both, a write workload; the primary is SIGKILLed, the
replica promoted, writes go on there, the old primary comes back as a replica of the new one,
and back again: at least 5 failovers, with daemon restarts (SIGTERM and SIGKILL) between some.

--case failover (default): the output (file, or Kafka with --sink kafka) must hold every
committed change exactly once: compared with the workload's change log (each change carries a
unique value, so a multiset comparison finds any loss or repeat) and, applied by key, with the
final primary's tables. Failover time (primary's SIGKILL to the first change written on the
promoted replica in the output) is printed, with the test's own promotion time apart.

--case refuse: the replica stops replicating (STOP SLAVE) while the daemon reads more from the
primary; the primary dies and the replica is promoted: the daemon must stop with one clear line
naming the missing GTID, keep a state that covers only what it emitted, and emit nothing of the
new primary's; again after the new primary wrote past the missing sequence numbers (MariaDB
refuses the dump in strict mode: diverged). --case lagging: the replica is behind when the
primary dies; the daemon waits (retrying) and continues once it has caught up.

Usage: test_failover.py --mysql-cdc BIN [--sink file|kafka --broker BIN] [--case ...]
"""

from __future__ import annotations

import json
import random
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from daemon_harness import (Daemon, DaemonError, daemon_env, logged_errors,  # noqa: E402
                            read_events, run_once)
from replica_setup import (demote, kill_server, promote, restart_killed,  # noqa: E402
                           start_primary_and_replica, wait_replica_caught_up, primary_gtid_pos)
from script_frame import finish, pick_seed, require_files, script_arguments  # noqa: E402

TABLES = ["t1", "t2", "t3"]
SERVER_ARGS = ["--log-slave-updates=ON", "--gtid-strict-mode=ON"]
# Warnings a failover is expected to log; anything at error level is a problem.
EXPECTED_WARNINGS = re.compile(
    r"reconnecting|trying .* next|failover from|lost|Lost|ended the binlog|not yet received|"
    r"Can't connect|connect|refused|stopped on request|server shutdown|restarted|"
    r"written after the last checkpoint: the changes in them are written again")


class Workload:
    """Random inserts, updates and deletes over TABLES in small transactions, on whichever
    server is primary; every committed change is logged as (kind, table, id, v) with v unique."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.rows: dict[str, dict[int, int]] = {t: {} for t in TABLES}
        self.next_id = {t: 1 for t in TABLES}
        self.counter = 0
        self.log: list[tuple] = []

    def _v(self) -> int:
        self.counter += 1
        return self.counter

    def transaction(self, db) -> None:
        stmts, changes = [], []
        for _ in range(self.rng.randint(1, 4)):
            t = self.rng.choice(TABLES)
            live = self.rows[t]
            roll = self.rng.random()
            if roll < 0.5 or len(live) < 3:
                n = self.rng.randint(1, 3)
                values = []
                for _ in range(n):
                    i, v = self.next_id[t], self._v()
                    self.next_id[t] += 1
                    live[i] = v
                    values.append(f"({i}, {v}, 'r{v}')")
                    changes.append(("insert", t, i, v))
                stmts.append(f"INSERT INTO d.{t} (id, v, s) VALUES {', '.join(values)};")
            elif roll < 0.8:
                i, v = self.rng.choice(sorted(live)), self._v()
                live[i] = v
                stmts.append(f"UPDATE d.{t} SET v = {v}, s = 'u{v}' WHERE id = {i};")
                changes.append(("update", t, i, v))
            else:
                i = self.rng.choice(sorted(live))
                del live[i]
                stmts.append(f"DELETE FROM d.{t} WHERE id = {i};")
                changes.append(("delete", t, i, None))
        db.execute("BEGIN;" + "".join(stmts) + "COMMIT;")
        self.log.extend(changes)  # committed: the client returned without an error

    def run(self, db, count: int) -> None:
        for _ in range(count):
            self.transaction(db)

    def marker(self, db, rows: int = 1) -> int:
        """Inserts into t1 in one transaction, the last one's v returned: the output shows
        when it arrives."""
        values = []
        for _ in range(rows):
            i, v = self.next_id["t1"], self._v()
            self.next_id["t1"] += 1
            self.rows["t1"][i] = v
            values.append(f"({i}, {v}, 'm{v}')")
            self.log.append(("insert", "t1", i, v))
        db.execute(f"INSERT INTO d.t1 (id, v, s) VALUES {', '.join(values)};")
        return v


def change_of(e: dict) -> tuple:
    """An output event as (kind, table, id, v)."""
    if e["kind"] == "delete":
        names, values = e["oldkeys"]["keynames"], e["oldkeys"]["keyvalues"]
        return ("delete", e["table"], values[names.index("id")], None)
    names, values = e["columnnames"], e["columnvalues"]
    return (e["kind"], e["table"], values[names.index("id")], values[names.index("v")])


def output_events(sink: str, d: Daemon, kafka, topic: str) -> list[dict]:
    if sink == "file":
        return read_events(d.output_file)
    from kafka_broker import consume
    msgs = consume(kafka.bootstrap, topic, timeout=300)
    return [json.loads(m.value) for m in sorted(msgs, key=lambda m: (m.partition, m.offset))]


def check_exactly_once(events: list[dict], log: list[tuple], primary, problems: list[str]) -> None:
    got, want = Counter(change_of(e) for e in events), Counter(log)
    missing = want - got
    repeated = Counter({c: n - 1 for c, n in got.items() if n > 1})
    extra = got - want - repeated
    if missing:
        problems.append(f"{sum(missing.values())} committed changes missing from the output, "
                        f"e.g. {sorted(missing)[:5]}")
    if repeated:
        problems.append(f"{sum(repeated.values())} changes emitted more than once, "
                        f"e.g. {sorted(repeated)[:5]}")
    if extra:
        problems.append(f"{sum(extra.values())} changes in the output never committed, "
                        f"e.g. {sorted(extra)[:5]}")
    # Applied by key (events of one key keep their order in a file and in a partition).
    applied: dict[str, dict[int, int]] = {t: {} for t in TABLES}
    for e in events:
        kind, t, i, v = change_of(e)
        if kind == "delete":
            applied[t].pop(i, None)
        else:
            applied[t][i] = v
    for t in TABLES:
        rows = {int(i): int(v) for i, v in primary.sql(f"SELECT id, v FROM d.{t}")}
        if rows != applied[t]:
            diff = set(rows.items()) ^ set(applied[t].items())
            problems.append(f"d.{t}: the output applied by key differs from the final primary's "
                            f"table ({len(rows)} rows there) at {sorted(diff)[:6]}")
    print(f"  output: {len(events)} events for {len(log)} committed changes", flush=True)


def unexpected_log_lines(d: Daemon) -> list[str]:
    out = logged_errors(d)
    for r in d.runs:
        for line in r.stderr().splitlines():
            parts = line.split(None, 2)
            if len(parts) > 2 and parts[1] == "warning" and not EXPECTED_WARNINGS.search(parts[2]):
                out.append(f"run {r.n} warned: {line}")
    return out


def wait_for_change(d: Daemon, sink: str, v: int, timeout: float, kafka=None,
                    topic: str = "") -> float:
    """Waits until the output holds the change whose v is `v`; returns monotonic time then."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if sink == "file":
            if d.output_file.exists() and f',{v},"m{v}"]' in d.output_file.read_text():
                return time.monotonic()
        else:
            events = output_events(sink, d, kafka, topic)
            if any(e.get("columnvalues", [None, None])[1:2] == [v] for e in events):
                return time.monotonic()
        d.ensure_running()
        time.sleep(0.02 if sink == "file" else 0.5)
    raise DaemonError(f"the change with v={v} did not reach the output within {timeout:.0f} s\n"
                      f"{d.log_tail()}")


def setup(name: str):
    a, b = start_primary_and_replica(name, SERVER_ARGS, SERVER_ARGS)
    a.execute("CREATE DATABASE d;" + "".join(
        f"CREATE TABLE d.{t} (id INT PRIMARY KEY, v BIGINT NOT NULL, s VARCHAR(40));"
        for t in TABLES) + "CREATE TABLE d.warm (id INT PRIMARY KEY);")
    # Transactions the replica's binlog holds before the daemon's start (an unwatched table).
    a.execute("".join(f"INSERT INTO d.warm VALUES ({i});" for i in range(20)))
    wait_replica_caught_up(a, b)
    return a, b


def env_for(a, b, work: Path, sink: str, kafka, topic: str) -> dict[str, str]:
    env = daemon_env(a, work, database="d", tables=",".join(TABLES), FLUSH_INTERVAL_MS="100")
    env["MYSQL_HOST"] = f"{a.host}:{a.port},{b.host}:{b.port}"
    if sink == "kafka":
        # Changes reach Kafka (5 at a time) long before a checkpoint covers them: a SIGKILL
        # leaves messages past the checkpoint, replayed from the other server after a failover.
        env.update(OUTPUT_SINK="kafka", KAFKA_BROKERS=kafka.bootstrap, output=topic,
                   FLUSH_INTERVAL_MS="20000", FLUSH_MAX_CHANGES="5")
        env.pop("OUTPUT_FILE")
    return env


def case_failover(args, seed: int, work: Path, problems: list[str]) -> None:
    kafka, topic = None, "failover"
    if args.sink == "kafka":
        from kafka_broker import KafkaBroker
        kafka = KafkaBroker(args.broker).start()
    a, b = setup("failover")
    try:
        w = Workload(seed)
        d = Daemon(args.mysql_cdc, env_for(a, b, work, args.sink, kafka, topic), work)
        d.start()
        d.wait_for_log("streaming from", timeout=60)
        primary, replica = a, b
        times = []
        replay_window, across, read_from = False, None, ""
        # Daemon restarts between failovers: SIGTERM before the 2nd, SIGKILL during the
        # writes before the 3rd (down across that failover: it resumes on the new primary
        # from an older checkpoint, the Kafka de-duplication across servers), SIGKILL before
        # the 5th.
        for n in range(1, 7):
            w.run(primary, 30)
            if n == 2:
                rc, _ = d.sigterm()
                if rc != 0:
                    problems.append(f"SIGTERM before failover {n}: exit {rc}\n{d.log_tail()}")
                d.start()
            down = n == 3
            if down and args.sink == "kafka":
                # Killed while the topic holds changes its checkpoint does not cover yet.
                v = w.marker(primary, 12)  # more than FLUSH_MAX_CHANGES: sent at once
                wait_for_change(d, args.sink, v, 60, kafka, topic)
                replay_window = d.state().get("gtid_state") != primary_gtid_pos(primary)
                read_from = re.findall(r"streaming from (\S+)", d.runs[-1].stderr())[-1]
            if n in (3, 5):
                d.sigkill()
                if not down:
                    d.start()
            w.run(primary, 10)
            # Lossless with async replication: the writers pause until the replica has it all.
            wait_replica_caught_up(primary, replica)
            t_death = time.monotonic()
            kill_server(primary)
            promote(replica)
            t_promoted = time.monotonic()
            v = w.marker(replica)
            if down:
                across = d.start()
            t_seen = wait_for_change(d, args.sink, v, 120, kafka, topic)
            times.append((t_seen - t_death, t_promoted - t_death))
            print(f"  failover {n}: {primary.port} -> {replica.port}: first change from the new "
                  f"primary in the output {t_seen - t_death:.2f} s after the SIGKILL (promotion "
                  f"took {t_promoted - t_death:.2f} s of it)", flush=True)
            w.run(replica, 10)
            restart_killed(primary)
            demote(primary, replica)
            primary, replica = replica, primary
        w.run(primary, 20)
        wait_replica_caught_up(primary, replica)
        v = w.marker(primary)
        wait_for_change(d, args.sink, v, 120, kafka, topic)
        rc, _ = d.sigterm(timeout=30)
        if rc != 0:
            problems.append(f"SIGTERM at the end: exit {rc}\n{d.log_tail()}")
        if args.sink == "kafka":
            # The run started after failover 3 resumed on the other server from a checkpoint
            # behind the topic: it must have recognised the replayed changes by GTID.
            text = across.stderr()
            resumed_on = re.findall(r"streaming from (\S+)", text)[0]
            crossed = resumed_on != read_from
            dropped = "dropping replayed changes already written" in text
            print(f"  Kafka: restart across the failover: replay window {replay_window}, "
                  f"read from {read_from} before, resumed on {resumed_on}, replayed changes "
                  f"dropped {dropped}")
            if replay_window and not (crossed and dropped):
                problems.append("the restart across failover 3 did not drop the replayed "
                                f"changes by GTID:\n{text[-3000:]}")
        # `check` goes through every host of the list and the state against the first.
        rc, out, err, _ = run_once(args.mysql_cdc, d.env, work, ["check"], timeout=120)
        hosts = [f"{db.host}:{db.port}" for db in (a, b)]
        if rc != 0 or any(f"ok    connection {h}:" not in out for h in hosts) or \
                not re.search(r"^ok    saved (position|GTID state)", out, re.M):
            problems.append(f"`check` with both hosts: exit {rc}\n{out}{err}")
        logs = d.all_logs()
        if len(re.findall(r"failover from", logs)) < 5:
            problems.append(f"fewer than 5 'failover from' lines in the logs")
        check_exactly_once(output_events(args.sink, d, kafka, topic), w.log, primary, problems)
        problems.extend(unexpected_log_lines(d))
        if times:
            total = sorted(t for t, _ in times)
            print(f"  failover time (SIGKILL of the primary to the first change from the "
                  f"promoted replica): median {total[len(total) // 2]:.2f} s, max "
                  f"{total[-1]:.2f} s over {len(total)} failovers; the test's promotion "
                  f"{max(p for _, p in times):.2f} s at most", flush=True)
    finally:
        b.stop()
        a.stop()
        if kafka is not None:
            kafka.stop()


def case_refuse(args, seed: int, work: Path, problems: list[str]) -> None:
    a, b = setup("refuse")
    try:
        w = Workload(seed)
        d = Daemon(args.mysql_cdc, env_for(a, b, work, "file", None, ""), work)
        d.start()
        d.wait_for_log("streaming from", timeout=60)
        b.execute("STOP SLAVE;")
        w.run(a, 10)
        v = w.marker(a)
        wait_for_change(d, "file", v, 60)
        d.wait_caught_up(a, timeout=60)
        emitted = len(read_events(d.output_file))
        saved = d.state()
        a_pos = primary_gtid_pos(a)
        missing_seq = int(a_pos.split("-")[-1])
        kill_server(a)
        promote(b)
        b_pos = primary_gtid_pos(b)
        w2 = Workload(seed + 1)
        w2.counter = 10**6  # values the first workload never wrote
        w2.next_id = {t: 10**6 for t in TABLES}
        w2.run(b, 2)
        # The daemon lost its primary; the promoted replica lacks the last transactions.
        deadline = time.monotonic() + 60
        while d.running() and time.monotonic() < deadline:
            time.sleep(0.1)
        rc = d.exit_code()
        text = d.runs[-1].stderr()
        if rc in (0, None):
            problems.append(f"the daemon did not stop on a promoted replica missing "
                            f"transactions (exit {rc}):\n{d.log_tail()}")
            d.sigkill()
        elif f"0-1-{missing_seq}" not in text or "lacks transactions" not in text:
            problems.append(f"the refusal does not name the missing GTID 0-1-{missing_seq} "
                            f"(replica had {b_pos}):\n{d.log_tail()}")
        else:
            print(f"  refused (exit {rc}): "
                  f"{[l for l in text.splitlines() if 'lacks transactions' in l][0][:300]}")
        # Diverged: the new primary's sequence numbers pass the missing ones.
        w2.run(b, 30)
        d.start()
        deadline = time.monotonic() + 60
        while d.running() and time.monotonic() < deadline:
            time.sleep(0.1)
        text = d.runs[-1].stderr()
        if d.exit_code() in (0, None):
            problems.append(f"the daemon did not stop on a diverged server:\n{d.log_tail()}")
            d.sigkill()
        elif "refused to stream after the saved GTID state" not in text and \
                "lacks transactions" not in text:
            problems.append(f"the diverged refusal is not the expected line:\n{d.log_tail()}")
        else:
            print(f"  diverged refused (exit {d.exit_code()}): "
                  f"{[l for l in text.splitlines() if ' error ' in l or 'critical' in l][:1]}")
        after = d.state()
        for field in ("log_file", "log_pos", "gtid_state", "server_id"):
            if after.get(field) != saved.get(field):
                problems.append(f"the state moved after the refusal: {field} "
                                f"{saved.get(field)!r} -> {after.get(field)!r}")
        events = read_events(d.output_file)
        if len(events) != emitted or any(change_of(e)[3] and change_of(e)[3] >= 10**6
                                         for e in events):
            problems.append(f"the output changed after the refusal: {emitted} events before, "
                            f"{len(events)} now")
    finally:
        b.stop()
        a.stop()


def case_lagging(args, seed: int, work: Path, problems: list[str]) -> None:
    a, b = setup("lagging")
    try:
        w = Workload(seed)
        d = Daemon(args.mysql_cdc, env_for(a, b, work, "file", None, ""), work)
        d.start()
        d.wait_for_log("streaming from", timeout=60)
        b.execute("STOP SLAVE SQL_THREAD;")  # receives, does not apply: behind
        w.run(a, 15)
        v = w.marker(a)
        wait_for_change(d, "file", v, 60)
        d.wait_caught_up(a, timeout=60)
        # The primary stops cleanly (its binlog stays for the replica to fetch later); the
        # replica has everything in its relay log but not yet in its binlog.
        a_pos = primary_gtid_pos(a)
        a.proc.terminate()
        a.proc.wait(timeout=60)
        d.wait_for_log("not yet received every transaction", timeout=60)
        if not d.running():
            problems.append(f"the daemon stopped on a lagging replica:\n{d.log_tail()}")
            return
        b.execute("START SLAVE SQL_THREAD;")
        deadline = time.monotonic() + 60
        while primary_gtid_pos(b) != a_pos and time.monotonic() < deadline:
            time.sleep(0.1)
        # Once the relay log is applied, the replica holds the saved state: promote, write.
        promote(b)
        v = w.marker(b)
        wait_for_change(d, "file", v, 120)
        rc, _ = d.sigterm(timeout=30)
        if rc != 0:
            problems.append(f"SIGTERM: exit {rc}\n{d.log_tail()}")
        check_exactly_once(read_events(d.output_file), w.log, b, problems)
        problems.extend(logged_errors(d))
    finally:
        b.stop()
        if a.proc is not None:
            a.stop()


def main() -> int:
    ap = script_arguments(__doc__, seed_help="the workload's random seed")
    ap.add_argument("--sink", choices=["file", "kafka"], default="file")
    ap.add_argument("--broker", help="the test Kafka broker (with --sink kafka)")
    ap.add_argument("--case", choices=["failover", "refuse", "lagging"], default="failover")
    args = ap.parse_args()
    if not require_files(mysql_cdc=args.mysql_cdc):
        return 2
    if args.sink == "kafka" and not require_files(broker=args.broker):
        return 2
    seed = pick_seed(args.seed)
    work, t0 = Path(tempfile.mkdtemp(prefix=f"failover-{args.case}-")), time.monotonic()
    problems: list[str] = []
    try:
        {"failover": case_failover, "refuse": case_refuse, "lagging": case_lagging}[args.case](
            args, seed, work, problems)
    except (DaemonError, AssertionError) as e:
        problems.append(str(e))
    return finish(problems, work, args.keep, t0, f" ({args.case}, {args.sink}) with seed {seed}")


if __name__ == "__main__":
    sys.exit(main())

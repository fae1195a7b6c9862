#!/usr/bin/env python3
"""Issue 4: KafkaSink against the test broker (librdkafka's mock cluster), read back with kcat.

tests/support/kafka_sink_driver writes JSON-lines records through KafkaSink (recover, write,
flush), so these cases test the sink alone, without MariaDB. The records model a binlog:
transactions of 1-40 changes on two tables, keys from a small space (many changes per key), a
file rollover from mysql-bin.999999 to mysql-bin.1000000 (text order would get it backwards).
Every case checks, with kcat as the independent consumer: every record exactly once, in the
partition our murmur2 of its key gives (computed here in Python, independently), per-key order
equal to record order, and the position headers (file, pos, row, gtid).

  basic    one run, topic template cdc.{schema}.{table}: two topics auto-created by the broker
  dedupe   two runs over overlapping input: the second drops exactly the overlap
  crash    the driver SIGKILLed at random moments 10 times, each restart replaying from its last
           flushed checkpoint (as the daemon does): still exactly once
  outage   the broker down for 12 s mid-run with a small producer queue: the driver stops
           reading its input (back-pressure), its memory stays bounded, it logs that it waits,
           and resumes on its own when the broker is back: exactly once
  errors   unreachable brokers (bounded wait), a topic that does not exist and cannot be
           created, an authentication failure, a setting that would weaken exactly-once: each a
           clear message and exit status 1; the SASL password is never printed
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from kafka_broker import KafkaBroker, consume  # noqa: E402

TEMPLATE = "cdc.{schema}.{table}"
TABLES = [("d", "orders"), ("d", "items")]
M32 = 0xFFFFFFFF


class TestFailure(AssertionError):
    pass


def murmur2(data: bytes) -> int:
    """Kafka's murmur2 (unsigned 32-bit), written from the algorithm, for an independent check."""
    m = 0x5BD1E995
    h = (0x9747B28C ^ len(data)) & M32
    n4 = len(data) // 4
    for i in range(n4):
        k = int.from_bytes(data[4 * i:4 * i + 4], "little")
        k = (k * m) & M32
        k ^= k >> 24
        k = (k * m) & M32
        h = ((h * m) & M32) ^ k
    tail = data[4 * n4:]
    if len(tail) >= 3:
        h ^= tail[2] << 16
    if len(tail) >= 2:
        h ^= tail[1] << 8
    if len(tail) >= 1:
        h ^= tail[0]
        h = (h * m) & M32
    h ^= h >> 13
    h = (h * m) & M32
    h ^= h >> 15
    return h


def partition_of(key: str, partitions: int) -> int:
    return (murmur2(key.encode()) & 0x7FFFFFFF) % partitions


def make_records(count: int, seed: int = 7) -> list[dict]:
    """A modelled binlog: transactions of several changes, a file rollover past 999999."""
    rng = random.Random(seed)
    records, files = [], ["mysql-bin.999998", "mysql-bin.999999", "mysql-bin.1000000"]
    file_i, pos, trx = 0, 4, 0
    while len(records) < count:
        size = rng.randint(1, 40)
        for row in range(size):
            schema, table = TABLES[rng.randrange(2)]
            key = json.dumps([rng.randrange(200), "k"])
            n = len(records)
            value = json.dumps({"kind": "update", "schema": schema, "table": table,
                                "columnnames": ["id", "n", "pad"],
                                "columnvalues": [key, n, "x" * rng.randint(100, 400)]})
            records.append({"schema": schema, "table": table, "file": files[file_i], "pos": pos,
                            "row": row, "key": key, "value": value, "gtid": f"0-1-{trx}", "n": n})
        trx += 1
        pos += rng.randint(200, 5000)
        if trx % 150 == 0 and file_i + 1 < len(files):
            file_i, pos = file_i + 1, 4
    return records[:count]


def topic_of(r: dict) -> str:
    return TEMPLATE.format(schema=r["schema"], table=r["table"])


class Driver:
    """kafka_sink_driver as a subprocess fed from a thread (so back-pressure blocks the thread)."""

    def __init__(self, args, bootstrap: str, extra: list[str] = (), log: Path | None = None):
        self.log = open(log or os.devnull, "ab")
        tables = ",".join(f"{s}.{t}" for s, t in TABLES)
        self.proc = subprocess.Popen(
            [args.driver, "--brokers", bootstrap, "--topic-template", TEMPLATE, "--tables",
             tables, *extra], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log,
            text=True, bufsize=1)
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.feeder: threading.Thread | None = None

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line.strip())

    def feed(self, records: list[dict], flush_every: int = 0, pace: float = 0.0):
        def run():
            try:
                for i, r in enumerate(records):
                    self.proc.stdin.write(json.dumps(r) + "\n")
                    if flush_every and (i + 1) % flush_every == 0:
                        self.proc.stdin.write("flush\n")
                        if pace:
                            time.sleep(pace)
                self.proc.stdin.close()
            except (BrokenPipeError, ValueError, OSError):
                pass  # killed
        self.feeder = threading.Thread(target=run, daemon=True)
        self.feeder.start()

    def wait(self, timeout: float = 120) -> int:
        rc = self.proc.wait(timeout=timeout)
        self.reader.join(timeout=10)
        self.log.close()
        return rc

    def last_checkpoint(self) -> str | None:
        """The checkpoint of the last completed flush (or the final one), as F:P:R."""
        for line in reversed(self.lines):
            if "checkpoint=" in line:
                cp = line.split("checkpoint=")[1]
                return None if cp == "none" else cp
        return None


def index_after(records: list[dict], checkpoint: str | None) -> int:
    if checkpoint is None:
        return 0
    for i, r in enumerate(records):
        if f"{r['file']}:{r['pos']}:{r['row']}" == checkpoint:
            return i + 1
    raise TestFailure(f"checkpoint {checkpoint} is not a record")


def verify(bootstrap: str, records: list[dict], partitions: dict[str, int]) -> None:
    by_n = {r["n"]: r for r in records}
    seen: dict[int, int] = {}
    problems = []
    for topic in sorted({topic_of(r) for r in records}):
        last_per_key: dict[str, int] = {}
        messages = consume(bootstrap, topic)
        for m in sorted(messages, key=lambda m: (m.partition, m.offset)):
            n = json.loads(m.value)["columnvalues"][1]
            seen[n] = seen.get(n, 0) + 1
            r = by_n.get(n)
            if r is None or topic_of(r) != topic or m.key != r["key"]:
                problems.append(f"{topic} offset {m.offset}: unexpected message {m.key} {n}")
                continue
            want_p = partition_of(r["key"], partitions[topic])
            if m.partition != want_p:
                problems.append(f"record {n} in partition {m.partition}, murmur2 says {want_p}")
            want_h = {"mysql-cdc.file": r["file"], "mysql-cdc.pos": str(r["pos"]),
                      "mysql-cdc.row": str(r["row"]), "mysql-cdc.gtid": r["gtid"]}
            if m.headers != want_h:
                problems.append(f"record {n}: headers {m.headers}, want {want_h}")
            if last_per_key.get(r["key"], -1) > n:
                problems.append(f"key {r['key']}: record {n} after {last_per_key[r['key']]}")
            last_per_key[r["key"]] = n
    missing = [n for n in by_n if n not in seen]
    repeated = [n for n, c in seen.items() if c > 1]
    if missing:
        problems.append(f"{len(missing)} records missing, first {missing[:10]}")
    if repeated:
        problems.append(f"{len(repeated)} records repeated, first {repeated[:10]}")
    if problems:
        raise TestFailure("\n".join(problems[:30]))
    print(f"  verified: {len(records)} records exactly once, partitions, per-key order, headers")


def run_driver(args, bootstrap, records, extra=(), flush_every=500, log=None) -> Driver:
    d = Driver(args, bootstrap, extra, log)
    d.feed(records, flush_every)
    rc = d.wait()
    if rc != 0:
        raise TestFailure(f"driver exited {rc}; log {log}")
    return d


def case_basic(args, kafka: KafkaBroker, work: Path) -> None:
    records = make_records(5000)
    d = run_driver(args, kafka.bootstrap, records, log=work / "basic.log")
    print("  " + d.lines[-1])
    # The mock broker auto-creates topics with 4 partitions.
    verify(kafka.bootstrap, records, {topic_of(r): 4 for r in records})


def case_dedupe(args, kafka: KafkaBroker, work: Path) -> None:
    records = make_records(6000)
    for s, t in TABLES:
        kafka.create_topic(TEMPLATE.format(schema=s, table=t), 6)
    run_driver(args, kafka.bootstrap, records[:4000], log=work / "dedupe1.log")
    d = run_driver(args, kafka.bootstrap, records[2500:], log=work / "dedupe2.log")
    print("  second run: " + d.lines[-1])
    if "dropped=1500 " not in d.lines[-1] or "produced=2000 " not in d.lines[-1]:
        raise TestFailure(f"expected 1500 dropped and 2000 produced: {d.lines[-1]}")
    verify(kafka.bootstrap, records, {topic_of(r): 6 for r in records})


def case_crash(args, kafka: KafkaBroker, work: Path) -> None:
    records = make_records(30000)
    for s, t in TABLES:
        kafka.create_topic(TEMPLATE.format(schema=s, table=t), 6)
    rng = random.Random(11)
    start, kills, runs, dropped = 0, 0, 0, 0
    while True:
        runs += 1
        d = Driver(args, kafka.bootstrap, [], work / f"crash{runs}.log")
        d.feed(records[start:], flush_every=300, pace=0.01)
        if kills < 10:
            deadline = time.time() + 30
            while "ready" not in d.lines and time.time() < deadline and d.proc.poll() is None:
                time.sleep(0.01)
            time.sleep(rng.uniform(0.05, 1.0))
            d.proc.kill()
            kills += 1
        rc = d.wait()
        dropped += sum(int(x.split("dropped=")[1].split()[0]) for x in d.lines[-1:]
                       if "dropped=" in x)
        cp = d.last_checkpoint()
        if cp is not None:
            start = index_after(records, cp)
        print(f"    run {runs}: exit {rc}, checkpoint {cp}, next record {start}", flush=True)
        if kills >= 10 and rc == 0 and start == len(records):
            break
        if rc not in (0, -9):
            raise TestFailure(f"driver exited {rc}, see {work}/crash{runs}.log")
        if runs > 40:
            raise TestFailure("did not finish")
    print(f"  {kills} SIGKILLs, {runs} runs, {dropped} replayed records dropped as already "
          "written (counted up to each run's last flush)")
    verify(kafka.bootstrap, records, {topic_of(r): 6 for r in records})


def proc_number(pid: int, file: str, field: str) -> int:
    """The number on the "<field>:" line of /proc/<pid>/<file>; 0 once the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/{file}").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_kb(pid: int) -> int:
    return proc_number(pid, "status", "VmRSS")


def stdin_bytes_read(pid: int) -> int:
    return proc_number(pid, "io", "rchar")


def case_outage(args, kafka: KafkaBroker, work: Path) -> None:
    records = make_records(40000)
    for s, t in TABLES:
        kafka.create_topic(TEMPLATE.format(schema=s, table=t), 6)
    props = work / "small-queue.properties"
    # A small queue so it fills within the outage; the memory bound under test.
    props.write_text("queue.buffering.max.messages=2000\nqueue.buffering.max.kbytes=2048\n")
    log = work / "outage.log"
    d = Driver(args, kafka.bootstrap, ["--config-file", str(props)], log)
    d.feed(records, flush_every=1000, pace=0.02)
    time.sleep(1.5)
    kafka.down()
    down_at = time.time()
    time.sleep(3)  # the queue fills, write() blocks
    read_before, peak_rss = stdin_bytes_read(d.proc.pid), 0
    while time.time() - down_at < 12:
        peak_rss = max(peak_rss, rss_kb(d.proc.pid))
        time.sleep(0.2)
    read_during = stdin_bytes_read(d.proc.pid) - read_before
    kafka.up()
    print(f"  broker down 12 s: driver read {read_during} bytes of input in the last 9 s, "
          f"peak RSS {peak_rss // 1024} MB")
    if d.proc.poll() is not None:
        raise TestFailure(f"the driver exited during the outage: {d.proc.returncode}")
    # rchar also counts socket reads, which fail while the broker is down: a few KB at most.
    if read_during > 256 * 1024:
        raise TestFailure(f"no back-pressure: the driver read {read_during} bytes while blocked")
    if peak_rss > 200 * 1024:
        raise TestFailure(f"memory not bounded: peak RSS {peak_rss} kB")
    rc = d.wait(timeout=300)
    if rc != 0:
        raise TestFailure(f"driver exited {rc} after the outage; see {log}")
    text = log.read_text(errors="replace")
    if "holding back the binlog reader" not in text and "waiting for" not in text:
        raise TestFailure(f"no 'waiting' log line during the outage; see {log}")
    print("  " + d.lines[-1])
    verify(kafka.bootstrap, records, {topic_of(r): 6 for r in records})


def expect_error(args, bootstrap: str, topic: str, props: str, work: Path, name: str,
                 wants: list[str], max_seconds: float) -> None:
    path = work / f"{name}.properties"
    path.write_text(props)
    t0 = time.time()
    out = subprocess.run([args.driver, "--brokers", bootstrap, "--topic", topic, "--tables",
                          "d.orders", "--config-file", str(path)], input="", capture_output=True,
                         text=True, timeout=120)
    took = time.time() - t0
    last = (out.stderr.strip().splitlines() or [""])[-1]
    print(f"  {name}: exit {out.returncode} after {took:.1f} s: {last[:300]}")
    if out.returncode != 1 or not last.startswith("error: "):
        raise TestFailure(f"{name}: expected exit 1 and an error line, got {out.returncode}")
    for want in wants:
        if want not in last:
            raise TestFailure(f"{name}: {want!r} not in the message")
    if "hunter2" in out.stderr + out.stdout:
        raise TestFailure(f"{name}: the password was printed")
    if took > max_seconds:
        raise TestFailure(f"{name}: took {took:.1f} s")


def case_errors(args, kafka: KafkaBroker, work: Path) -> None:
    short = "mysql-cdc.connect.timeout.ms=3000\n"
    expect_error(args, "127.0.0.1:1", "t", short, work, "unreachable",
                 ["cannot reach the Kafka brokers 127.0.0.1:1 within 3 s"], 10)
    kafka.set_topic_error("gone", "UNKNOWN_TOPIC_OR_PART")
    expect_error(args, kafka.bootstrap, "gone", short, work, "missing-topic",
                 ["Kafka topic gone does not exist and could not be created"], 20)
    sasl = short + ("security.protocol=SASL_PLAINTEXT\nsasl.mechanisms=PLAIN\n"
                    "sasl.username=cdc\nsasl.password=hunter2\n")
    expect_error(args, kafka.bootstrap, "t", sasl, work, "authentication",
                 ["Kafka authentication failed at " + kafka.bootstrap], 10)
    expect_error(args, kafka.bootstrap, "t", "acks=1\n", work, "weakened",
                 ["acks may not be changed", "acks=all"], 5)


CASES = {"basic": case_basic, "dedupe": case_dedupe, "crash": case_crash,
         "outage": case_outage, "errors": case_errors}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--broker", required=True, help="the kafka_test_broker binary")
    ap.add_argument("--driver", required=True, help="the kafka_sink_driver binary")
    ap.add_argument("--case", action="append", choices=sorted(CASES),
                    help="run only these cases (default: all)")
    ap.add_argument("--keep", action="store_true", help="keep the work directory (logs)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mysql-cdc-kafka-"))
    failed = []
    for name in args.case or list(CASES):
        print(f"case {name}", flush=True)
        # A fresh broker per case: topics and messages start empty.
        with KafkaBroker(args.broker) as kafka:
            try:
                CASES[name](args, kafka, work)
            except (TestFailure, subprocess.TimeoutExpired) as e:
                print(f"  FAILED: {e}", flush=True)
                failed.append(name)
    print(f"logs in {work}" if args.keep or failed else "", flush=True)
    if not (args.keep or failed):
        import shutil
        shutil.rmtree(work, ignore_errors=True)
    print("FAILED: " + ", ".join(failed) if failed else "all cases passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

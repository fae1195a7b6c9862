#!/usr/bin/env python3
"""Issue 15: a topic written by a version with the old position headers resumes exactly once.

Versions before the packed header mysql-cdc.position wrote one header per field
(mysql-cdc.file/pos/row/server-id/gtid/commit-ms). The resume scan must still read them: after an
upgrade the new daemon replays from its checkpoint and drops what the old one already wrote.

  1. A real MariaDB; table d.t; a seed-format state file at the binlog's start; 12
     transactions of inserts, updates and deletes (some of several rows, so a cut can fall
     inside one).
  2. Reference: the daemon streams all of it into topic `probe` (3 partitions) and stops.
  3. The old version's topic: the messages of the first 60% of the changes (by position, each
     partition's prefix), produced into topic `cdc` (3 partitions, same partitions, keys and
     values) by kcat with the OLD headers, as if the old daemon crashed after the broker's
     acknowledgement but before its checkpoint moved.
  4. The daemon (this version) starts on `cdc` from the same state file (the binlog's start),
     catches up, stops. Both runs use KAFKA_MESSAGE_KEY=bare_primary_key, the old version's keys,
     as a state file of that version requires.
  Then each partition of `cdc` must hold exactly the messages of the same partition of
  `probe`, in order (no change twice, none missing); the copied prefix keeps its old headers
  and the rest carries mysql-cdc.position; the log says replays were dropped. A resume scan that
  did not read the old headers would write the prefix again (duplicates); one that misread
  them would skip or repeat changes at the cut.

    tests/integration/test_kafka_sink_upgrade.py --mysql-cdc BUILD/src/mysql-cdc \\
        --broker BUILD/tests/support/kafka_test_broker
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from daemon_harness import (Daemon, daemon_env, master_status, start_mariadb,  # noqa: E402
                            write_seed_state)
from kafka_broker import KafkaBroker, Message, consume  # noqa: E402

PARTITIONS = 3
RAW_HEADERS_FMT = "%p\x1f%o\x1f%h\x1e"


def env_for(db, work: Path, bootstrap: str, topic: str) -> dict[str, str]:
    # The keys of the versions that wrote the old headers (the row's key alone): a state file
    # of such a version resumes with those keys (docs/STATE.md), as an upgrade does.
    env = daemon_env(db, work, database="d", tables="t", OUTPUT_SINK="kafka",
                     KAFKA_BROKERS=bootstrap, output=topic, KAFKA_MESSAGE_KEY="bare_primary_key")
    env.pop("OUTPUT_FILE")
    return env


def run_to_end(mysql_cdc: str, db, work: Path, bootstrap: str, topic: str,
               problems: list[str]) -> str:
    d = Daemon(mysql_cdc, env_for(db, work, bootstrap, topic), work)
    d.start()
    d.wait_caught_up(db)
    rc, _ = d.sigterm()
    if rc != 0:
        problems.append(f"daemon on {topic}: SIGTERM exit {rc}\n{d.log_tail()}")
    return d.all_logs()


def order(m: Message) -> tuple[int, int, int]:
    h = m.headers
    return int(h["mysql-cdc.file"].rsplit(".", 1)[1]), int(h["mysql-cdc.pos"]), \
        int(h["mysql-cdc.row"])


def raw_header_names(bootstrap: str, topic: str) -> dict[tuple[int, int], list[str]]:
    """(partition, offset) -> the header names as written (not unpacked)."""
    out = subprocess.run(["kcat", "-b", bootstrap, "-C", "-t", topic, "-e", "-q", "-o",
                          "beginning", "-f", RAW_HEADERS_FMT], capture_output=True, text=True,
                         timeout=60, check=True)
    names = {}
    for record in out.stdout.split("\x1e"):
        if record.strip("\n"):
            p, o, h = record.lstrip("\n").split("\x1f")
            names[(int(p), int(o))] = [x.split("=", 1)[0] for x in h.split(",") if x]
    return names


def produce_old(bootstrap: str, topic: str, m: Message) -> None:
    """One message as the previous version wrote it: its old headers, by kcat."""
    h = m.headers
    old = [("mysql-cdc.file", h["mysql-cdc.file"]), ("mysql-cdc.pos", h["mysql-cdc.pos"]),
           ("mysql-cdc.row", h["mysql-cdc.row"])]
    for name in ("mysql-cdc.server-id", "mysql-cdc.gtid"):
        if name in h:
            old.append((name, h[name]))
    old.append(("mysql-cdc.commit-ms", "1764861000000"))
    args = ["kcat", "-b", bootstrap, "-P", "-t", topic, "-p", str(m.partition), "-k", m.key]
    for name, value in old:
        args += ["-H", f"{name}={value}"]
    subprocess.run(args, input=m.value + "\n", text=True, check=True, timeout=60)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mysql-cdc", required=True)
    ap.add_argument("--broker", required=True)
    args = ap.parse_args()
    problems: list[str] = []
    with start_mariadb("kafka-upgrade") as db, KafkaBroker(args.broker) as kafka, \
            tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db.execute("CREATE DATABASE d; CREATE TABLE d.t (id INT PRIMARY KEY, v VARCHAR(20));")
        start_file, start_pos = master_status(db)
        sql = []
        for i in range(12):
            base = i * 10
            sql.append("BEGIN;" + "".join(f"INSERT INTO d.t VALUES ({base + k}, 'v{k}');"
                                          for k in range(i % 4 + 1)) + "COMMIT;")
            if i % 3 == 2:
                sql.append(f"UPDATE d.t SET v = CONCAT(v, '+') WHERE id < {base};")
            if i % 5 == 4:
                sql.append(f"DELETE FROM d.t WHERE id = {base - 10};")
        db.execute("\n".join(sql))
        for topic in ("probe", "cdc"):
            kafka.create_topic(topic, PARTITIONS)

        seed = work / "seed" / "binlog_position_d_t.json"
        write_seed_state(seed, start_file, start_pos)
        probe_work, cdc_work = work / "probe", work / "cdc"
        for w in (probe_work, cdc_work):
            (w / "state").mkdir(parents=True)
            shutil.copy(seed, w / "state" / seed.name)

        run_to_end(args.mysql_cdc, db, probe_work, kafka.bootstrap, "probe", problems)
        probe = consume(kafka.bootstrap, "probe")
        if len(probe) < 30:
            problems.append(f"the reference run wrote {len(probe)} messages, expected 30 or more")
        ranked = sorted(order(m) for m in probe)
        cut = ranked[len(ranked) * 6 // 10] if ranked else (0, 0, 0)
        old = [m for m in sorted(probe, key=lambda m: (m.partition, m.offset)) if order(m) <= cut]
        for m in old:
            produce_old(kafka.bootstrap, "cdc", m)
        print(f"  {len(probe)} changes in the reference; the first {len(old)} (to "
              f"{cut}) written to cdc with the old headers", flush=True)

        logs = run_to_end(args.mysql_cdc, db, cdc_work, kafka.bootstrap, "cdc", problems)
        if "dropping replayed changes" not in logs:
            problems.append("the resumed daemon did not log dropping replayed changes")
        got = consume(kafka.bootstrap, "cdc")
        names = raw_header_names(kafka.bootstrap, "cdc")
        for p in range(PARTITIONS):
            want = [(m.key, m.value) for m in probe if m.partition == p]
            have = [(m.key, m.value) for m in got if m.partition == p]
            if have != want:
                problems.append(f"partition {p}: {len(have)} messages, want {len(want)} as in "
                                f"the reference; first difference at "
                                f"{next((i for i, (a, b) in enumerate(zip(have, want)) if a != b), min(len(have), len(want)))}")
        n_old = sum(1 for m in old)
        for m in got:
            written = names.get((m.partition, m.offset), [])
            is_old = "mysql-cdc.commit-ms" in written
            if is_old != (order(m) <= cut):
                problems.append(f"cdc[{m.partition}]@{m.offset} at {order(m)} has headers "
                                f"{written} (cut {cut})")
            if not is_old and written != ["mysql-cdc.position"]:
                problems.append(f"cdc[{m.partition}]@{m.offset}: headers {written}, want only "
                                f"mysql-cdc.position")
        if not problems:
            print(f"  cdc holds every change once in each partition's order: {n_old} with the "
                  f"old headers, {len(got) - n_old} written after the upgrade with "
                  f"mysql-cdc.position", flush=True)

    for p in problems[:30]:
        print("FAILED: " + p)
    print("all checks passed" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

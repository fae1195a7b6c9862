#!/usr/bin/env python3
"""Issue 5, acceptance 4: the initial snapshot read from a GTID replica (MYSQL_SNAPSHOT_HOST).

Two throwaway MariaDB servers (replica_setup.py): a primary and a replica of it (server_id 2,
MASTER_USE_GTID=slave_pos). On the primary: d.a (40,000 rows, INT key), d.comp (60,000 rows,
composite primary key INT + VARCHAR + DATE) and d.nopk (30,000 rows, no primary key, every row
present three times). They replicate; the daemon runs with MYSQL_HOST = the primary and
MYSQL_SNAPSHOT_HOST = "127.0.0.1:<replica port>", INITIAL_SNAPSHOT=true and a small
SNAPSHOT_BATCH_SIZE, while a writer commits to the primary (inserts, updates, primary-key changes
of the composite key, deletes, multi-row statements, transactions over the three tables; on
d.nopk updates and deletes of one of several identical rows). Then the writer stops, the replica
and the daemon catch up, and:

  replica    the snapshot's queries ran on the replica: its Handler_read_next (index range
             reads) grew by nearly the keyed tables' rows, the primary's by a tenth of that at
             most (the chunk queries, prepared statements reading several chunks each, are too
             few to tell apart by Com_select); the state's
             snapshot.consistency is "exact" (the replica's GTID position mapped to the primary)
  by key     the consumer (snapshot_insert / insert / update = upsert by primary key, delete =
             delete by key; d.nopk as a multiset of whole rows, all columns being its key) applied
             to the output equals the primary's final content of all three tables, value for value
  exact      as the state says "exact": the output replays strictly (no insert of a held key,
             every before-image equals the held row; for d.nopk every update or delete finds its
             row), see test_snapshot_consistency.py
  shape      snapshot rows first, tables in MYSQL_TABLE order, d.a in key order, the state's row
             counts; the log says d.nopk is read with one streaming query

    tests/integration/test_snapshot_replica.py --mysql-cdc BUILD/src/mysql-cdc [--seed N]
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from daemon_harness import (Daemon, DaemonError, catch_up_and_stop, daemon_env,  # noqa: E402
                            logged_errors)
from replica_setup import (ReplicaError, replica_status, start_primary_and_replica,  # noqa: E402
                           wait_replica_caught_up)
from test_snapshot_consistency import (Replay, TableSpec, TestFailure, Writer,  # noqa: E402
                                       check_shape, check_state, compare_content,
                                       read_output, select_rows, strict_result)
from script_frame import (pick_seed, require_files, run_in_work_dir,  # noqa: E402
                          script_arguments)

ROWS_A, ROWS_COMP, ROWS_NOPK = 40_000, 60_000, 30_000
NOPK_DISTINCT = ROWS_NOPK // 3
SPECS = [
    TableSpec("d.a", [("id", "num"), ("n", "num"), ("s", "str")], ["id"]),
    TableSpec("d.comp", [("tenant", "num"), ("code", "str"), ("day", "str"), ("v", "num"),
                         ("note", "str")], ["tenant", "code", "day"]),
    TableSpec("d.nopk", [("a", "num"), ("b", "str"), ("c", "num")], None),
]
SCHEMA = """
CREATE DATABASE d;
CREATE TABLE d.a (id INT PRIMARY KEY, n INT NOT NULL, s VARCHAR(40) NOT NULL)
  DEFAULT CHARSET=utf8mb4;
CREATE TABLE d.comp (tenant INT NOT NULL, code VARCHAR(24) NOT NULL, day DATE NOT NULL,
                     v INT NOT NULL, note VARCHAR(40) NULL, PRIMARY KEY (tenant, code, day))
  DEFAULT CHARSET=utf8mb4;
CREATE TABLE d.nopk (a INT NOT NULL, b VARCHAR(24) NOT NULL, c INT NULL) DEFAULT CHARSET=utf8mb4;
"""
# d.comp row X: tenant 1 + X % 50, code 'c<X div 50>', day 2024-01-01 + X % 7: (tenant, code)
# alone identifies X. d.nopk: X = 1..10,000 three times each.
FILL = f"""
INSERT INTO d.a SELECT seq, seq % 1000, CONCAT('a', seq) FROM seq_1_to_{ROWS_A};
INSERT INTO d.comp SELECT 1 + seq % 50, CONCAT('c', seq DIV 50),
  DATE'2024-01-01' + INTERVAL (seq % 7) DAY, seq, IF(seq % 3 = 0, NULL, CONCAT('ñ', seq))
  FROM seq_1_to_{ROWS_COMP};
INSERT INTO d.nopk SELECT 1 + seq % {NOPK_DISTINCT}, CONCAT('n', 1 + seq % {NOPK_DISTINCT}),
  1 + seq % {NOPK_DISTINCT} FROM seq_1_to_{ROWS_NOPK};
"""


class ReplicaWorkload:
    def __init__(self):
        self.next_a = ROWS_A + 1
        self.next_tenant = 1000

    @staticmethod
    def comp_where(x: int) -> str:
        return f"tenant = {1 + x % 50} AND code = 'c{x // 50}'"

    def tx(self, rng: random.Random) -> list[str]:
        ops = []
        for _ in range(rng.randint(1, 4)):
            t = rng.choice(["a", "comp", "comp", "nopk"])
            r = rng.random()
            if t == "a":
                x = rng.randint(1, ROWS_A)
                if r < 0.3:
                    ops.append(f"INSERT INTO d.a VALUES ({self.next_a}, 1, 'new{self.next_a}');")
                    self.next_a += 1
                elif r < 0.7:
                    ops.append(f"UPDATE d.a SET n = n + 1 WHERE id = {x};")
                elif r < 0.8:
                    ops.append(f"UPDATE d.a SET id = -id WHERE id = {x};")
                else:
                    ops.append(f"DELETE FROM d.a WHERE id = {x};")
            elif t == "comp":
                x = rng.randint(1, ROWS_COMP)
                if r < 0.2:
                    day = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                    ops.append(f"INSERT INTO d.comp VALUES ({self.next_tenant}, 'new', '{day}', "
                               f"0, NULL);")
                    self.next_tenant += 1
                elif r < 0.5:
                    ops.append(f"UPDATE d.comp SET v = v + 1, note = CONCAT('u', v) "
                               f"WHERE {self.comp_where(x)};")
                elif r < 0.6:          # the key's DATE part moves (each time to a new day)
                    ops.append(f"UPDATE d.comp SET day = day + INTERVAL 1000 DAY "
                               f"WHERE {self.comp_where(x)};")
                elif r < 0.65:         # the VARCHAR part moves
                    ops.append(f"UPDATE d.comp SET code = CONCAT(code, 'm') "
                               f"WHERE {self.comp_where(x)} AND LENGTH(code) < 20;")
                elif r < 0.8:
                    ops.append(f"DELETE FROM d.comp WHERE {self.comp_where(x)};")
                else:                  # many rows of one tenant, in key order
                    ops.append(f"UPDATE d.comp SET v = v + 1 WHERE tenant = {1 + x % 50} "
                               f"AND code BETWEEN 'c{x // 50}' AND 'c{x // 50}9';")
            else:
                x = rng.randint(1, NOPK_DISTINCT)
                if r < 0.3:
                    ops.append(f"INSERT INTO d.nopk VALUES ({x}, 'n{x}', {x});")
                elif r < 0.6:          # one of the identical rows
                    ops.append(f"UPDATE d.nopk SET c = c + 1 WHERE a = {x} LIMIT 1;")
                elif r < 0.8:
                    ops.append(f"DELETE FROM d.nopk WHERE a = {x} LIMIT 1;")
                else:
                    ops.append(f"UPDATE d.nopk SET b = CONCAT('x', a) WHERE a BETWEEN {x} AND "
                               f"{x + rng.randint(1, 20)};")
        return ops


def rows_read(db) -> int:
    """Rows read in index order after a first one (Handler_read_next): the keyset chunk queries'
    range scans. The writer's updates read by key or (d.nopk) scan the table, as the replica's
    applier does; neither reads index ranges."""
    return int(db.sql("SHOW GLOBAL STATUS LIKE 'Handler_read_next'")[0][1])


def run(args, work: Path, seed: int) -> list[str]:
    problems: list[str] = []
    primary, replica = start_primary_and_replica("snapshot-replica")
    d = writer = None
    try:
        t0 = time.monotonic()
        primary.execute(SCHEMA)
        primary.execute(FILL, database="d", timeout=600)
        wait_replica_caught_up(primary, replica, timeout=300)
        print(f"  primary 127.0.0.1:{primary.port}, replica 127.0.0.1:{replica.port} "
              f"(gtid_slave_pos {replica.sql('SELECT @@GLOBAL.gtid_slave_pos')[0][0]}); filled "
              f"and replicated in {time.monotonic() - t0:.1f} s", flush=True)
        env = daemon_env(primary, work / "daemon", database="d", tables="a,comp,d.nopk",
                         INITIAL_SNAPSHOT="true", SNAPSHOT_BATCH_SIZE=str(args.batch_size),
                         MYSQL_SNAPSHOT_HOST=f"127.0.0.1:{replica.port}")
        d = Daemon(args.mysql_cdc, env, work / "daemon")
        writer = Writer(primary, ReplicaWorkload().tx, seed)
        writer.start()
        time.sleep(1.0)
        read_p, read_r = rows_read(primary), rows_read(replica)
        d.start()
        d.wait_for_log(r"snapshot of d\.a: starting", timeout=120)
        t_start = time.monotonic()
        d.wait_for_log(r"snapshot complete", timeout=args.timeout)
        t_end = time.monotonic()
        dp, dr = rows_read(primary) - read_p, rows_read(replica) - read_r
        time.sleep(1.0)
        writer.stop()
        if writer.error:
            raise TestFailure(writer.error)
        during = writer.committed_between(t_start, t_end)
        print(f"  snapshot ran {t_end - t_start:.1f} s (SNAPSHOT_BATCH_SIZE={args.batch_size}); "
              f"the writer committed {during} transactions on the primary during it, "
              f"{sum(n for _, n in writer.commits)} in all", flush=True)
        if during < 10:
            problems.append(f"only {during} writer transactions during the snapshot: lower "
                            f"--batch-size")
        keyed_rows = ROWS_A + ROWS_COMP
        print(f"  Handler_read_next during the snapshot: replica +{dr}, primary +{dp} (the "
              f"keyed tables have {keyed_rows} rows)", flush=True)
        if dr < keyed_rows * 9 // 10 or dp >= keyed_rows // 10:
            problems.append(f"the snapshot did not read the replica: Handler_read_next grew by "
                            f"{dr} on the replica and {dp} on the primary; about {keyed_rows} "
                            f"expected on the replica, under {keyed_rows // 10} on the primary")
        logs = d.runs[-1].stderr()
        if "snapshot of d.nopk: no primary key, reading with one streaming query" not in logs:
            problems.append("no log line 'snapshot of d.nopk: no primary key, reading with one "
                            "streaming query'")
        if f"127.0.0.1:{replica.port}" not in logs:
            print(f"  note: the log never names the snapshot host 127.0.0.1:{replica.port}",
                  flush=True)
        wait_replica_caught_up(primary, replica, timeout=120)
        catch_up_and_stop(d, primary, problems, timeout=300, since="the writer stopped",
                          indent="  ")
        st = replica_status(replica)
        if st.get("Slave_SQL_Running") != "Yes" or st.get("Last_SQL_Error"):
            problems.append(f"replication broke: {st.get('Last_SQL_Error')}")

        expected = {s.name: select_rows(primary, s) for s in SPECS}
        on_replica = {s.name: select_rows(replica, s) for s in SPECS}
        if on_replica != expected:
            problems.append("the replica's tables differ from the primary's after catching up "
                            "(a replication problem, not the daemon's)")
        snap = (d.state() or {}).get("snapshot") or {}
        replay = Replay(SPECS, strict=snap.get("consistency") == "exact")
        read_output(d.output_file, replay)
        counts = {s.name: replay.kinds.get(f"{s.name} snapshot_insert", 0) for s in SPECS}
        print(f"  output: {dict(replay.kinds)}", flush=True)
        _start, sproblems = check_state(d, SPECS, counts, "exact")
        problems += sproblems
        problems += check_shape(replay, SPECS)
        if replay.strict:
            problems += strict_result(replay, "replica")
        problems += compare_content(replay, expected, "replica by key")
        problems += logged_errors(d)
    finally:
        if writer is not None and writer.is_alive():
            writer._stop_event.set()
        if d is not None:
            d.stop()
        replica.stop()
        primary.stop()
    return problems


def main() -> int:
    ap = script_arguments(__doc__, seed_help="the writer's RNG seed (default: random, printed)")
    ap.add_argument("--batch-size", type=int, default=100, help="SNAPSHOT_BATCH_SIZE")
    ap.add_argument("--timeout", type=float, default=400, help="seconds for the snapshot")
    args = ap.parse_args()
    if not require_files(mysql_cdc=args.mysql_cdc):
        return 2
    seed = pick_seed(args.seed)
    return run_in_work_dir(lambda work: run(args, work, seed), "snapshot-replica-", args.keep,
                           (TestFailure, DaemonError, ReplicaError), f" with seed {seed}",
                           limit=30, indent=True)


if __name__ == "__main__":
    sys.exit(main())

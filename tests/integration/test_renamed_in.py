#!/usr/bin/env python3
"""Issue 14: a table that joins the watched set by RENAME (its rows were never in the watched
binlog) is read by a live re-snapshot when snapshots are on, while writes to it go on.

MYSQL_TABLE="shop.order\\_%" with SNAPSHOT_MODE=initial (SNAPSHOT_BATCH_SIZE small, so the
re-snapshot has many chunks). shop.staging (unwatched) holds rows; a writer changes it, the
table is renamed to shop.order_r (which the pattern selects) and the writer goes on with random
inserts, updates (some of the key) and deletes on order_r during the re-snapshot. Once the log
says the re-snapshot is done and the daemon caught up, the whole output applied by key must give
exactly order_r's content (every row, every value) and order_a's. With SNAPSHOT_MODE=never the
same rename gives the warning that the earlier rows are not in the output.

    tests/integration/test_renamed_in.py --mysql-cdc BUILD/src/mysql-cdc [--seed N] [--keep]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from daemon_harness import (Daemon, daemon_env, logged_errors, start_mariadb,  # noqa: E402
                            stopped_cleanly)
from script_frame import finish, pick_seed, require_files  # noqa: E402
from snapshot_checks import (ByKeyModel, compare_with_select, primary_keys,  # noqa: E402
                             read_lines, select_content)

ROWS = 3000


def writer(db, table: str, rng: random.Random, stop: threading.Event, counts: dict) -> None:
    next_id = ROWS + 1
    while not stop.is_set():
        stmts = []
        for _ in range(rng.randint(1, 5)):
            op = rng.random()
            k = rng.randint(1, next_id)
            if op < 0.4:
                stmts.append(f"INSERT INTO {table} VALUES ({next_id}, {rng.randint(0, 10**6)}, "
                             f"REPEAT('x', {rng.randint(0, 40)}))")
                next_id += 1
            elif op < 0.75:
                stmts.append(f"UPDATE {table} SET v = v + 1, s = CONCAT(s, 'u') WHERE id = {k}")
            elif op < 0.85:
                # A key change: the row moves (to a fresh id).
                stmts.append(f"UPDATE IGNORE {table} SET id = {next_id} WHERE id = {k}")
                next_id += 1
            else:
                stmts.append(f"DELETE FROM {table} WHERE id = {k}")
        db.execute("START TRANSACTION; " + "; ".join(stmts) + "; COMMIT;")
        counts["transactions"] = counts.get("transactions", 0) + 1


def scenario(args, work: Path, seed: int, mode: str) -> list[str]:
    problems: list[str] = []
    rng = random.Random(seed)
    with start_mariadb(f"renamed-in-{mode}") as db:
        db.execute("CREATE DATABASE shop; "
                   "CREATE TABLE shop.order_a (id INT PRIMARY KEY, v INT, s VARCHAR(200)); "
                   "CREATE TABLE shop.staging (id INT PRIMARY KEY, v INT, s VARCHAR(200));")
        values = ",".join(f"({i},{rng.randint(0, 10**6)},'r{i}')" for i in range(1, ROWS + 1))
        db.execute(f"INSERT INTO shop.staging VALUES {values}")
        env = daemon_env(db, work, database=None, tables=r"shop.order\_%",
                         SNAPSHOT_MODE=mode, SNAPSHOT_BATCH_SIZE="50")
        d = Daemon(args.mysql_cdc, env, work)
        d.start()
        d.wait_for_state()
        db.execute("INSERT INTO shop.order_a VALUES (1, 1, 'a'), (2, 2, 'b')")
        stop = threading.Event()
        counts: dict = {}
        # Changes to staging before the rename: in the table's rows, never in the stream.
        db.execute("UPDATE shop.staging SET v = v - 1 WHERE id % 7 = 0; "
                   "DELETE FROM shop.staging WHERE id % 11 = 0;")
        db.execute("RENAME TABLE shop.staging TO shop.order_r")
        t = threading.Thread(target=writer, args=(db, "shop.order_r", rng, stop, counts))
        t.start()
        try:
            if mode == "never":
                d.wait_for_log(r"table shop.order_r joined the watched set .* its rows from "
                               r"before are not in the output", timeout=60)
                time.sleep(1)
            else:
                d.wait_for_log(r"reading its rows with a re-snapshot", timeout=60)
                d.wait_for_log(r"re-snapshot of shop.order_r: done", timeout=300)
        finally:
            stop.set()
            t.join()
        db.execute("UPDATE shop.order_a SET v = 3 WHERE id = 1")
        d.wait_caught_up(db)
        stopped_cleanly(d, problems)
        problems += logged_errors(d)
        print(f"  {counts.get('transactions', 0)} writer transactions on order_r", flush=True)
        if counts.get("transactions", 0) < 5:
            problems.append("the writer committed fewer than 5 transactions during the test")
        model = ByKeyModel(primary_keys(db, ["shop.order_a", "shop.order_r"]))
        model.apply_lines(read_lines(work / "out.jsonl"))
        problems += compare_with_select(model, "shop.order_a", select_content(db, "shop.order_a"))
        content = select_content(db, "shop.order_r")
        if mode == "never":
            if len(model.rows["shop.order_r"]) >= len(content[2]):
                problems.append("with SNAPSHOT_MODE=never, the output unexpectedly holds every "
                                "row of the renamed-in table")
        else:
            problems += compare_with_select(model, "shop.order_r", content)
            snap = model.counts.get("shop.order_r snapshot_insert", 0)
            print(f"  order_r: {len(content[2])} rows, {snap} snapshot rows applied", flush=True)
            if snap < len(content[2]) // 2:
                problems.append(f"only {snap} snapshot rows of shop.order_r in the output")
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mysql-cdc", required=True)
    ap.add_argument("--seed", type=int)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    if not require_files(mysql_cdc=args.mysql_cdc):
        return 2
    seed = pick_seed(args.seed)
    t0 = time.monotonic()
    problems: list[str] = []
    works = []
    for mode in ["initial", "never"]:
        work = Path(tempfile.mkdtemp(prefix=f"renamed-in-{mode}-"))
        works.append(work)
        problems += [f"{mode}: {p}" for p in scenario(args, work, seed, mode)]
    return finish(problems, works[0], args.keep, t0, f" with seed {seed}")


if __name__ == "__main__":
    sys.exit(main())

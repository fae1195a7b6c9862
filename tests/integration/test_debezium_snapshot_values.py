#!/usr/bin/env python3
"""Issue 15: with OUTPUT_FORMAT=debezium a snapshot row renders exactly as the same row streamed.

The Debezium format maps each value by its column's type (docs/DEBEZIUM.md), which the stream
takes from the binlog's TABLE_MAP and the snapshot from information_schema
(src/snapshot/column_definition.cpp); the two must agree for every type, or a consumer sees a
row change representation (a DATETIME as milliseconds in one, microseconds in the other, a BIT
as a boolean or as bytes) between its snapshot read and its first update.

A throwaway MariaDB holds test_snapshot_values.py's two tables (snap.narrow: one column of each
type family; snap.wide: every column of test_decode_mariadb.COLUMNS, ~85), their boundary rows
(minimum, maximum, mixed, all NULL, zero dates) and a few hundred generated rows, written with
the binlog on. Run A: the daemon with INITIAL_SNAPSHOT=true snapshots both tables (op "r").
Run B: a daemon per table streams the same inserts from the binlog position before they were
made (op "c"). For every row, the `after` struct's JSON text of its "r" event must equal that of
its "c" event byte for byte; every line must be the documented envelope (fields in Debezium's
order; source.snapshot "true"/"last" in A, "false" in B; db and table named).

    test_debezium_snapshot_values.py --mysql-cdc BUILD/src/mysql-cdc [--rows 300]
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from daemon_harness import (Daemon, DaemonError, daemon_env, logged_errors,  # noqa: E402
                            master_status, start_mariadb, stopped_cleanly, write_seed_state)
from script_frame import finish, require_files, script_arguments  # noqa: E402
from snapshot_checks import wait_snapshot_complete  # noqa: E402
from test_decode_mariadb import COLUMNS, short  # noqa: E402
from test_snapshot_values import DB, NARROW, create_and_fill  # noqa: E402

ENVELOPE = ["before", "after", "source", "transaction", "op", "ts_ms", "ts_us", "ts_ns"]
SOURCE = ["version", "connector", "name", "ts_ms", "snapshot", "db", "sequence", "ts_us", "ts_ns",
          "table", "server_id", "gtid", "file", "pos", "row", "thread", "query"]
DEBEZIUM = {"OUTPUT_FORMAT": "debezium", "DEBEZIUM_SERVER_NAME": "it"}


def raw_after(line: str) -> str:
    """The `after` struct's JSON text. Safe on raw text: inside a JSON string a quote is always
    escaped, so `,"source":{"version":` only occurs as the envelope's own key."""
    start = line.index('"after":') + len('"after":')
    return line[start:line.index(',"source":{"version":', start)]


def index_events(path: Path, op: str, snapshot: set[str], problems: list[str]
                 ) -> dict[tuple[str, int], str]:
    """{(table, id): raw after} of the `op` events of a run's output; checks each envelope."""
    found: dict[tuple[str, int], str] = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            try:
                ev = json.loads(line)
            except ValueError as e:
                problems.append(f"{path.name} line {n} is not JSON ({e}): {short(line, 200)}")
                continue
            if list(ev) != ENVELOPE or list(ev["source"]) != SOURCE:
                problems.append(f"{path.name} line {n}: not the documented envelope: "
                                f"{list(ev)} / {list(ev.get('source', {}))}")
                continue
            src = ev["source"]
            if ev["op"] != op:
                problems.append(f"{path.name} line {n}: op {ev['op']!r}, expected {op!r}")
                continue
            if src["snapshot"] not in snapshot or src["db"] != DB or src["name"] != "it":
                problems.append(f"{path.name} line {n}: source {short(json.dumps(src), 300)}")
            key = (src["table"], ev["after"]["id"])
            if key in found:
                problems.append(f"{path.name}: {key} twice")
            found[key] = raw_after(line)
    return found


def main() -> int:
    ap = script_arguments(__doc__)
    ap.add_argument("--rows", type=int, default=300, help="generated rows of snap.narrow")
    ap.add_argument("--wide-rows", type=int, default=100, help="generated rows of snap.wide")
    args = ap.parse_args()
    if not require_files(mysql_cdc=args.mysql_cdc):
        return 2
    work = Path(tempfile.mkdtemp(prefix="debezium-snapshot-values-"))
    problems: list[str] = []
    t0 = time.monotonic()
    daemons: list[Daemon] = []
    try:
        with start_mariadb("dbzvalues") as db:
            db.execute(f"CREATE DATABASE {DB};")
            start_file, start_pos = master_status(db)
            create_and_fill(db, "narrow", NARROW, args.rows)
            create_and_fill(db, "wide", list(COLUMNS), args.wide_rows)

            env = daemon_env(db, work / "snapshot", database=DB, tables="narrow,wide",
                             INITIAL_SNAPSHOT="true", **DEBEZIUM)
            a = Daemon(args.mysql_cdc, env, work / "snapshot")
            daemons.append(a)
            a.start()
            wait_snapshot_complete(a, timeout=300)
            a.wait_caught_up(db)
            stopped_cleanly(a, problems, "SIGTERM after the snapshot")
            problems += logged_errors(a)
            snap = index_events(a.output_file, "r", {"true", "last"}, problems)

            streamed: dict[tuple[str, int], str] = {}
            for table in ("narrow", "wide"):
                env = daemon_env(db, work / table, database=DB, tables=table, **DEBEZIUM)
                write_seed_state(work / table / "state" / f"binlog_position_{DB}_{table}.json",
                                 start_file, start_pos)
                b = Daemon(args.mysql_cdc, env, work / table)
                daemons.append(b)
                b.start()
                b.wait_for_log("streaming from")
                b.wait_caught_up(db)
                stopped_cleanly(b, problems, f"SIGTERM after streaming {table}")
                problems += logged_errors(b)
                streamed.update(index_events(b.output_file, "c", {"false"}, problems))

            counts = {t: int(db.sql(f"SELECT COUNT(*) FROM {DB}.{t}")[0][0])
                      for t in ("narrow", "wide")}
        print(f"snapshot: {len(snap)} rows, stream: {len(streamed)} rows, tables {counts}",
              flush=True)
        if len(snap) != sum(counts.values()):
            problems.append(f"{len(snap)} snapshot rows, the tables hold {counts}")
        differ = 0
        for key in sorted(snap):
            if key not in streamed:
                problems.append(f"{key}: snapshotted, never streamed")
            elif snap[key] != streamed[key]:
                differ += 1
                if differ <= 10:
                    s, b = json.loads(snap[key]), json.loads(streamed[key])
                    cols = [c for c in s if json.dumps(s[c]) != json.dumps(b.get(c))]
                    detail = "; ".join(f"{c}: {short(json.dumps(s[c]), 80)} vs "
                                       f"{short(json.dumps(b.get(c)), 80)}" for c in cols[:5])
                    problems.append(f"{key}: snapshot and stream differ in {detail or 'text'}")
        if differ > 10:
            problems.append(f"... {differ} rows differ in all")
    except DaemonError as e:
        problems.append(str(e))
    finally:
        for d in daemons:
            d.stop()
    return finish(problems, work, args.keep, t0,
                  ok_note=": every snapshot row's Debezium `after` equals its streamed one")


if __name__ == "__main__":
    sys.exit(main())

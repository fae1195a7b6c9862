#!/usr/bin/env python3
"""Issue 11, defects 1 and 4, against a real MariaDB: the values and images the stream and
`mysql-cdc decode` emit are the server's, or the daemon stops.

--case signedness (defect 1): a YEAR column took no bit of the TABLE_MAP SIGNEDNESS bitmap, so
  every later numeric column read its neighbour's bit (INT -5 came out as 4294967291). A table
  with YEAR in several positions between every integer size signed and unsigned, BIT, DECIMAL,
  FLOAT, DOUBLE, rows at the extremes, updated to other extremes and deleted: the daemon's
  output and `decode` must equal SELECT, image by image. Plus the issue's own table.

--case partial (defect 4): with the daemon streaming under FULL settings, one session sets
  binlog_row_image=MINIMAL (then NOBLOB) and updates a watched table; another run sees
  SET GLOBAL binlog_row_metadata=MINIMAL. Each time the daemon must exit non-zero with one
  error naming the setting and the event's offset, emit nothing of that event, and leave its
  saved position before it, so that a restart (settings FULL again) refuses again instead of
  skipping. The same settings on a table that is not watched must not stop it. `decode` must
  refuse such an event too, unless given --partial-images.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from daemon_harness import Daemon, DaemonError, daemon_env, read_events, start_mariadb  # noqa: E402

DB = "d"
BOUND = 60.0  # seconds the daemon may take to stop at a bad event

# (name, SQL type, kind) ; kind says how SELECT text compares with our JSON value.
NUM_COLUMNS = [
    ("id", "INT NOT NULL PRIMARY KEY", "int"),
    ("y1", "YEAR", "int"),
    ("ti", "TINYINT", "int"),
    ("tu", "TINYINT UNSIGNED", "int"),
    ("y2", "YEAR", "int"),
    ("si", "SMALLINT", "int"),
    ("su", "SMALLINT UNSIGNED", "int"),
    ("mi", "MEDIUMINT", "int"),
    ("mu", "MEDIUMINT UNSIGNED", "int"),
    ("bt", "BIT(7)", "bit"),
    ("i", "INT", "int"),
    ("iu", "INT UNSIGNED", "int"),
    ("bi", "BIGINT", "int"),
    ("bu", "BIGINT UNSIGNED", "int"),
    ("dc", "DECIMAL(30,5)", "decimal"),
    ("du", "DECIMAL(10,2) UNSIGNED", "decimal"),
    ("f", "FLOAT", "float"),
    ("dd", "DOUBLE", "double"),
    ("y3", "YEAR", "int"),
    ("bo", "BOOLEAN", "int"),
    ("last_i", "INT", "int"),
    ("last_s", "SMALLINT", "int"),
]

# Rows at the extremes; the updates move each row to another one's values (so every column
# changes sign or size), then rows are deleted.
NUM_ROWS = [
    [1, 1901, -128, 255, 2155, -32768, 65535, -8388608, 16777215, "b'1111111'", -2147483648,
     4294967295, -9223372036854775808, 18446744073709551615, "-9999999999999999999999999.99999",
     "99999999.99", -3.40282e38, -1.7976931348623157e308, 2000, -1, -5, -1],
    [2, 2024, 127, 0, 1999, 32767, 0, 8388607, 0, "b'0'", 2147483647, 0, 9223372036854775807,
     0, "9999999999999999999999999.99999", "0.00", 1.17549e-38, 2.2250738585072014e-308, 1901,
     1, 2147483647, 32767],
    [3, 0, -1, 128, None, -1, 32768, -1, 8388608, "b'1000000'", -1, 2147483648, -1,
     9223372036854775808, "-0.00001", "0.01", -1.5, -0.1, 2155, 0, -2147483648, -32768],
    [4, None, None, None, None, None, None, None, None, None, None, None, None, None, None, None,
     None, None, None, None, None, None],
]


def sql_literal(v) -> str:
    if v is None:
        return "NULL"
    if isinstance(v, str) and v.startswith("b'"):
        return v
    if isinstance(v, str):
        return "'" + v + "'"
    return repr(v) if isinstance(v, float) else str(v)


def select_rows(db, table: str, columns) -> dict[int, list]:
    exprs = [f"`{n}`+0" if kind == "bit" else f"`{n}`" for n, _, kind in columns]
    rows = db.sql(f"SELECT {', '.join(exprs)} FROM {DB}.{table} ORDER BY 1")
    return {int(r[0]): r for r in rows}


def same_value(kind: str, want: str | None, got) -> bool:
    if want is None or got is None:
        return want is None and got is None
    if kind in ("int", "bit"):
        return isinstance(got, int) and not isinstance(got, bool) and got == int(want)
    if kind == "decimal":
        return got == want
    if kind == "float":  # FLOAT: SELECT prints 6 significant digits
        return isinstance(got, (int, float)) and abs(float(got) - float(want)) <= \
            abs(float(want)) * 1e-5
    if kind == "double":  # SELECT may print fewer digits than a round trip needs
        return isinstance(got, (int, float)) and abs(float(got) - float(want)) <= \
            abs(float(want)) * 1e-14
    raise AssertionError(kind)


class Problems:
    def __init__(self):
        self.items: list[str] = []

    def add(self, what: str) -> None:
        self.items.append(what)
        print("PROBLEM:", what, flush=True)

    def check(self, cond: bool, what: str) -> None:
        if not cond:
            self.add(what)


def compare_image(p: Problems, where: str, columns, names, values, want_row) -> None:
    want_names = [n for n, _, _ in columns]
    if names != want_names:
        p.add(f"{where}: column names {names}, expected {want_names}")
        return
    for (n, _, kind), got, want in zip(columns, values, want_row):
        if not same_value(kind, want, got):
            p.add(f"{where}: column {n} is {got!r}, SELECT says {want!r}")


def run_decode(mysql_cdc: str, files, tables: list[str], extra: list[str] = ()):
    cmd = [mysql_cdc, "decode", *extra]
    for t in tables:
        cmd += ["--table", t]
    cmd += [str(f) for f in files]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def parse_lines(text: str) -> list[dict]:
    import json
    return [json.loads(line) for line in text.splitlines() if line.strip()]


# --- defect 1 -----------------------------------------------------------------------------


def case_signedness(mysql_cdc: str, p: Problems) -> None:
    with start_mariadb("row-images-signedness") as db, tempfile.TemporaryDirectory() as work:
        db.execute(f"CREATE DATABASE {DB}")
        db.execute(f"CREATE TABLE {DB}.nums ({', '.join(f'`{n}` {t}' for n, t, _ in NUM_COLUMNS)})")
        db.execute(f"CREATE TABLE {DB}.t (id INT PRIMARY KEY, y YEAR, d INT, q SMALLINT)")
        env = daemon_env(db, work, database=DB, tables="nums,t")
        daemon = Daemon(mysql_cdc, env, Path(work) / "daemon")
        try:
            daemon.start()
            daemon.wait_for_state()
            # expected images, in binlog order: (kind, table, before_row, after_row)
            expected: list[tuple[str, str, list | None, list | None]] = []

            db.execute(f"INSERT INTO {DB}.t VALUES (2, 2024, -5, -1)")
            expected.append(("insert", "t", None, select_rows(db, "t", T_COLUMNS)[2]))
            for row in NUM_ROWS:
                db.execute(f"INSERT INTO {DB}.nums VALUES ({', '.join(map(sql_literal, row))})")
            after_insert = select_rows(db, "nums", NUM_COLUMNS)
            for row in NUM_ROWS:
                expected.append(("insert", "nums", None, after_insert[row[0]]))
            # Each row takes the next row's values (id kept): signs and sizes all change.
            for k, row in enumerate(NUM_ROWS):
                src = NUM_ROWS[(k + 1) % len(NUM_ROWS)]
                sets = ", ".join(f"`{n}` = {sql_literal(v)}"
                                 for (n, _, _), v in zip(NUM_COLUMNS[1:], src[1:]))
                db.execute(f"UPDATE {DB}.nums SET {sets} WHERE id = {row[0]}")
            after_update = select_rows(db, "nums", NUM_COLUMNS)
            for row in NUM_ROWS:
                expected.append(("update", "nums", after_insert[row[0]], after_update[row[0]]))
            db.execute(f"DELETE FROM {DB}.nums WHERE id IN (1, 3)")
            for i in (1, 3):
                expected.append(("delete", "nums", after_update[i], None))
            t_before = select_rows(db, "t", T_COLUMNS)[2]
            db.execute(f"UPDATE {DB}.t SET d = -2147483648, q = -32768 WHERE id = 2")
            expected.append(("update", "t", t_before, select_rows(db, "t", T_COLUMNS)[2]))

            daemon.wait_caught_up(db)
            rc, _ = daemon.sigterm()
            p.check(rc == 0, f"daemon exit {rc}")
            stream = read_events(env["OUTPUT_FILE"])
            check_changes(p, "stream", stream, expected)

            files = db.save_binlogs(Path(work) / "binlogs")
            res = run_decode(mysql_cdc, files, [f"{DB}.nums", f"{DB}.t"])
            p.check(res.returncode == 0, f"decode exit {res.returncode}: {res.stderr.strip()}")
            check_changes(p, "decode", parse_lines(res.stdout), expected)
        finally:
            daemon.stop()


T_COLUMNS = [("id", "", "int"), ("y", "", "int"), ("d", "", "int"), ("q", "", "int")]


def check_changes(p: Problems, label: str, got: list[dict], expected) -> None:
    if len(got) != len(expected):
        p.add(f"{label}: {len(got)} changes, expected {len(expected)}")
    for n, (ev, (kind, table, before, after)) in enumerate(zip(got, expected), 1):
        where = f"{label} change {n} ({kind} {table})"
        if ev.get("kind") != kind or ev.get("table") != table:
            p.add(f"{where}: got {ev.get('kind')} {ev.get('table')}")
            continue
        columns = NUM_COLUMNS if table == "nums" else T_COLUMNS
        if after is not None:
            compare_image(p, where + " after", columns, ev["columnnames"], ev["columnvalues"],
                          after)
        if before is not None:
            ok = ev.get("oldkeys") or {}
            compare_image(p, where + " before", columns, ok.get("keynames"),
                          ok.get("keyvalues", []), before)


# --- defect 4 -----------------------------------------------------------------------------


def bad_event_stop(p: Problems, daemon: Daemon, label: str, setting: str,
                   seen_before: int) -> tuple[str, int] | None:
    """Waits for the daemon to exit on the bad event; checks exit code, message, output."""
    deadline = time.monotonic() + BOUND
    while daemon.running() and time.monotonic() < deadline:
        time.sleep(0.1)
    if daemon.running():
        p.add(f"{label}: the daemon is still running {BOUND:.0f} s after the {setting} change")
        daemon.stop()
        return None
    rc = daemon.exit_code()
    p.check(rc not in (0, None), f"{label}: exit code {rc}, expected non-zero")
    err = daemon.runs[-1].stderr()
    errors = [l for l in err.splitlines() if " error " in l or " critical " in l]
    hits = [l for l in errors if setting in l]
    p.check(len(errors) == 1, f"{label}: {len(errors)} error lines, expected one: {errors}")
    p.check(len(hits) >= 1, f"{label}: no error line naming {setting}:\n{daemon.log_tail()}")
    if not hits:
        return None
    m = re.search(r"(mysql-bin\.\d+): .*at offset (\d+)", hits[0])
    p.check(m is not None, f"{label}: the error names no file and offset: {hits[0]}")
    out = read_events(daemon.output_file)
    p.check(len(out) == seen_before,
            f"{label}: {len(out) - seen_before} change(s) emitted after the last good one: "
            f"{out[seen_before:]}")
    print(f"{label}: {hits[0]}", flush=True)
    return (m.group(1), int(m.group(2))) if m else None


def check_not_past(p: Problems, label: str, daemon: Daemon, at: tuple[str, int] | None) -> None:
    st = daemon.state()
    if st is None or at is None:
        p.add(f"{label}: no state ({st}) or no position ({at})")
        return
    saved = (st["log_file"], st["log_pos"])
    p.check(saved <= at, f"{label}: the saved position {saved} is past the bad event {at}")


def case_partial(mysql_cdc: str, p: Problems) -> None:
    with start_mariadb("row-images-partial") as db, tempfile.TemporaryDirectory() as work:
        db.execute(f"CREATE DATABASE {DB}")
        db.execute(f"CREATE TABLE {DB}.w (id INT PRIMARY KEY, a INT, b VARCHAR(20), c BLOB)")
        db.execute(f"CREATE TABLE {DB}.u (id INT PRIMARY KEY, a INT, b VARCHAR(20), c BLOB)")
        db.execute(f"INSERT INTO {DB}.w VALUES (1, 10, 'x', 'blob1'), (2, 20, 'y', 'blob2')")
        db.execute(f"INSERT INTO {DB}.u VALUES (1, 10, 'x', 'blob1'), (2, 20, 'y', 'blob2')")
        runs = [
            ("MINIMAL", "binlog_row_image",
             "SET SESSION binlog_row_image=MINIMAL; UPDATE {t} SET a = a + 1 WHERE id = 1;"),
            ("MINIMAL delete", "binlog_row_image",
             "SET SESSION binlog_row_image=MINIMAL; DELETE FROM {t} WHERE id = 2;"),
            ("NOBLOB", "binlog_row_image",
             "SET SESSION binlog_row_image=NOBLOB; UPDATE {t} SET a = a + 1 WHERE id = 1;"),
            ("metadata MINIMAL", "binlog_row_metadata", None),
        ]
        all_binlog_offsets = []
        for n, (label, setting, script) in enumerate(runs, 1):
            env = daemon_env(db, Path(work) / f"run{n}", database=DB, tables="w")
            daemon = Daemon(mysql_cdc, env, Path(work) / f"run{n}")
            try:
                daemon.start()
                daemon.wait_for_state()
                # A good change first: the daemon streams, and it is emitted.
                db.execute(f"UPDATE {DB}.w SET b = 'g{n}' WHERE id = 1")
                # The same setting on the table that is not watched does not stop it.
                if script is not None:
                    db.execute(script.format(t=f"{DB}.u"))
                else:
                    db.execute("SET GLOBAL binlog_row_metadata=MINIMAL")
                    db.execute(f"UPDATE {DB}.u SET a = a + 1 WHERE id = 1")
                daemon.wait_caught_up(db)
                seen = len(read_events(daemon.output_file))
                p.check(seen == 1, f"{label}: {seen} changes before the bad one, expected 1")
                # The bad change on the watched table.
                if script is not None:
                    db.execute(script.format(t=f"{DB}.w"))
                else:
                    db.execute(f"UPDATE {DB}.w SET a = a + 1 WHERE id = 1")
                    db.execute("SET GLOBAL binlog_row_metadata=FULL")
                at = bad_event_stop(p, daemon, label, setting, seen)
                if at is None:
                    continue
                check_not_past(p, label, daemon, at)
                all_binlog_offsets.append((label, setting, at))
                # Settings are FULL again: a restart must refuse the same event again.
                daemon.start()
                at2 = bad_event_stop(p, daemon, label + " (restart)", setting, seen)
                p.check(at2 == at, f"{label}: the restart stopped at {at2}, first run at {at}")
                check_not_past(p, label + " (restart)", daemon, at)
            except DaemonError as e:
                p.add(f"{label}: {e}")
            finally:
                daemon.stop()

        # decode refuses the partial images (with file and offset), unless --partial-images.
        files = db.save_binlogs(Path(work) / "binlogs")
        res = run_decode(mysql_cdc, files, [f"{DB}.w"])
        p.check(res.returncode != 0, "decode printed partial images and exited 0")
        p.check("binlog_row_image is not FULL" in res.stderr and re.search(
            r"mysql-bin\.\d+: .*offset \d+", res.stderr) is not None,
            f"decode's error names no setting/file/offset: {res.stderr.strip()}")
        first_bad = min(at for _, s, at in all_binlog_offsets if s == "binlog_row_image") \
            if all_binlog_offsets else None
        if first_bad:
            p.check(f"offset {first_bad[1]}" in res.stderr,
                    f"decode stopped elsewhere than {first_bad}: {res.stderr.strip()}")
        printed = parse_lines(res.stdout)
        p.check(all(len(e["columnnames"] or e["oldkeys"].get("keynames", [])) == 4
                    for e in printed), f"decode printed a partial image: {printed}")
        res = run_decode(mysql_cdc, files, [f"{DB}.w"], ["--partial-images"])
        p.check(res.returncode == 0, f"decode --partial-images exit {res.returncode}: "
                                     f"{res.stderr.strip()}")
        partial = [e for e in parse_lines(res.stdout)
                   if len(e["columnnames"]) < 4 or 0 < len(e["oldkeys"].get("keynames", [])) < 4]
        p.check(len(partial) >= 3, f"decode --partial-images printed {len(partial)} partial "
                                   f"images, expected at least 3")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mysql-cdc", required=True)
    ap.add_argument("--case", choices=["signedness", "partial"], required=True)
    args = ap.parse_args()
    p = Problems()
    (case_signedness if args.case == "signedness" else case_partial)(args.mysql_cdc, p)
    if p.items:
        print(f"FAIL: {len(p.items)} problem(s)")
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Issue 5, acceptance criterion 1 (file sink): the initial snapshot renders every row exactly as
the binlog decoder renders the same row, byte for byte; then streaming continues.

A throwaway MariaDB holds two tables written while the binlog is on, one INSERT ... SELECT FROM
seq_1_to_N each (session sql_mode '' and time_zone '+00:00'), plus the boundary rows of
test_decode_mariadb (ROW_MIN, ROW_MAX, ROW_MIXED, an all-NULL row, ROW_ZERO, row_variant 6-8):

  snap.narrow   1,000,000 generated rows: `id` and one column of each type family of
                test_decode_mariadb.COLUMNS (integers of every width and sign, FLOAT, DOUBLE,
                DECIMAL, BIT, YEAR, DATE, TIME, DATETIME, TIMESTAMP with and without fractions,
                CHAR/VARCHAR/TEXT in utf8mb4/utf8mb3/latin1/cp1251/ucs2, BINARY, VARBINARY, BLOB,
                ENUM, SET, JSON, GEOMETRY, POINT, INET6, UUID), values varying with the row
                number, a NULL in every column now and then, zero dates, control characters,
                quotes and backslashes, trailing spaces.
  snap.wide     every column of test_decode_mariadb.COLUMNS (~85) with 20,000 generated rows.
                The full width is not used for the million rows only to keep the run time in
                CI's budget (about 1.5 GB of JSON per rendering at 1M rows; this test aims at
                under 4 minutes on 2 cores); every type is in both tables.

(a) The binlogs are saved (`mariadb-binlog --raw`) and `mysql-cdc decode --table ...` renders
the rows' "insert" events. (b) The daemon runs with INITIAL_SNAPSHOT=true and the file sink
until "snapshot complete". Every snapshot_insert must have the same raw "columnnames" and
"columnvalues" JSON text as the insert of the same primary key, for all rows; no row is missing
or repeated; tables in MYSQL_TABLE order, rows in key order. Then rows are inserted (one a copy
of ROW_MIXED made by the server), updated (one moves its key) and deleted: those insert/update/
delete events must follow the last snapshot_insert.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from daemon_harness import (Daemon, DaemonError, daemon_env, logged_errors,  # noqa: E402
                            start_mariadb, stopped_cleanly)
from script_frame import finish, require_files, script_arguments  # noqa: E402
from snapshot_checks import (EventLine, read_lines, value_diff,  # noqa: E402
                             wait_snapshot_complete)
from test_decode_mariadb import (COLUMNS, ROW_MAX, ROW_MIN, ROW_MIXED, ROW_ZERO,  # noqa: E402
                                 row_variant, short)

DB = "snap"
# One column of each type family (and each wire format that differs between text protocol and
# binlog: fractions, unsigned, charsets, BIT widths).
NARROW = ["id", "c_tinyint", "c_smallint_u", "c_mediumint", "c_int", "c_int_u", "c_bigint",
          "c_bigint_u", "c_float", "c_double", "c_dec_1_0", "c_dec_4_2", "c_dec_18_9",
          "c_dec_65_30", "c_bit1", "c_bit9", "c_bit64", "c_year", "c_date", "c_time0", "c_time3",
          "c_dt0", "c_dt6", "c_ts0", "c_ts6", "c_char_utf8mb4", "c_varchar_utf8mb3",
          "c_varchar_latin1", "c_varchar_cp1251", "c_varchar_ucs2", "c_text_utf8mb4",
          "c_binary", "c_varbinary", "c_blob", "c_enum", "c_set", "c_set_big", "c_json",
          "c_geometry", "c_point", "c_inet6", "c_uuid"]
BOUNDARY = {1: ROW_MIN, 2: ROW_MAX, 3: ROW_MIXED, 4: {}, 5: ROW_ZERO,
            **{i: row_variant(i) for i in (6, 7, 8)}}
FIRST_GENERATED = 101           # generated rows: id = seq + 100
SESSION = "SET time_zone = '+00:00'; SET sql_mode = ''; SET NAMES utf8mb4;\n"

# Characters each charset can hold, mixed into generated strings; JSON escapes included.
SAMPLES = {
    "utf8mb4": ["", "é", "€", "𝄞", '\\"', "\\\\", "\\t", "\\n", "日本"],
    "utf8mb3": ["", "ü", "€", "日", '\\"', "\\\\", "\\t"],
    "latin1": ["", "é", "ÿ", "€", '\\"', "\\\\", "\\t", "Š"],
    "cp1251": ["", "Ж", "я", '\\"', "\\\\", "€"],
    "ucs2": ["", "Ω", "€", "é", '\\"', "\\\\"],
}


def charset_of(decl: str) -> str:
    for cs in ("utf8mb3", "latin1", "cp1251", "ucs2"):
        if f"CHARACTER SET {cs}" in decl:
            return cs
    return "utf8mb4"


def text_expr(x: str, decl: str, limit: int, k: int) -> str:
    s = SAMPLES[charset_of(decl)]
    elt = lambda off: "ELT(1 + ({x} + {o}) % {n}, {l})".format(
        x=x, o=off, n=len(s), l=", ".join(f"'{c}'" for c in s))
    ctrl = "CHAR(1 USING utf8mb4)" if charset_of(decl) == "utf8mb4" else "''"
    body = (f"CONCAT({elt(k)}, 'r', {x}, {elt(k + 3)}, IF({x} % 29 = 0, {ctrl}, ''), "
            f"REPEAT({elt(k + 5)}, {x} % 4), IF({x} % 11 = 0, '  ', ''))")
    return f"LEFT({body}, {limit})"


def blob_expr(x: str, limit: int) -> str:
    return (f"IF({x} % 13 = 0, '', LEFT(REPEAT(UNHEX(MD5({x})), 1 + {x} % 3), {limit}))")


def decimal_expr(x: str, p: int, s: int) -> str:
    whole = f"LEFT(CONCAT({x} * 7919, REPEAT('123456789', 8)), 1 + {x} % {p - s})"
    frac = f"LEFT(CONCAT(LPAD({x} % 1000, 3, '0'), REPEAT('987654321', 8)), {s})"
    text = f"CONCAT(IF({x} % 2, '-', ''), {whole}" + (f", '.', {frac})" if s else ")")
    return f"IF({x} % 50 = 0, 0, CAST({text} AS DECIMAL({p},{s})))"


INT_RANGES = {"TINYINT": 8, "SMALLINT": 16, "MEDIUMINT": 24, "INT": 32}


def generated_expr(name: str, decl: str, x: str, k: int) -> str:
    """A SQL expression of row number `x` for column `name` (declared `decl`) that varies over
    the type's range; `k` (the column's position) spreads NULLs and samples across columns."""
    d = decl.upper()
    base = d.split("(")[0].split()[0]
    if name == "id":
        return x
    if base in INT_RANGES:
        bits = INT_RANGES[base]
        lo = 0 if "UNSIGNED" in d else -(2 ** (bits - 1))
        e = f"{lo} + ({x} * 2654435761) % {2 ** bits}"
    elif base == "BIGINT":
        e = (f"IF({x} % 1000 = 7, 18446744073709551615, CAST({x} AS UNSIGNED) * 18400000000000 "
             f"+ {x})" if "UNSIGNED" in d else
             f"IF({x} % 1000 = 7, -9223372036854775808, "
             f"({x} * 9000000000000 + {x}) * IF({x} % 2, 1, -1))")
    elif base == "FLOAT":
        e = f"({x} % 9973 + 1) * POW(10, {x} % 70 - 40) * IF({x} % 3, 1, -1)"
    elif base == "DOUBLE":
        e = f"({x} % 99991 + 1) / 7 * POW(10, {x} % 600 - 300) * IF({x} % 2, 1, -1)"
    elif base == "DECIMAL":
        p, s = (int(v) for v in d.split("(")[1].split(")")[0].split(","))
        e = decimal_expr(x, p, s)
    elif base == "BIT":
        n = int(d.split("(")[1].split(")")[0])
        e = (f"CAST({x} AS UNSIGNED) * 18400000000000 + {x}" if n == 64
             else f"({x} * 2654435761) % {2 ** n}")
    elif base == "YEAR":
        e = f"IF({x} % 256 = 0, 0, 1901 + {x} % 255)"
    elif base == "DATE":
        e = (f"IF({x} % 997 = 0, '0000-00-00', IF({x} % 991 = 0, '2020-05-00', "
             f"DATE_ADD('1000-01-01', INTERVAL ({x} * 7919) % 3287000 DAY)))")
    elif base == "TIME":
        e = f"SEC_TO_TIME(({x} * 7919) % 6040799 - 3020399 + ({x} % 1000000) / 1000000)"
    elif base == "DATETIME":
        e = (f"IF({x} % 997 = 0, '0000-00-00 00:00:00', DATE_ADD('1000-01-01 00:00:00.000000', "
             f"INTERVAL (({x} * 283007) % 283996800000) * 1000000 + {x} % 1000000 MICROSECOND))")
    elif base == "TIMESTAMP":
        e = (f"IF({x} % 997 = 0, '0000-00-00 00:00:00', "
             f"FROM_UNIXTIME(1 + ({x} * 104729) % 2147483646 + ({x} % 1000000) / 1000000))")
    elif base in ("CHAR", "VARCHAR"):
        e = text_expr(x, decl, int(d.split("(")[1].split(")")[0]), k)
    elif base in ("TINYTEXT", "TEXT", "MEDIUMTEXT", "LONGTEXT"):
        e = text_expr(x, decl, 80 if base == "TINYTEXT" else 400, k)
    elif base == "BINARY":
        e = (f"IF({x} % 3 = 0, UNHEX(LPAD(HEX({x} % 256), 2, '0')), "
             f"UNHEX(LPAD(HEX(({x} * 2654435761) % 4294967296), 8, '0')))")
    elif base == "VARBINARY":
        e = blob_expr(x, 300)
    elif base in ("TINYBLOB", "BLOB", "MEDIUMBLOB", "LONGBLOB"):
        e = blob_expr(x, 255 if base == "TINYBLOB" else 1000)
    elif base == "ENUM":
        members = decl.count("'") // 2
        e = f"IF({x} % 50 = 0, 0, 1 + {x} % {members})"
    elif base == "SET":
        members = decl.count("'") // 2
        e = (f"CAST({x} AS UNSIGNED) * 18400000000000 + {x}" if members == 64
             else f"({x} * 2654435761) % {2 ** members}")
    elif base == "JSON":
        e = (f"JSON_OBJECT('i', {x}, 's', CONCAT('v€', {x}), 'f', {x} / 7, 'n', NULL, "
             f"'a', JSON_ARRAY({x} % 3 = 0, 'q\\\"\\\\\\\\'))")
    elif base == "GEOMETRY":
        e = (f"IF({x} % 2, POINT({x} / 1000, -{x} / 7), ST_GeomFromText(CONCAT('LINESTRING(', "
             f"{x}, ' 0, 1 ', {x} / 3, ')')))")
    elif base == "POINT":
        e = f"POINT({x} / 1000, {x} % 180 - 90.5)"
    elif base == "INET6":
        e = (f"IF({x} % 5 = 0, CONCAT('::ffff:', INET_NTOA(({x} * 2654435761) % 4294967296)), "
             f"CONCAT('2001:db8:', HEX({x} DIV 65536), ':', HEX({x} % 65536), '::', HEX({x} % 7)))")
    elif base == "UUID":
        e = (f"CONCAT(LPAD(HEX(({x} * 2654435761) % 4294967296), 8, '0'), '-', "
             f"LPAD(HEX({x} % 65536), 4, '0'), '-', ELT(1 + {x} % 4, '1', '4', '7', 'f'), "
             f"LPAD(HEX({x} % 4096), 3, '0'), '-', ELT(1 + {x} % 3, '8', 'c', '0'), '000-', "
             f"LPAD(HEX({x} * 7919), 12, '0'))")
    else:
        raise AssertionError(f"column {name} {decl}: no generator for this type; add one")
    if "NOT NULL" not in d:
        e = f"IF(({x} + {k}) % 17 = 0, NULL, {e})"
    return e


def create_and_fill(db, table: str, columns: list[str], rows: int) -> float:
    t0 = time.monotonic()
    ddl = ",\n  ".join(f"{c} {COLUMNS[c]}" for c in columns)
    boundary = ", ".join("(" + ", ".join(str(i) if c == "id" else row.get(c, "NULL")
                                         for c in columns) + ")"
                         for i, row in BOUNDARY.items())
    x = f"(CAST(seq AS SIGNED) + {FIRST_GENERATED - 1})"
    exprs = ", ".join(generated_expr(c, COLUMNS[c], x, k) for k, c in enumerate(columns))
    db.execute(f"{SESSION}CREATE DATABASE IF NOT EXISTS {DB}; USE {DB};\n"
               f"CREATE TABLE {table} (\n  {ddl}\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n"
               f"INSERT INTO {table} ({', '.join(columns)}) VALUES {boundary};\n"
               f"INSERT INTO {table} ({', '.join(columns)}) SELECT {exprs} FROM seq_1_to_{rows};",
               timeout=1200)
    return time.monotonic() - t0


def fast_id(values_raw: str) -> int:
    """The first value of a columnvalues array, which is `id` in both tables."""
    return int(values_raw[1:values_raw.index(",")])


def index_decode(path: Path, tables: list[str], problems: list[str]
                 ) -> tuple[dict[str, dict[int, int]], dict[str, str]]:
    """{table: {id: hash of raw columnvalues}} and {table: raw columnnames} of the decoder's
    insert events; a repeated id is a problem of the test's premise (one insert per row)."""
    hashes: dict[str, dict[int, int]] = {t: {} for t in tables}
    names: dict[str, str] = {}
    other = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            ev = EventLine(line.rstrip("\n"))
            if ev.kind != "insert" or ev.table not in hashes:
                other += 1
                continue
            i = fast_id(ev.values_raw)
            if i in hashes[ev.table]:
                problems.append(f"decode: {ev.table} id {i} inserted twice")
            hashes[ev.table][i] = hash(ev.values_raw)
            if names.setdefault(ev.table, ev.names_raw) != ev.names_raw:
                problems.append(f"decode: {ev.table} columnnames changed: {ev.names_raw}")
    if other:
        problems.append(f"decode printed {other} events other than inserts of {tables}")
    return hashes, names


def decode_lines_for(path: Path, wanted: dict[str, set[int]]) -> dict[tuple[str, int], str]:
    """The decoder's raw columnvalues of the given (table, id)s (for reporting differences)."""
    found = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            ev = EventLine(line.rstrip("\n"))
            if ev.kind == "insert" and ev.table in wanted:
                i = fast_id(ev.values_raw)
                if i in wanted[ev.table]:
                    found[(ev.table, i)] = ev.values_raw
    return found


def check_snapshot(lines: list[str], tables: list[str], decoded: dict[str, dict[int, int]],
                   names: dict[str, str], decode_path: Path, problems: list[str]) -> int:
    """Compares every snapshot_insert with the decoder's insert of the same id; returns the index
    of the last snapshot_insert line."""
    seen: dict[str, set[int]] = {t: set() for t in tables}
    last_id: dict[str, int] = {}
    mismatched: dict[str, dict[int, str]] = {t: {} for t in tables}
    order_problems, last_line, table_pos = [], -1, 0
    n_mismatch = 0
    for n, line in enumerate(lines):
        ev = EventLine(line)
        if ev.kind != "snapshot_insert":
            continue
        last_line = n
        if ev.table not in seen:
            problems.append(f"snapshot of a table not asked for: {short(line, 200)}")
            continue
        pos = tables.index(ev.table)
        if pos < table_pos and len(order_problems) < 3:
            order_problems.append(f"line {n + 1}: {ev.table} after {tables[table_pos]} "
                                  f"(MYSQL_TABLE order is {tables})")
        table_pos = max(table_pos, pos)
        if ev.oldkeys_raw != "{}":
            problems.append(f"line {n + 1}: snapshot_insert with oldkeys {ev.oldkeys_raw[:200]}")
        if ev.names_raw != names.get(ev.table):
            problems.append(f"line {n + 1}: columnnames {short(ev.names_raw, 300)} differ from "
                            f"the decoder's {short(names.get(ev.table, '(none)'), 300)}")
            names[ev.table] = ev.names_raw             # report once per table
        i = fast_id(ev.values_raw)
        if i in seen[ev.table]:
            problems.append(f"line {n + 1}: {ev.table} id {i} snapshotted twice")
        seen[ev.table].add(i)
        if ev.table in last_id and i <= last_id[ev.table] and len(order_problems) < 3:
            order_problems.append(f"line {n + 1}: {ev.table} id {i} after id "
                                  f"{last_id[ev.table]} (not primary-key order)")
        last_id[ev.table] = i
        want = decoded[ev.table].get(i)
        if want is None:
            problems.append(f"line {n + 1}: {ev.table} id {i} is not in the binlog")
        elif want != hash(ev.values_raw):
            n_mismatch += 1
            if len(mismatched[ev.table]) < 10:
                mismatched[ev.table][i] = ev.values_raw
    problems += order_problems
    for t in tables:
        missing = set(decoded[t]) - seen[t]
        if missing:
            problems.append(f"{t}: {len(missing)} rows of the binlog have no snapshot_insert, "
                            f"e.g. ids {sorted(missing)[:10]}")
        print(f"  {t}: {len(seen[t])} snapshot_insert events, {len(decoded[t])} binlog inserts",
              flush=True)
    if n_mismatch:
        problems.append(f"{n_mismatch} snapshot rows differ from the binlog rendering of the "
                        f"same row; the first ones (column: snapshot | binlog):")
        binlog = decode_lines_for(decode_path, {t: set(m) for t, m in mismatched.items()})
        for t, rows in mismatched.items():
            for i, raw in sorted(rows.items()):
                diff = value_diff(names[t], raw, binlog.get((t, i), "[]"))
                problems.append(f"  {t} id {i}: " + "; ".join(diff))
    return last_line


def check_stream_after(db, d: Daemon, lines_before: int, problems: list[str]) -> None:
    """Changes after the snapshot reach the output as insert/update/delete events after the
    last snapshot_insert; a server-made copy of ROW_MIXED renders like its snapshot row."""
    db.execute(f"{SESSION}USE {DB};\n"
               f"INSERT INTO narrow SELECT 3000003, {', '.join(NARROW[1:])} FROM narrow WHERE id = 3;\n"
               "INSERT INTO wide (id, c_int) VALUES (3000001, 42);\n"
               "UPDATE narrow SET c_int = IF(c_int <=> 7, 8, 7) WHERE id = 200;\n"  # c_int may be NULL

               "UPDATE wide SET id = 3000002, c_varchar_utf8mb4 = 'moved' WHERE id = 2;\n"
               "DELETE FROM narrow WHERE id IN (1, 500);\n"
               "DELETE FROM wide WHERE id = 3000001;\n")
    d.wait_caught_up(db, timeout=120)
    lines = read_lines(d.output_file)
    after = [EventLine(l) for l in lines[lines_before:]]
    got = [(e.kind, e.table, fast_id(e.values_raw) if e.kind != "delete" else
            int(e.before()[1][0])) for e in after]
    want = [("insert", f"{DB}.narrow", 3000003), ("insert", f"{DB}.wide", 3000001),
            ("update", f"{DB}.narrow", 200), ("update", f"{DB}.wide", 3000002),
            ("delete", f"{DB}.narrow", 1), ("delete", f"{DB}.narrow", 500),
            ("delete", f"{DB}.wide", 3000001)]
    if got != want:
        problems.append(f"stream after the snapshot: expected (kind, table, id) {want}, got "
                        f"{got[:20]}")
        return
    snap3 = next((EventLine(l).values_raw for l in lines[:lines_before]
                  if l.startswith('{"kind":"snapshot_insert"') and f'"table":"narrow"' in l
                  and EventLine(l).values_raw.startswith("[3,")), None)
    copy = after[0].values_raw
    if snap3 is None or copy != "[3000003" + snap3[2:]:
        problems.append(f"the streamed copy of row 3 renders differently from its snapshot row: "
                        f"{short(copy, 300)} vs {short(snap3, 300)}")
    print(f"  stream after the snapshot: {len(after)} events as expected", flush=True)


def main() -> int:
    ap = script_arguments(__doc__)
    ap.add_argument("--rows", type=int, default=1_000_000, help="generated rows of snap.narrow")
    ap.add_argument("--wide-rows", type=int, default=20_000, help="generated rows of snap.wide")
    args = ap.parse_args()
    if not require_files(mysql_cdc=args.mysql_cdc):
        return 2
    work = Path(tempfile.mkdtemp(prefix="snapshot-values-"))
    problems: list[str] = []
    t0 = time.monotonic()
    d = None
    tables = [f"{DB}.narrow", f"{DB}.wide"]
    try:
        with start_mariadb("snapvalues", extra_args=["--innodb-buffer-pool-size=1G",
                                                     "--innodb-log-file-size=512M",
                                                     "--max-binlog-size=256M"]) as db:
            secs = create_and_fill(db, "narrow", NARROW, args.rows)
            secs += create_and_fill(db, "wide", list(COLUMNS), args.wide_rows)
            counts = {t: int(db.sql(f"SELECT COUNT(*) FROM {t}")[0][0]) for t in tables}
            print(f"filled {counts} in {secs:.0f} s", flush=True)

            t1 = time.monotonic()
            files = db.save_binlogs(work / "binlog")
            decode_path = work / "decode.jsonl"
            cmd = [args.mysql_cdc, "decode", *[a for t in tables for a in ("--table", t)],
                   *map(str, files)]
            with open(decode_path, "wb") as out:
                res = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=out,
                                     stderr=subprocess.PIPE, timeout=900)
            if res.returncode != 0:
                raise DaemonError(f"`{' '.join(cmd[:6])} ...` exited {res.returncode}: "
                                  f"{res.stderr.decode(errors='replace')[-3000:]}")
            decoded, names = index_decode(decode_path, tables, problems)
            print(f"decoded {[len(decoded[t]) for t in tables]} inserts from "
                  f"{[f.name for f in files]} in {time.monotonic() - t1:.0f} s", flush=True)
            for t in tables:
                if len(decoded[t]) != counts[t]:
                    problems.append(f"decode: {len(decoded[t])} inserts of {t}, SELECT COUNT(*) "
                                    f"{counts[t]}: the binlog premise does not hold")

            env = daemon_env(db, work / "daemon", database=DB, tables="narrow,wide",
                             INITIAL_SNAPSHOT="true")
            d = Daemon(args.mysql_cdc, env, work / "daemon")
            t2 = time.monotonic()
            d.start()
            wait_snapshot_complete(d, timeout=900)
            print(f"snapshot of {sum(counts.values())} rows took "
                  f"{time.monotonic() - t2:.0f} s", flush=True)
            d.wait_caught_up(db, timeout=120)
            lines = read_lines(d.output_file)
            last = check_snapshot(lines, tables, decoded, names, decode_path, problems)
            if last != len(lines) - 1:
                problems.append(f"{len(lines) - 1 - last} lines after the last snapshot_insert "
                                f"before any change was made: {short(lines[last + 1], 200)}")
            if last >= 0:
                check_stream_after(db, d, len(lines), problems)
            stopped_cleanly(d, problems)
            problems += logged_errors(d)
    except DaemonError as e:
        problems.append(str(e))
    finally:
        if d is not None:
            d.stop()
    return finish(problems, work, args.keep, t0,
                  ok_note=": every snapshot row equals its binlog rendering byte for byte",
                  limit=40)


if __name__ == "__main__":
    sys.exit(main())

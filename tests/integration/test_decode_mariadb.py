#!/usr/bin/env python3
"""Issue 2, acceptance criterion 3: `mysql-cdc decode` turns a real MariaDB 10.11 binlog into the
change events a SELECT says happened, for every MariaDB column type.

The test starts a throwaway MariaDB (mariadb_server.py), creates a table with every column type,
and runs one client session of inserts, updates (one changes the primary key) and deletes, with a
FLUSH BINARY LOGS in the middle so the changes span two files. Around every statement the same
session SELECTs the affected rows, so the expected before/after images come from the server, never
from this file. The binlogs are saved with `mariadb-binlog --raw --read-from-remote-server`,
decoded with `mysql-cdc decode --table cdc_test.all_types`, and every value of every event is
compared with the SELECT results under DESIGN.md's rendering contract:

  integers, YEAR, BIT       JSON integers, every digit exact (BIT via CAST(col AS UNSIGNED))
  FLOAT / DOUBLE            JSON numbers equal to the stored float32/float64 (CAST(col AS DOUBLE)
                            gives the FLOAT exactly; plain SELECT rounds it to 6 digits), written in
                            the shortest form that round-trips at the column's width
  DECIMAL                   JSON strings, as SELECT prints them (exactly the column's scale)
  temporal                  SELECT's text with time_zone '+00:00' (TIMESTAMP in UTC, zero dates)
  character types           UTF-8 strings: HEX(CONVERT(col USING utf8mb4)) decoded as UTF-8
  ENUM / SET / JSON         SELECT's text (MariaDB's JSON is LONGTEXT, so it decodes as text)
  binary, BLOB, GEOMETRY    base64 of HEX(col) (BINARY(n) is padded to n bytes, as SELECT shows it)
  INET6, UUID               base64 of HEX(CAST(col AS BINARY(16))): the binlog carries these
                            MariaDB types as BINARY(16) and no type name, so the decoder can only
                            show the 16 bytes; CAST AS BINARY(16) gives them in storage order.

Cases: `plain`, and `compressed` (log_bin_compress=ON, min-len 10: compressed row events, which
the original connector's library silently drops). The test checks that the compressed case's
binlog really holds compressed row events, so it cannot pass by testing the plain format twice.
"""

from __future__ import annotations

import argparse
import base64
import json
import math
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mariadb_server import MariaDB  # noqa: E402

DB, TABLE = "cdc_test", "all_types"
CASES = {
    "plain": [],
    "compressed": ["--log-bin-compress=ON", "--log-bin-compress-min-len=10"],
}
ENUM_BIG = [f"e{i:03d}" for i in range(300)]          # > 255 labels: 2-byte ENUM
SET_BIG = [f"s{i:02d}" for i in range(64)]             # 64 members: 8-byte SET


def nines(n: int) -> str:
    return "9" * n


def fsp(n: int, digits: str = "999999") -> str:
    return "." + digits[:n] if n else ""


# name -> column definition. Every MariaDB 10.11 column type, several of each where the wire
# format differs (precision, fsp, charset, length-prefix width).
COLUMNS: dict[str, str] = {
    "id": "INT NOT NULL PRIMARY KEY",
    "c_tinyint": "TINYINT", "c_tinyint_u": "TINYINT UNSIGNED",
    "c_smallint": "SMALLINT", "c_smallint_u": "SMALLINT UNSIGNED",
    "c_mediumint": "MEDIUMINT", "c_mediumint_u": "MEDIUMINT UNSIGNED",
    "c_int": "INT", "c_int_u": "INT UNSIGNED",
    "c_bigint": "BIGINT", "c_bigint_u": "BIGINT UNSIGNED",
    "c_float": "FLOAT", "c_double": "DOUBLE",
    "c_dec_1_0": "DECIMAL(1,0)", "c_dec_4_2": "DECIMAL(4,2)", "c_dec_10_0": "DECIMAL(10,0)",
    "c_dec_18_9": "DECIMAL(18,9)", "c_dec_27_13": "DECIMAL(27,13)",
    "c_dec_65_0": "DECIMAL(65,0)", "c_dec_65_30": "DECIMAL(65,30)",
    "c_bit1": "BIT(1)", "c_bit9": "BIT(9)", "c_bit64": "BIT(64)",
    "c_year": "YEAR", "c_date": "DATE",
    **{f"c_time{n}": f"TIME({n})" for n in range(7)},
    **{f"c_dt{n}": f"DATETIME({n})" for n in range(7)},
    **{f"c_ts{n}": f"TIMESTAMP({n}) NULL DEFAULT NULL" for n in range(7)},
    "c_char_utf8mb4": "CHAR(10) CHARACTER SET utf8mb4",
    "c_varchar_utf8mb4": "VARCHAR(100) CHARACTER SET utf8mb4",
    "c_text_utf8mb4": "TEXT CHARACTER SET utf8mb4",
    "c_char_utf8mb3": "CHAR(10) CHARACTER SET utf8mb3",
    "c_varchar_utf8mb3": "VARCHAR(100) CHARACTER SET utf8mb3",
    "c_text_utf8mb3": "TEXT CHARACTER SET utf8mb3",
    "c_char_latin1": "CHAR(10) CHARACTER SET latin1",
    "c_varchar_latin1": "VARCHAR(100) CHARACTER SET latin1",
    "c_text_latin1": "TEXT CHARACTER SET latin1",
    "c_varchar_cp1251": "VARCHAR(50) CHARACTER SET cp1251",
    "c_char_ucs2": "CHAR(10) CHARACTER SET ucs2",
    "c_varchar_ucs2": "VARCHAR(50) CHARACTER SET ucs2",
    "c_char255_utf8mb4": "CHAR(255) CHARACTER SET utf8mb4",
    "c_varchar1000_utf8mb4": "VARCHAR(1000) CHARACTER SET utf8mb4",
    "c_tinytext": "TINYTEXT CHARACTER SET utf8mb4",
    "c_mediumtext": "MEDIUMTEXT CHARACTER SET utf8mb4",
    "c_longtext": "LONGTEXT CHARACTER SET utf8mb4",
    "c_binary": "BINARY(4)", "c_varbinary": "VARBINARY(300)",
    "c_tinyblob": "TINYBLOB", "c_blob": "BLOB", "c_mediumblob": "MEDIUMBLOB", "c_longblob": "LONGBLOB",
    "c_enum": "ENUM('a','b','€uro','') CHARACTER SET utf8mb4",
    "c_enum_big": "ENUM(" + ",".join(f"'{v}'" for v in ENUM_BIG) + ")",
    "c_set": "SET('a','b','c','𝄞') CHARACTER SET utf8mb4",
    "c_set_big": "SET(" + ",".join(f"'{v}'" for v in SET_BIG) + ")",
    "c_json": "JSON",
    "c_geometry": "GEOMETRY", "c_point": "POINT",
    "c_inet6": "INET6", "c_uuid": "UUID",
}

# Rows as SQL literals; a column left out is NULL.
ROW_MIN = {
    "c_tinyint": "-128", "c_tinyint_u": "0", "c_smallint": "-32768", "c_smallint_u": "0",
    "c_mediumint": "-8388608", "c_mediumint_u": "0", "c_int": "-2147483648", "c_int_u": "0",
    "c_bigint": "-9223372036854775808", "c_bigint_u": "0",
    "c_float": "-3.4028234e38", "c_double": "-1.7976931348623157e308",
    "c_dec_1_0": "-9", "c_dec_4_2": "-99.99", "c_dec_10_0": "-9999999999",
    "c_dec_18_9": f"-{nines(9)}.{nines(9)}", "c_dec_27_13": f"-{nines(14)}.{nines(13)}",
    "c_dec_65_0": f"-{nines(65)}", "c_dec_65_30": f"-{nines(35)}.{nines(30)}",
    "c_bit1": "b'0'", "c_bit9": "b'0'", "c_bit64": "0",
    "c_year": "1901", "c_date": "'1000-01-01'",
    **{f"c_time{n}": f"'-838:59:59{fsp(n)}'" for n in range(7)},
    **{f"c_dt{n}": f"'1000-01-01 00:00:00{fsp(n, '000000')}'" for n in range(7)},
    **{f"c_ts{n}": f"'1970-01-01 00:00:01{fsp(n, '000000')}'" for n in range(7)},
    "c_char_utf8mb4": "'a'", "c_varchar_utf8mb4": "''", "c_text_utf8mb4": "''",
    "c_char_latin1": "'€'", "c_varchar_cp1251": "'Ж'", "c_char_ucs2": "'A'",
    "c_binary": "0x00", "c_varbinary": "0x00", "c_tinyblob": "0x00", "c_blob": "''",
    "c_enum": "'a'", "c_enum_big": "'e000'", "c_set": "'a'", "c_set_big": "'s00'",
    "c_json": "'[]'", "c_geometry": "ST_GeomFromText('POINT(0 0)')",
    "c_point": "ST_GeomFromText('POINT(-180 -90)')",
    "c_inet6": "'::'", "c_uuid": "'00000000-0000-0000-0000-000000000000'",
}
ROW_MAX = {
    "c_tinyint": "127", "c_tinyint_u": "255", "c_smallint": "32767", "c_smallint_u": "65535",
    "c_mediumint": "8388607", "c_mediumint_u": "16777215", "c_int": "2147483647",
    "c_int_u": "4294967295", "c_bigint": "9223372036854775807", "c_bigint_u": "18446744073709551615",
    "c_float": "3.4028234e38", "c_double": "1.7976931348623157e308",
    "c_dec_1_0": "9", "c_dec_4_2": "99.99", "c_dec_10_0": "9999999999",
    "c_dec_18_9": f"{nines(9)}.{nines(9)}", "c_dec_27_13": f"{nines(14)}.{nines(13)}",
    "c_dec_65_0": nines(65), "c_dec_65_30": f"{nines(35)}.{nines(30)}",
    "c_bit1": "b'1'", "c_bit9": "b'111111111'", "c_bit64": "b'" + "1" * 64 + "'",
    "c_year": "2155", "c_date": "'9999-12-31'",
    **{f"c_time{n}": f"'838:59:59{fsp(n)}'" for n in range(7)},
    **{f"c_dt{n}": f"'9999-12-31 23:59:59{fsp(n)}'" for n in range(7)},
    **{f"c_ts{n}": f"'2038-01-19 03:14:07{fsp(n)}'" for n in range(7)},
    "c_char_utf8mb4": "'𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞'", "c_varchar_utf8mb4": "REPEAT('€', 100)",
    "c_text_utf8mb4": "REPEAT('𝄞', 16383)",
    "c_char_utf8mb3": "'€€€€€€€€€€'", "c_varchar_utf8mb3": "REPEAT('ü', 100)",
    "c_text_utf8mb3": "REPEAT('€', 21845)",
    "c_char_latin1": "'ÿÿÿÿÿÿÿÿÿÿ'", "c_varchar_latin1": "REPEAT('é', 100)",
    "c_text_latin1": "REPEAT('x', 65535)",
    "c_varchar_cp1251": "REPEAT('я', 50)", "c_char_ucs2": "'ΩΩΩΩΩΩΩΩΩΩ'",
    "c_varchar_ucs2": "REPEAT('€', 50)",
    "c_char255_utf8mb4": "REPEAT('𝄞', 255)", "c_varchar1000_utf8mb4": "REPEAT('𝄞', 1000)",
    "c_tinytext": "REPEAT('y', 255)", "c_mediumtext": "REPEAT('€', 30000)",
    "c_longtext": "REPEAT('abc€', 20000)",
    "c_binary": "0xFFFFFFFF", "c_varbinary": "REPEAT(0xFF, 300)", "c_tinyblob": "REPEAT(0xFE, 255)",
    "c_blob": "REPEAT(0x01, 65535)", "c_mediumblob": "REPEAT(0x00FF, 40000)",
    "c_longblob": "REPEAT(0xABCD, 50000)",
    "c_enum": "''", "c_enum_big": "'e299'", "c_set": "'a,b,c,𝄞'",
    "c_set_big": "'" + ",".join(SET_BIG) + "'",
    "c_json": "'{\"k\": [1, 2.5, \"€𝄞\", null, true, {\"n\": -1}]}'",
    "c_geometry": "ST_GeomFromText('POLYGON((0 0,10 0,10 10,0 10,0 0),(2 2,3 2,3 3,2 2))')",
    "c_point": "ST_GeomFromText('POINT(180 90)')",
    "c_inet6": "'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'",
    "c_uuid": "'ffffffff-ffff-ffff-ffff-ffffffffffff'",
}
ROW_MIXED = {
    "c_tinyint": "-1", "c_tinyint_u": "1", "c_smallint": "-256", "c_smallint_u": "256",
    "c_mediumint": "-1", "c_mediumint_u": "65536", "c_int": "-65537", "c_int_u": "2147483648",
    "c_bigint": "-1", "c_bigint_u": "9223372036854775808",
    "c_float": "0.1", "c_double": "0.1e0 + 0.2e0",
    "c_dec_1_0": "0", "c_dec_4_2": "-0.01", "c_dec_10_0": "-1",
    "c_dec_18_9": "000123.450000000", "c_dec_27_13": "-0.5",
    "c_dec_65_0": "1" + "0" * 64, "c_dec_65_30": "-0.000000000000000000000000000001",
    "c_bit1": "1", "c_bit9": "b'100000001'", "c_bit64": "b'1" + "0" * 63 + "'",
    "c_year": "2024", "c_date": "'2024-02-29'",
    "c_time0": "'-00:00:01'", "c_time1": "'-00:00:00.1'", "c_time2": "'24:00:00.01'",
    "c_time3": "'100:00:00.5'", "c_time4": "'-12:34:56.0001'", "c_time5": "'00:00:00.00001'",
    "c_time6": "'-00:00:00.000001'",
    **{f"c_dt{n}": f"'2024-02-29 12:34:56{fsp(n, '123456')}'" for n in range(7)},
    **{f"c_ts{n}": f"'2000-01-01 00:00:00{fsp(n, '000001')}'" for n in range(7)},
    "c_char_utf8mb4": "'€𝄞 ü'", "c_varchar_utf8mb4": "'trailing spaces  '",
    "c_text_utf8mb4": "'line1\\nline2\\ttab \"quote\" \\\\ back'",
    "c_char_utf8mb3": "'ñ€'", "c_varchar_utf8mb3": "'日本語'", "c_text_utf8mb3": "'Ω'",
    "c_char_latin1": "'Grüße €'", "c_varchar_latin1": "'café'", "c_text_latin1": "'ŠŽšžŸ'",
    "c_varchar_cp1251": "'Привет, мир'", "c_char_ucs2": "'Ωé€'", "c_varchar_ucs2": "'日本'",
    "c_char255_utf8mb4": "CONCAT(REPEAT('€', 200), 'end')", "c_varchar1000_utf8mb4": "'x'",
    "c_tinytext": "'€'", "c_mediumtext": "''", "c_longtext": "'𝄞'",
    "c_binary": "'ab'", "c_varbinary": "0x0001FF00", "c_tinyblob": "''", "c_blob": "0x00FF",
    "c_mediumblob": "'text in a blob'", "c_longblob": "0x80",
    "c_enum": "'€uro'", "c_enum_big": "'e256'", "c_set": "'a,𝄞'", "c_set_big": "'s07,s08,s63'",
    "c_json": "'{\"a\": \"€\", \"b\": 1.5e300}'",
    "c_geometry": "ST_GeomFromText('LINESTRING(1 2,3 4.5)')",
    "c_point": "ST_GeomFromText('POINT(-1.5 3.25)')",
    "c_inet6": "'2001:db8::ff00:42:8329'", "c_uuid": "'123e4567-e89b-12d3-a456-426655440000'",
}
ROW_ZERO = {
    "c_tinyint": "0", "c_tinyint_u": "0", "c_smallint": "0", "c_smallint_u": "0",
    "c_mediumint": "0", "c_mediumint_u": "0", "c_int": "0", "c_int_u": "0",
    "c_bigint": "0", "c_bigint_u": "0", "c_float": "0", "c_double": "0",
    "c_dec_1_0": "0", "c_dec_4_2": "0", "c_dec_10_0": "0", "c_dec_18_9": "0",
    "c_dec_27_13": "0", "c_dec_65_0": "0", "c_dec_65_30": "0",
    "c_bit1": "0", "c_bit9": "0", "c_bit64": "0",
    "c_year": "0", "c_date": "'0000-00-00'",
    **{f"c_time{n}": "'00:00:00'" for n in range(7)},
    **{f"c_dt{n}": "'0000-00-00 00:00:00'" for n in range(7)},
    **{f"c_ts{n}": "'0000-00-00 00:00:00'" for n in range(7)},
    **{c: "''" for c in COLUMNS if c.startswith(("c_char", "c_varchar", "c_text", "c_tiny",
                                                "c_medium", "c_long", "c_blob", "c_binary",
                                                "c_varbinary"))},
    "c_enum": "''", "c_enum_big": "'e000'", "c_set": "''", "c_set_big": "''",
    "c_json": "'\"\"'", "c_inet6": "'::'", "c_uuid": "'00000000-0000-0000-0000-000000000000'",
}


def row_variant(i: int) -> dict[str, str]:
    """Further rows with moderate values, zero-in-date parts and rounding-sensitive fractions."""
    return {
        "c_tinyint": str(i), "c_int": str(-i * 1000003), "c_bigint_u": str(2**63 + i),
        "c_float": f"{i}.{i}e-{i}", "c_double": f"-{i}.{i}e{i * 37}",
        "c_dec_4_2": f"{i}.{i}", "c_dec_65_30": f"{i}.{i}", "c_bit9": str(i * 50),
        "c_date": f"'2020-0{i % 3}-00'", "c_dt3": f"'2020-01-00 10:00:00.{i}'",
        "c_ts6": f"'2021-06-15 1{i}:00:00.{i:06d}'", "c_time6": f"'{i * 100}:00:00.{i}'",
        "c_varchar_utf8mb4": f"'row {i} ✓'", "c_enum_big": f"'e{i:03d}'", "c_set": "'b,c'",
        "c_varbinary": f"0x{i:02x}00{i:02x}", "c_json": f"'{{\"i\": {i}}}'",
    }


def column_expr(name: str, data_type: str) -> tuple[str, str]:
    """(SELECT expression, category) giving the contract's value for one column."""
    if name == "id" or data_type in ("tinyint", "smallint", "mediumint", "int", "bigint", "year"):
        return name, "int"
    if data_type == "bit":
        return f"CAST({name} AS UNSIGNED)", "int"
    if data_type == "float":
        return f"CAST({name} AS DOUBLE)", "float32"
    if data_type == "double":
        return name, "float64"
    if data_type == "decimal":
        return name, "text"
    if data_type in ("date", "time", "datetime", "timestamp"):
        return name, "text"
    if data_type in ("char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set"):
        return f"HEX(CONVERT({name} USING utf8mb4))", "hex-utf8"
    if data_type in ("inet6", "uuid"):
        return f"HEX(CAST({name} AS BINARY(16)))", "hex-base64"
    if data_type in ("binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob",
                     "geometry", "point", "linestring", "polygon"):
        return f"HEX({name})", "hex-base64"
    raise AssertionError(f"column {name}: no rendering rule for MariaDB type {data_type!r}")


class Expectation:
    """Builds one client session (the workload) and the expected events from its captures."""

    def __init__(self, columns: list[tuple[str, str, str]]):
        self.columns = columns                      # (name, data_type, column_type)
        self.exprs = [column_expr(n, t) for n, t, _ in columns]
        self.script: list[str] = []
        self.steps: list[dict] = []

    def _capture(self, ids: list[int]) -> None:
        self.script.append("SELECT '#cap';")     # marks where this capture's rows begin
        self.script.append(f"SELECT {', '.join(e for e, _ in self.exprs)} FROM {TABLE} "
                           f"WHERE id IN ({', '.join(map(str, ids))}) ORDER BY id;")

    def sql(self, statement: str) -> None:
        """A statement that changes no row of the table under test (other tables, FLUSH)."""
        self.script.append(statement)

    def insert(self, rows: dict[int, dict[str, str]]) -> None:
        ids = sorted(rows)
        names = list(COLUMNS)
        values = ", ".join("(" + ", ".join(str(i) if c == "id" else rows[i].get(c, "NULL")
                                          for c in names) + ")" for i in ids)
        self.script.append(f"INSERT INTO {TABLE} ({', '.join(names)}) VALUES {values};")
        self._capture(ids)
        self.steps.append({"kind": "insert", "ids": ids})

    def update(self, assignments: str, ids: list[int], new_ids: list[int] | None = None) -> None:
        """ids ascending (InnoDB changes them in key order); new_ids[i] is ids[i] afterwards."""
        ids = sorted(ids)
        self._capture(ids)
        self.script.append(f"UPDATE {TABLE} SET {assignments} "
                           f"WHERE id IN ({', '.join(map(str, ids))});")
        self._capture(new_ids or ids)
        self.steps.append({"kind": "update", "ids": ids, "new_ids": new_ids or ids})

    def delete(self, ids: list[int]) -> None:
        ids = sorted(ids)
        self._capture(ids)
        self.script.append(f"DELETE FROM {TABLE} WHERE id IN ({', '.join(map(str, ids))});")
        self.steps.append({"kind": "delete", "ids": ids})

    def run(self, db: MariaDB) -> list[dict]:
        """Runs the session and returns the expected events in binlog order."""
        head = "SET time_zone = '+00:00'; SET sql_mode = ''; SET NAMES utf8mb4;"
        out = db.execute(head + "\n".join(self.script), database=DB)
        captures: list[list[list[str | None]]] = []
        for line in out.splitlines():
            if line == "#cap":
                captures.append([])
            else:
                captures[-1].append([None if f == "NULL" else f for f in line.split("\t")])
        caps = iter(captures)
        events = []
        for step in self.steps:
            if step["kind"] == "insert":
                after = self._rows(next(caps), step["ids"])
                events += [self._event("insert", a, None) for a in after]
            elif step["kind"] == "update":
                before = self._rows(next(caps), step["ids"])
                after = self._rows(next(caps), step["new_ids"])
                events += [self._event("update", a, b) for b, a in zip(before, after)]
            else:
                before = self._rows(next(caps), step["ids"])
                events += [self._event("delete", None, b) for b in before]
        return events

    def _rows(self, capture: list[list[str | None]], ids: list[int]) -> list[list]:
        rows = {int(r[0]): [to_contract(v, cat) for v, (_, cat) in zip(r, self.exprs)]
                for r in capture}
        missing = [i for i in ids if i not in rows]
        if missing:
            raise AssertionError(f"workload bug: rows {missing} not found by the capture SELECT")
        return [rows[i] for i in ids]

    def _event(self, kind: str, after: list | None, before: list | None) -> dict:
        names = [n for n, _, _ in self.columns]
        return {
            "kind": kind, "schema": DB, "table": TABLE,
            "columnnames": names if after is not None else [],
            "columnvalues": after if after is not None else [],
            "oldkeys": {"keynames": names, "keyvalues": before} if before is not None else {},
        }


class Expected:
    """An expected value with how to compare it (float width, exact text)."""

    def __init__(self, value, category: str):
        self.value, self.category = value, category

    def __repr__(self) -> str:
        return short(self.value)


def to_contract(text: str | None, category: str):
    if text is None:
        return Expected(None, "null")
    if category == "int":
        return Expected(int(text), "int")
    if category in ("float32", "float64"):
        return Expected(float(text), category)
    if category == "hex-utf8":
        return Expected(bytes.fromhex(text).decode("utf-8"), "text")
    if category == "hex-base64":
        return Expected(base64.b64encode(bytes.fromhex(text)).decode("ascii"), "text")
    return Expected(text, "text")


class Number(str):
    """A JSON number token kept as written, so its exact digits can be checked."""


def load_events(stdout: str) -> list[dict]:
    events = []
    for n, line in enumerate(stdout.splitlines(), 1):
        if not line.strip():
            continue
        try:
            events.append(json.loads(line, parse_int=Number, parse_float=Number))
        except json.JSONDecodeError as e:
            raise AssertionError(f"decode output line {n} is not JSON ({e}): {short(line)}")
    return events


def f32(x: float) -> float:
    """x rounded to float32 as strtof would (struct refuses values just above FLT_MAX)."""
    try:
        return struct.unpack("<f", struct.pack("<f", x))[0]
    except OverflowError:
        flt_max, halfway = 3.4028234663852886e38, float(2**128 - 2**103)
        return math.copysign(flt_max if abs(x) < halfway else math.inf, x)


def significant_digits(token: str) -> int:
    mantissa = token.lstrip("-").lower().split("e")[0].replace(".", "")
    return len(mantissa.strip("0")) or 1


def shortest_digits(x: float, single: bool) -> int:
    if not single:
        return significant_digits(repr(x))
    for p in range(1, 10):
        if f32(float(f"{x:.{p}g}")) == x:
            return p
    return 9


def value_problem(exp: Expected, actual) -> str | None:
    """None if actual renders exp under the contract, else what is wrong."""
    c = exp.category
    if c == "null":
        return None if actual is None else "expected null"
    if c == "int":
        if not isinstance(actual, Number) or actual != str(exp.value):
            return "expected the JSON integer " + str(exp.value)
        return None
    if c in ("float32", "float64"):
        if not isinstance(actual, Number):
            return "expected a JSON number"
        got = float(actual)
        single = c == "float32"
        if (f32(got) if single else got) != exp.value:
            return f"wrong value ({'float32' if single else 'float64'} differs)"
        if exp.value != 0 and significant_digits(actual) != shortest_digits(exp.value, single):
            return (f"right value, but not the shortest round-trip form "
                    f"({shortest_digits(exp.value, single)} significant digits)")
        return None
    if not isinstance(actual, str) or isinstance(actual, Number) or actual != exp.value:
        return "expected this JSON string"
    return None


def display(exp: Expected) -> str:
    if exp.category in ("float32", "float64") and exp.value:
        p = shortest_digits(exp.value, exp.category == "float32")
        return f"{exp.value:.{p}g}  (shortest round-trip form of the {exp.category})"
    return short(exp.value)


def short(v, limit: int = 100) -> str:
    s = json.dumps(v, ensure_ascii=False) if not isinstance(v, Number) else str(v)
    return s if len(s) <= limit else f"{s[:limit]}… ({len(s)} chars)"


def compare(expected: list[dict], actual: list[dict], types: dict[str, str]) -> list[str]:
    problems: list[str] = []
    if len(actual) != len(expected):
        problems.append(f"decode printed {len(actual)} events, the workload made {len(expected)}")
    for n, (exp, act) in enumerate(zip(expected, actual)):
        where = f"event {n} ({exp['kind']})"
        for key in ("kind", "schema", "table"):
            if act.get(key) != exp[key]:
                problems.append(f"{where}: {key} expected {exp[key]!r}, got {act.get(key)!r}")
        if act.get("kind") != exp["kind"]:
            continue
        for part, names_key, values_key in (("after", "columnnames", "columnvalues"),
                                            ("before", "keynames", "keyvalues")):
            holder_e = exp if part == "after" else exp["oldkeys"]
            holder_a = act if part == "after" else act.get("oldkeys")
            if not isinstance(holder_a, dict):
                problems.append(f"{where}: oldkeys is {short(holder_a)}, expected an object")
                continue
            if not holder_e:
                if holder_a:
                    problems.append(f"{where}: oldkeys expected {{}}, got {short(holder_a)}")
                continue
            if holder_a.get(names_key) != holder_e[names_key]:
                problems.append(f"{where}: {names_key} differ: expected "
                                f"{short(holder_e[names_key])}, got {short(holder_a.get(names_key))}")
                continue
            values = holder_a.get(values_key)
            if not isinstance(values, list) or len(values) != len(holder_e[values_key]):
                problems.append(f"{where}: {values_key} has {short(values)}")
                continue
            for name, e, a in zip(holder_e[names_key], holder_e[values_key], values):
                why = value_problem(e, a)
                if why:
                    problems.append(f"{where} {part} {name} [{types[name]}]: {why}\n"
                                    f"      expected {display(e)}\n      actual   {short(a)}")
    return problems


def count_event_types(path: Path) -> dict[int, int]:
    """Event type histogram of a binlog file (header: ts u32, type u8, server u32, size u32...)."""
    data, pos, counts = path.read_bytes(), 4, {}
    while pos + 19 <= len(data):
        etype, size = data[pos + 4], struct.unpack_from("<I", data, pos + 9)[0]
        counts[etype] = counts.get(etype, 0) + 1
        if size < 19:
            raise AssertionError(f"{path}: event at {pos} has size {size}")
        pos += size
    return counts


def build_workload(db: MariaDB) -> Expectation:
    ddl = ",\n  ".join(f"{n} {d}" for n, d in COLUMNS.items())
    db.execute(f"CREATE DATABASE {DB}; USE {DB};"
               f"CREATE TABLE {TABLE} (\n  {ddl}\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;"
               f"CREATE TABLE other (id INT PRIMARY KEY, v VARCHAR(10));")
    columns = [tuple(r) for r in db.sql(
        f"SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE FROM information_schema.COLUMNS "
        f"WHERE TABLE_SCHEMA='{DB}' AND TABLE_NAME='{TABLE}' ORDER BY ORDINAL_POSITION")]
    if [c[0] for c in columns] != list(COLUMNS):
        raise AssertionError(f"the server created other columns than asked: {columns}")
    w = Expectation(columns)
    w.insert({1: ROW_MIN})
    w.insert({2: ROW_MAX})
    w.sql("INSERT INTO other VALUES (1, 'not me');")
    w.insert({3: ROW_MIXED, 4: {}, 5: ROW_ZERO})
    w.insert({i: row_variant(i) for i in (6, 7, 8)})
    w.sql("FLUSH BINARY LOGS;")
    w.update("c_int = c_int + 1, c_varchar_utf8mb4 = 'changed €', c_dt6 = '2001-02-03 04:05:06.7',"
             " c_ts0 = '2010-10-10 10:10:10', c_bit64 = 12345", [3])
    w.update("id = 50", [5], [50])
    w.update("c_float = NULL, c_json = NULL, c_blob = NULL, c_geometry = NULL", [1])
    w.update("c_tinyint = 99, c_dec_4_2 = -c_dec_4_2", [6, 7, 8])
    w.update("c_bigint_u = 18446744073709551615, c_text_latin1 = 'now set €'", [4])
    w.sql("UPDATE other SET v = 'nor me' WHERE id = 1;")
    w.sql("BEGIN;")
    w.insert({9: ROW_MIXED})
    w.update("c_varchar_utf8mb4 = 'in a transaction'", [9])
    w.delete([9])
    w.sql("COMMIT;")
    w.delete([2])
    w.delete([7, 8])
    w.sql("FLUSH BINARY LOGS;")
    return w


def run_case(case: str, mysql_cdc: str, artifacts: Path | None) -> bool:
    work = Path(tempfile.mkdtemp(prefix=f"decode-mariadb-{case}-"))
    try:
        with MariaDB(extra_args=CASES[case], name=case) as db:
            workload = build_workload(db)
            expected = workload.run(db)
            files = db.save_binlogs(work / "binlog")
        types = {n: t for n, _, t in workload.columns}
        histogram: dict[int, int] = {}
        for f in files:
            for k, v in count_event_types(f).items():
                histogram[k] = histogram.get(k, 0) + v
        compressed_rows = sum(histogram.get(t, 0) for t in (166, 167, 168, 169, 170, 171))
        print(f"[{case}] {len(expected)} expected events; binlogs {[f.name for f in files]}; "
              f"event types {dict(sorted(histogram.items()))}")
        problems = []
        if case == "compressed" and compressed_rows == 0:
            problems.append("log_bin_compress=ON wrote no compressed row events: this case tests nothing")
        if case == "plain" and compressed_rows:
            problems.append("the plain case wrote compressed row events")

        cmd = [mysql_cdc, "decode", "--table", f"{DB}.{TABLE}", *map(str, files)]
        res = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300)
        if artifacts:
            dest = artifacts / case
            shutil.rmtree(dest, ignore_errors=True)
            shutil.copytree(work / "binlog", dest / "binlog")
            (dest / "decoded.jsonl").write_text(res.stdout)
            (dest / "decode.stderr").write_text(res.stderr)
            (dest / "expected.jsonl").write_text("".join(
                json.dumps(e, default=lambda x: x.value, ensure_ascii=False) + "\n" for e in expected))
        if res.returncode != 0:
            problems.append(f"`{' '.join(cmd)}` exited {res.returncode}; stderr:\n{res.stderr[-3000:]}")
        else:
            problems += compare(expected, load_events(res.stdout), types)
        if problems:
            print(f"[{case}] FAILED: {len(problems)} problem(s)"
                  + (f"; files kept in {artifacts / case}" if artifacts else ""))
            for p in problems:
                print("  - " + p)
            return False
        print(f"[{case}] OK: all {len(expected)} events and every value match the SELECTs")
        return True
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mysql-cdc", required=True, help="path to the built mysql-cdc binary")
    ap.add_argument("--case", choices=[*CASES, "all"], default="all")
    ap.add_argument("--artifacts", type=Path,
                    help="keep the binlogs, decoded and expected events of each case here")
    args = ap.parse_args()
    if not Path(args.mysql_cdc).is_file():
        print(f"error: --mysql-cdc {args.mysql_cdc} does not exist; build first "
              "(cmake --build build)", file=sys.stderr)
        return 2
    cases = list(CASES) if args.case == "all" else [args.case]
    results = [run_case(c, args.mysql_cdc, args.artifacts) for c in cases]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())

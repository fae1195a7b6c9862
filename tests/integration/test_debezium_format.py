#!/usr/bin/env python3
"""Issue 15, acceptance 1 (the Debezium part): OUTPUT_FORMAT=debezium end to end. A real MariaDB,
the daemon (OUTPUT_SINK=kafka, INITIAL_SNAPSHOT=true) into the test broker, read back with kcat.

Two tables share the default topic: d.t, a primary key and a column of nearly every type
(signed and unsigned integers, FLOAT, DOUBLE, DECIMAL, DATE, DATETIME(0/3/6), TIMESTAMP(0/3),
TIME(0/6), YEAR, utf8mb4 VARCHAR, BINARY, BLOB, ENUM, SET, BIT(1), BIT(10), JSON, NOT NULL
columns, zero dates), and d.u, a composite primary key in another order than its columns.
Rows written before the daemon starts are snapshot rows (op r); then inserts (c), updates (u),
deletes (d), primary-key changes (d of the old key, its tombstone, c of the new key) and a
transaction over both tables are streamed. The test models every write with the values it
inserted and computes their Debezium rendering itself (docs/DEBEZIUM.md, "Column types"); each
message is parsed as the envelope and compared with the model:

  - the envelope's and `source`'s fields, in order, with their JSON types; op; before/after;
    source.snapshot/db/table/server_id/gtid/file/pos/row/ts_ms;
  - the key: the key struct with __dbz__physicalTableIdentifier (a shared topic), the partition
    murmur2(key) % 4, every key's messages in commit order in one partition, a snapshot row's
    key bytes equal to those of the row's later streamed changes;
  - KAFKA_TOMBSTONES=true: each delete followed by a null value with the same key.

  plain         DEBEZIUM_DECIMAL_HANDLING=precise (base64 unscaled), tombstones
  schemas       DEBEZIUM_SCHEMAS=true, decimal string, another DEBEZIUM_SERVER_NAME: every key
                and value is {"schema","payload"}, the schema as JsonConverter writes it,
                matching the payload and the columns' types; no tombstones
  transactions  DEBEZIUM_TRANSACTION_METADATA=true, decimal double, tombstones: the transaction
                block's id (the GTID), total_order and data_collection_order

    tests/integration/test_debezium_format.py --mysql-cdc BUILD/src/mysql-cdc \
        --broker BUILD/tests/support/kafka_test_broker [--case plain] [--seed N] [--keep]
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import random
import shutil
import struct
import sys
import tempfile
import time
from dataclasses import dataclass, field
from decimal import Context, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from daemon_harness import (Daemon, DaemonError, daemon_env, logged_errors,  # noqa: E402
                            master_status, start_mariadb)
from kafka_broker import KafkaBroker, KafkaBrokerError, consume  # noqa: E402
from script_frame import pick_seed, require_files, script_arguments  # noqa: E402
from test_kafka_sink import partition_of  # noqa: E402

PARTITIONS = 4
EPOCH = dt.date(1970, 1, 1)
WIDE = Context(prec=80)  # DECIMAL(30,6) needs more than the default 28 digits
ZERO = "zero"  # a zero date ('0000-00-00'), as a column value

# --- columns: their SQL, a value generator and their Debezium rendering ------------------------


@dataclass
class Col:
    name: str
    sql: str           # the type in CREATE TABLE
    kind: str          # int, float, double, decimal, date, datetime, timestamp, time, year,
    #                    text, binary, blob, enum, set, bit, json
    nullable: bool = True
    bits: int = 0      # int: 8/16/24/32/64; bit: n
    unsigned: bool = False
    p: int = 0         # decimal precision; binary length
    s: int = 0         # decimal scale; temporal fraction digits
    labels: tuple = ()

    # -- SQL literals
    def literal(self, v) -> str:
        if v is None:
            return "NULL"
        k = self.kind
        if v == ZERO:
            return "'0000-00-00 00:00:00'" if k in ("datetime", "timestamp") else "'0000-00-00'"
        if k in ("int", "year"):
            return str(v)
        if k in ("float", "double"):
            r = repr(float(v))
            return r if "e" in r else r + "e0"
        if k == "decimal":
            return format(v, "f")
        if k == "date":
            return f"'{v.isoformat()}'"
        if k in ("datetime", "timestamp"):
            return f"'{v.strftime('%Y-%m-%d %H:%M:%S.%f')}'"
        if k == "time":
            sign = "-" if v < 0 else ""
            a = abs(v)
            return f"'{sign}{a // 3_600_000_000}:{a // 60_000_000 % 60:02}:" \
                   f"{a // 1_000_000 % 60:02}.{a % 1_000_000:06}'"
        if k in ("text", "json"):
            return f"CONVERT(X'{v.encode().hex()}' USING utf8mb4)" if v else "''"
        if k in ("binary", "blob"):
            return f"X'{v.hex()}'"
        if k == "enum":
            return f"'{v}'"
        if k == "set":
            return "'" + ",".join(sorted(v, key=self.labels.index)) + "'"
        if k == "bit":
            return f"b'{int(v):b}'"
        raise ValueError(k)

    # -- values, by flavor: random, min, max
    def value(self, rng: random.Random, flavor: str):
        k = self.kind
        pick = {"min": 0, "max": 1}.get(flavor)
        if k == "int":
            lo, hi = (0, 2 ** self.bits - 1) if self.unsigned else \
                (-2 ** (self.bits - 1), 2 ** (self.bits - 1) - 1)
            return (lo, hi)[pick] if pick is not None else \
                rng.choice([rng.randint(lo, hi), rng.randint(-100, 100) if lo < 0 else
                            rng.randint(0, 200)])
        if k == "float":
            return (-3.5, 1e30)[pick] if pick is not None else \
                rng.choice([0.1, -2.75, 123456.789, 1.5e-7])
        if k == "double":
            return (-1e300, 1.7976931348623157e308)[pick] if pick is not None else \
                rng.uniform(-1e6, 1e6)
        if k == "decimal":
            big = 10 ** self.p - 1
            unscaled = (-big, big)[pick] if pick is not None else \
                rng.choice([rng.randint(-big, big), rng.randint(-2000, 2000), -1230, 0])
            return Decimal(unscaled).scaleb(-self.s, WIDE)
        if k == "date":
            lo, hi = dt.date(1000, 1, 1), dt.date(9999, 12, 31)
            return (lo, hi)[pick] if pick is not None else rng.choice(
                [dt.date.fromordinal(rng.randint(lo.toordinal(), hi.toordinal())),
                 dt.date(1969, 12, 31), EPOCH])
        if k in ("datetime", "timestamp"):
            if k == "datetime":
                lo, hi = dt.datetime(1000, 1, 1), dt.datetime(9999, 12, 31, 23, 59, 59, 999999)
            else:
                lo, hi = dt.datetime(1970, 1, 1, 0, 0, 1), dt.datetime(2038, 1, 19, 3, 14, 7,
                                                                      999999)
            if pick is not None:
                v = (lo, hi)[pick]
            else:
                span = int((hi - lo).total_seconds())
                v = lo + dt.timedelta(seconds=rng.randint(0, span),
                                      microseconds=rng.randint(0, 999999))
            return v.replace(microsecond=v.microsecond // 10 ** (6 - self.s) * 10 ** (6 - self.s))
        if k == "time":
            top = 838 * 3_600_000_000 + 59 * 60_000_000 + 59_000_000
            if pick is not None:
                return (-top, top)[pick]
            v = rng.choice([rng.randint(-top, top), rng.randint(0, 86_400_000_000 - 1),
                            -(3_600_000_000 + 2 * 60_000_000 + 3_000_000)])
            unit = 10 ** (6 - self.s)
            return int(v / unit) * unit
        if k == "year":
            return (1901, 2155)[pick] if pick is not None else rng.randint(1901, 2155)
        if k == "text":
            if pick is not None:
                return ("", "🎉" * self.p)[pick]
            return rng.choice(["Grüße aus Köln", "日本語のテキスト", "emoji 🎉 ✓ ∑", "quote ' back \\",
                               "tab\tnew\nline \"q\"", "plain ascii", "ÅÄÖ åäö ß €"])
        if k == "binary":
            if pick is not None:
                return (b"", b"\xff" * self.p)[pick]
            return bytes(rng.randrange(256) for _ in range(rng.randint(1, self.p)))
        if k == "blob":
            if pick is not None:
                return (b"", b"\x00\xff" * 500)[pick]
            return bytes(rng.randrange(256) for _ in range(rng.randint(1, 40)))
        if k == "enum":
            return self.labels[(0, -1)[pick]] if pick is not None else rng.choice(self.labels)
        if k == "set":
            if pick is not None:
                return (frozenset(), frozenset(self.labels))[pick]
            return frozenset(x for x in self.labels if rng.random() < 0.5)
        if k == "bit":
            top = 2 ** self.bits - 1
            v = (0, top)[pick] if pick is not None else rng.randint(0, top)
            return bool(v) if self.bits == 1 else v
        if k == "json":
            if pick is not None:
                return ("[]", json.dumps({"k": list(range(50)), "ü": {"x": [None, True]}}))[pick]
            return rng.choice(['{"a": [1, 2.5, "x"], "ü": null}', "[true, false]", '"text"',
                               '{"nested": {"deep": {"n": -7}}}'])
        raise ValueError(k)

    # -- the Debezium rendering (docs/DEBEZIUM.md, "Column types")
    def rendered(self, v, decimal_mode: str):
        k = self.kind
        if v is None:
            return None
        if v == ZERO:
            # Zero dates: null when nullable, else the epoch.
            if self.nullable:
                return None
            return "1970-01-01T00:00:00Z" if k == "timestamp" else 0
        if k == "int":
            return v - 2 ** 64 if self.bits == 64 and self.unsigned and v >= 2 ** 63 else v
        if k in ("float", "double", "year", "enum"):
            return v
        if k == "decimal":
            if decimal_mode == "string":
                return f"{v:.{self.s}f}"
            if decimal_mode == "double":
                return float(v)
            unscaled = int(v.scaleb(self.s, WIDE))
            n = (unscaled if unscaled >= 0 else ~unscaled).bit_length() // 8 + 1
            return base64.b64encode(unscaled.to_bytes(n, "big", signed=True)).decode()
        if k == "date":
            return (v - EPOCH).days
        if k == "datetime":
            delta = v - dt.datetime(1970, 1, 1)
            us = (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds
            return us // 1000 if self.s <= 3 else us
        if k == "timestamp":
            text = v.strftime("%Y-%m-%dT%H:%M:%S")
            if self.s:
                text += "." + f"{v.microsecond:06}"[:self.s]
            return text + "Z"
        if k == "time":
            return v
        if k in ("text", "json"):
            return v
        if k == "binary":
            return base64.b64encode(v.ljust(self.p, b"\0")).decode()
        if k == "blob":
            return base64.b64encode(v).decode()
        if k == "set":
            return ",".join(x for x in self.labels if x in v)
        if k == "bit":
            if self.bits == 1:
                return bool(v)
            return base64.b64encode(v.to_bytes((self.bits + 7) // 8, "little")).decode()
        raise ValueError(k)

    # -- the field schema JsonConverter writes (type, optional, name/version/parameters)
    def field_schema(self, decimal_mode: str) -> dict:
        k = self.kind
        named = {"date": ("int32", "io.debezium.time.Date"),
                 "time": ("int64", "io.debezium.time.MicroTime"),
                 "timestamp": ("string", "io.debezium.time.ZonedTimestamp"),
                 "year": ("int32", "io.debezium.time.Year"),
                 "json": ("string", None),  # MariaDB's JSON is LONGTEXT (docs/DEBEZIUM.md)
                 "datetime": ("int64", "io.debezium.time.Timestamp" if self.s <= 3
                              else "io.debezium.time.MicroTimestamp")}
        params = None
        if k == "int":
            width = {8: 16, 16: 32 if self.unsigned else 16, 24: 32,
                     32: 64 if self.unsigned else 32, 64: 64}[self.bits]
            t, name = f"int{width}", None
        elif k in ("float", "double"):
            t, name = k, None
        elif k == "decimal":
            if decimal_mode == "precise":
                t, name = "bytes", "org.apache.kafka.connect.data.Decimal"
                params = {"scale": str(self.s), "connect.decimal.precision": str(self.p)}
            else:
                t, name = ("string" if decimal_mode == "string" else "double"), None
        elif k in named:
            t, name = named[k]
        elif k == "text":
            t, name = "string", None
        elif k in ("binary", "blob"):
            t, name = "bytes", None
        elif k in ("enum", "set"):
            t = "string"
            name = "io.debezium.data.Enum" if k == "enum" else "io.debezium.data.EnumSet"
            params = {"allowed": ",".join(self.labels)}
        elif k == "bit":
            if self.bits == 1:
                t, name = "boolean", None
            else:
                t, name = "bytes", "io.debezium.data.Bits"
                params = {"length": str(self.bits)}
        else:
            raise ValueError(k)
        out = {"type": t, "optional": self.nullable, "field": self.name}
        if name:
            out.update(name=name, version=1)
        if params:
            out["parameters"] = params
        return out


def _ints() -> list[Col]:
    out = []
    for sql, bits in (("TINYINT", 8), ("SMALLINT", 16), ("MEDIUMINT", 24), ("INT", 32),
                      ("BIGINT", 64)):
        for unsigned in (False, True):
            out.append(Col(f"c_{sql.lower()}{'_u' if unsigned else ''}",
                           sql + (" UNSIGNED" if unsigned else ""), "int", bits=bits,
                           unsigned=unsigned))
    return out


T_COLS = [Col("id", "INT NOT NULL", "int", nullable=False, bits=32), *_ints(),
          Col("c_float", "FLOAT", "float"), Col("c_double", "DOUBLE", "double"),
          Col("c_dec", "DECIMAL(10,2)", "decimal", p=10, s=2),
          Col("c_decw", "DECIMAL(30,6)", "decimal", p=30, s=6),
          Col("c_date", "DATE", "date"),
          Col("c_date_nn", "DATE NOT NULL", "date", nullable=False),
          Col("c_dt0", "DATETIME", "datetime", s=0),
          Col("c_dt3", "DATETIME(3)", "datetime", s=3),
          Col("c_dt6", "DATETIME(6)", "datetime", s=6),
          Col("c_ts0", "TIMESTAMP NULL DEFAULT NULL", "timestamp", s=0),
          Col("c_ts3", "TIMESTAMP(3) NULL DEFAULT NULL", "timestamp", s=3),
          Col("c_time", "TIME", "time", s=0), Col("c_time6", "TIME(6)", "time", s=6),
          Col("c_year", "YEAR", "year"),
          Col("c_vc", "VARCHAR(40) CHARACTER SET utf8mb4", "text", p=40),
          Col("c_vc_nn", "VARCHAR(20) CHARACTER SET utf8mb4 NOT NULL", "text", nullable=False,
              p=20),
          Col("c_bin", "BINARY(4)", "binary", p=4), Col("c_blob", "BLOB", "blob"),
          Col("c_enum", "ENUM('red','green','blue')", "enum", labels=("red", "green", "blue")),
          Col("c_set", "SET('a','b','c','d')", "set", labels=("a", "b", "c", "d")),
          Col("c_bit1", "BIT(1)", "bit", bits=1), Col("c_bit10", "BIT(10)", "bit", bits=10),
          Col("c_json", "JSON", "json")]
T_KEY = ["id"]
# d.u: the key (b, a) is not in column order.
U_COLS = [Col("a", "INT NOT NULL", "int", nullable=False, bits=32),
          Col("b", "VARCHAR(10) CHARACTER SET utf8mb4 NOT NULL", "text", nullable=False, p=10),
          Col("v", "BIGINT UNSIGNED", "int", bits=64, unsigned=True)]
U_KEY = ["b", "a"]
TABLES = {"t": (T_COLS, T_KEY), "u": (U_COLS, U_KEY)}


def ddl() -> str:
    out = ["DROP DATABASE IF EXISTS d;", "CREATE DATABASE d;"]
    for t, (cols, key) in TABLES.items():
        body = ", ".join(f"{c.name} {c.sql}" for c in cols)
        out.append(f"CREATE TABLE d.{t} ({body}, PRIMARY KEY ({', '.join(key)}));")
    return "\n".join(out)


# --- the model of the writes -------------------------------------------------------------------


@dataclass
class Tx:
    """One transaction as written: its changes (table, before row, after row) in order, the
    server's GTID after it, its start position and the wall clock around it."""
    changes: list = field(default_factory=list)
    gtid: str | None = None
    file: str = ""
    pos: int = 0
    t0: float = 0.0
    t1: float = 0.0


class Writes:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.rows: dict[str, dict[tuple, dict]] = {t: {} for t in TABLES}
        self.snapshot: list[tuple[str, dict]] = []  # (table, row) written before the daemon
        self.txs: list[Tx] = []

    @staticmethod
    def key_of(t: str, row: dict) -> tuple:
        return tuple(row[k] for k in TABLES[t][1])

    def new_row(self, t: str, ident: dict, flavor: str = "random") -> dict:
        row = dict(ident)
        for c in TABLES[t][0]:
            if c.name in row:
                continue
            if flavor == "null" and c.nullable:
                row[c.name] = None
            elif flavor == "zero" and c.kind in ("date", "datetime", "timestamp"):
                row[c.name] = ZERO
            else:
                row[c.name] = c.value(self.rng, flavor if flavor in ("min", "max") else "random")
        return row

    # SQL of single changes; each updates the model and returns the statement.
    def insert(self, t: str, row: dict, into: Tx | None) -> str:
        cols = TABLES[t][0]
        self.rows[t][self.key_of(t, row)] = row
        if into is None:
            self.snapshot.append((t, row))
        else:
            into.changes.append((t, None, row))
        return (f"INSERT INTO d.{t} ({', '.join(c.name for c in cols)}) VALUES "
                f"({', '.join(c.literal(row[c.name]) for c in cols)});")

    def update(self, t: str, key: tuple, new: dict, into: Tx) -> str:
        cols = TABLES[t][0]
        old = self.rows[t].pop(key)
        self.rows[t][self.key_of(t, new)] = new
        into.changes.append((t, old, new))
        sets = ", ".join(f"{c.name} = {c.literal(new[c.name])}" for c in cols
                         if new[c.name] != old[c.name] or c.name in TABLES[t][1])
        return f"UPDATE d.{t} SET {sets} WHERE {self.where(t, old)};"

    def delete(self, t: str, key: tuple, into: Tx) -> str:
        old = self.rows[t].pop(key)
        into.changes.append((t, old, None))
        return f"DELETE FROM d.{t} WHERE {self.where(t, old)};"

    def where(self, t: str, row: dict) -> str:
        cols = {c.name: c for c in TABLES[t][0]}
        return " AND ".join(f"{k} = {cols[k].literal(row[k])}" for k in TABLES[t][1])


SESSION = "SET time_zone = '+00:00'; SET sql_mode = 'STRICT_ALL_TABLES';\n"


def prefill(db, w: Writes) -> None:
    """The rows the snapshot reads: d.t ids 1-7 (random, all NULL, min, max, zero dates),
    d.u three rows."""
    flavors = ["random", "random", "random", "null", "min", "max", "zero"]
    sql = [w.insert("t", w.new_row("t", {"id": i + 1}, f), None) for i, f in enumerate(flavors)]
    for a, b in ((1, "één"), (2, "zwei"), (1, "drei")):
        sql.append(w.insert("u", w.new_row("u", {"a": a, "b": b}), None))
    db.execute(SESSION + "\n".join(sql), database="d")


def stream(db, w: Writes) -> None:
    """The streamed transactions, each run alone and its GTID and start position recorded."""
    rng = w.rng

    def run(build) -> None:
        tx = Tx()
        tx.file, tx.pos = master_status(db)
        statements = build(tx)
        tx.t0 = time.time()
        db.execute(SESSION + "BEGIN;\n" + "\n".join(statements) + "\nCOMMIT;", database="d")
        tx.t1 = time.time()
        tx.gtid = db.sql("SELECT @@gtid_binlog_pos")[0][0]
        w.txs.append(tx)

    run(lambda tx: [w.insert("t", w.new_row("t", {"id": 10}), tx)])
    # An update of a snapshot row, every column changed.
    run(lambda tx: [w.update("t", (1,), w.new_row("t", {"id": 1}), tx)])
    run(lambda tx: [w.delete("t", (2,), tx)])
    # A primary-key change: 3 -> 20, other columns kept.
    run(lambda tx: [w.update("t", (3,), dict(w.rows["t"][(3,)], id=20), tx)])
    # Zero dates through the binlog, and a NULL row made non-NULL.
    run(lambda tx: [w.insert("t", w.new_row("t", {"id": 11}, "zero"), tx),
                    w.update("t", (4,), w.new_row("t", {"id": 4}), tx)])

    # A transaction over both tables: inserts, updates, a delete and a key change each.
    def mixed(tx: Tx) -> list[str]:
        return [w.insert("u", w.new_row("u", {"a": 7, "b": "sieben"}), tx),
                w.insert("t", w.new_row("t", {"id": 12}, "null"), tx),
                w.update("u", ("één", 1), dict(w.rows["u"][("één", 1)],
                                                v=rng.randint(2 ** 63, 2 ** 64 - 1)), tx),
                w.update("t", (10,), w.new_row("t", {"id": 10}, "max"), tx),
                w.delete("u", ("zwei", 2), tx),
                w.update("u", ("drei", 1), dict(w.rows["u"][("drei", 1)], a=100), tx),
                w.update("t", (5,), dict(w.rows["t"][(5,)], id=21), tx),
                w.delete("t", (6,), tx),
                w.insert("t", w.new_row("t", {"id": 13}, "min"), tx)]
    run(mixed)


# --- expected messages -------------------------------------------------------------------------


@dataclass
class Want:
    table: str
    key: list              # the key payload as (name, value) pairs, in order
    op: str | None         # None: a tombstone
    before: dict | None = None
    after: dict | None = None
    tx: Tx | None = None   # None: a snapshot row
    row: int = 0           # the change's index in its transaction
    part: int = 0
    total_order: int = 0
    collection_order: int = 0


class Case:
    def __init__(self, name: str, server: str = "mysql-cdc", decimal: str = "precise",
                 schemas: bool = False, tombstones: bool = False, transactions: bool = False):
        self.name, self.server, self.decimal = name, server, decimal
        self.schemas, self.tombstones, self.transactions = schemas, tombstones, transactions

    def env(self) -> dict[str, str]:
        return {"OUTPUT_FORMAT": "debezium", "INITIAL_SNAPSHOT": "true",
                "DEBEZIUM_SERVER_NAME": self.server, "DEBEZIUM_DECIMAL_HANDLING": self.decimal,
                "DEBEZIUM_SCHEMAS": str(self.schemas).lower(),
                "KAFKA_TOMBSTONES": str(self.tombstones).lower(),
                "DEBEZIUM_TRANSACTION_METADATA": str(self.transactions).lower()}

    def render(self, t: str, row: dict | None) -> dict | None:
        if row is None:
            return None
        return {c.name: c.rendered(row[c.name], self.decimal) for c in TABLES[t][0]}

    def key(self, t: str, row: dict) -> list:
        cols = {c.name: c for c in TABLES[t][0]}
        return [(k, cols[k].rendered(row[k], self.decimal)) for k in TABLES[t][1]] + \
            [("__dbz__physicalTableIdentifier", f"{self.server}.d.{t}")]

    def expected(self, w: Writes) -> list[Want]:
        out = [Want(t, self.key(t, row), "r", None, self.render(t, row))
               for t, row in w.snapshot]
        for tx in w.txs:
            total, per_table = 0, {}

            def add(t, op, before, after, row, part):
                nonlocal total
                total += 1
                per_table[t] = per_table.get(t, 0) + 1
                out.append(Want(t, self.key(t, before if op == "d" else after), op,
                                self.render(t, before), self.render(t, after), tx, row, part,
                                total, per_table[t]))
                if op == "d" and self.tombstones:
                    out.append(Want(t, self.key(t, before), None, tx=tx, row=row, part=part + 1))

            for i, (t, before, after) in enumerate(tx.changes):
                if before is None:
                    add(t, "c", None, after, i, 0)
                elif after is None:
                    add(t, "d", before, None, i, 0)
                elif Writes.key_of(t, before) != Writes.key_of(t, after):
                    add(t, "d", before, None, i, 0)
                    add(t, "c", None, after, i, 2 if self.tombstones else 1)
                else:
                    add(t, "u", before, after, i, 0)
        return out


# --- checks ------------------------------------------------------------------------------------

ENVELOPE_FIELDS = ["before", "after", "source", "transaction", "op", "ts_ms", "ts_us", "ts_ns"]
SOURCE_FIELDS = ["version", "connector", "name", "ts_ms", "snapshot", "db", "sequence", "ts_us",
                 "ts_ns", "table", "server_id", "gtid", "file", "pos", "row", "thread", "query"]
INT_RANGES = {"int8": 8, "int16": 16, "int32": 32, "int64": 64}


def pairs(text: str):
    """JSON with objects as lists of (name, value) pairs, to see their order."""
    return json.loads(text, object_pairs_hook=list)


def conforms(schema: dict, value, where: str, problems: list[str]) -> None:
    """`value` is what JsonConverter writes for `schema` (types, optionality, struct fields in
    order)."""
    if value is None:
        if not schema.get("optional"):
            problems.append(f"{where}: null, but the schema is not optional")
        return
    t = schema.get("type")
    ok = True
    if t == "struct":
        ok = isinstance(value, dict)
        if ok:
            names = [f.get("field") for f in schema.get("fields", [])]
            if names != list(value):
                problems.append(f"{where}: fields {list(value)}, schema {names}")
                return
            for f in schema["fields"]:
                conforms(f, value[f["field"]], f"{where}.{f['field']}", problems)
    elif t in INT_RANGES:
        bits = INT_RANGES[t]
        ok = type(value) is int and -2 ** (bits - 1) <= value < 2 ** (bits - 1)
    elif t in ("float", "double"):
        ok = type(value) in (int, float)
    elif t == "string":
        ok = isinstance(value, str)
    elif t == "boolean":
        ok = isinstance(value, bool)
    elif t == "bytes":
        try:
            base64.b64decode(value, validate=True)
        except (TypeError, ValueError):
            ok = False
    elif t == "array":
        ok = isinstance(value, list)
        for i, item in enumerate(value if ok else []):
            conforms(schema.get("items", {}), item, f"{where}[{i}]", problems)
    else:
        ok = False
    if not ok:
        problems.append(f"{where}: {value!r} is not a {t}")


def same_value(c: Col, got, want) -> bool:
    if got is None or want is None:
        return got is None and want is None
    if c.kind == "float":  # the shortest text of a float32: compare as float32
        f32 = lambda x: struct.unpack("<f", struct.pack("<f", x))[0]
        return type(got) in (int, float) and f32(got) == f32(want)
    if c.kind == "double" or (c.kind == "decimal" and isinstance(want, float)):
        return type(got) in (int, float) and float(got) == want
    return type(got) is type(want) and got == want


def row_problems(case: Case, t: str, got, want: dict | None, where: str) -> list[str]:
    if want is None or got is None:
        return [] if got is None and want is None else [f"{where}: {got!r}, want {want!r}"]
    if not isinstance(got, dict) or list(got) != list(want):
        return [f"{where}: fields {list(got) if isinstance(got, dict) else got!r}, want "
                f"{list(want)}"]
    return [f"{where}.{c.name}: {got[c.name]!r}, want {want[c.name]!r}"
            for c in TABLES[t][0] if not same_value(c, got[c.name], want[c.name])]


def check_schema(case: Case, t: str, schema: dict, payload: dict, where: str) -> list[str]:
    """A value's schema: the envelope struct of docs/DEBEZIUM.md, its row structs holding the
    columns' field schemas, and the payload conforming to it."""
    problems: list[str] = []
    name = f"{case.server}.d.{t}"
    if not isinstance(schema, dict) or schema.get("type") != "struct":
        return [f"{where}: schema {schema!r:.200} is not a struct"]
    head = (schema.get("name"), schema.get("version"), schema.get("optional"))
    if head != (f"{name}.Envelope", 2, False):
        problems.append(f"{where}: envelope schema name/version/optional {head}")
    fields = {f.get("field"): f for f in schema.get("fields", [])}
    if list(fields) != ENVELOPE_FIELDS:
        return problems + [f"{where}: envelope schema fields {list(fields)}"]
    columns = [c.field_schema(case.decimal) for c in TABLES[t][0]]
    for image in ("before", "after"):
        f = fields[image]
        head = (f.get("type"), f.get("name"), f.get("optional"))
        if head != ("struct", f"{name}.Value", True):
            problems.append(f"{where}: schema of {image}: type/name/optional {head}")
        for col, got in zip(columns, f.get("fields", [])):
            if got != col:
                problems.append(f"{where}: schema of {image}.{col['field']}: {got}, want {col}")
        if len(f.get("fields", [])) != len(columns):
            problems.append(f"{where}: {image} has {len(f.get('fields', []))} fields, want "
                            f"{len(columns)}")
    wants = {"source": ("struct", "io.debezium.connector.mysql.Source", False),
             "transaction": ("struct", "event.block", True), "op": ("string", None, False),
             "ts_ms": ("int64", None, True)}
    for fname, want in wants.items():
        f = fields[fname]
        if (f.get("type"), f.get("name"), f.get("optional")) != want:
            problems.append(f"{where}: schema of {fname}: {f}, want type/name/optional {want}")
    src = [f.get("field") for f in fields["source"].get("fields", [])]
    if src != SOURCE_FIELDS:
        problems.append(f"{where}: source schema fields {src}")
    conforms(schema, payload, f"{where} payload", problems)
    return problems


def check_key_schema(case: Case, t: str, key, where: str) -> tuple[list[str], object]:
    """The key {"schema","payload"}: a struct <server>.d.<t>.Key of the key columns and the
    table field; returns the problems and the payload."""
    if not isinstance(key, dict) or list(key) != ["schema", "payload"]:
        return [f"{where}: key {key!r:.200} is not {{schema, payload}}"], None
    schema, problems = key["schema"], []
    cols = {c.name: c for c in TABLES[t][0]}
    want_fields = [cols[k].field_schema(case.decimal) for k in TABLES[t][1]] + \
        [{"type": "string", "optional": False, "field": "__dbz__physicalTableIdentifier"}]
    head = (schema.get("type"), schema.get("name"), schema.get("optional"))
    if head != ("struct", f"{case.server}.d.{t}.Key", False):
        problems.append(f"{where}: key schema type/name/optional {head}")
    if schema.get("fields") != want_fields:
        problems.append(f"{where}: key schema fields {schema.get('fields')}, want {want_fields}")
    conforms(schema, key["payload"], f"{where} key payload", problems)
    return problems, key["payload"]


def check_envelope(case: Case, m, want: Want, snapshot_pos: tuple[str, int],
                   t_start: float, t_end: float) -> list[str]:
    """One message with a value against its expected change."""
    where = f"[{m.partition}]@{m.offset} d.{want.table} op {want.op}"
    problems: list[str] = []
    value = json.loads(m.value)
    if case.schemas:
        if not isinstance(value, dict) or list(value) != ["schema", "payload"]:
            return [f"{where}: value is not {{schema, payload}}: {m.value[:200]}"]
        problems += check_schema(case, want.table, value["schema"], value["payload"], where)
        value = value["payload"]
    if not isinstance(value, dict) or list(value) != ENVELOPE_FIELDS:
        return problems + [f"{where}: envelope fields "
                           f"{list(value) if isinstance(value, dict) else value!r}"]
    if value["op"] != want.op:
        problems.append(f"{where}: op {value['op']!r}")
    problems += row_problems(case, want.table, value["before"], want.before, f"{where} before")
    problems += row_problems(case, want.table, value["after"], want.after, f"{where} after")
    # The envelope's times: formatting time in ms, scaled.
    ts = [value[k] for k in ("ts_ms", "ts_us", "ts_ns")]
    if not all(type(x) is int for x in ts) or ts[1] != ts[0] * 1000 or ts[2] != ts[1] * 1000 \
            or not t_start * 1000 - 1000 <= ts[0] <= t_end * 1000 + 1000:
        problems.append(f"{where}: ts_ms/us/ns {ts}, want the formatting time in "
                        f"[{t_start:.3f}, {t_end:.3f}] s, scaled")
    src = value["source"]
    if not isinstance(src, dict) or list(src) != SOURCE_FIELDS:
        return problems + [f"{where}: source fields "
                           f"{list(src) if isinstance(src, dict) else src!r}"]
    tx = want.tx
    fixed = {"connector": "mysql", "name": case.server, "db": "d", "table": want.table,
             "sequence": None, "thread": None, "query": None,
             "snapshot": "false" if tx else src["snapshot"]}
    if tx is not None:
        fixed.update(server_id=1, gtid=tx.gtid, file=tx.file, pos=tx.pos, row=want.row)
    else:
        fixed.update(file=snapshot_pos[0], pos=snapshot_pos[1])
    for k, v in fixed.items():
        if src[k] != v:
            problems.append(f"{where}: source.{k} {src[k]!r}, want {v!r}")
    if tx is None and src["snapshot"] not in ("true", "last"):
        problems.append(f"{where}: source.snapshot {src['snapshot']!r} in a snapshot row")
    if not isinstance(src["version"], str) or not src["version"]:
        problems.append(f"{where}: source.version {src['version']!r}")
    for k in ("server_id", "pos", "row"):
        if type(src[k]) is not int:
            problems.append(f"{where}: source.{k} {src[k]!r} is not a number")
    sts = [src[k] for k in ("ts_ms", "ts_us", "ts_ns")]
    if not all(type(x) is int for x in sts) or sts[1] != sts[0] * 1000 or sts[2] != sts[1] * 1000:
        problems.append(f"{where}: source.ts_ms/us/ns {sts}, want the same time scaled")
    elif tx is not None and not (sts[0] % 1000 == 0 and
                                 int(tx.t0) * 1000 - 1000 <= sts[0] <= tx.t1 * 1000 + 1000):
        problems.append(f"{where}: source.ts_ms {sts[0]}, want the commit's second in "
                        f"[{tx.t0:.3f}, {tx.t1:.3f}] s")
    # The transaction block.
    block = value["transaction"]
    if not case.transactions or tx is None:
        if block is not None:
            problems.append(f"{where}: transaction {block!r}, want null")
    else:
        want_block = [("id", tx.gtid), ("total_order", want.total_order),
                      ("data_collection_order", want.collection_order)]
        if not isinstance(block, dict) or list(block.items()) != want_block:
            problems.append(f"{where}: transaction {block!r}, want {dict(want_block)}")
    return problems


def check_topic(case: Case, w: Writes, messages: list, snapshot_pos, t_start, t_end
                ) -> list[str]:
    problems: list[str] = []
    wants = case.expected(w)
    # Per key, in commit order; each key's messages must be in one partition in that order.
    want_by_key: dict[str, list[Want]] = {}
    for x in wants:
        want_by_key.setdefault(json.dumps(x.key), []).append(x)
    got_by_key: dict[str, list] = {}
    key_bytes: dict[str, set] = {}
    for m in messages:
        where = f"[{m.partition}]@{m.offset}"
        if m.key is None:
            problems.append(f"{where}: a null key")
            continue
        try:
            key = pairs(m.key)
        except ValueError:
            problems.append(f"{where}: key {m.key!r} is not JSON")
            continue
        if case.schemas:
            whole = json.loads(m.key)
            payload = whole.get("payload") if isinstance(whole, dict) else None
            table = payload.get("__dbz__physicalTableIdentifier", "") \
                if isinstance(payload, dict) else ""
            table = table.rsplit(".", 1)[-1]
            if table not in TABLES:
                problems.append(f"{where}: key {m.key!r} names no table")
                continue
            more, _ = check_key_schema(case, table, whole, where)
            problems += more
            key = dict(key)["payload"]
        if not isinstance(key, list):
            problems.append(f"{where}: key {m.key!r} is not an object")
            continue
        norm = json.dumps(key)
        got_by_key.setdefault(norm, []).append(m)
        key_bytes.setdefault(norm, set()).add(m.key)
        if partition_of(m.key, PARTITIONS) != m.partition:
            problems.append(f"{where}: key {m.key!r} in partition {m.partition}, murmur2 % "
                            f"{PARTITIONS} = {partition_of(m.key, PARTITIONS)}")
    for norm, ws in want_by_key.items():
        want_norm = json.dumps([list(p) for p in ws[0].key])
        ms = got_by_key.pop(want_norm, [])
        if len(key_bytes.get(want_norm, ())) > 1:
            problems.append(f"key {want_norm}: written as several byte strings "
                            f"{sorted(key_bytes[want_norm])}")
        if len({m.partition for m in ms}) > 1:
            problems.append(f"key {want_norm}: in partitions {sorted({m.partition for m in ms})}")
        ms.sort(key=lambda m: (m.partition, m.offset))
        kinds = [("tombstone" if m.value is None else "value") for m in ms]
        want_kinds = [("tombstone" if x.op is None else "value") for x in ws]
        if kinds != want_kinds:
            problems.append(f"key {want_norm}: messages {kinds} "
                            f"(ops {[safe_op(m) for m in ms]}), want ops "
                            f"{[x.op or 'tombstone' for x in ws]}")
            continue
        for m, x in zip(ms, ws):
            h = m.headers
            part = int(h.get("mysql-cdc.part", "0"))
            if part != x.part:
                problems.append(f"[{m.partition}]@{m.offset} key {want_norm}: part {part}, "
                                f"want {x.part}")
            if x.op is not None:
                problems += check_envelope(case, m, x, snapshot_pos, t_start, t_end)
    for norm, ms in got_by_key.items():
        problems.append(f"key {norm}: {len(ms)} unexpected messages, first "
                        f"[{ms[0].partition}]@{ms[0].offset}: {str(ms[0].value)[:300]}")
    # A primary-key change: the old key's delete and tombstone before the new key's create when
    # they share a partition; always in part order at one position.
    changes: dict[tuple, list] = {}
    for m in messages:
        h = m.headers
        if "mysql-cdc.snapshot" not in h:
            changes.setdefault((h.get("mysql-cdc.file"), h.get("mysql-cdc.pos"),
                                h.get("mysql-cdc.row")), []).append(m)
    moves = 0
    for pos, ms in changes.items():
        if len(ms) < 2:
            continue
        parts = sorted(ms, key=lambda m: int(m.headers.get("mysql-cdc.part", "0")))
        for a, b in zip(parts, parts[1:]):
            if a.partition == b.partition and a.offset > b.offset:
                problems.append(f"change at {pos}: parts at "
                                f"{[(m.partition, m.offset) for m in parts]}, out of order")
        moves += safe_op(parts[-1]) == "c"
    want_moves = sum(1 for tx in w.txs for t, b, a in tx.changes
                     if b and a and Writes.key_of(t, b) != Writes.key_of(t, a))
    if moves != want_moves:
        problems.append(f"{moves} primary-key changes as delete+create, want {want_moves}")
    # A snapshot row's key bytes are those of its later streamed changes.
    snap_keys = {m.key for m in messages if "mysql-cdc.snapshot" in m.headers}
    shared = sum(1 for m in messages
                 if "mysql-cdc.snapshot" not in m.headers and m.key in snap_keys)
    if shared == 0:
        problems.append("no streamed change has a snapshot row's key bytes")
    print(f"  {len(messages)} messages ({len(w.snapshot)} snapshot rows, "
          f"{sum(len(tx.changes) for tx in w.txs)} streamed changes in {len(w.txs)} "
          f"transactions, {want_moves} key changes, {shared} streamed messages under snapshot "
          f"rows' keys)", flush=True)
    return problems


def safe_op(m):
    if m.value is None:
        return "tombstone"
    try:
        v = json.loads(m.value)
        return v.get("payload", v).get("op")
    except (ValueError, AttributeError):
        return "?"


CASES = {"plain": Case("plain", tombstones=True),
         "schemas": Case("schemas", server="shop1", decimal="string", schemas=True),
         "transactions": Case("transactions", server="dbz", decimal="double", tombstones=True,
                              transactions=True)}


def run_case(args, db, kafka, case: Case, work: Path, seed: int) -> list[str]:
    db.execute(ddl())
    w = Writes(random.Random(seed))
    prefill(db, w)
    snapshot_pos = master_status(db)
    topic = f"dbz_{case.name}"
    kafka.create_topic(topic, PARTITIONS)
    env = daemon_env(db, work, "d", ",".join(TABLES), OUTPUT_SINK="kafka",
                     KAFKA_BROKERS=kafka.bootstrap, output=topic, **case.env())
    env.pop("OUTPUT_FILE")
    d = Daemon(args.mysql_cdc, env, work)
    problems: list[str] = []
    t_start = time.time()
    try:
        d.start()
        d.wait_for_log(r"snapshot complete", timeout=60)
        d.wait_for_state()
        stream(db, w)
        d.wait_caught_up(db, timeout=60)
        rc, _ = d.sigterm()
        if rc != 0:
            problems.append(f"SIGTERM: exit {rc}\n{d.log_tail()}")
        problems += logged_errors(d, "run {n}: {line}")
    finally:
        d.stop()
    t_end = time.time()
    messages = consume(kafka.bootstrap, topic)
    return problems + check_topic(case, w, messages, snapshot_pos, t_start, t_end)


def main() -> int:
    ap = script_arguments(__doc__, seed_help="RNG seed of the row values (default: random)")
    ap.add_argument("--broker", required=True, help="the kafka_test_broker binary")
    ap.add_argument("--case", action="append", choices=sorted(CASES),
                    help="run only these cases (default: all)")
    args = ap.parse_args()
    if not require_files(mysql_cdc=args.mysql_cdc, broker=args.broker):
        return 2
    seed = pick_seed(args.seed)
    work = Path(tempfile.mkdtemp(prefix="debezium-format-"))
    failed = []
    with start_mariadb("debezium-format") as db, KafkaBroker(args.broker) as kafka:
        for name in args.case or list(CASES):
            t0 = time.monotonic()
            print(f"case {name}", flush=True)
            try:
                problems = run_case(args, db, kafka, CASES[name], work / name, seed)
            except (DaemonError, KafkaBrokerError) as e:
                problems = [str(e)]
            took = time.monotonic() - t0
            if problems:
                failed.append(name)
                print(f"  FAILED ({took:.0f} s, seed {seed}), {len(problems)} problems:",
                      flush=True)
                for p in problems[:40]:
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

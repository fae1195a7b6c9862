"""Shared checks for the initial-snapshot tests (issue 5; Python standard library only).

Usage:

    from snapshot_checks import (ByKeyModel, EventLine, compare_models, primary_keys,
                                 reference_snapshot, select_content, compare_with_select)

    keys = primary_keys(db, ["d.t", "d.c"])              # {"d.t": ["id"], "d.c": ["g", "n"]}
    model = ByKeyModel(keys)
    model.apply_file(daemon.output_file)                 # snapshot_insert + stream, by key
    ref = reference_snapshot(mysql_cdc, db, work / "ref", database="d", tables="t,c")
    problems = compare_models(model.rows, ref, "applied output", "reference snapshot")
    problems += compare_with_select(model, select_content(db, "d.t"), "d.t")

The daemon writes one JSON object per line, in the seed's key order:
  {"kind":K,"schema":S,"table":T,"columnnames":[..],"columnvalues":[..],"oldkeys":{..}}
`EventLine` splits a line into those parts without decoding the values, so tests can compare the
values' JSON text byte for byte ("columnvalues" of a snapshot_insert must be byte-identical to the
binlog rendering of the same row). This is safe on raw text: inside a JSON string a quote is
always escaped, so `,"columnvalues":` and `,"oldkeys":` only occur as the envelope's own keys.

`ByKeyModel` is the consumer of the snapshot contract (notes/snapshot_spec.md, "Consistency"):
snapshot_insert / insert / update upsert the after-image keyed by the primary key, an update whose
key changed also deletes the old key, a delete deletes by key. After the whole output it must hold
exactly the tables' final content.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from daemon_harness import Daemon, DaemonError, daemon_env  # noqa: E402
from test_decode_mariadb import (Number, column_expr, short, to_contract,  # noqa: E402
                                 value_problem)

_HEAD = re.compile(r'\{"kind":"([a-z_]+)","schema":("(?:[^"\\]|\\.)*"),'
                   r'"table":("(?:[^"\\]|\\.)*"),"columnnames":')
STREAM_KINDS = ("insert", "update", "delete")


class EventLine:
    """One output line split into its envelope's raw JSON parts (values are not decoded)."""

    __slots__ = ("line", "kind", "table", "names_raw", "values_raw", "oldkeys_raw")

    def __init__(self, line: str):
        m = _HEAD.match(line)
        v = line.find(',"columnvalues":')
        o = line.find(',"oldkeys":', v)
        if not m or v < 0 or o < 0 or not line.endswith("}"):
            raise AssertionError(f"not a change event in the seed's key order: {short(line, 300)}")
        self.line = line
        self.kind = m.group(1)
        self.table = json.loads(m.group(2)) + "." + json.loads(m.group(3))
        self.names_raw = line[m.end():v]
        self.values_raw = line[v + len(',"columnvalues":'):o]
        self.oldkeys_raw = line[o + len(',"oldkeys":'):-1]

    def names(self) -> list[str]:
        return json.loads(self.names_raw)

    def values(self) -> list:
        """The after-image; numbers stay as written (test_decode_mariadb.Number)."""
        return parse_values(self.values_raw)

    def before(self) -> tuple[list[str], list] | None:
        """(keynames, keyvalues) of an update or delete, None for {}."""
        if self.oldkeys_raw == "{}":
            return None
        old = json.loads(self.oldkeys_raw, parse_int=Number, parse_float=Number)
        return old["keynames"], old["keyvalues"]


def parse_values(raw: str) -> list:
    return json.loads(raw, parse_int=Number, parse_float=Number)


def read_lines(path) -> list[str]:
    """The output file's lines; the file must end in a complete line."""
    data = Path(path).read_bytes() if Path(path).exists() else b""
    if data and not data.endswith(b"\n"):
        raise AssertionError(f"{path} ends in a partial line: {data[-200:]!r}")
    return data.decode("utf-8").splitlines()


def primary_keys(db, tables: list[str]) -> dict[str, list[str]]:
    """{"schema.table": [primary key columns in key order]} from information_schema."""
    out = {}
    for t in tables:
        schema, name = t.split(".", 1)
        cols = [r[0] for r in db.sql(
            f"SELECT COLUMN_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA='{schema}'"
            f" AND TABLE_NAME='{name}' AND INDEX_NAME='PRIMARY' ORDER BY SEQ_IN_INDEX")]
        if not cols:
            raise AssertionError(f"{t} has no primary key: the by-key model needs one")
        out[t] = cols
    return out


def key_text(v) -> str:
    """A key value as one comparable string (a Number keeps its digits; null is 'null')."""
    return "null" if v is None else str(v)


class ByKeyModel:
    """Applies change events by primary key; rows[table][key] = the row's raw columnvalues."""

    def __init__(self, keys: dict[str, list[str]]):
        self.keys = keys
        self.rows: dict[str, dict[tuple, str]] = {t: {} for t in keys}
        self.names: dict[str, str] = {}            # table -> raw columnnames of the last upsert
        self.counts: dict[str, int] = {}           # "table kind" -> events applied
        self._index_cache: dict[tuple[str, str], list[int]] = {}

    def _key_indexes(self, table: str, names_raw: str) -> list[int]:
        cached = self._index_cache.get((table, names_raw))
        if cached is None:
            names = json.loads(names_raw) if names_raw.startswith("[") else names_raw
            missing = [k for k in self.keys[table] if k not in names]
            if missing:
                raise AssertionError(f"{table}: an event lacks key column(s) {missing}: {names}")
            cached = [names.index(k) for k in self.keys[table]]
            self._index_cache[(table, names_raw)] = cached
        return cached

    def key_of(self, table: str, names_raw: str, values: list) -> tuple:
        return tuple(key_text(values[i]) for i in self._key_indexes(table, names_raw))

    def apply(self, ev: EventLine) -> None:
        if ev.table not in self.rows:
            return
        rows = self.rows[ev.table]
        self.counts[f"{ev.table} {ev.kind}"] = self.counts.get(f"{ev.table} {ev.kind}", 0) + 1
        if ev.kind in ("snapshot_insert", "insert", "update"):
            key = self.key_of(ev.table, ev.names_raw, ev.values())
            if ev.kind == "update":
                before = ev.before()
                if before is None:
                    raise AssertionError(f"an update without oldkeys: {short(ev.line, 300)}")
                old = self.key_of(ev.table, json.dumps(before[0]), before[1])
                if old != key:
                    rows.pop(old, None)
            rows[key] = ev.values_raw
            self.names[ev.table] = ev.names_raw
        elif ev.kind == "delete":
            before = ev.before()
            if before is None:
                raise AssertionError(f"a delete without oldkeys: {short(ev.line, 300)}")
            rows.pop(self.key_of(ev.table, json.dumps(before[0]), before[1]), None)
        else:
            raise AssertionError(f"unknown event kind {ev.kind!r}: {short(ev.line, 300)}")

    def apply_lines(self, lines) -> None:
        for line in lines:
            self.apply(EventLine(line))

    def apply_file(self, path) -> None:
        self.apply_lines(read_lines(path))


def value_diff(names_raw: str, a_raw: str, b_raw: str, limit: int = 5) -> list[str]:
    """The columns where two raw columnvalues differ: 'name: a | b' (JSON text of each value)."""
    try:
        names, a, b = json.loads(names_raw), parse_values(a_raw), parse_values(b_raw)
    except ValueError as e:
        return [f"(not comparable as JSON: {e}) {short(a_raw, 200)} | {short(b_raw, 200)}"]
    out = []
    if len(a) != len(b):
        out.append(f"{len(a)} values vs {len(b)}")
    for i, (x, y) in enumerate(zip(a, b)):
        xs = x if isinstance(x, Number) else json.dumps(x, ensure_ascii=False)
        ys = y if isinstance(y, Number) else json.dumps(y, ensure_ascii=False)
        if xs != ys or type(x) is not type(y):
            name = names[i] if i < len(names) else f"#{i + 1}"
            out.append(f"{name}: {short(xs, 120)} | {short(ys, 120)}")
            if len(out) >= limit:
                out.append("…")
                break
    if not out:
        out.append("same values, different JSON text: "
                   f"{short(a_raw, 200)} | {short(b_raw, 200)}")
    return out


def compare_models(a: dict[str, dict[tuple, str]], b: dict[str, dict[tuple, str]],
                   a_label: str, b_label: str, names: dict[str, str] | None = None,
                   limit: int = 8) -> list[str]:
    """Problems between two {table: {key: raw columnvalues}}: missing and extra keys, and rows
    whose JSON text differs (with the differing columns when `names` gives the column names)."""
    problems = []
    for table in sorted(set(a) | set(b)):
        ra, rb = a.get(table, {}), b.get(table, {})
        only_a = sorted(set(ra) - set(rb))
        only_b = sorted(set(rb) - set(ra))
        differ = [k for k in ra if k in rb and ra[k] != rb[k]]
        if only_a:
            problems.append(f"{table}: {len(only_a)} key(s) in the {a_label} but not in the "
                            f"{b_label}, e.g. {only_a[:5]}")
        if only_b:
            problems.append(f"{table}: {len(only_b)} key(s) in the {b_label} but not in the "
                            f"{a_label}, e.g. {only_b[:5]}")
        if differ:
            problems.append(f"{table}: {len(differ)} row(s) differ between the {a_label} and the "
                            f"{b_label} (column: {a_label} | {b_label}):")
            for k in sorted(differ)[:limit]:
                nm = (names or {}).get(table)
                detail = (value_diff(nm, ra[k], rb[k]) if nm
                          else [f"{short(ra[k], 200)} | {short(rb[k], 200)}"])
                problems.append(f"  key {list(k)}: " + "; ".join(detail))
    return problems


# --- the table's content from SELECT, under the rendering contract of test_decode_mariadb -----

def select_content(db, table: str) -> tuple[list[str], list[str], dict[tuple, list]]:
    """(column names, MariaDB column types, {key: [Expected values]}) of `schema.table` now,
    read with SELECT under the value contract (test_decode_mariadb.column_expr/to_contract)."""
    schema, name = table.split(".", 1)
    cols = [tuple(r) for r in db.sql(
        f"SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE FROM information_schema.COLUMNS "
        f"WHERE TABLE_SCHEMA='{schema}' AND TABLE_NAME='{name}' ORDER BY ORDINAL_POSITION")]
    key_cols = primary_keys(db, [table])[table]
    exprs = [column_expr(f"`{c}`", t) for c, t, _ in cols]
    out = db.execute("SET time_zone = '+00:00';\n"
                     f"SELECT {', '.join(e for e, _ in exprs)} FROM `{schema}`.`{name}`;",
                     timeout=600)
    names = [c for c, _, _ in cols]
    key_idx = [names.index(k) for k in key_cols]
    rows: dict[tuple, list] = {}
    for line in out.splitlines():
        fields = [None if f == "NULL" else f for f in line.split("\t")]
        values = [to_contract(v, cat) for v, (_, cat) in zip(fields, exprs)]
        rows[tuple(key_text(values[i].value) for i in key_idx)] = values
    return names, [t for _, _, t in cols], rows


def compare_with_select(model: ByKeyModel, table: str,
                        content: tuple[list[str], list[str], dict[tuple, list]],
                        limit: int = 8) -> list[str]:
    """Problems between the model's rows of `table` and SELECT's content (select_content):
    keys, and every value under the contract (test_decode_mariadb.value_problem)."""
    names, types, want = content
    have = model.rows.get(table, {})
    problems = []
    missing = sorted(set(want) - set(have))
    extra = sorted(set(have) - set(want))
    if missing:
        problems.append(f"{table}: {len(missing)} row(s) in the table are missing from the "
                        f"applied output, e.g. keys {missing[:5]}")
    if extra:
        problems.append(f"{table}: {len(extra)} row(s) in the applied output are not in the "
                        f"table, e.g. keys {extra[:5]}")
    if model.names.get(table) and json.loads(model.names[table]) != names:
        problems.append(f"{table}: columnnames {model.names[table]} but the table has {names}")
        return problems
    bad = 0
    for key in sorted(set(want) & set(have)):
        actual = parse_values(have[key])
        if len(actual) != len(names):
            problems.append(f"{table} key {list(key)}: {len(actual)} values for "
                            f"{len(names)} columns")
            bad += 1
            continue
        for n, t, e, a in zip(names, types, want[key], actual):
            why = value_problem(e, a)
            if why:
                bad += 1
                if bad <= limit:
                    problems.append(f"{table} key {list(key)} column {n} [{t}]: {why}; "
                                    f"SELECT {e!r}, applied output {short(a)}")
    if bad > limit:
        problems.append(f"{table}: {bad} value problems in all (first {limit} shown)")
    return problems


# --- snapshot output -----------------------------------------------------------------------------

def keyed_snapshot(lines, keys: dict[str, list[str]]) -> tuple[dict[str, dict[tuple, str]],
                                                                dict[str, str], list[str]]:
    """({table: {key: raw columnvalues}}, {table: raw columnnames}, problems) of the
    snapshot_insert lines; a key seen twice is a problem (one snapshot run writes each row once)."""
    model = ByKeyModel(keys)
    problems = []
    for line in lines:
        ev = EventLine(line)
        if ev.kind != "snapshot_insert" or ev.table not in model.rows:
            continue
        key = model.key_of(ev.table, ev.names_raw, ev.values())
        if key in model.rows[ev.table] and len(problems) < 5:
            problems.append(f"{ev.table}: key {list(key)} twice in one snapshot")
        model.rows[ev.table][key] = ev.values_raw
        model.names[ev.table] = ev.names_raw
    return model.rows, model.names, problems


def reference_snapshot(mysql_cdc: str, db, workdir, database: str | None, tables: str,
                       keys: dict[str, list[str]], timeout: float = 600, **extra: str
                       ) -> tuple[dict[str, dict[tuple, str]], dict[str, str], Daemon]:
    """A fresh daemon (its own state dir and output file in `workdir`) takes a snapshot of the
    tables as they are now; returns ({table: {key: raw columnvalues}}, {table: raw names}, the
    stopped Daemon). Compare an applied output with it to check values byte for byte without
    re-implementing the daemon's value rendering."""
    env = daemon_env(db, workdir, database=database, tables=tables, INITIAL_SNAPSHOT="true",
                     **extra)
    d = Daemon(mysql_cdc, env, workdir)
    try:
        d.start()
        d.wait_for_log(r"snapshot complete", timeout=timeout)
        rc, secs = d.sigterm()
        if rc != 0:
            raise DaemonError(f"the reference snapshot daemon exited {rc} on SIGTERM "
                              f"({secs:.1f} s)\n{d.log_tail()}")
    finally:
        d.stop()
    rows, names, problems = keyed_snapshot(read_lines(d.output_file), keys)
    if problems:
        raise DaemonError("the reference snapshot repeats rows: " + "; ".join(problems))
    return rows, names, d


def wait_snapshot_complete(d: Daemon, timeout: float) -> str:
    """Waits for the current run's 'snapshot complete' log line and returns it."""
    t0 = time.monotonic()
    line = d.wait_for_log(r"snapshot complete", timeout=timeout)
    print(f"  {line.strip()[:200]} (waited {time.monotonic() - t0:.1f} s)", flush=True)
    return line

"""Random tables, rows and statements for the randomized differential test (issue 11).

Everything here is a pure function of a `random.Random`: the same seed gives the same tables,
the same rows and the same statements, so a failure is reproduced by its seed alone.

Every table has an identity column `rid` (an integer of a random width and sign, at a random
position) whose values the generator hands out, never reused: it finds the rows a statement
touches, and it is how an event is matched to the SELECT of its row. The primary key is `rid`,
a composite of `rid` and another column (in either order), or absent. Every other column is a
random type of `KINDS` (each kind is in at least one table), nullable or not, and a few are
generated columns (VIRTUAL or STORED) over another column.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Callable

# --- values ----------------------------------------------------------------------------------

# Characters each character set can hold (MariaDB's latin1 is cp1252: '€' is 0x80), with
# quotes, backslash, control characters and trailing spaces mixed in by text_value.
ALPHABETS = {
    "utf8mb4": ["a", "Z", "0", " ", "é", "€", "𝄞", "日本", "😀", "ß"],
    "utf8mb3": ["a", "Z", "0", " ", "é", "€", "日", "Ω"],
    "latin1": ["a", "Z", "0", " ", "é", "ÿ", "€", "Š", "ž", "Ÿ"],
    "latin2": ["a", "Z", " ", "Ł", "ó", "d", "ź", "Ś"],
    "cp1251": ["a", "Z", " ", "Ж", "я", "П", "€"],
    "koi8r": ["a", "Z", " ", "П", "р", "и", "в", "е", "т"],
    "greek": ["a", "Z", " ", "Ω", "μ", "έ", "γ", "α"],
    "ucs2": ["a", "Z", " ", "Ω", "€", "日", "é"],
    "utf16": ["a", "Z", " ", "𝄞", "€", "日", "é"],
    "utf16le": ["a", "Z", " ", "𝄞", "€", "日", "é"],
    "utf32": ["a", "Z", " ", "𝄞", "€", "日", "é"],
    "sjis": ["a", "Z", " ", "日本", "ｱ", "表", "語"],
    "ujis": ["a", "Z", " ", "日本", "語", "ｱ"],
    "gbk": ["a", "Z", " ", "中文", "汉", "字"],
    "big5": ["a", "Z", " ", "中文", "資", "料", "ぁ", "•", "¥"],
    "euckr": ["a", "Z", " ", "한국", "어", "갂"],
    "tis620": ["a", "Z", " ", "ก", "ข", "๛"],
    "swe7": ["a", "Z", " ", "É", "é", "Ü", "$"],
    "koi8u": ["a", " ", "Ї", "є", "•"],
    "cp866": ["a", " ", "Ж", "ⁿ", "²"],
    "ascii": ["a", "Z", "0", " ", "~"],
    "keybcs2": ["a", " ", "Č", "č", "ě", "ř"],
    "geostd8": ["a", " ", "ა", "ბ", "№"],
    "armscii8": ["a", " ", "Ա", "բ", "§"],
    "latin5": ["a", " ", "ğ", "ı", "ş"],
    "latin7": ["a", " ", "ą", "č", "ę"],
    "cp1250": ["a", " ", "Ł", "ś", "ž", "€"],
    "cp1256": ["a", " ", "ع", "ر", "ب"],
    "cp1257": ["a", " ", "ą", "č", "€"],
    "macce": ["a", " ", "Ā", "ē"],
    "macroman": ["a", " ", "∆", "é", ""],
    "cp852": ["a", " ", "Ł", "ś"],
    "cp850": ["a", " ", "É", "ñ"],
    "hp8": ["a", " ", "À", "Â"],
    "dec8": ["a", " ", "À", "Æ"],
    "hebrew": ["a", " ", "א", "ב", "‾"],
    "gb2312": ["a", " ", "中", "文"],
    "cp932": ["a", " ", "日本", "①", "ｱ"],
    "eucjpms": ["a", " ", "日本", "①", "ｱ"],
}
SPECIALS = ["'", '"', "\\", "~", "\t", "\n", "\x00", "\x01", "\x7f"]
# Collations beyond each charset's default; MariaDB 10.11 numbers its UCA 14.0.0 and NOPAD
# collations above 255 (two-byte ids in the table map).
COLLATIONS = {
    "utf8mb4": [None, "utf8mb4_bin", "utf8mb4_unicode_ci", "utf8mb4_uca1400_ai_ci",
                "utf8mb4_nopad_bin", "utf8mb4_unicode_520_nopad_ci"],
    "utf8mb3": [None, "utf8mb3_bin", "utf8mb3_unicode_520_ci", "utf8mb3_uca1400_as_cs"],
    "latin1": [None, "latin1_bin", "latin1_general_cs", "latin1_german2_ci"],
    "ucs2": [None, "ucs2_bin", "ucs2_uca1400_ai_ci"],
    "utf16": [None, "utf16_bin"],
    "utf32": [None, "utf32_unicode_ci"],
}


def sql_text(s: str) -> str:
    """A utf8mb4 literal of any text (hex, so no escaping); the server converts it to the
    column's charset."""
    return "_utf8mb4 X'" + s.encode("utf-8").hex() + "'" if s else "''"


def text_value(rng: random.Random, charset: str, max_chars: int) -> str:
    pick = rng.random()
    if pick < 0.08:
        return "''"
    alphabet = ALPHABETS.get(charset, ALPHABETS["ascii"])
    if pick < 0.14 and max_chars > 0:
        # the longest value (multi-byte characters where the charset has them); MEDIUMTEXT and
        # LONGTEXT past 64 KiB now and then (the length's third byte)
        unit = max(alphabet, key=lambda c: len(c.encode("utf-8")))
        limit = 70000 if max_chars >= 3000 and rng.random() < 0.3 else max_chars
        return f"REPEAT({sql_text(unit)}, {max(1, limit // len(unit))})"
    n = rng.choice([1, 2, 5, 10, 30]) if rng.random() < 0.8 else rng.randint(0, max(1, max_chars))
    n = max(1, min(n, max_chars or 1))
    chars = [rng.choice(alphabet) for _ in range(n)]
    if charset != "ascii" and rng.random() < 0.3:
        chars[rng.randrange(len(chars))] = rng.choice(SPECIALS)
    s = "".join(chars)
    if rng.random() < 0.15:
        s = s + "  "                           # trailing spaces: CHAR strips them, VARCHAR not
    return sql_text(s)


def binary_value(rng: random.Random, max_bytes: int) -> str:
    pick = rng.random()
    if pick < 0.08:
        return "''"
    if pick < 0.14:
        limit = 140000 if max_bytes >= 3000 and rng.random() < 0.3 else max_bytes
        return f"REPEAT(X'FF00', {max(1, limit // 2)})"
    n = rng.randint(1, max(1, min(max_bytes, 40 if rng.random() < 0.9 else max_bytes)))
    data = bytes(rng.randrange(256) for _ in range(n))
    if rng.random() < 0.2:
        data = data + b"\x00\x00"                 # trailing zero bytes: BINARY pads with them
    return "X'" + data[:max(1, max_bytes)].hex() + "'"


def int_value(rng: random.Random, bits: int, unsigned: bool) -> str:
    lo, hi = (0, 2 ** bits - 1) if unsigned else (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1)
    edges = [lo, hi, 0, 1] + ([] if unsigned else [-1, lo + 1]) + ([2 ** (bits - 1)] if unsigned
                                                                   else [])
    if rng.random() < 0.4:
        return str(rng.choice(edges))
    if rng.random() < 0.5:                      # small magnitudes are the common case
        v = rng.randint(-1000, 1000)
        return str(abs(v) if unsigned else v)
    return str(rng.randint(lo, hi))


def float_value(rng: random.Random, single: bool) -> str:
    if single:
        edges = ["3.4028234e38", "-3.4028234e38", "1.17549435e-38", "1.4e-45", "0", "-0e0",
                 "0.1", "16777217", "1e-10"]
        exp = rng.randint(-37, 37)
    else:
        edges = ["1.7976931348623157e308", "-1.7976931348623157e308", "2.2250738585072014e-308",
                 "5e-324", "0", "-0e0", "0.1", "9007199254740993", "0.30000000000000004"]
        exp = rng.randint(-300, 300)
    if rng.random() < 0.35:
        return rng.choice(edges)
    return f"{rng.choice('-+')}{rng.random():.{rng.randint(1, 17)}f}e{exp}".replace("+", "")


def decimal_value(rng: random.Random, p: int, s: int) -> str:
    whole_digits = p - s
    pick = rng.random()
    if pick < 0.12:
        return ("-" if rng.random() < 0.5 else "") + ("9" * whole_digits or "0") + (
            "." + "9" * s if s else "")
    if pick < 0.2:
        return "0"
    if pick < 0.26 and s:
        return ("-" if rng.random() < 0.5 else "") + "0." + "0" * (s - 1) + "1"
    w = "".join(rng.choice("0123456789") for _ in range(rng.randint(0, whole_digits))) or "0"
    f = "".join(rng.choice("0123456789") for _ in range(rng.randint(0, s)))
    return ("-" if rng.random() < 0.5 else "") + w + ("." + f if f else "")


def fraction(rng: random.Random) -> str:
    return "." + "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 6))) \
        if rng.random() < 0.7 else ""


def date_text(rng: random.Random) -> str:
    pick = rng.random()
    if pick < 0.06:
        return "0000-00-00"
    if pick < 0.1:
        return f"{rng.randint(1000, 9999):04d}-{rng.randint(0, 12):02d}-00"   # zero in date
    if pick < 0.2:
        return rng.choice(["1000-01-01", "9999-12-31", "1970-01-01", "2024-02-29"])
    return f"{rng.randint(1000, 9999):04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def time_of_day(rng: random.Random) -> str:
    return f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"


def time_value(rng: random.Random) -> str:
    pick = rng.random()
    if pick < 0.15:
        return rng.choice(["'-838:59:59.999999'", "'838:59:59.999999'", "'00:00:00'",
                           "'-00:00:00.000001'", "'-00:00:01'"])
    sign = "-" if rng.random() < 0.3 else ""
    return (f"'{sign}{rng.randint(0, 838)}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
            f"{fraction(rng)}'")


def datetime_value(rng: random.Random) -> str:
    pick = rng.random()
    if pick < 0.15:
        return rng.choice(["'1000-01-01 00:00:00'", "'9999-12-31 23:59:59.999999'",
                           "'0000-00-00 00:00:00'", "'2020-00-00 10:00:00.5'"])
    return f"'{date_text(rng)} {time_of_day(rng)}{fraction(rng)}'"


def timestamp_value(rng: random.Random) -> str:
    if rng.random() < 0.2:
        return rng.choice(["'1970-01-01 00:00:01'", "'2038-01-19 03:14:07.999999'",
                           "'0000-00-00 00:00:00'", "'2000-01-01 00:00:00.000001'"])
    return (f"'{rng.randint(1971, 2037)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} "
            f"{time_of_day(rng)}{fraction(rng)}'")


def json_value(rng: random.Random) -> str:
    docs = ['{}', '[]', '"s"', '0', '-1.5e300', 'null', 'true', '{"a": 1, "b": [1, 2.5, "x"]}',
            '{"k": "€𝄞", "n": -123456789012345678901234567890}', '["\\"q\\"", "\\\\", "\\n"]',
            '{"nested": {"deep": [[[]]], "e": ""}}']
    return sql_text(rng.choice(docs))


def inet6_value(rng: random.Random) -> str:
    if rng.random() < 0.25:
        return rng.choice(["'::'", "'::1'", "'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'",
                           "'::ffff:192.0.2.1'"])
    return "'" + ":".join(f"{rng.randrange(65536):x}" for _ in range(8)) + "'"


def uuid_value(rng: random.Random) -> str:
    if rng.random() < 0.2:
        return rng.choice(["'00000000-0000-0000-0000-000000000000'",
                           "'ffffffff-ffff-ffff-ffff-ffffffffffff'"])
    h = f"{rng.getrandbits(128):032x}"
    return f"'{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}'"


def point(rng: random.Random) -> str:
    return f"{rng.uniform(-180, 180):.6g} {rng.uniform(-90, 90):.6g}"


def geometry_value(rng: random.Random, kind: str) -> str:
    if kind == "geometry":
        kind = rng.choice(["point", "linestring", "polygon"])
    if kind == "point":
        return f"ST_GeomFromText('POINT({point(rng)})')"
    if kind == "linestring":
        return f"ST_GeomFromText('LINESTRING({point(rng)}, {point(rng)}, {point(rng)})')"
    return "ST_GeomFromText('POLYGON((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 3 2, 3 3, 2 2))')"


# --- column kinds ------------------------------------------------------------------------------

@dataclass
class ColumnKind:
    """A column type: make(rng) -> (SQL type, value generator, usable in a primary key)."""
    name: str
    make: Callable[[random.Random], tuple[str, Callable[[random.Random], str], bool]]


def _int_kind(sql: str, bits: int, unsigned: bool) -> ColumnKind:
    def make(rng):
        zerofill = unsigned and rng.random() < 0.15
        decl = sql + (" UNSIGNED" if unsigned else "") + (" ZEROFILL" if zerofill else "")
        return decl, lambda r: int_value(r, bits, unsigned), True
    return ColumnKind(sql.lower() + ("_u" if unsigned else ""), make)


def _charset_decl(rng: random.Random, base: str,
                  charsets: list[str] | None = None) -> tuple[str, str]:
    cs = rng.choice(charsets or list(ALPHABETS))
    coll = rng.choice(COLLATIONS.get(cs, [None]))
    return f"{base} CHARACTER SET {cs}" + (f" COLLATE {coll}" if coll else ""), cs


def _text_kind(name: str, base: str, max_chars: int | None,
               charsets: list[str] | None = None) -> ColumnKind:
    def make(rng):
        n = max_chars
        sql = base
        if base in ("CHAR", "VARCHAR"):
            n = rng.choice([0, 1, 4, 10, 64, 255]) if base == "CHAR" else rng.choice(
                [1, 10, 100, 300, 500])
            sql = f"{base}({n})"
        decl, cs = _charset_decl(rng, sql, charsets)
        return decl, lambda r: text_value(r, cs, n), base in ("CHAR", "VARCHAR") and 0 < n <= 300
    return ColumnKind(name, make)


def _binary_kind(name: str, base: str, max_bytes: int) -> ColumnKind:
    def make(rng):
        n = max_bytes
        sql = base
        if base in ("BINARY", "VARBINARY"):
            n = rng.choice([0, 1, 4, 16, 255]) if base == "BINARY" else rng.choice([1, 16, 300])
            sql = f"{base}({n})"
        return sql, lambda r: binary_value(r, min(n, 3000)), base in ("BINARY", "VARBINARY") and n > 0
    return ColumnKind(name, make)


def _decimal_kind(rng, zerofill: str = ""):
    p, s = rng.choice([(65, 30), (65, 0), (1, 0), (30, 30), (4, 2), (18, 9), (10, 0),
                       (rng.randint(1, 65), None)])
    if s is None:
        s = rng.randint(0, min(p, 30))
    if zerofill:                                # (implies UNSIGNED) with integer digits to pad
        p = rng.randint(2, 65)
        s = rng.randint(0, min(p - 2, 30))
    return (f"DECIMAL({p},{s}){zerofill}",
            lambda r: decimal_value(r, p, s).lstrip("-") if zerofill else decimal_value(r, p, s),
            True)


def _bit_kind(rng):
    n = rng.choice([1, 8, 9, 16, 63, 64, rng.randint(1, 64)])

    def value(r):
        v = r.choice([0, 2 ** n - 1, 1, 2 ** (n - 1)]) if r.random() < 0.4 else r.getrandbits(n)
        return "b'" + format(v, "b") + "'"
    return f"BIT({n})", value, True


OTHER_LABEL_CHARSETS = ["latin1", "cp1251", "sjis", "big5", "ucs2", "utf16", "greek", "euckr",
                        "utf32", "koi8r", "ujis", "utf16le"]
WIDE_CHARSETS = ["ucs2", "utf16", "utf16le", "utf32"]      # ',' is not the byte 0x2C


def _enum_kind(rng, charsets: list[str] | None = None):
    cs = "utf8mb4"
    if charsets:
        cs = rng.choice(charsets)
        labels = _labels(rng, cs, rng.randint(2, 8))
    elif rng.random() < 0.5:
        labels = ["a", "b", "€uro", "𝄞", "with space", "x'y"]
        labels = labels[:rng.randint(1, len(labels))]
    elif rng.random() < 0.6:                    # labels in the column's charset (table map)
        cs = rng.choice(OTHER_LABEL_CHARSETS)
        labels = _labels(rng, cs, rng.randint(1, 8))
    else:
        labels = [f"e{i:03d}" for i in range(300)]                   # 2-byte index

    def value(r):
        if r.random() < 0.08:
            return "''"            # not a label: sql_mode '' stores the error value '' (index 0)
        return sql_text(r.choice(labels))
    decl = "ENUM(" + ", ".join("'" + v.replace("'", "''") + "'" for v in labels) + \
        f") CHARACTER SET {cs}"
    return decl, value, True


def _set_kind(rng, charsets: list[str] | None = None):
    cs = "utf8mb4"
    if charsets:
        cs = rng.choice(charsets)
        members = _labels(rng, cs, rng.randint(3, 8))
    elif rng.random() < 0.4:
        members = ["a", "b", "c", "€", "𝄞"]
    elif rng.random() < 0.5:
        cs = rng.choice(OTHER_LABEL_CHARSETS)
        members = _labels(rng, cs, rng.randint(1, 10))
    else:
        members = [f"s{i:02d}" for i in range(rng.choice([8, 9, 16, 17, 33, 64]))]

    def value(r):
        chosen = [m for m in members if r.random() < 0.4]
        if r.random() < 0.1:
            chosen = list(members)
        return sql_text(",".join(chosen))
    decl = "SET(" + ", ".join(f"'{m}'" for m in members) + f") CHARACTER SET {cs}"
    return decl, value, True


def _float_kind(sql: str, single: bool):
    def make(rng):
        decl = sql
        p = rng.random()
        if p < 0.15:                                # FLOAT(M,D): stored rounded to D digits
            m = rng.randint(1, 24 if single else 53)
            decl = f"{sql}({m},{rng.randint(0, min(m, 30))})"
        elif p < 0.25:
            decl += " UNSIGNED"                       # deprecated, still accepted
        return decl, lambda r: float_value(r, single), True
    return make


def _labels(rng: random.Random, cs: str, count: int) -> list[str]:
    alphabet = [c for c in ALPHABETS[cs] if c.strip()]
    out: list[str] = []
    while len(out) < count:
        label = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 3)))
        if label.lower() not in (x.lower() for x in out):
            out.append(label)
    return out


def _simple(sql: str, value, keyable: bool):
    return lambda rng: (sql, value, keyable)


def _temporal(sql: str, value):
    def make(rng):
        fsp = rng.randint(0, 6)
        decl = f"{sql}({fsp})" if rng.random() < 0.85 or fsp else sql
        if sql == "TIMESTAMP":
            decl += " NULL DEFAULT NULL"
        return decl, value, sql != "TIMESTAMP"
    return make


KINDS: list[ColumnKind] = [
    *(_int_kind(t, b, u) for t, b in (("TINYINT", 8), ("SMALLINT", 16), ("MEDIUMINT", 24),
                                      ("INT", 32), ("BIGINT", 64)) for u in (False, True)),
    ColumnKind("year", _simple("YEAR", lambda r: r.choice(
        ["0", "1901", "2155", "2024", "'69'", str(r.randint(1901, 2155))]), True)),
    ColumnKind("bit", _bit_kind),
    ColumnKind("float", _float_kind("FLOAT", True)),
    ColumnKind("double", _float_kind("DOUBLE", False)),
    ColumnKind("decimal", _decimal_kind),
    # Variants each seed must have (every kind is in some table), as each once hid a defect:
    ColumnKind("decimal_zerofill", lambda rng: _decimal_kind(rng, " ZEROFILL")),
    ColumnKind("set_wide", lambda rng: _set_kind(rng, WIDE_CHARSETS)),
    ColumnKind("enum_charset", lambda rng: _enum_kind(rng, OTHER_LABEL_CHARSETS)),
    _text_kind("varchar_cjk", "VARCHAR", None, ["sjis", "ujis", "big5", "euckr", "gbk"]),
    _text_kind("varchar_sbcs", "VARCHAR", None,
               ["keybcs2", "geostd8", "armscii8", "swe7", "dec8", "hp8", "macroman", "macce",
                "tis620", "koi8u", "greek", "hebrew", "cp866", "latin5", "latin7", "cp1250",
                "cp1256", "cp1257", "cp852", "cp850"]),
    ColumnKind("date", _simple("DATE", lambda r: f"'{date_text(r)}'", True)),
    ColumnKind("time", _temporal("TIME", time_value)),
    ColumnKind("datetime", _temporal("DATETIME", datetime_value)),
    ColumnKind("timestamp", _temporal("TIMESTAMP", timestamp_value)),
    _text_kind("char", "CHAR", None),
    _text_kind("varchar", "VARCHAR", None),
    _text_kind("tinytext", "TINYTEXT", 255),
    _text_kind("text", "TEXT", 2000),
    _text_kind("mediumtext", "MEDIUMTEXT", 3000),
    _text_kind("longtext", "LONGTEXT", 3000),
    _binary_kind("binary", "BINARY", 0),
    _binary_kind("varbinary", "VARBINARY", 0),
    _binary_kind("tinyblob", "TINYBLOB", 255),
    _binary_kind("blob", "BLOB", 3000),
    _binary_kind("mediumblob", "MEDIUMBLOB", 3000),
    _binary_kind("longblob", "LONGBLOB", 3000),
    ColumnKind("enum", _enum_kind),
    ColumnKind("set", _set_kind),
    ColumnKind("json", _simple("JSON", json_value, False)),
    ColumnKind("inet6", _simple("INET6", inet6_value, True)),
    ColumnKind("uuid", _simple("UUID", uuid_value, True)),
    ColumnKind("geometry", _simple("GEOMETRY", lambda r: geometry_value(r, "geometry"), False)),
    ColumnKind("point", _simple("POINT", lambda r: geometry_value(r, "point"), False)),
    ColumnKind("linestring", _simple("LINESTRING", lambda r: geometry_value(r, "linestring"),
                                     False)),
    ColumnKind("polygon", _simple("POLYGON", lambda r: geometry_value(r, "polygon"), False)),
]
NAME_ODDITIES = [" with space", "`tick", '"dq', "\\bs", "_é€", "_日本", " ü'q"]
WIDE_KINDS = {"tinyint", "tinyint_u", "smallint", "smallint_u", "int", "int_u", "year", "date",
              "float", "bit", "enum"}
# The identity column's types, with the first value handed out (extremes of each range).
RID_TYPES = [("INT", [1, -2147483648 + 10]), ("BIGINT", [1, -9223372036854775808 + 10]),
             ("BIGINT UNSIGNED", [1, 2 ** 64 - 2 ** 20]), ("MEDIUMINT UNSIGNED", [1, 2 ** 24 - 2 ** 16]),
             ("SMALLINT", [-32768 + 5, 1]), ("INT UNSIGNED", [2 ** 32 - 2 ** 20])]


@dataclass
class Column:
    name: str
    decl: str                                   # the type, with charset, without NULL-ness
    value: Callable[[random.Random], str] | None  # None: generated column
    nullable: bool
    keyable: bool
    generated: str = ""                         # "AS (...) VIRTUAL|STORED"
    invisible: bool = False                     # MariaDB's INVISIBLE: not in SELECT *

    @property
    def q(self) -> str:
        """The name quoted for SQL."""
        return quote(self.name)

    def ddl(self) -> str:
        if self.generated:
            return f"{self.q} {self.decl} {self.generated}"
        null = "" if "NULL DEFAULT NULL" in self.decl else (" NULL" if self.nullable
                                                             else " NOT NULL")
        return f"{self.q} {self.decl}{null}{' INVISIBLE' if self.invisible else ''}"

    def literal(self, rng: random.Random) -> str:
        if self.nullable and rng.random() < 0.12:
            return "NULL"
        return self.value(rng)


@dataclass
class Table:
    name: str
    columns: list[Column]
    key: list[str]                             # primary key columns, [] for none
    charset: str
    next_rid: int
    rid_step: int = 1
    rids: list[int] = field(default_factory=list)   # rows that exist now, in insertion order

    def ddl(self) -> str:
        parts = [c.ddl() for c in self.columns]
        if self.key:
            parts.append(f"PRIMARY KEY ({', '.join(quote(k) for k in self.key)})")
        return (f"CREATE TABLE {self.name} (\n  " + ",\n  ".join(parts) +
                f"\n) ENGINE=InnoDB DEFAULT CHARSET={self.charset}")

    def writable(self) -> list[Column]:
        return [c for c in self.columns if not c.generated]

    def new_rid(self) -> int:
        rid = self.next_rid
        self.next_rid += self.rid_step
        return rid


def quote(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def is_binary(c: Column) -> bool:
    return c.decl.split("(")[0].split()[0] in (
        "BINARY", "VARBINARY", "TINYBLOB", "BLOB", "MEDIUMBLOB", "LONGBLOB", "BIT", "GEOMETRY",
        "POINT", "LINESTRING", "POLYGON")


def make_tables(rng: random.Random, count: int, db: str) -> list[Table]:
    """`count` tables; every kind of KINDS is in at least one of them."""
    kinds = list(KINDS)
    rng.shuffle(kinds)
    per_table: list[list[ColumnKind]] = [[] for _ in range(count)]
    for i, k in enumerate(kinds):
        per_table[i % count].append(k)
    # One table is wide (more than 250 columns: the table map's column count, type and metadata
    # lists and the row images' bitmaps then take their multi-byte forms), of small fixed-size
    # types so that a row fits InnoDB's page.
    small = [k for k in KINDS if k.name in WIDE_KINDS]
    wide = rng.randrange(count) if count >= 4 else -1
    tables = []
    for t in range(count):
        chosen = per_table[t] + [rng.choice(KINDS) for _ in range(rng.randint(2, 6))]
        if t == wide:
            chosen += [rng.choice(small) for _ in range(rng.randint(250, 300))]
        rng.shuffle(chosen)
        columns: list[Column] = []
        for i, kind in enumerate(chosen):
            decl, value, keyable = kind.make(rng)
            # now and then a name with spaces, quotes, a backslash or non-ASCII letters
            name = f"c{i}_{kind.name}" + (rng.choice(NAME_ODDITIES) if rng.random() < 0.1 else "")
            columns.append(Column(name, decl, value, rng.random() < 0.7, keyable))
        rid_type, starts = rng.choice(RID_TYPES)
        rid = Column("rid", rid_type, None, False, True)
        columns.insert(rng.randint(0, len(columns)), rid)
        shape = rng.choice(["single", "single", "composite", "composite", "none"])
        key: list[str] = []
        if shape == "single":
            key = ["rid"]
        elif shape == "composite":
            other = rng.choice([c for c in columns if c.keyable and c.name != "rid"] or [rid])
            other.nullable = False
            key = ["rid", other.name] if rng.random() < 0.5 else [other.name, "rid"]
            key = list(dict.fromkeys(key))
        for c in columns:                       # INVISIBLE columns (nullable, not in a key)
            if c.nullable and c.name not in key and c.name != "rid" and rng.random() < 0.05:
                c.invisible = True
        # generated columns over other columns, at random positions
        for g in range(rng.choice([0, 1, 1, 2])):
            # (CHAR's length depends on sql_mode PAD_CHAR_TO_FULL_LENGTH: not allowed here)
            base = rng.choice([c for c in columns if not c.generated
                               and not c.decl.startswith("CHAR(")])
            store = rng.choice(["VIRTUAL", "STORED"])
            expr, decl = rng.choice([
                (f"LENGTH({base.q})", "BIGINT"),
                (f"LEFT(HEX({base.q}), 40)", "VARCHAR(40) CHARACTER SET latin1"),
                # (over binary columns CONCAT is binary: the utf8mb4 column would hold bytes
                # that are not UTF-8, rendered U+FFFD by design; rid instead)
                (f"CONCAT('g', {base.q if not is_binary(base) else 'rid'})",
                 "VARCHAR(80) CHARACTER SET utf8mb4"),
                ("CAST(rid AS SIGNED) * -2", "BIGINT") if not rid_type.startswith("BIGINT") else
                ("rid DIV 3", rid_type),
            ])
            columns.insert(rng.randint(0, len(columns)),
                           Column(f"g{g}_{store.lower()}", decl, None, True, False,
                                  f"AS ({expr}) {store}"))
        charset = rng.choice(["utf8mb4", "latin1", "utf8mb3"])
        tables.append(Table(f"t{t}", columns, key, charset, next_rid=rng.choice(starts)))
    return tables

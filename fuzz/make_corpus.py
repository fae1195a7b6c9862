#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz targets into fuzz/corpus/<target>/.

Seeds are small on purpose (a few KB each, well under 2 MB in all): hand-built binary JSON
documents and diffs, row images for hand-picked schemas, and whole fixture binlogs (without
the 4-byte magic) for the event decoder. Re-run after changing an input layout:

    python3 fuzz/make_corpus.py [--fixtures ../shared/fixtures/binlog]
"""
import argparse
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def varlen(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


# Binary JSON values as (type, encoding-without-type).
def lit(v): return (0x04, bytes([v]))
def i16(v): return (0x05, struct.pack('<h', v))
def u16(v): return (0x06, struct.pack('<H', v))
def i32(v): return (0x07, struct.pack('<i', v))
def u32(v): return (0x08, struct.pack('<I', v))
def i64(v): return (0x09, struct.pack('<q', v))
def u64(v): return (0x0A, struct.pack('<Q', v))
def dbl(v): return (0x0B, struct.pack('<d', v))
def string(s): b = s.encode(); return (0x0C, varlen(len(b)) + b)
def opaque(ft, data): return (0x0F, bytes([ft]) + varlen(len(data)) + data)


def container(members, obj, large):
    osz = 4 if large else 2
    fmt = '<I' if large else '<H'
    n = len(members)
    header = 2 * osz + n * (1 + osz) + (n * (osz + 2) if obj else 0)
    keys = b''.join(k.encode() for k, _ in members) if obj else b''
    key_entries, entries, values = b'', b'', b''
    kpos = header
    for k, (t, enc) in members:
        if obj:
            key_entries += struct.pack(fmt, kpos) + struct.pack('<H', len(k.encode()))
            kpos += len(k.encode())
        inline = t in (4, 5, 6) or (large and t in (7, 8))
        if inline:
            entries += bytes([t]) + enc.ljust(osz, b'\0')
        else:
            entries += bytes([t]) + struct.pack(fmt, header + len(keys) + len(values))
            values += enc
    size = header + len(keys) + len(values)
    body = struct.pack(fmt, n) + struct.pack(fmt, size) + key_entries + entries + keys + values
    return ((1 if large else 0) + (0 if obj else 2), body)


def obj(members, large=False): return container(sorted(members, key=lambda m: (len(m[0]), m[0])), True, large)
def arr(elems, large=False): return container([('', e) for e in elems], False, large)
def doc(v): return bytes([v[0]]) + v[1]


def packed_datetime(y, mo, d, h, mi, s, us):
    ymd = ((y * 13 + mo) << 5) | d
    hms = (h << 12) | (mi << 6) | s
    return struct.pack('<q', (((ymd << 17) | hms) << 24) + us)


def json_docs():
    nested = i16(1)
    for _ in range(100):
        nested = arr([nested])
    return {
        'null': doc(lit(0)), 'empty': b'',
        'scalars': doc(arr([lit(1), lit(2), i16(-5), u16(65535), i32(-70000), u32(4000000000),
                            i64(-2**63), u64(2**64 - 1), dbl(1.5), string('h\u00e9\n"')])),
        'large': doc(obj([('k', i32(7)), ('list', arr([u32(1), dbl(1e100)], True))], True)),
        'object': doc(obj([('age', i16(25)), ('name', string('Joe')),
                           ('tags', arr([string('a'), obj([])]))])),
        'opaque': doc(arr([opaque(15, b'U'), opaque(10, packed_datetime(2012, 3, 18, 0, 0, 0, 0)),
                           opaque(12, packed_datetime(2012, 3, 18, 11, 30, 45, 12)),
                           opaque(11, struct.pack('<q', ((87 << 12 | 31 << 6 | 46) << 24) + 654321)),
                           opaque(246, bytes([6, 3, 0x80, 0x7B, 0x01, 0xC8])),
                           opaque(253, b'text'), opaque(252, bytes(range(64)))])),
        'deep100': doc(nested),
    }


def diff(op, path, value=None):
    out = bytes([op, len(path)]) + path.encode()
    if value is not None:
        out += bytes([len(value)]) + value
    return out


def json_diffs():
    before = json_docs()['object']
    seeds = {
        'replace': diff(0, '$.age', doc(i16(26))),
        'insert_remove': diff(1, '$.b', doc(lit(1))) + diff(1, '$.tags[last]', doc(string('z')))
        + diff(2, '$.tags[0]') + diff(0, '$."name"', doc(obj([('x', lit(0))]))),
        'empty': b'',
    }
    return {k: struct.pack('<H', len(before)) + before + v for k, v in seeds.items()}


FIXTURES = [
    'rust_mysql_common/json.binlog.000001', 'rust_mysql_common/json-opaque.binlog',
    'rust_mysql_common/mariadb-bin.000001', 'rust_mysql_common/mysql-enum-string-set.000001',
    'rust_mysql_common/mysql_type_bit.000001', 'rust_mysql_common/time_issue.000001',
    'rust_mysql_common/transaction_compression.000001', 'rust_mysql_common/vector.binlog',
    'rust_mysql_common/minimal_row_metadata.000001', 'rust_mysql_common/binlog_transaction_with_GTID_TAG.000001',
    'rusuly-MySqlCdc/mysql-bin.000001', 'apecloud-binlog-connector-rust/mysql-bin.000057',
    'go-mysql/tcb-eval002c-bin.003320', 'easypost-rust-mysql-binlog/bin-log.000001',
    'osheroff-binlog-connector-java/mysql-bin.compressed', 'tiflow/mysql-bin.000001',
    'zalora-binlog-parser/mysql-bin.07', 'canal/mysql-bin.000002',
]


def event_seeds(fixtures):
    seeds = {}
    for rel in FIXTURES:
        path = os.path.join(fixtures, rel)
        if not os.path.exists(path):
            continue
        data = open(path, 'rb').read()[4:16384]
        mariadb = b'MariaDB' in data[:200]
        control = (1 if mariadb else 0) | 2  # the fixtures' own CRCs are valid: verify them
        seeds[rel.replace('/', '__')] = bytes([control]) + data
    return seeds


def binlog_file_seeds(fixtures):
    """Whole fixture files (magic included, cut at 16 KB: the cut is a truncation case too) and
    crafted size claims: a header claiming 4 GiB 275 bytes before the end of the file, and
    one smaller than a header."""
    seeds = {}
    for rel in FIXTURES[:3]:
        path = os.path.join(fixtures, rel)
        if os.path.exists(path):
            seeds[rel.replace('/', '__')] = open(path, 'rb').read()[:16384]
    def header(t, size): return struct.pack('<IBIIIH', 1700000000, t, 1, size, 0, 0)
    magic = b'\xfebin'
    seeds['claim_4g'] = magic + header(2, 0xFFFFFFF0) + b'\0' * (275 - 4 - 19)
    seeds['claim_tiny'] = magic + header(2, 5) + b'\0' * 20
    return seeds


def column(sel, p1=0, p2=0): return bytes([sel, p1, p2])


def row_seeds():
    # Type selectors index kTypes in fuzz_row_decoder.cpp.
    LONG, DOUBLE, NEWDEC, DT2, VARCHAR, BLOB, JSON, BIT, ENUM, SET = 3, 6, 7, 14, 17, 23, 25, 27, 28, 29
    schema = (column(LONG) + column(VARCHAR, 20) + column(JSON, 1) + column(NEWDEC, 5, 3)
              + column(DT2, 3) + column(ENUM, 0, 0x08) + column(SET, 0, 0x08) + column(BIT, 9)
              + column(DOUBLE) + column(BLOB, 1, 0x80))
    j = doc(obj([('a', i16(1))]))
    row = (b'\x00\x02' + struct.pack('<i', 7) + b'\x03abc' + struct.pack('<I', len(j)) + j
           + bytes([0x80, 0x7B, 0x01, 0xC8])                 # DECIMAL(6,3) 123.456
           + bytes([0x99, 0xAF, 0x64, 0xB6, 0x8B, 0x00, 0x7B])  # DATETIME2(3)
           + b'\x02' + b'\x05' + b'\x01\x02' + struct.pack('<d', 2.5))  # BLOB is NULL
    write = bytes([0, 9]) + schema + b'\xff\x03' + row + row
    update = bytes([1, 9]) + schema + b'\xff\x03\xff\x03' + row + row
    diffs = diff(0, '$.a', doc(i16(2)))
    partial_after = (b'\x01\x01' + b'\x00\x02' + struct.pack('<i', 7) + b'\x03abc'
                     + struct.pack('<I', len(diffs)) + diffs + row[-(4 + 7 + 1 + 1 + 2 + 8):])
    partial = bytes([3, 9]) + schema + b'\xff\x03\xff\x03' + row + partial_after
    v1_delete = bytes([2 | 4, 0]) + column(LONG, 0, 0x40) + b'\x01' + b'\x00' + b'\xff\xff\xff\xff'
    return {'write': write, 'update': update, 'partial_update': partial, 'delete_v1': v1_delete}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--fixtures', default=os.path.join(HERE, '..', '..', 'shared', 'fixtures', 'binlog'))
    args = ap.parse_args()
    sets = {'json_binary': json_docs(), 'json_diff': json_diffs(),
            'event_decoder': event_seeds(args.fixtures), 'row_decoder': row_seeds(),
            'binlog_file': binlog_file_seeds(args.fixtures)}
    for target, seeds in sets.items():
        d = os.path.join(HERE, 'corpus', target)
        os.makedirs(d, exist_ok=True)
        for name, data in seeds.items():
            with open(os.path.join(d, 'seed_' + name), 'wb') as f:
                f.write(data)
        print(f'{target}: {len(seeds)} seeds')


if __name__ == '__main__':
    main()
